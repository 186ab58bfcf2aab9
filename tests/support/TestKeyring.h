// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The key handling of Larch's apps, played for server tests: registers devices, makes and hands out the
// practice key, starts epochs, and seals and opens messages with the real larch-core crypto.
#pragma once

#include "core/crypto/DeviceKeys.h"
#include "core/crypto/KeySealing.h"
#include "HttpClient.h"

#include <map>
#include <memory>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUuid>

/// A signed-in test user whose session is bound to a registered device.
struct TestMember {
    QString token;
    QString userId;
    QString practiceId;
    QString role;
    QString deviceState; ///< as the server answered at registration (or after approval)
    std::shared_ptr<larch::DeviceKeys> keys; ///< the device's key pairs

    bool isStaff() const { return role != QLatin1String("patient"); }
    QString deviceId() const { return keys ? keys->deviceId : QString(); }
};

/// Holds every key a test made, so the test can send real envelopes and read what arrives. One keyring
/// per server: it assumes it enrolled every staff device of the practices it serves.
class TestKeyring {
public:
    explicit TestKeyring(HttpClient &http) : m_http(&http) { }
    /// Talks to another server process from now on (the same data directory, restarted).
    void setClient(HttpClient &http) { m_http = &http; }

    /// Registers a new device for the session token. The first staff device of a practice creates
    /// practice key version 1; later staff devices come back pending and are approved by that first one.
    /// Returns a member with an empty deviceId (and a logged warning) when a step fails.
    TestMember enroll(const QString &token, const QString &deviceName = QStringLiteral("Test device"));

    /// The current epoch of the conversation, starting epoch 1 (sealed to the practice key and the
    /// patient's active devices) when it has none. 0 when that fails.
    qint64 ensureEpoch(const TestMember &by, const QString &conversationId);
    /// The envelope JSON of text sent by from in the conversation, under its current epoch.
    QJsonObject seal(const TestMember &from, const QString &conversationId, const QString &clientId,
                     const QString &text);
    /// POST …/messages with {clientId, envelope}.
    HttpReply send(const TestMember &from, const QString &conversationId, const QString &text,
                   const QString &clientId = newUuid());
    /// The text of a Message JSON after checking its signature and tag; "" when it does not verify or
    /// this keyring lacks its key.
    QString open(const QJsonObject &message) const;

    /// The practice key version this keyring made, or nullptr.
    const larch::PracticeKey *practiceKey(const QString &practiceId, qint64 version) const;
    /// Remembers a practice key version made by a test itself, so later enrolments can use it.
    void addPracticeKey(const QString &practiceId, const larch::PracticeKey &key);
    /// Remembers a conversation key made by a test itself.
    void addConversationKey(const QString &conversationId, qint64 epoch, const QByteArray &key);
    /// The key of an epoch: remembered, or opened from the grant the member's device can open.
    QByteArray conversationKey(const TestMember &member, const QString &conversationId, qint64 epoch);

    static QString newUuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

private:
    struct PracticeState {
        std::map<qint64, larch::PracticeKey> versions;
        TestMember approver; ///< the first staff member enrolled, who approves the others
    };

    HttpClient *m_http;
    QHash<QString, PracticeState> m_practices;
    QHash<QString, QByteArray> m_conversationKeys; ///< "conversationId/epoch" → 32-byte key
    QHash<QString, QByteArray> m_signKeys; ///< deviceId → Ed25519 public key
    QHash<QString, qint64> m_currentEpochs; ///< conversationId → newest epoch this keyring knows
};
