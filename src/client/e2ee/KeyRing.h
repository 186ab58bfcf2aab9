// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conversation and practice keys this device holds, in memory and cached encrypted in the local store.
#pragma once

#include "core/crypto/DeviceKeys.h"
#include "core/crypto/IdentityChain.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/PracticeIdentity.h"
#include "core/crypto/SecretBytes.h"
#include "core/protocol/KeyListings.h"

#include <functional>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

namespace larch {

class ApiClient;
class LocalStore;
class PracticeIdentityPins;

/// The practice's key state as last fetched (staff only).
struct PracticeKeyState {
    bool known = false; ///< fetched at least once this session
    qint64 currentVersion = 0; ///< 0 when the practice has no key yet
    QByteArray currentPublic;
    bool rotationNeeded = false; ///< a staff device was removed: a new version must be made
    QList<IdentityVersion> identity; ///< the practice identity's versions, oldest first; empty before the first
};

/// The conversation and practice keys this device holds, opened from their grants and kept.
/// Grants open with this device's box key (or, for staff, the practice key); every key learnt is written to
/// the local store encrypted, so history opens offline after a restart.
class KeyRing : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(bool ok)>;

    KeyRing(LocalStore *store, ApiClient *api, QObject *parent = nullptr);

    /// Starts a session for this device; loads the keys cached in the store.
    void start(const DeviceKeys &device, const QString &userId, const QString &practiceId, bool staff);
    /// Forgets every key held in memory (the store keeps its encrypted copies).
    void stop();
    bool isRunning() const { return !m_device.deviceId.isEmpty(); }
    const DeviceKeys &device() const { return m_device; }
    QString userId() const { return m_userId; }
    QString practiceId() const { return m_practiceId; }
    bool isStaff() const { return m_staff; }

    /// The key of a conversation epoch, or nullptr when this device does not hold it.
    const SecretBytes *epochKey(const QString &conversationId, qint64 epoch) const;
    QList<qint64> heldEpochs(const QString &conversationId) const;
    void addEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key);
    const PracticeKey *practiceKey(qint64 version) const;
    QList<qint64> practiceVersions() const { return m_practiceKeys.keys(); }
    void addPracticeKey(const PracticeKey &key);
    /// A practice identity version this (staff) device holds, or nullptr.
    const PracticeIdentityKey *identityKey(qint64 version) const;
    QList<qint64> identityVersions() const { return m_identityKeys.keys(); }
    /// The held identity version that is the practice's current one, or nullptr (none, or not held).
    const PracticeIdentityKey *currentIdentity() const;
    void addIdentityKey(const PracticeIdentityKey &key);
    /// Patients: judges the identity listed with each conversation's keys (nullptr: staff, or none judged).
    void setPins(PracticeIdentityPins *pins) { m_pins = pins; }

    const PracticeKeyState &practiceState() const { return m_practiceState; }
    /// Records a practice key version this device just made (it is now current, rotation done).
    void setCurrentPracticeKey(const PracticeKey &key);
    /// GET /v1/practices/{id}/keys: opens the grants sealed to this device. Staff only.
    void refreshPracticeKeys(Done done);
    /// Takes a practice keys answer (of GET or POST …/keys): the state, and the grants sealed to this device.
    void applyPracticeKeys(const QJsonObject &body);

    /// The conversation's key state as last fetched, or nullptr.
    const ConversationKeyState *conversationState(const QString &conversationId) const;
    /// GET /v1/conversations/{id}/keys: opens every grant this device can (concurrent calls share one request).
    void refreshConversation(const QString &conversationId, Done done);
    void invalidateConversation(const QString &conversationId) { m_conversations.remove(conversationId); }
    void invalidateAll() { m_conversations.clear(); }

    /// Every key that opens history, serialized for the recovery key backup. Holds secrets: wipe it.
    QByteArray exportBackup() const { return exportBackup(keyNames()); }
    /// The named keys (see keyNames) serialized as exportBackup does; names of keys not held are skipped.
    QByteArray exportBackup(const QStringList &names) const;
    /// A name for each key held: "p:<version>" for a practice key version, "i:<version>" for a practice identity
    /// version, "e:<epoch>:<conversationId>" for a conversation epoch key.
    QStringList keyNames() const;
    /// Takes the keys of a backup payload; the number of keys new to this device, or -1 when it is not one.
    int importBackup(const QByteArray &bytes);

signals:
    /// New keys for a conversation ("" when practice keys arrived: every conversation may open more).
    void keysAdded(const QString &conversationId);
    /// The practice identity versions held changed (staff): a Practice Link's fingerprint may change with them.
    void identityKeysChanged();

private:
    void openConversationGrants(const QString &conversationId, bool *missingPracticeVersion);
    void finishConversation(const QString &conversationId, bool ok);

    LocalStore *m_store;
    ApiClient *m_api;
    DeviceKeys m_device;
    QString m_userId;
    QString m_practiceId;
    bool m_staff = false;
    QHash<QString, QMap<qint64, SecretBytes>> m_epochKeys;
    QMap<qint64, PracticeKey> m_practiceKeys;
    QMap<qint64, PracticeIdentityKey> m_identityKeys;
    PracticeIdentityPins *m_pins = nullptr;
    PracticeKeyState m_practiceState;
    QHash<QString, ConversationKeyState> m_conversations;
    QHash<QString, QList<Done>> m_conversationWaiting;
    QList<Done> m_practiceWaiting;
    quint64 m_generation = 0;
};

} // namespace larch
