// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server_e2ee topic files share: the test class, its fixture and helpers.
#pragma once

#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"
#include "EventClient.h"
#include "HttpClient.h"
#include "TestKeyring.h"
#include "TestScene.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QtTest>

using larch::DeviceKeys;

inline QJsonObject deviceGrant(const DeviceKeys &to, const QByteArray &key)
{
    return {{"deviceId", to.deviceId}, {"sealedKey", b64(larch::sealTo(to.boxPublic, key))}};
}

inline QJsonObject deviceGrant(const TestMember &to, const QByteArray &key) { return deviceGrant(*to.keys, key); }

inline QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

/// End-to-end encryption on the real larch-server: devices, approval, practice keys and their coverage, conversation
/// epochs, sending as the session's device, key requests and handovers, deactivating staff, revoking devices, key
/// backups and the practice identity. Keys are made and opened with the real larch-core crypto.
class TestServerE2ee : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    Scene m_outsider; ///< another practice, whose people must see nothing of the scenes

    HttpReply post(const QString &path, const QJsonObject &body, const QString &token)
    {
        return m_http->post(path, body, token);
    }
    HttpReply get(const QString &path, const QString &token) { return m_http->get(path, token); }
    HttpReply del(const QString &path, const QString &token) { return m_http->request("DELETE", path, {}, token); }
    QString keysPath(const Scene &s) const { return QStringLiteral("/v1/practices/%1/keys").arg(s.practiceId); }
    QString epochsPath(const Scene &s) const
    {
        return QStringLiteral("/v1/conversations/%1/epochs").arg(s.conversationId);
    }

    QJsonObject epochBody(qint64 epoch, qint64 version, const QByteArray &practicePublic, const QByteArray &key,
                          const QJsonArray &deviceGrants)
    {
        return {{"epoch", epoch},
                {"practiceKeyVersion", version},
                {"practiceGrant", b64(larch::sealTo(practicePublic, key))},
                {"deviceGrants", deviceGrants}};
    }

private slots:
    void initTestCase();
    void deviceRegistrationChecksKeys();
    void staffDeviceIsPendingUntilApproved();
    void practiceKeysMustCoverEveryActiveStaffDevice();
    void epochsFollowTheRules();
    void sendingNeedsTheSessionsActiveDevice();
    void keyRequestsAreFulfilledByAHandover();
    void deactivatingStaffRevokesEverything();
    void revokingADeviceEndsItsSessionsOnly();
    void keyBackupRoundTripAndLimit();
    void keyBackupEntriesAppendUntilReplaced();
    void practiceIdentityIsMadeByAnAdministratorAndSignsKeys();
    void practiceIdentityRotationsAreSignedByThePreviousVersion();
    void cleanupTestCase();
};
