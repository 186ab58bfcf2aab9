// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_calls: video calls on the real larch-server: a clinician's call rings every device of the patient, the
// first to answer takes it and the other is refused, each side's sealed signalling reaches the other byte for byte,
// decline, busy, missed after the ring time, a patient calling back only after a missed call (or when the practice
// allows it), the relay's time-limited credentials, bad input, and the audit records (ids and outcome, no content).
#include "EventClient.h"
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestKeyring.h"
#include "TestScene.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QtTest>

using namespace testkit;

namespace {

/// A call signalling envelope as an app seals it (format 3); the server checks its shape only, so random bytes of
/// the right sizes stand for the sealed offer, answer or candidate.
QJsonObject signalEnvelope(const TestMember &from, qint64 epoch)
{
    return {{"epoch", epoch},
            {"senderDeviceId", from.deviceId()},
            {"ciphertext", b64(randomBytes(24 + 16 + 300))},
            {"signature", b64(randomBytes(64))},
            {"format", 3}};
}

} // namespace

class TestServerCalls : public QObject {
    Q_OBJECT

    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;

    HttpReply post(const QString &path, const QJsonObject &body, const QString &token)
    {
        return m_http->post(path, body, token);
    }
    static QString callsOf(const Scene &s)
    {
        return QStringLiteral("/v1/conversations/%1/calls").arg(s.conversationId);
    }
    static QString callPath(const QString &id, const char *leaf)
    {
        return QStringLiteral("/v1/calls/%1/%2").arg(id, QLatin1String(leaf));
    }
    QString startCall(const Scene &s, const TestMember &from, qint64 epoch, int expected = 201)
    {
        const QString id = TestKeyring::newUuid();
        const HttpReply r = post(callsOf(s), {{"callId", id}, {"envelope", signalEnvelope(from, epoch)}}, from.token);
        if (r.status != expected)
            qWarning() << "start call:" << r.status << r.json;
        return r.status == expected ? id : QString();
    }
    /// "<user id>|<object id>,<object id>…" of each audit record of action.
    QStringList auditRows(const QString &action)
    {
        ServerDatabase db(m_server.dataDir());
        QStringList out;
        for (const QVariantList &row :
             db.rows(QStringLiteral("SELECT user_id, object_ids FROM audit_log WHERE action = '%1' ORDER BY seq")
                         .arg(action))) {
            // object_ids is stored space-separated.
            out << row.at(0).toString() + QLatin1Char('|') + row.at(1).toString().split(u' ').join(u',');
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start({QStringLiteral("--call-ring-seconds"), QStringLiteral("2"),
                                QStringLiteral("--turn-url"), QStringLiteral("turn:127.0.0.1:3478"),
                                QStringLiteral("--turn-secret"), QStringLiteral("relay secret"),
                                QStringLiteral("--stun-url"), QStringLiteral("stun:127.0.0.1:3478")}));
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    }

    void aCallRingsEveryDeviceAndTheFirstAnswerTakesIt();
    void declineBusyAndMissed();
    void aCallLeftBehindEndsWhenItsDeviceCallsAgain();
    void patientsCallBackOnlyAMissedCall();
    void relayCredentialsAreShortLivedAndSigned();
    void badInputIsRefused();
};

