// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_e2ee: conversation keys: the epoch rules, sending from the session's active device, key handovers, and the key backup.
#include "tst_server_e2ee.h"

void TestServerE2ee::epochsFollowTheRules()
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
    QCOMPARE(post(epochsPath(s), epochBody(2, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken).status, 409);
    QCOMPARE(post(epochsPath(s),
                  epochBody(1, 1, keyring.practiceKey(s.practiceId, 1)->boxPublic, key1, {deviceGrant(patientA, key1)}),
                  s.adminToken)
                 .status,
             409);
    const HttpReply missing = post(epochsPath(s), epochBody(1, 2, pub, key1, {}), s.adminToken);
    QCOMPARE(missing.status, 409);
    QVERIFY(messageOf(missing).contains(patientA.deviceId()));
    QCOMPARE(post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1), deviceGrant(admin, key1)}),
                  s.adminToken)
                 .status,
             409);
    QCOMPARE(
        post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), m_outsider.adminToken).status,
        404);
    const HttpReply first =
        post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken);
    QCOMPARE(first.status, 201);
    QCOMPARE(first.json.value("deviceIds").toArray(), QJsonArray{patientA.deviceId()});
    QCOMPARE(post(epochsPath(s), epochBody(1, 2, pub, key1, {deviceGrant(patientA, key1)}), s.adminToken).status, 409);
    const auto epochEvents = storedEvents(*m_http, s.patientToken, QStringLiteral("conversation.epoch"));
    QCOMPARE(epochEvents.size(), 1);
    QCOMPARE(epochEvents[0].value("practiceKeyVersion").toInteger(), 2);

    // A second patient device: epoch 2 is sealed to both; each device sees only its own grant.
    const QString sessionB = m_http->signIn(QStringLiteral("pat@epoch.example"), QStringLiteral("patient password"));
    const TestMember patientB = keyring.enroll(sessionB);
    const QByteArray key2 = randomBytes(32);
    QCOMPARE(post(epochsPath(s), epochBody(2, 2, pub, key2, {deviceGrant(patientA, key2), deviceGrant(patientB, key2)}),
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
    QCOMPARE(larch::openSealed(patientA.keys->boxPublic, patientA.keys->boxSecret.bytes(), unb64(a2.value("sealedKey")))
                 .value_or(""),
             key2);
    QCOMPARE(larch::openSealed(patientB.keys->boxPublic, patientB.keys->boxSecret.bytes(), unb64(b2.value("sealedKey")))
                 .value_or(""),
             key2);
    // Device B joined after epoch 1: no grant of its own until a handover.
    QVERIFY(viewB.json.value("epochs").toArray()[1].toObject().value("sealedKey").isNull());
    const QJsonObject staff2 = viewStaff.json.value("epochs").toArray()[0].toObject();
    QCOMPARE(larch::openSealed(v2.boxPublic, v2.boxSecret.bytes(), unb64(staff2.value("sealedKey"))).value_or(""),
             key2);
    QCOMPARE(viewStaff.json.value("practiceKey").toObject().value("version").toInteger(), 2);
}

void TestServerE2ee::sendingNeedsTheSessionsActiveDevice()
{
    const Scene s = makeScene(*m_http, QStringLiteral("send"));
    TestKeyring keyring(*m_http);
    const TestMember admin = keyring.enroll(s.adminToken);
    const TestMember patient = keyring.enroll(s.patientToken);
    QCOMPARE(keyring.ensureEpoch(admin, s.conversationId), 1);
    const QString messages = QStringLiteral("/v1/conversations/%1/messages").arg(s.conversationId);

    const HttpReply plain = post(messages, {{"clientId", TestKeyring::newUuid()}, {"body", "Hello"}}, s.patientToken);
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
    const HttpReply foreign =
        post(messages,
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
        QCOMPARE(post(messages, QJsonObject{{"clientId", TestKeyring::newUuid()}, {"envelope", content}}, patient.token)
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
    QCOMPARE(post(QStringLiteral("/v1/devices"), deviceBody(pendingKeys), secondSession).json.value("state").toString(),
             QStringLiteral("pending"));
    TestMember pending{secondSession, s.clinicianId, s.practiceId,
                       "clinician",   "pending",     std::make_shared<DeviceKeys>(pendingKeys)};
    QCOMPARE(keyring.send(pending, s.conversationId, QStringLiteral("not yet")).errorCode(),
             QStringLiteral("device_required"));
}

void TestServerE2ee::keyRequestsAreFulfilledByAHandover()
{
    const Scene s = makeScene(*m_http, QStringLiteral("handover"));
    TestKeyring keyring(*m_http);
    const TestMember admin = keyring.enroll(s.adminToken);
    const TestMember patientA = keyring.enroll(s.patientToken);
    const QString clientId = TestKeyring::newUuid();
    QCOMPARE(keyring.send(patientA, s.conversationId, QStringLiteral("Before the new phone"), clientId).status, 201);
    QVERIFY(get(QStringLiteral("/v1/key-requests"), s.adminToken).json.value("requests").toArray().isEmpty());

    EventClient staffSocket(m_server.baseUrl(), s.adminToken, 0);
    QVERIFY(staffSocket.waitForHello());
    const QString sessionB = m_http->signIn(QStringLiteral("pat@handover.example"), QStringLiteral("patient password"));
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
    QVERIFY(get(QStringLiteral("/v1/key-requests"), m_outsider.adminToken).json.value("requests").toArray().isEmpty());
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
    const auto opened = larch::openSealed(phone.boxPublic, phone.boxSecret.bytes(), unb64(epoch1.value("sealedKey")));
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
    QCOMPARE(
        post(epochsPath(s), epochBody(2, 1, practicePublic, key2, {deviceGrant(patientA, key2)}), s.adminToken).status,
        409);
    QCOMPARE(post(epochsPath(s),
                  epochBody(2, 1, practicePublic, key2, {deviceGrant(patientA, key2), deviceGrant(phone, key2)}),
                  s.adminToken)
                 .status,
             201);
}

void TestServerE2ee::keyBackupRoundTripAndLimit()
{
    const Scene s = makeScene(*m_http, QStringLiteral("backup"));
    const QString path = QStringLiteral("/v1/me/key-backup");
    QCOMPARE(get(path, s.patientToken).status, 404);
    const QString backup = b64(randomBytes(2 * 1024 * 1024));
    const QString keyId = b64(randomBytes(16));
    QCOMPARE(m_http->request("PUT", path, {{"backup", backup}}, s.patientToken).errorCode(),
             QStringLiteral("missing_field"));
    QCOMPARE(m_http->request("PUT", path, {{"backup", backup}, {"entryKeyId", b64(randomBytes(15))}}, s.patientToken)
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
    QCOMPARE(
        m_http->request("PUT", path, {{"backup", "not base64!"}, {"entryKeyId", keyId}}, s.patientToken).errorCode(),
        QStringLiteral("invalid_field"));
    const QByteArray over = "{\"backup\":\"" + QByteArray(4 * 1024 * 1024, 'A') + "\"}";
    const HttpReply tooLarge = m_http->raw("PUT", path, over, "application/json", s.patientToken);
    QCOMPARE(tooLarge.status, 413);
    QCOMPARE(tooLarge.errorCode(), QStringLiteral("payload_too_large"));
    QCOMPARE(get(path, s.patientToken).json.value("backup").toString(), backup);
    // Other routes keep their 64 KiB limit.
    const QByteArray big = "{\"name\":\"" + QByteArray(100 * 1024, 'x') + "\"}";
    QCOMPARE(m_http->raw("POST", QStringLiteral("/v1/devices"), big, "application/json", s.patientToken).status, 413);
}

void TestServerE2ee::keyBackupEntriesAppendUntilReplaced()
{
    const Scene s = makeScene(*m_http, QStringLiteral("entries"));
    const QString path = QStringLiteral("/v1/me/key-backup");
    const QString entries = QStringLiteral("/v1/me/key-backup/entries");
    const QString keyId = b64(randomBytes(16));
    const QString first = b64(randomBytes(300));
    const QString second = b64(randomBytes(90 * 1024));

    // No backup yet: nothing to append to.
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status, 404);
    QCOMPARE(m_http->request("PUT", path, {{"backup", b64("snapshot")}, {"entryKeyId", keyId}}, s.patientToken).status,
             204);
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status, 204);
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", second}}, s.patientToken).status, 204);
    QCOMPARE(m_http->request("GET", entries, {}, s.patientToken).status, 405);

    // Bad input changes nothing.
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}}, s.patientToken).errorCode(),
             QStringLiteral("missing_field"));
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", 7}}, s.patientToken).errorCode(),
             QStringLiteral("invalid_field"));
    QCOMPARE(
        m_http
            ->request("POST", entries, {{"entryKeyId", keyId}, {"entry", b64(randomBytes(129 * 1024))}}, s.patientToken)
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
    QCOMPARE(m_http->request("PUT", path, {{"backup", b64("newer")}, {"entryKeyId", newKeyId}}, s.patientToken).status,
             204);
    back = get(path, s.patientToken);
    QCOMPARE(back.json.value("entries").toArray().size(), 0);
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", keyId}, {"entry", first}}, s.patientToken).status, 409);
    QCOMPARE(m_http->request("POST", entries, {{"entryKeyId", newKeyId}, {"entry", first}}, s.patientToken).status,
             204);
    QCOMPARE(get(path, s.patientToken).json.value("entries").toArray(), QJsonArray({first}));
}
