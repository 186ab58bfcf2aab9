// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Picks the conversation epoch a message is sealed under, starting a new one when the recipients changed.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <functional>
#include <optional>
#include <QObject>
#include <QString>

namespace larch {

class ApiClient;
struct ConversationKeyState;
class DeviceDirectory;
struct EpochInfo;
class KeyRing;
class PracticeKeyKeeper;

/// Chooses the epoch each outgoing message is sealed under, starting epoch N+1 when the recipients changed.
/// docs/security.md, "Conversation keys and epochs": when the conversation has no epoch, or its current epoch
/// was sealed to an older practice key version or to another set of patient devices, or this device does not
/// hold its key, a new epoch gets a fresh random key sealed to the practice key and to each active patient
/// device. A conflict (someone else moved first) means look again.
/// "Practice identity pinning": once the practice has an identity, an epoch is used only when it is signed, by the
/// practice identity (staff started it) or by a device of the conversation's patient; otherwise a new one is started,
/// which this device signs. A patient's device seals nothing to a practice key its pinned identity did not sign, and
/// nothing at all while the practice's identity changed without a signature.
class EpochPlanner : public QObject {
    Q_OBJECT
public:
    /// The epoch to seal under and its key.
    struct Ready {
        qint64 epoch = 0;
        SecretBytes key;
    };
    /// Why no epoch is ready: retryLater when waiting (offline, approval pending) may help.
    struct Failure {
        QString sentence;
        bool retryLater = true;
    };
    using Done = std::function<void(const std::optional<Ready> &ready, const Failure &failure)>;

    EpochPlanner(ApiClient *api, KeyRing *keys, DeviceDirectory *devices, PracticeKeyKeeper *keeper,
                 QObject *parent = nullptr);

    void prepare(const QString &conversationId, Done done);
    void stop() { ++m_generation; }

private:
    void attempt(const QString &conversationId, int attemptsLeft, Done done);
    void decide(const QString &conversationId, int attemptsLeft, Done done);
    void create(const QString &conversationId, int attemptsLeft, Done done);
    void retryAfterConflict(const QString &conversationId, int attemptsLeft, Done done);
    /// Whether the epoch may be sent under: signed as the practice identity rules ask (always, before identities).
    bool epochTrusted(const QString &conversationId, const ConversationKeyState &state, const EpochInfo &epoch,
                      const SecretBytes &key) const;
    /// Why a patient's device may not seal to the practice now; "" when it may.
    QString identityRefusal(const ConversationKeyState &state) const;

    ApiClient *m_api;
    KeyRing *m_keys;
    DeviceDirectory *m_devices;
    PracticeKeyKeeper *m_keeper;
    quint64 m_generation = 0;
};

} // namespace larch