void TestServerCalls::aCallRingsEveryDeviceAndTheFirstAnswerTakesIt()
{
    const Scene s = makeScene(*m_http, QStringLiteral("ring"));
    TestKeyring keyring(*m_http);
    const TestMember clinician = keyring.enroll(s.adminToken);
    const TestMember phone = keyring.enroll(s.patientToken, QStringLiteral("Phone"));
    const TestMember tablet =
        keyring.enroll(m_http->signIn(QStringLiteral("pat@ring.example"), QStringLiteral("patient password")),
                       QStringLiteral("Tablet"));
    const qint64 epoch = keyring.ensureEpoch(clinician, s.conversationId);
    QVERIFY(epoch > 0);
    EventClient phoneEvents(m_server.baseUrl(), phone.token, 0);
    EventClient tabletEvents(m_server.baseUrl(), tablet.token, 0);
    EventClient clinicianEvents(m_server.baseUrl(), clinician.token, 0);
    QVERIFY(phoneEvents.waitForHello());
    QVERIFY(tabletEvents.waitForHello());
    QVERIFY(clinicianEvents.waitForHello());

    const QJsonObject offer = signalEnvelope(clinician, epoch);
    const QString callId = TestKeyring::newUuid();
    const HttpReply started = post(callsOf(s), {{"callId", callId}, {"envelope", offer}}, clinician.token);
    QCOMPARE(started.status, 201);
    QCOMPARE(started.json.value("reachableDevices").toInt(), 2);
    const QJsonObject call = started.json.value("call").toObject();
    QCOMPARE(call.value("state").toString(), QStringLiteral("ringing"));
    QCOMPARE(call.value("calleeId").toString(), s.patientId);
    QCOMPARE(call.value("callerDeviceId").toString(), clinician.deviceId());
    // The same start again (a retry) is the same call.
    QCOMPARE(post(callsOf(s), {{"callId", callId}, {"envelope", offer}}, clinician.token).status, 201);

    // Both of the patient's devices ring, with the sealed offer exactly as sent.
    for (EventClient *device : {&phoneEvents, &tabletEvents}) {
        QVERIFY(device->waitFor([&] { return !device->dataOf(QStringLiteral("call.ringing")).isEmpty(); }));
        const QJsonObject ringing = device->dataOf(QStringLiteral("call.ringing")).first();
        QCOMPARE(ringing.value("envelope").toObject(), offer);
        QCOMPARE(ringing.value("call").toObject().value("id").toString(), callId);
    }

    // The phone answers first; the tablet is told it was answered on another device.
    const QJsonObject answer = signalEnvelope(phone, epoch);
    const HttpReply answered = post(callPath(callId, "answer"), {{"envelope", answer}}, phone.token);
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json.value("call").toObject().value("answeredDeviceId").toString(), phone.deviceId());
    const HttpReply late =
        post(callPath(callId, "answer"), {{"envelope", signalEnvelope(tablet, epoch)}}, tablet.token);
    QCOMPARE(late.status, 409);
    QCOMPARE(late.errorCode(), QStringLiteral("call_not_ringing"));
    QVERIFY(late.json.value("error").toObject().value("message").toString().contains("another device"));
    QVERIFY(tabletEvents.waitFor([&] {
        for (const QJsonObject &u : tabletEvents.dataOf(QStringLiteral("call.updated")))
            if (u.value("state").toString() == QLatin1String("active")
                && u.value("answeredDeviceId").toString() == phone.deviceId())
                return true;
        return false;
    }));
    QVERIFY(
        clinicianEvents.waitFor([&] { return !clinicianEvents.dataOf(QStringLiteral("call.answered")).isEmpty(); }));
    QCOMPARE(clinicianEvents.dataOf(QStringLiteral("call.answered")).first().value("envelope").toObject(), answer);

    // Candidates both ways, from the two devices in the call only.
    const QJsonObject fromCaller = signalEnvelope(clinician, epoch);
    QCOMPARE(post(callPath(callId, "signals"), {{"envelope", fromCaller}}, clinician.token).status, 204);
    const QJsonObject fromPhone = signalEnvelope(phone, epoch);
    QCOMPARE(post(callPath(callId, "signals"), {{"envelope", fromPhone}}, phone.token).status, 204);
    QCOMPARE(post(callPath(callId, "signals"), {{"envelope", signalEnvelope(tablet, epoch)}}, tablet.token).status,
             403);
    QVERIFY(phoneEvents.waitFor([&] { return !phoneEvents.dataOf(QStringLiteral("call.signal")).isEmpty(); }));
    QCOMPARE(phoneEvents.dataOf(QStringLiteral("call.signal")).first().value("envelope").toObject(), fromCaller);
    QCOMPARE(phoneEvents.dataOf(QStringLiteral("call.signal")).first().value("fromDeviceId").toString(),
             clinician.deviceId());
    QVERIFY(clinicianEvents.waitFor([&] { return !clinicianEvents.dataOf(QStringLiteral("call.signal")).isEmpty(); }));
    QCOMPARE(clinicianEvents.dataOf(QStringLiteral("call.signal")).first().value("envelope").toObject(), fromPhone);

    // A patient may not start a call here: refused before anything changes.
    QCOMPARE(
        post(callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(phone, epoch)}}, phone.token)
            .status,
        403);
    // The patient hangs up: a completed call, in the list, and no more signalling.
    QTest::qWait(20);
    const HttpReply ended = post(callPath(callId, "end"), {}, phone.token);
    QCOMPARE(ended.status, 200);
    QCOMPARE(ended.json.value("call").toObject().value("outcome").toString(), QStringLiteral("completed"));
    QCOMPARE(post(callPath(callId, "end"), {}, clinician.token).status, 409);
    QCOMPARE(
        post(callPath(callId, "signals"), {{"envelope", signalEnvelope(clinician, epoch)}}, clinician.token).status,
        409);
    const QJsonArray calls = m_http->get(callsOf(s), clinician.token).json.value("calls").toArray();
    QCOMPARE(calls.size(), 1);
    QVERIFY(calls[0].toObject().value("endedAt").toInteger() >= calls[0].toObject().value("answeredAt").toInteger());

    // Who, which call, and how it ended; nothing of what was said, no name.
    QVERIFY(auditRows("call_started").contains(s.adminId + "|" + callId + "," + s.conversationId));
    QVERIFY(auditRows("call_answered").contains(s.patientId + "|" + callId));
    QVERIFY(auditRows("call_ended").contains(s.patientId + "|" + callId + ",outcome=completed"));
    for (const QString type : {"call.ringing", "call.updated", "call.signal"})
        for (const QJsonObject &e : phoneEvents.dataOf(type))
            QVERIFY(!QJsonDocument(e).toJson().contains("Pat ring"));
}

