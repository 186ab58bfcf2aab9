// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_e2ee: devices and the practice key: registration, approval, practice key versions, staff removal and device revocation.
#include "tst_server_e2ee.h"

void TestServerE2ee::initTestCase()
{
    QVERIFY(m_server.start());
    m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    m_outsider = makeScene(*m_http, QStringLiteral("outside"));
    QVERIFY(!m_outsider.patientToken.isEmpty());
}

void TestServerE2ee::deviceRegistrationChecksKeys()
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
    const QString secondSession = m_http->signIn(QStringLiteral("pat@reg.example"), QStringLiteral("patient password"));
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
    const QString otherToken = m_http->signIn(QStringLiteral("other@reg.example"), QStringLiteral("patient password"));
    QCOMPARE(get(path, otherToken).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1/devices").arg(s.conversationId), otherToken).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1/devices").arg(s.conversationId), s.clinicianToken)
                 .json.value("devices")
                 .toArray()
                 .size(),
             2);
}

void TestServerE2ee::staffDeviceIsPendingUntilApproved()
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
    QCOMPARE(post(epochsPath(s), epochBody(1, 1, next.boxPublic, randomBytes(32), {}), s.clinicianToken).errorCode(),
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

void TestServerE2ee::practiceKeysMustCoverEveryActiveStaffDevice()
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
    QCOMPARE(post(keysPath(s),
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
    // A version beyond what a qint64 holds is refused before it is converted (found by fuzz_keys).
    for (const double huge : {1e300, 2.2e19, -1e19}) {
        QJsonObject hugeVersion = body(1, both);
        hugeVersion.insert("version", huge);
        QCOMPARE(post(keysPath(s), hugeVersion, s.adminToken).errorCode(), QStringLiteral("invalid_field"));
    }
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

void TestServerE2ee::deactivatingStaffRevokesEverything()
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
    for (const QJsonValue &d :
         get(QStringLiteral("/v1/users/%1/devices").arg(s.clinicianId), s.adminToken).json.value("devices").toArray()) {
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
    QCOMPARE(post(epochsPath(s), epochBody(1, 2, v2.boxPublic, key, {deviceGrant(patient, key)}), s.adminToken).status,
             201);
    QCOMPARE(del(staffPath.arg(s.clinicianId), s.adminToken).status, 204);
}

void TestServerE2ee::revokingADeviceEndsItsSessionsOnly()
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

void TestServerE2ee::cleanupTestCase() { QCOMPARE(m_server.terminate(), 0); }

QTEST_GUILESS_MAIN(TestServerE2ee)
