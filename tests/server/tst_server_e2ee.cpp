// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// End-to-end encryption on the real larch-server: devices, approval, practice keys and their coverage,
// conversation epochs, sending as the session's device, key requests and handovers, deactivating staff,
// revoking devices and key backups. Keys are made and opened with the real larch-core crypto.
#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"
#include "EventClient.h"
#include "TestKeyring.h"
#include "TestScene.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QtTest>

using larch::DeviceKeys;

namespace {

QJsonObject deviceGrant(const DeviceKeys &to, const QByteArray &key)
{
    return {{"deviceId", to.deviceId}, {"sealedKey", b64(larch::sealTo(to.boxPublic, key))}};
}

QJsonObject deviceGrant(const TestMember &to, const QByteArray &key) { return deviceGrant(*to.keys, key); }

QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

} // namespace

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
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        m_outsider = makeScene(*m_http, QStringLiteral("outside"));
        QVERIFY(!m_outsider.patientToken.isEmpty());
    }

    void deviceRegistrationChecksKeys()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("reg"));
        const DeviceKeys keys = DeviceKeys::generate();
        const HttpReply created = post(QStringLiteral("/v1/devices"), deviceBody(keys), s.patientToken);
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json.value("id").toString(), keys.deviceId);
        QCOMPARE(created.json.value("userId").toString(), s.patientId);
        QCOMPARE(created.json.value("state").toString(), QStringLiteral("active"));
        QCOMPARE(created.json.value("boxPublicKey").toString(), b64(keys.boxPublic));
        QVERIFY(created.json.value("revokedAt").isNull());
        const HttpReply again = post(QStringLiteral("/v1/devices"), deviceBody(keys), s.patientToken);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json, created.json);

        QJsonObject otherKeys = deviceBody(keys);
        otherKeys.insert("boxPublicKey", b64(randomBytes(32)));
        QCOMPARE(post(QStringLiteral("/v1/devices"), otherKeys, s.patientToken).status, 409);
        // The same id cannot be taken by another user either.
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(keys), s.adminToken).errorCode(),
                 QStringLiteral("conflict"));

        const auto refused = [&](const char *field, const QJsonValue &value) {
            QJsonObject body = deviceBody(DeviceKeys::generate());
            body.insert(QLatin1String(field), value);
            return post(QStringLiteral("/v1/devices"), body, s.clinicianToken);
        };
        QCOMPARE(refused("boxPublicKey", "not base64!").errorCode(), QStringLiteral("invalid_field"));
        QString unpadded = b64(randomBytes(32));
        unpadded.chop(1);
        QCOMPARE(refused("boxPublicKey", unpadded).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("boxPublicKey", b64(randomBytes(31))).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("signPublicKey", b64(randomBytes(33))).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("signPublicKey", b64(randomBytes(64))).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("signPublicKey", 42).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("deviceId", "{not-an-id}").errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(refused("deviceId", QJsonValue()).errorCode(), QStringLiteral("missing_field"));
        QCOMPARE(m_http->post(QStringLiteral("/v1/devices"), deviceBody(DeviceKeys::generate())).status, 401);

        // A session acts as one device; a second device needs a second sign-in.
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(DeviceKeys::generate()), s.patientToken).status, 409);
        const QString secondSession =
            m_http->signIn(QStringLiteral("pat@reg.example"), QStringLiteral("patient password"));
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(DeviceKeys::generate(), "Phone"), secondSession).status,
                 201);

        const QString path = QStringLiteral("/v1/users/%1/devices").arg(s.patientId);
        QCOMPARE(get(path, s.patientToken).json.value("devices").toArray().size(), 2);
        QCOMPARE(get(path, s.clinicianToken).json.value("devices").toArray().size(), 2);
        QCOMPARE(get(path, m_outsider.adminToken).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/users/%1/devices").arg(s.adminId), s.patientToken).status, 200);
        const HttpReply otherPatient =
            post(QStringLiteral("/v1/practices/%1/patients").arg(s.practiceId),
                 {{"name", "Other"}, {"email", "other@reg.example"}, {"password", "patient password"}}, s.adminToken);
        QCOMPARE(otherPatient.status, 201);
        const QString otherToken =
            m_http->signIn(QStringLiteral("other@reg.example"), QStringLiteral("patient password"));
        QCOMPARE(get(path, otherToken).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/conversations/%1/devices").arg(s.conversationId), otherToken).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/conversations/%1/devices").arg(s.conversationId), s.clinicianToken)
                     .json.value("devices")
                     .toArray()
                     .size(),
                 2);
    }

    void staffDeviceIsPendingUntilApproved()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("approve"));
        TestKeyring keyring(*m_http);
        const TestMember admin = keyring.enroll(s.adminToken);
        QCOMPARE(admin.deviceState, QStringLiteral("active"));
        const HttpReply adminKeys = get(keysPath(s), s.adminToken);
        QCOMPARE(adminKeys.json.value("current").toObject().value("version").toInteger(), 1);
        QCOMPARE(adminKeys.json.value("grants").toArray().size(), 1);

        const DeviceKeys clinicianKeys = DeviceKeys::generate();
        const HttpReply pending = post(QStringLiteral("/v1/devices"), deviceBody(clinicianKeys), s.clinicianToken);
        QCOMPARE(pending.status, 201);
        QCOMPARE(pending.json.value("state").toString(), QStringLiteral("pending"));
        // A pending device reads, but posts no keys.
        QCOMPARE(get(QStringLiteral("/v1/conversations"), s.clinicianToken).status, 200);
        const larch::PracticeKey next = larch::PracticeKey::generate(2);
        const HttpReply rotate = post(keysPath(s),
                                      {{"version", 2},
                                       {"publicKey", b64(next.boxPublic)},
                                       {"grants", QJsonArray{deviceGrant(clinicianKeys, next.boxSecret.bytes())}}},
                                      s.clinicianToken);
        QCOMPARE(rotate.status, 403);
        QCOMPARE(rotate.errorCode(), QStringLiteral("device_required"));
        QCOMPARE(
            post(epochsPath(s), epochBody(1, 1, next.boxPublic, randomBytes(32), {}), s.clinicianToken).errorCode(),
            QStringLiteral("device_required"));

        const larch::PracticeKey *v1 = keyring.practiceKey(s.practiceId, 1);
        QVERIFY(v1);
        const QString approvePath = QStringLiteral("/v1/devices/%1/approve").arg(clinicianKeys.deviceId);
        const QJsonObject grantV1{{"version", 1},
                                  {"sealedKey", b64(larch::sealTo(clinicianKeys.boxPublic, v1->boxSecret.bytes()))}};
        const TestMember patient = keyring.enroll(s.patientToken);
        QCOMPARE(post(approvePath, {{"grants", QJsonArray{grantV1}}}, patient.token).status, 403);
        QCOMPARE(post(approvePath, {{"grants", QJsonArray{grantV1}}}, m_outsider.adminToken).status, 404);
        QCOMPARE(post(approvePath, {{"grants", QJsonArray{}}}, s.adminToken).status, 409);
        QJsonObject grantV2 = grantV1;
        grantV2.insert("version", 2);
        QCOMPARE(post(approvePath, {{"grants", QJsonArray{grantV1, grantV2}}}, s.adminToken).status, 409);
        const HttpReply approved = post(approvePath, {{"grants", QJsonArray{grantV1}}}, s.adminToken);
        QCOMPARE(approved.status, 200);
        QCOMPARE(approved.json.value("state").toString(), QStringLiteral("active"));
        QCOMPARE(post(approvePath, {{"grants", QJsonArray{grantV1}}}, s.adminToken).status, 409);
        QCOMPARE(post(QStringLiteral("/v1/devices/%1/approve").arg(TestKeyring::newUuid()),
                      {{"grants", QJsonArray{grantV1}}}, s.adminToken)
                     .status,
                 404);

        // The approved device opens its grant to the same practice key.
        const QJsonArray grants = get(keysPath(s), s.clinicianToken).json.value("grants").toArray();
        QCOMPARE(grants.size(), 1);
        const auto opened = larch::openSealed(clinicianKeys.boxPublic, clinicianKeys.boxSecret.bytes(),
                                              unb64(grants[0].toObject().value("sealedKey")));
        QVERIFY(opened);
        QCOMPARE(*opened, v1->boxSecret.bytes());
        const auto approvedEvents = storedEvents(*m_http, s.clinicianToken, QStringLiteral("device.approved"));
        QCOMPARE(approvedEvents.size(), 1);
        QCOMPARE(approvedEvents[0].value("id").toString(), clinicianKeys.deviceId);
        // Everyone sharing a conversation with the clinician heard of the new device.
        bool announced = false;
        for (const auto &d : storedEvents(*m_http, s.patientToken, QStringLiteral("device.added")))
            announced = announced || d.value("id").toString() == clinicianKeys.deviceId;
        QVERIFY(announced);
    }

    void practiceKeysMustCoverEveryActiveStaffDevice()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("cover"));
        const DeviceKeys admin = DeviceKeys::generate(), clinician = DeviceKeys::generate(),
                         patient = DeviceKeys::generate();
        // Before the first practice key, staff devices are active at once.
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(admin), s.adminToken).json.value("state").toString(),
                 QStringLiteral("active"));
        QCOMPARE(
            post(QStringLiteral("/v1/devices"), deviceBody(clinician), s.clinicianToken).json.value("state").toString(),
            QStringLiteral("active"));
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(patient), s.patientToken).status, 201);
        const larch::PracticeKey v1 = larch::PracticeKey::generate(1);
        const QByteArray secret = v1.boxSecret.bytes();
        const auto body = [&](qint64 version, const QJsonArray &grants) {
            return QJsonObject{{"version", version}, {"publicKey", b64(v1.boxPublic)}, {"grants", grants}};
        };
        const QJsonArray both{deviceGrant(admin, secret), deviceGrant(clinician, secret)};
        QCOMPARE(post(keysPath(s), body(2, both), s.adminToken).status, 409);
        const HttpReply missing = post(keysPath(s), body(1, {deviceGrant(admin, secret)}), s.adminToken);
        QCOMPARE(missing.status, 409);
        QVERIFY(messageOf(missing).contains(clinician.deviceId));
        QCOMPARE(
            post(keysPath(s),
                 body(1, {deviceGrant(admin, secret), deviceGrant(clinician, secret), deviceGrant(patient, secret)}),
                 s.adminToken)
                .status,
            409);
        QCOMPARE(post(keysPath(s),
                      body(1, {deviceGrant(admin, secret), deviceGrant(admin, secret), deviceGrant(clinician, secret)}),
                      s.adminToken)
                     .status,
                 409);
        QJsonObject shortGrant = deviceGrant(admin, secret);
        shortGrant.insert("sealedKey", b64(randomBytes(79)));
        QCOMPARE(post(keysPath(s), body(1, {shortGrant, deviceGrant(clinician, secret)}), s.adminToken).errorCode(),
                 QStringLiteral("invalid_field"));
        QJsonObject shortKey = body(1, both);
        shortKey.insert("publicKey", b64(randomBytes(31)));
        QCOMPARE(post(keysPath(s), shortKey, s.adminToken).errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(post(keysPath(s), body(1, both), s.patientToken).status, 403);
        QCOMPARE(post(keysPath(s), body(1, both), m_outsider.adminToken).status, 404);
        QCOMPARE(get(keysPath(s), s.patientToken).status, 403);

        const HttpReply made = post(keysPath(s), body(1, both), s.adminToken);
        QCOMPARE(made.status, 201);
        QCOMPARE(made.json.value("current").toObject().value("version").toInteger(), 1);
        QCOMPARE(made.json.value("current").toObject().value("publicKey").toString(), b64(v1.boxPublic));
        QCOMPARE(post(keysPath(s), body(1, both), s.adminToken).status, 409);

        const larch::PracticeKey v2 = larch::PracticeKey::generate(2);
        const HttpReply rotated =
            post(keysPath(s),
                 {{"version", 2},
                  {"publicKey", b64(v2.boxPublic)},
                  {"grants",
                   QJsonArray{deviceGrant(admin, v2.boxSecret.bytes()), deviceGrant(clinician, v2.boxSecret.bytes())}}},
                 s.clinicianToken);
        QCOMPARE(rotated.status, 201);
        const HttpReply state = get(keysPath(s), s.adminToken);
        QCOMPARE(state.json.value("current").toObject().value("version").toInteger(), 2);
        QCOMPARE(state.json.value("grants").toArray().size(), 2);
        QVERIFY(!state.json.value("rotationNeeded").toBool());
        const auto rotatedEvents = storedEvents(*m_http, s.adminToken, QStringLiteral("practice.key.rotated"));
        QCOMPARE(rotatedEvents.size(), 2);
        QCOMPARE(rotatedEvents.last().value("version").toInteger(), 2);
        // From now on a new staff device waits for approval.
        const QString laterSession =
            m_http->signIn(QStringLiteral("doc@cover.example"), QStringLiteral("clinician password"));
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(DeviceKeys::generate()), laterSession)
                     .json.value("state")
                     .toString(),
                 QStringLiteral("pending"));
    }

    void epochsFollowTheRules()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("epoch"));
        TestKeyring keyring(*m_http);
        // No practice key yet: nothing can be sealed for the practice.
        const TestMember patientA = keyring.enroll(s.patientToken);
        const QByteArray key1 = randomBytes(32);
        const HttpReply noKey =
            post(epochsPath(s), epochBody(1, 1, randomBytes(32), key1, {deviceGrant(patientA, key1)}), s.patientToken);
        QCOMPARE(noKey.status, 409);
        QVERIFY(messageOf(noKey).contains(QStringLiteral("no practice key")));

        const TestMember admin = keyring.enroll(s.adminToken);
        const larch::PracticeKey v2 = larch::PracticeKey::generate(2);
        QCOMPARE(post(keysPath(s),
                      {{"version", 2},
                       {"publicKey", b64(v2.boxPublic)},
                       {"grants", QJsonArray{deviceGrant(admin, v2.boxSecret.bytes())}}},
                      s.adminToken)
                     .status,
                 201);
        keyring.addPracticeKey(s.practiceId, v2);
        const QByteArray pub = v2.boxPublic;
        QCOMPARE(post(epochsPath(s), epochBody(2, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken).status,
                 409);
        QCOMPARE(
            post(epochsPath(s),
                 epochBody(1, 1, keyring.practiceKey(s.practiceId, 1)->boxPublic, key1, {deviceGrant(patientA, key1)}),
                 s.adminToken)
                .status,
            409);
        const HttpReply missing = post(epochsPath(s), epochBody(1, 2, pub, key1, {}), s.adminToken);
        QCOMPARE(missing.status, 409);
        QVERIFY(messageOf(missing).contains(patientA.deviceId()));
        QCOMPARE(post(epochsPath(s),
                      epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1), deviceGrant(admin, key1)}), s.adminToken)
                     .status,
                 409);
        QCOMPARE(post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), m_outsider.adminToken)
                     .status,
                 404);
        const HttpReply first =
            post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken);
        QCOMPARE(first.status, 201);
        QCOMPARE(first.json.value("deviceIds").toArray(), QJsonArray{patientA.deviceId()});
        QCOMPARE(post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken).status,
                 409);
        const auto epochEvents = storedEvents(*m_http, s.patientToken, QStringLiteral("conversation.epoch"));
        QCOMPARE(epochEvents.size(), 1);
        QCOMPARE(epochEvents[0].value("practiceKeyVersion").toInteger(), 2);

        // A second patient device: epoch 2 is sealed to both; each device sees only its own grant.
        const QString sessionB =
            m_http->signIn(QStringLiteral("pat@epoch.example"), QStringLiteral("patient password"));
        const TestMember patientB = keyring.enroll(sessionB);
        const QByteArray key2 = randomBytes(32);
        QCOMPARE(post(epochsPath(s),
                      epochBody(2, 2, pub, key2, {deviceGrant(patientA, key2), deviceGrant(patientB, key2)}),
                      s.patientToken)
                     .status,
                 201);
        const QString keysOf = QStringLiteral("/v1/conversations/%1/keys").arg(s.conversationId);
        const HttpReply viewA = get(keysOf, s.patientToken), viewB = get(keysOf, sessionB),
                        viewStaff = get(keysOf, s.adminToken);
        QCOMPARE(viewA.json.value("currentEpoch").toInteger(), 2);
        const QJsonObject a2 = viewA.json.value("epochs").toArray()[0].toObject();
        const QJsonObject b2 = viewB.json.value("epochs").toArray()[0].toObject();
        QCOMPARE(a2.value("epoch").toInteger(), 2);
        QCOMPARE(a2.value("deviceIds").toArray().size(), 2);
        QVERIFY(a2.value("sealedKey").toString() != b2.value("sealedKey").toString());
        QVERIFY(!viewA.body.contains(b2.value("sealedKey").toString().toLatin1()));
        QCOMPARE(
            larch::openSealed(patientA.keys->boxPublic, patientA.keys->boxSecret.bytes(), unb64(a2.value("sealedKey")))
                .value_or(""),
            key2);
        QCOMPARE(
            larch::openSealed(patientB.keys->boxPublic, patientB.keys->boxSecret.bytes(), unb64(b2.value("sealedKey")))
                .value_or(""),
            key2);
        // Device B joined after epoch 1: no grant of its own until a handover.
        QVERIFY(viewB.json.value("epochs").toArray()[1].toObject().value("sealedKey").isNull());
        const QJsonObject staff2 = viewStaff.json.value("epochs").toArray()[0].toObject();
        QCOMPARE(larch::openSealed(v2.boxPublic, v2.boxSecret.bytes(), unb64(staff2.value("sealedKey"))).value_or(""),
                 key2);
        QCOMPARE(viewStaff.json.value("practiceKey").toObject().value("version").toInteger(), 2);
    }

    void sendingNeedsTheSessionsActiveDevice()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("send"));
        TestKeyring keyring(*m_http);
        const TestMember admin = keyring.enroll(s.adminToken);
        const TestMember patient = keyring.enroll(s.patientToken);
        QCOMPARE(keyring.ensureEpoch(admin, s.conversationId), 1);
        const QString messages = QStringLiteral("/v1/conversations/%1/messages").arg(s.conversationId);

        const HttpReply plain =
            post(messages, {{"clientId", TestKeyring::newUuid()}, {"body", "Hello"}}, s.patientToken);
        QCOMPARE(plain.status, 400);
        QCOMPARE(plain.errorCode(), QStringLiteral("invalid_field"));
        QVERIFY(messageOf(plain).contains(QStringLiteral("end-to-end encrypted")));

        const QString clientId = TestKeyring::newUuid();
        const QJsonObject envelope = keyring.seal(patient, s.conversationId, clientId, QStringLiteral("Hello"));
        const QString unbound = m_http->signIn(QStringLiteral("pat@send.example"), QStringLiteral("patient password"));
        const HttpReply noDevice = post(messages, {{"clientId", clientId}, {"envelope", envelope}}, unbound);
        QCOMPARE(noDevice.status, 403);
        QCOMPARE(noDevice.errorCode(), QStringLiteral("device_required"));
        // Another user's device id in the envelope is refused.
        const QString adminsClientId = TestKeyring::newUuid();
        const HttpReply foreign = post(
            messages,
            {{"clientId", adminsClientId}, {"envelope", keyring.seal(admin, s.conversationId, adminsClientId, "x")}},
            s.patientToken);
        QCOMPARE(foreign.status, 400);
        QCOMPARE(foreign.errorCode(), QStringLiteral("invalid_field"));
        const QString laterId = TestKeyring::newUuid();
        const auto future = larch::sealMessage(randomBytes(32), s.conversationId, 7, laterId, patient.deviceId(),
                                               patient.keys->signSecret.bytes(), QStringLiteral("too early"));
        QCOMPARE(post(messages, {{"clientId", laterId}, {"envelope", future.toJson()}}, s.patientToken).status, 409);

        const HttpReply sent = post(messages, {{"clientId", clientId}, {"envelope", envelope}}, s.patientToken);
        QCOMPARE(sent.status, 201);
        QCOMPARE(sent.json.value("body").toString(), QString());
        QCOMPARE(sent.json.value("envelope").toObject().value("senderDeviceId").toString(), patient.deviceId());
        const auto stored = get(messages, s.adminToken).json.value("messages").toArray();
        QCOMPARE(stored.size(), 1);
        QCOMPARE(keyring.open(stored[0].toObject()), QStringLiteral("Hello"));

        // A format-2 envelope (text with attachments) keeps its format, which its signature covers; others are refused.
        QJsonObject content = keyring.seal(patient, s.conversationId, TestKeyring::newUuid(), QStringLiteral("x"));
        content["format"] = 2;
        const HttpReply withFormat =
            post(messages, QJsonObject{{"clientId", TestKeyring::newUuid()}, {"envelope", content}}, patient.token);
        QCOMPARE(withFormat.status, 201);
        QCOMPARE(withFormat.json.value("envelope").toObject(), content);
        for (const QJsonValue &bad : {QJsonValue(3), QJsonValue(0), QJsonValue("2"), QJsonValue(1.5)}) {
            content["format"] = bad;
            QCOMPARE(
                post(messages, QJsonObject{{"clientId", TestKeyring::newUuid()}, {"envelope", content}}, patient.token)
                    .status,
                400);
        }

        // The longest plaintext fits the messages route's larger limit; a byte more of ciphertext is refused.
        QCOMPARE(keyring.send(patient, s.conversationId, QString(256 * 1024, QLatin1Char('a'))).status, 201);
        QJsonObject oversized = keyring.seal(patient, s.conversationId, TestKeyring::newUuid(), QStringLiteral("x"));
        oversized["ciphertext"] = b64(randomBytes(24 + 16 + 256 * 1024 + 1));
        const HttpReply tooLong =
            post(messages, QJsonObject{{"clientId", TestKeyring::newUuid()}, {"envelope", oversized}}, patient.token);
        QCOMPARE(tooLong.status, 400);
        QVERIFY(messageOf(tooLong).contains(QStringLiteral("envelope.ciphertext")));

        // A staff device waiting for approval cannot send.
        const QString secondSession =
            m_http->signIn(QStringLiteral("doc@send.example"), QStringLiteral("clinician password"));
        const DeviceKeys pendingKeys = DeviceKeys::generate();
        QCOMPARE(
            post(QStringLiteral("/v1/devices"), deviceBody(pendingKeys), secondSession).json.value("state").toString(),
            QStringLiteral("pending"));
        TestMember pending{secondSession, s.clinicianId, s.practiceId,
                           "clinician",   "pending",     std::make_shared<DeviceKeys>(pendingKeys)};
        QCOMPARE(keyring.send(pending, s.conversationId, QStringLiteral("not yet")).errorCode(),
                 QStringLiteral("device_required"));
    }

    void keyRequestsAreFulfilledByAHandover()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("handover"));
        TestKeyring keyring(*m_http);
        const TestMember admin = keyring.enroll(s.adminToken);
        const TestMember patientA = keyring.enroll(s.patientToken);
        const QString clientId = TestKeyring::newUuid();
        QCOMPARE(keyring.send(patientA, s.conversationId, QStringLiteral("Before the new phone"), clientId).status,
                 201);
        QVERIFY(get(QStringLiteral("/v1/key-requests"), s.adminToken).json.value("requests").toArray().isEmpty());

        EventClient staffSocket(m_server.baseUrl(), s.adminToken, 0);
        QVERIFY(staffSocket.waitForHello());
        const QString sessionB =
            m_http->signIn(QStringLiteral("pat@handover.example"), QStringLiteral("patient password"));
        const DeviceKeys phone = DeviceKeys::generate();
        QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(phone, "Phone"), sessionB).status, 201);
        QVERIFY(staffSocket.waitFor([&] { return !staffSocket.dataOf(QStringLiteral("key.requested")).isEmpty(); }));
        const QJsonObject requested = staffSocket.dataOf(QStringLiteral("key.requested")).first();
        QCOMPARE(requested.value("deviceId").toString(), phone.deviceId);
        QCOMPARE(requested.value("conversationId").toString(), s.conversationId);
        QCOMPARE(requested.value("userId").toString(), s.patientId);
        QVERIFY(staffSocket.waitFor([&] {
            const auto added = staffSocket.dataOf(QStringLiteral("device.added"));
            return std::any_of(added.begin(), added.end(),
                               [&](const QJsonObject &d) { return d.value("id").toString() == phone.deviceId; });
        }));
        const auto requests = get(QStringLiteral("/v1/key-requests"), s.adminToken).json.value("requests").toArray();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].toObject().value("deviceId").toString(), phone.deviceId);
        QCOMPARE(get(QStringLiteral("/v1/key-requests"), s.patientToken).status, 403);
        QVERIFY(
            get(QStringLiteral("/v1/key-requests"), m_outsider.adminToken).json.value("requests").toArray().isEmpty());
        const QString keysOf = QStringLiteral("/v1/conversations/%1/keys").arg(s.conversationId);
        QVERIFY(get(keysOf, sessionB).json.value("epochs").toArray()[0].toObject().value("sealedKey").isNull());

        const QByteArray key1 = keyring.conversationKey(admin, s.conversationId, 1);
        QCOMPARE(key1.size(), 32);
        const auto grant = [&](qint64 epoch, const DeviceKeys &to) {
            return QJsonObject{
                {"epoch", epoch}, {"deviceId", to.deviceId}, {"sealedKey", b64(larch::sealTo(to.boxPublic, key1))}};
        };
        QCOMPARE(post(keysOf, {{"grants", QJsonArray{grant(1, phone)}}}, s.patientToken).status, 403);
        QCOMPARE(post(keysOf, {{"grants", QJsonArray{grant(9, phone)}}}, s.adminToken).status, 409);
        QCOMPARE(post(keysOf, {{"grants", QJsonArray{grant(1, *admin.keys)}}}, s.adminToken).status, 409);
        QCOMPARE(post(keysOf, {{"grants", QJsonArray{}}}, s.adminToken).status, 400);
        const HttpReply handed = post(keysOf, {{"grants", QJsonArray{grant(1, phone)}}}, s.adminToken);
        QCOMPARE(handed.status, 200);
        QCOMPARE(handed.json.value("fulfilled").toArray(), QJsonArray{phone.deviceId});
        QVERIFY(get(QStringLiteral("/v1/key-requests"), s.adminToken).json.value("requests").toArray().isEmpty());
        const auto keysEvents = storedEvents(*m_http, sessionB, QStringLiteral("conversation.keys"));
        QCOMPARE(keysEvents.size(), 1);
        QCOMPARE(keysEvents[0].value("deviceId").toString(), phone.deviceId);
        QCOMPARE(keysEvents[0].value("epochs").toArray(), QJsonArray{1});

        // The new device now reads the message written before it existed.
        const QJsonObject epoch1 = get(keysOf, sessionB).json.value("epochs").toArray()[0].toObject();
        const auto opened =
            larch::openSealed(phone.boxPublic, phone.boxSecret.bytes(), unb64(epoch1.value("sealedKey")));
        QCOMPARE(opened.value_or(""), key1);
        const QJsonObject message = get(QStringLiteral("/v1/conversations/%1/messages").arg(s.conversationId), sessionB)
                                        .json.value("messages")
                                        .toArray()[0]
                                        .toObject();
        const auto envelope = larch::MessageEnvelope::fromJson(message.value("envelope").toObject());
        QVERIFY(envelope);
        const auto text = larch::openMessage(*opened, s.conversationId, clientId, patientA.keys->signPublic, *envelope);
        QCOMPARE(text.text, QStringLiteral("Before the new phone"));
        // The next epoch must include the new device.
        const QByteArray key2 = randomBytes(32);
        const QByteArray practicePublic = keyring.practiceKey(s.practiceId, 1)->boxPublic;
        QCOMPARE(post(epochsPath(s), epochBody(2, 1, practicePublic, key2, {deviceGrant(patientA, key2)}), s.adminToken)
                     .status,
                 409);
        QCOMPARE(post(epochsPath(s),
                      epochBody(2, 1, practicePublic, key2, {deviceGrant(patientA, key2), deviceGrant(phone, key2)}),
                      s.adminToken)
                     .status,
                 201);
    }

    void deactivatingStaffRevokesEverything()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("leave"));
        TestKeyring keyring(*m_http);
        const TestMember admin = keyring.enroll(s.adminToken);
        const TestMember clinician = keyring.enroll(s.clinicianToken);
        QCOMPARE(clinician.deviceState, QStringLiteral("active"));
        EventClient clinicianSocket(m_server.baseUrl(), s.clinicianToken, 0);
        QVERIFY(clinicianSocket.waitForHello());
        const QString staffPath = QStringLiteral("/v1/practices/%1/staff/%2").arg(s.practiceId);
        QCOMPARE(del(staffPath.arg(s.adminId), s.clinicianToken).status, 403);
        QCOMPARE(del(staffPath.arg(s.clinicianId), m_outsider.adminToken).status, 404);
        QCOMPARE(del(staffPath.arg(s.patientId), s.adminToken).status, 404);
        QCOMPARE(del(staffPath.arg(s.adminId), s.adminToken).status, 409);

        QCOMPARE(del(staffPath.arg(s.clinicianId), s.adminToken).status, 204);
        QVERIFY(clinicianSocket.waitFor([&] { return clinicianSocket.m_closed; }));
        QCOMPARE(clinicianSocket.m_closeCode, 4001);
        QCOMPARE(get(QStringLiteral("/v1/me"), s.clinicianToken).status, 401);
        const HttpReply signIn = m_http->post(QStringLiteral("/v1/sessions"),
                                              {{"email", "doc@leave.example"}, {"password", "clinician password"}});
        QCOMPARE(signIn.status, 401);
        QCOMPARE(signIn.errorCode(), QStringLiteral("account_deactivated"));
        const HttpReply wrong = m_http->post(QStringLiteral("/v1/sessions"),
                                             {{"email", "doc@leave.example"}, {"password", "not the password"}});
        QCOMPARE(wrong.errorCode(), QStringLiteral("wrong_credentials"));
        for (const QJsonValue &d : get(QStringLiteral("/v1/users/%1/devices").arg(s.clinicianId), s.adminToken)
                                       .json.value("devices")
                                       .toArray()) {
            QCOMPARE(d.toObject().value("state").toString(), QStringLiteral("revoked"));
            QVERIFY(d.toObject().value("revokedAt").toInteger() > 0);
        }
        QVERIFY(get(keysPath(s), s.adminToken).json.value("rotationNeeded").toBool());
        QCOMPARE(storedEvents(*m_http, s.adminToken, QStringLiteral("practice.key.rotation_needed")).size(), 1);
        const auto revoked = storedEvents(*m_http, s.patientToken, QStringLiteral("device.revoked"));
        QCOMPARE(revoked.size(), 1);
        QCOMPARE(revoked[0].value("id").toString(), clinician.deviceId());
        for (const QJsonValue &m : get(QStringLiteral("/v1/conversations/%1").arg(s.conversationId), s.adminToken)
                                       .json.value("members")
                                       .toArray())
            QVERIFY(m.toObject().value("userId").toString() != s.clinicianId);

        // No new epoch under the old practice key; after the rotation, epochs go on.
        const TestMember patient = keyring.enroll(s.patientToken);
        const QByteArray key = randomBytes(32);
        const HttpReply refused =
            post(epochsPath(s),
                 epochBody(1, 1, keyring.practiceKey(s.practiceId, 1)->boxPublic, key, {deviceGrant(patient, key)}),
                 s.adminToken);
        QCOMPARE(refused.status, 409);
        QVERIFY(messageOf(refused).contains(QStringLiteral("rotated")));
        const larch::PracticeKey v2 = larch::PracticeKey::generate(2);
        QCOMPARE(post(keysPath(s),
                      {{"version", 2},
                       {"publicKey", b64(v2.boxPublic)},
                       {"grants", QJsonArray{deviceGrant(admin, v2.boxSecret.bytes())}}},
                      s.adminToken)
                     .status,
                 201);
        QVERIFY(!get(keysPath(s), s.adminToken).json.value("rotationNeeded").toBool());
        QCOMPARE(
            post(epochsPath(s), epochBody(1, 2, v2.boxPublic, key, {deviceGrant(patient, key)}), s.adminToken).status,
            201);
        QCOMPARE(del(staffPath.arg(s.clinicianId), s.adminToken).status, 204);
    }

    void revokingADeviceEndsItsSessionsOnly()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("revoke"));
        TestKeyring keyring(*m_http);
        const TestMember admin = keyring.enroll(s.adminToken);
        const TestMember clinician = keyring.enroll(s.clinicianToken);
        const TestMember laptop = keyring.enroll(s.patientToken);
        const QString phoneSession =
            m_http->signIn(QStringLiteral("pat@revoke.example"), QStringLiteral("patient password"));
        const TestMember phone = keyring.enroll(phoneSession);
        EventClient laptopSocket(m_server.baseUrl(), laptop.token, 0), phoneSocket(m_server.baseUrl(), phone.token, 0);
        QVERIFY(laptopSocket.waitForHello() && phoneSocket.waitForHello());

        const QString path = QStringLiteral("/v1/devices/%1");
        QCOMPARE(del(path.arg(laptop.deviceId()), s.adminToken).status, 403);
        QCOMPARE(del(path.arg(admin.deviceId()), s.clinicianToken).status, 403);
        QCOMPARE(del(path.arg(laptop.deviceId()), m_outsider.adminToken).status, 404);
        QCOMPARE(del(path.arg(TestKeyring::newUuid()), s.adminToken).status, 404);
        QCOMPARE(del(path.arg(laptop.deviceId()), phone.token).status, 204);
        QVERIFY(laptopSocket.waitFor([&] { return laptopSocket.m_closed; }));
        QCOMPARE(laptopSocket.m_closeCode, 4001);
        QCOMPARE(get(QStringLiteral("/v1/me"), laptop.token).status, 401);
        QCOMPARE(get(QStringLiteral("/v1/me"), phone.token).status, 200);
        QTest::qWait(200);
        QVERIFY(!phoneSocket.m_closed);
        QVERIFY(phoneSocket.waitFor([&] { return !phoneSocket.dataOf(QStringLiteral("device.revoked")).isEmpty(); }));
        QVERIFY(!storedEvents(*m_http, s.adminToken, QStringLiteral("device.revoked")).isEmpty());
        QVERIFY(!get(keysPath(s), s.adminToken).json.value("rotationNeeded").toBool());

        // An administrator removes a staff device; the practice key must then rotate.
        QCOMPARE(del(path.arg(clinician.deviceId()), s.adminToken).status, 204);
        QVERIFY(get(keysPath(s), s.adminToken).json.value("rotationNeeded").toBool());
        QCOMPARE(del(path.arg(clinician.deviceId()), s.adminToken).status, 204);
    }

    void keyBackupRoundTripAndLimit()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("backup"));
        const QString path = QStringLiteral("/v1/me/key-backup");
        QCOMPARE(get(path, s.patientToken).status, 404);
        const QString backup = b64(randomBytes(2 * 1024 * 1024));
        const QString keyId = b64(randomBytes(16));
        QCOMPARE(m_http->request("PUT", path, {{"backup", backup}}, s.patientToken).errorCode(),
                 QStringLiteral("missing_field"));
        QCOMPARE(
            m_http->request("PUT", path, {{"backup", backup}, {"entryKeyId", b64(randomBytes(15))}}, s.patientToken)
                .errorCode(),
            QStringLiteral("invalid_field"));
        QCOMPARE(m_http->request("PUT", path, {{"backup", backup}, {"entryKeyId", keyId}}, s.patientToken).status, 204);
        const HttpReply back = get(path, s.patientToken);
        QCOMPARE(back.status, 200);
        QCOMPARE(back.json.value("backup").toString(), backup);
        QVERIFY(back.json.value("updatedAt").toInteger() > 0);
        QCOMPARE(back.json.value("entryKeyId").toString(), keyId);
        QCOMPARE(back.json.value("entries").toArray().size(), 0);
        QCOMPARE(get(path, s.adminToken).status, 404);
        QCOMPARE(m_http->request("PUT", path, {{"backup", "not base64!"}, {"entryKeyId", keyId}}, s.patientToken)
                     .errorCode(),
                 QStringLiteral("invalid_field"));
        const QByteArray over = "{\"backup\":\"" + QByteArray(4 * 1024 * 1024, 'A') + "\"}";
        const HttpReply tooLarge = m_http->raw("PUT", path, over, "application/json", s.patientToken);
        QCOMPARE(tooLarge.status, 413);
        QCOMPARE(tooLarge.errorCode(), QStringLiteral("payload_too_large"));
        QCOMPARE(get(path, s.patientToken).json.value("backup").toString(), backup);
        // Other routes keep their 64 KiB limit.
        const QByteArray big = "{\"name\":\"" + QByteArray(100 * 1024, 'x') + "\"}";
        QCOMPARE(m_http->raw("POST", QStringLiteral("/v1/devices"), big, "application/json", s.patientToken).status,
                 413);
    }

    void keyBackupEntriesAppendUntilReplaced()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("entries"));
        const QString path = QStringLiteral("/v1/me/key-backup");
        const QString entries = QStringLiteral("/v1/me/key-backup/entries");
        const QString keyId = b64(randomBytes(16));
        const QString first = b64(randomBytes(300));
        const QString second = b64(randomBytes(90 * 1024));

        // No backup yet: nothing to append to.
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status,
                 404);
        QCOMPARE(
            m_http->request("PUT", path, {{"backup", b64("snapshot")}, {"entryKeyId", keyId}}, s.patientToken).status,
            204);
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status,
                 204);
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", second}}, s.patientToken).status,
                 204);
        QCOMPARE(m_http->request("GET", entries, {}, s.patientToken).status, 405);

        // Bad input changes nothing.
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}}, s.patientToken).errorCode(),
                 QStringLiteral("missing_field"));
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", 7}}, s.patientToken).errorCode(),
                 QStringLiteral("invalid_field"));
        QCOMPARE(m_http
                     ->request("POST", entries, {{"entryKeyId", keyId}, {"entry", b64(randomBytes(129 * 1024))}},
                               s.patientToken)
                     .errorCode(),
                 QStringLiteral("invalid_field"));
        const QByteArray over =
            "{\"entryKeyId\":\"" + keyId.toLatin1() + "\",\"entry\":\"" + QByteArray(400 * 1024, 'A') + "\"}";
        QCOMPARE(m_http->raw("POST", entries, over, "application/json", s.patientToken).status, 413);
        // An entry sealed for an older recovery key is refused, so it cannot mix into a newer backup.
        const HttpReply stale =
            m_http->request("POST", entries, {{"entryKeyId", b64(randomBytes(16))}, {"entry", first}}, s.patientToken);
        QCOMPARE(stale.status, 409);
        QCOMPARE(stale.errorCode(), QStringLiteral("backup_replaced"));
        // Another user's entries are their own.
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.adminToken).status, 404);

        HttpReply back = get(path, s.patientToken);
        QCOMPARE(back.json.value("entries").toArray(), QJsonArray({first, second}));

        // A new recovery key replaces the snapshot and starts with no entries.
        const QString newKeyId = b64(randomBytes(16));
        QCOMPARE(
            m_http->request("PUT", path, {{"backup", b64("newer")}, {"entryKeyId", newKeyId}}, s.patientToken).status,
            204);
        back = get(path, s.patientToken);
        QCOMPARE(back.json.value("entries").toArray().size(), 0);
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status,
                 409);
        QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", newKeyId}, {"entry", first}}, s.patientToken).status,
                 204);
        QCOMPARE(get(path, s.patientToken).json.value("entries").toArray(), QJsonArray({first}));
    }

    void cleanupTestCase() { QCOMPARE(m_server.terminate(), 0); }
};

QTEST_GUILESS_MAIN(TestServerE2ee)
#include "tst_server_e2ee.moc"