void TestServerCalls::declineBusyAndMissed()
{
    const Scene s = makeScene(*m_http, QStringLiteral("decline"));
    TestKeyring keyring(*m_http);
    const TestMember admin = keyring.enroll(s.adminToken);
    const TestMember clinician = keyring.enroll(s.clinicianToken);
    const TestMember patient = keyring.enroll(s.patientToken);
    const qint64 epoch = keyring.ensureEpoch(admin, s.conversationId);

    const QString declined = startCall(s, clinician, epoch);
    QVERIFY(!declined.isEmpty());
    // Someone else calling the same patient meanwhile: busy, and nothing is stored.
    const HttpReply busy =
        post(callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(admin, epoch)}}, admin.token);
    QCOMPARE(busy.status, 409);
    QCOMPARE(busy.errorCode(), QStringLiteral("busy"));
    QCOMPARE(post(callPath(declined, "end"), {}, patient.token).errorCode(), QStringLiteral("call_not_answered"));
    QCOMPARE(post(callPath(declined, "decline"), {}, clinician.token).status, 403);
    const HttpReply no = post(callPath(declined, "decline"), {}, patient.token);
    QCOMPARE(no.status, 200);
    QCOMPARE(no.json.value("call").toObject().value("outcome").toString(), QStringLiteral("declined"));
    QCOMPARE(post(callPath(declined, "answer"), {{"envelope", signalEnvelope(patient, epoch)}}, patient.token).status,
             409);

    // A device already in another call answers busy.
    const QString second = startCall(s, admin, epoch);
    QCOMPARE(post(callPath(second, "decline"), {{"reason", "busy"}}, patient.token)
                 .json.value("call")
                 .toObject()
                 .value("outcome")
                 .toString(),
             QStringLiteral("busy"));

    // Unanswered for the ring time (2 s here): missed, ended by the server.
    const QString missed = startCall(s, clinician, epoch);
    QTRY_COMPARE_WITH_TIMEOUT(m_http->get(callsOf(s), clinician.token)
                                  .json.value("calls")
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value("outcome")
                                  .toString(),
                              QStringLiteral("missed"), 8000);
    QVERIFY(auditRows("call_ended").contains(QStringLiteral("|") + missed + ",outcome=missed"));
    const auto updates = storedEvents(*m_http, s.patientToken, QStringLiteral("call.updated"));
    QVERIFY(std::any_of(updates.begin(), updates.end(), [&](const QJsonObject &u) {
        return u.value("id").toString() == missed && u.value("outcome").toString() == QLatin1String("missed");
    }));
    // Newest first.
    const QJsonArray calls = m_http->get(callsOf(s), patient.token).json.value("calls").toArray();
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls[2].toObject().value("id").toString(), declined);
}

void TestServerCalls::aCallLeftBehindEndsWhenItsDeviceCallsAgain()
{
    const Scene s = makeScene(*m_http, QStringLiteral("behind"));
    TestKeyring keyring(*m_http);
    const TestMember clinician = keyring.enroll(s.clinicianToken);
    const TestMember patient = keyring.enroll(s.patientToken);
    const qint64 epoch = keyring.ensureEpoch(clinician, s.conversationId);
    const QString first = startCall(s, clinician, epoch);
    QCOMPARE(post(callPath(first, "answer"), {{"envelope", signalEnvelope(patient, epoch)}}, patient.token).status,
             200);
    // The clinician's app crashed mid-call and calls again from the same device: the call left behind ends as failed
    // instead of keeping both of them busy, and the new one rings.
    const QString second = startCall(s, clinician, epoch);
    QVERIFY(!second.isEmpty());
    const QJsonArray calls = m_http->get(callsOf(s), clinician.token).json.value("calls").toArray();
    QCOMPARE(calls[0].toObject().value("state").toString(), QStringLiteral("ringing"));
    QCOMPARE(calls[1].toObject().value("id").toString(), first);
    QCOMPARE(calls[1].toObject().value("outcome").toString(), QStringLiteral("failed"));
    QVERIFY(auditRows("call_ended").contains(s.clinicianId + "|" + first + ",outcome=failed"));
}

void TestServerCalls::patientsCallBackOnlyAMissedCall()
{
    const Scene s = makeScene(*m_http, QStringLiteral("callback"));
    TestKeyring keyring(*m_http);
    const TestMember admin = keyring.enroll(s.adminToken);
    const TestMember clinician = keyring.enroll(s.clinicianToken);
    const TestMember patient = keyring.enroll(s.patientToken);
    const qint64 epoch = keyring.ensureEpoch(admin, s.conversationId);

    const HttpReply first = post(
        callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(patient, epoch)}}, patient.token);
    QCOMPARE(first.status, 403);
    QCOMPARE(first.errorCode(), QStringLiteral("calls_not_allowed"));

    // The clinician's call is missed: the patient may call back, and it rings that clinician.
    const QString missed = startCall(s, clinician, epoch);
    QTRY_COMPARE_WITH_TIMEOUT(m_http->get(callsOf(s), patient.token)
                                  .json.value("calls")
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value("state")
                                  .toString(),
                              QStringLiteral("ended"), 8000);
    const HttpReply back = post(
        callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(patient, epoch)}}, patient.token);
    QCOMPARE(back.status, 201);
    QCOMPARE(back.json.value("call").toObject().value("calleeId").toString(), s.clinicianId);
    const QString backId = back.json.value("call").toObject().value("id").toString();
    QCOMPARE(post(callPath(backId, "answer"), {{"envelope", signalEnvelope(clinician, epoch)}}, clinician.token).status,
             200);
    QCOMPARE(post(callPath(backId, "end"), {}, clinician.token).status, 200);

    // After a completed call there is nothing to call back: the practice decides.
    QCOMPARE(post(callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(patient, epoch)}},
                  patient.token)
                 .status,
             403);
    const QString settings = QStringLiteral("/v1/practices/%1/settings").arg(s.practiceId);
    QCOMPARE(m_http->request("PATCH", settings, {{"patientsMayCall", "yes"}}, s.adminToken).status, 400);
    QCOMPARE(m_http->request("PATCH", settings, {{"patientsMayCall", true}}, s.clinicianToken).status, 403);
    const HttpReply allowed = m_http->request("PATCH", settings, {{"patientsMayCall", true}}, s.adminToken);
    QCOMPARE(allowed.status, 200);
    QCOMPARE(allowed.json.value("patientsMayCall").toBool(), true);
    QCOMPARE(post(callsOf(s), {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(patient, epoch)}},
                  patient.token)
                 .status,
             201);
    Q_UNUSED(missed);
}

void TestServerCalls::relayCredentialsAreShortLivedAndSigned()
{
    const Scene s = makeScene(*m_http, QStringLiteral("relay"));
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const HttpReply r = m_http->get(QStringLiteral("/v1/calls/ice-servers"), s.patientToken);
    QCOMPARE(r.status, 200);
    const QJsonArray servers = r.json.value("iceServers").toArray();
    QCOMPARE(servers.size(), 2);
    QCOMPARE(servers[0].toObject().value("urls").toArray().first().toString(), QStringLiteral("stun:127.0.0.1:3478"));
    const QJsonObject turn = servers[1].toObject();
    QCOMPARE(turn.value("urls").toArray().first().toString(), QStringLiteral("turn:127.0.0.1:3478"));
    // coturn's use-auth-secret: "<expiry>:<label>", password base64(HMAC-SHA1(secret, username)).
    const QString username = turn.value("username").toString();
    const qint64 expiry = username.section(u':', 0, 0).toLongLong();
    QCOMPARE(username.section(u':', 1), s.patientId);
    QVERIFY(expiry * 1000 > before && expiry * 1000 <= before + 2 * 3600 * 1000 + 2000);
    QCOMPARE(
        turn.value("credential").toString(),
        QString::fromLatin1(
            QMessageAuthenticationCode::hash(username.toUtf8(), "relay secret", QCryptographicHash::Sha1).toBase64()));
    QCOMPARE(m_http->get(QStringLiteral("/v1/calls/ice-servers"), QString()).status, 401);
}

void TestServerCalls::badInputIsRefused()
{
    const Scene s = makeScene(*m_http, QStringLiteral("bad"));
    const Scene other = makeScene(*m_http, QStringLiteral("badother"));
    TestKeyring keyring(*m_http);
    const TestMember admin = keyring.enroll(s.adminToken);
    const TestMember patient = keyring.enroll(s.patientToken);
    const qint64 epoch = keyring.ensureEpoch(admin, s.conversationId);

    QJsonObject messageFormat = signalEnvelope(admin, epoch);
    messageFormat.insert("format", 2);
    QJsonObject noFormat = signalEnvelope(admin, epoch);
    noFormat.remove("format");
    QJsonObject wrongDevice = signalEnvelope(admin, epoch);
    wrongDevice.insert("senderDeviceId", patient.deviceId());
    QJsonObject noEpoch = signalEnvelope(admin, epoch + 5);
    const QString id = TestKeyring::newUuid();
    const struct {
        QJsonObject body;
        int status;
    } refused[] = {
        {{{"callId", id}, {"envelope", messageFormat}}, 400},
        {{{"callId", id}, {"envelope", noFormat}}, 400},
        {{{"callId", id}, {"envelope", wrongDevice}}, 400},
        {{{"callId", id}, {"envelope", noEpoch}}, 409},
        {{{"callId", "not-a-uuid"}, {"envelope", signalEnvelope(admin, epoch)}}, 400},
        {{{"callId", id}, {"envelope", "text"}}, 400},
        {{{"callId", id}}, 400},
        {{{"callId", id}, {"envelope", signalEnvelope(admin, epoch)}, {"video", true}}, 400},
    };
    for (const auto &r : refused) {
        const HttpReply reply = post(callsOf(s), r.body, admin.token);
        QCOMPARE(reply.status, r.status);
        QVERIFY(!reply.json.value("error").toObject().value("message").toString().isEmpty());
    }
    QCOMPARE(m_http->get(callsOf(s), admin.token).json.value("calls").toArray().size(), 0);
    // Without a device, in another practice's conversation, or in a standard conversation.
    QCOMPARE(post(callsOf(s), {{"callId", id}, {"envelope", signalEnvelope(admin, epoch)}}, s.clinicianToken).status,
             403);
    QCOMPARE(post(callsOf(other), {{"callId", id}, {"envelope", signalEnvelope(admin, epoch)}}, admin.token).status,
             404);
    QCOMPARE(m_http->get(callsOf(other), admin.token).status, 404);
    const HttpReply standard = post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(s.practiceId),
                                    {{"email", "someone@bad.example"}, {"name", "Someone"}}, admin.token);
    if (standard.status == 201) {
        const QString standardId = standard.json.value("id").toString();
        const HttpReply r =
            post(QStringLiteral("/v1/conversations/%1/calls").arg(standardId),
                 {{"callId", TestKeyring::newUuid()}, {"envelope", signalEnvelope(admin, epoch)}}, admin.token);
        QVERIFY2(r.status == 409 || r.status == 404, qPrintable(QString::number(r.status)));
    }
    // Someone else's call, an unknown call, a malformed body.
    const QString callId = startCall(s, admin, epoch);
    QCOMPARE(post(callPath(callId, "answer"), {{"envelope", signalEnvelope(admin, epoch)}}, other.adminToken).status,
             404);
    QCOMPARE(post(callPath(TestKeyring::newUuid(), "end"), {}, admin.token).status, 404);
    QCOMPARE(post(callPath(callId, "decline"), {{"reason", "bored"}}, patient.token).status, 400);
    QCOMPARE(m_http->raw("POST", callPath(callId, "signals"), "not json", "application/json", admin.token).status, 400);
    QCOMPARE(post(callPath(callId, "end"), {{"reason", "failed"}}, admin.token)
                 .json.value("call")
                 .toObject()
                 .value("outcome")
                 .toString(),
             QStringLiteral("failed"));
}

QTEST_GUILESS_MAIN(TestServerCalls)
#include "tst_server_calls.moc"
