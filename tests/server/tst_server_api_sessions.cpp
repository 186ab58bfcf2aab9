// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_api: accounts and sessions: sign-in, tokens, sign-out, revocation, expiry, roles, who sees which conversation, sign-in limits.
#include "tst_server_api.h"

#include <algorithm>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

void TestServerApi::initTestCase()
{
    QVERIFY(m_server.start());
    m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    const QJsonObject p = m_http->createPractice(QStringLiteral("Birch"), QStringLiteral("admin@birch.example"));
    QVERIFY(!p.isEmpty());
    m_practiceId = p.value("practice").toObject().value("id").toString();
    m_adminId = p.value("user").toObject().value("id").toString();
    m_adminToken = p.value("session").toObject().value("token").toString();
    QCOMPARE(p.value("user").toObject().value("role").toString(), QStringLiteral("admin"));
    QVERIFY(!m_adminToken.isEmpty());

    const HttpReply staff = m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                                         {{"name", "Dr. Doc"},
                                          {"email", "doc@birch.example"},
                                          {"password", "clinician password"},
                                          {"role", "clinician"}},
                                         m_adminToken);
    QCOMPARE(staff.status, 201);
    QCOMPARE(staff.json.value("role").toString(), QStringLiteral("clinician"));
    m_clinicianToken = m_http->signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
    QVERIFY(!m_clinicianToken.isEmpty());

    const QJsonObject a = addPatient(QStringLiteral("Patient A"), QStringLiteral("a@patient.example"));
    const QJsonObject b = addPatient(QStringLiteral("Patient B"), QStringLiteral("b@patient.example"));
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    m_patientAId = a.value("user").toObject().value("id").toString();
    m_conversationA = a.value("conversation").toObject().value("id").toString();
    m_conversationB = b.value("conversation").toObject().value("id").toString();
    // Members are the patient and every staff member.
    QCOMPARE(a.value("conversation").toObject().value("members").toArray().size(), 3);
    m_patientAToken = m_http->signIn(QStringLiteral("a@patient.example"), QStringLiteral("patient password"));
    m_patientBToken = m_http->signIn(QStringLiteral("b@patient.example"), QStringLiteral("patient password"));
    QVERIFY(!m_patientAToken.isEmpty() && !m_patientBToken.isEmpty());

    m_keyring = std::make_unique<TestKeyring>(*m_http);
    m_admin = m_keyring->enroll(m_adminToken);
    m_clinician = m_keyring->enroll(m_clinicianToken);
    m_patientA = m_keyring->enroll(m_patientAToken);
    m_patientB = m_keyring->enroll(m_patientBToken);
    for (const TestMember *m : {&m_admin, &m_clinician, &m_patientA, &m_patientB}) {
        QVERIFY(!m->deviceId().isEmpty());
        QCOMPARE(m->deviceState, QStringLiteral("active"));
    }
}

void TestServerApi::healthAnswers()
{
    const HttpReply r = m_http->get(QStringLiteral("/v1/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("status").toString(), QStringLiteral("ok"));
}

void TestServerApi::practiceEmailsAreUnique()
{
    const HttpReply r = m_http->post(QStringLiteral("/v1/practices"),
                                     {{"practiceName", "Again"},
                                      {"adminName", "X"},
                                      {"adminEmail", "ADMIN@birch.example"},
                                      {"adminPassword", "long enough pw"}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("conflict"));
}

void TestServerApi::signInAndWrongPassword()
{
    const HttpReply ok = m_http->post(QStringLiteral("/v1/sessions"),
                                      {{"email", "doc@birch.example"}, {"password", "clinician password"}});
    QCOMPARE(ok.status, 201);
    QCOMPARE(ok.json.value("user").toObject().value("email").toString(), QStringLiteral("doc@birch.example"));
    QVERIFY(ok.json.value("expiresAt").toInteger() > 0);
    const HttpReply wrong = m_http->post(QStringLiteral("/v1/sessions"),
                                         {{"email", "doc@birch.example"}, {"password", "not the password"}});
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.errorCode(), QStringLiteral("wrong_credentials"));
    const HttpReply unknown = m_http->post(QStringLiteral("/v1/sessions"),
                                           {{"email", "nobody@birch.example"}, {"password", "not the password"}});
    QCOMPARE(unknown.status, 401);
    QCOMPARE(unknown.errorCode(), QStringLiteral("wrong_credentials"));
}

void TestServerApi::tokensAreChecked()
{
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), m_clinicianToken).json.value("role").toString(),
             QStringLiteral("clinician"));
    const HttpReply none = m_http->get(QStringLiteral("/v1/me"));
    QCOMPARE(none.status, 401);
    QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
    const HttpReply bad = m_http->get(QStringLiteral("/v1/me"), QStringLiteral("not-a-token"));
    QCOMPARE(bad.status, 401);
    QCOMPARE(bad.errorCode(), QStringLiteral("unauthorized"));
}

void TestServerApi::signOutEndsTheSession()
{
    const QString token = m_http->signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), token).status, 200);
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/sessions/current"), {}, token).status, 204);
    const HttpReply after = m_http->get(QStringLiteral("/v1/me"), token);
    QCOMPARE(after.status, 401);
    QCOMPARE(after.errorCode(), QStringLiteral("unauthorized"));
    // Other sessions of the same user are untouched.
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), m_clinicianToken).status, 200);
}

void TestServerApi::revokeAllSessions()
{
    const HttpReply staff = m_http->post(
        QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
        {{"name", "Temp"}, {"email", "temp@birch.example"}, {"password", "temporary password"}, {"role", "clinician"}},
        m_adminToken);
    QCOMPARE(staff.status, 201);
    const QString id = staff.json.value("id").toString();
    const QString t1 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
    const QString t2 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
    // A clinician may not revoke someone else's sessions; a patient of the practice neither.
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_clinicianToken).status,
             403);
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_patientAToken).status,
             403);
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(uuid()), {}, m_adminToken).status,
             404);
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t1).status, 200);
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_adminToken).status, 204);
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t1).status, 401);
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t2).status, 401);
    // Revoking one's own sessions works too.
    const QString t3 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, t3).status, 204);
    QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t3).status, 401);
}

void TestServerApi::expiredSessionsAreRefused()
{
    // --session-seconds 0: every session is already past its expiry when it is used.
    TestServer shortLived;
    QVERIFY(shortLived.start({QStringLiteral("--session-seconds"), QStringLiteral("0")}));
    HttpClient http(shortLived.baseUrl());
    const QJsonObject p = http.createPractice(QStringLiteral("Short"), QStringLiteral("admin@short.example"));
    const QString token = p.value("session").toObject().value("token").toString();
    QVERIFY(!token.isEmpty());
    const HttpReply r = http.get(QStringLiteral("/v1/me"), token);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("session_expired"));
    QCOMPARE(shortLived.terminate(), 0);
}

void TestServerApi::rolesAndPracticesAreEnforced()
{
    const auto staffBody = QJsonObject{
        {"name", "Nope"}, {"email", "nope@birch.example"}, {"password", "some password"}, {"role", "admin"}};
    const HttpReply byClinician =
        m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId), staffBody, m_clinicianToken);
    QCOMPARE(byClinician.status, 403);
    QCOMPARE(byClinician.errorCode(), QStringLiteral("forbidden"));
    QCOMPARE(m_http
                 ->post(QStringLiteral("/v1/practices/%1/patients").arg(m_practiceId),
                        {{"name", "X"}, {"email", "x@patient.example"}, {"password", "some password"}}, m_patientAToken)
                 .status,
             403);

    const QJsonObject other = m_http->createPractice(QStringLiteral("Oak"), QStringLiteral("admin@oak.example"));
    const QString otherToken = other.value("session").toObject().value("token").toString();
    const QString otherPractice = other.value("practice").toObject().value("id").toString();
    const HttpReply crossStaff =
        m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId), staffBody, otherToken);
    QCOMPARE(crossStaff.status, 404);
    QCOMPARE(crossStaff.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(otherPractice), staffBody, m_adminToken).status,
             404);
    // Other practice's staff cannot see or write into this practice's conversations.
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationA), otherToken).status, 404);
    const TestMember otherAdmin = m_keyring->enroll(otherToken);
    QVERIFY(!otherAdmin.deviceId().isEmpty());
    QCOMPARE(postMessage(m_conversationA, otherToken,
                         {{"clientId", uuid()}, {"envelope", bogusEnvelope(otherAdmin.deviceId())}})
                 .status,
             404);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/keys").arg(m_conversationA), otherToken).status, 404);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/devices").arg(m_conversationA), otherToken).status, 404);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations"), otherToken).json.value("conversations").toArray().size(),
             0);
    QCOMPARE(
        m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(m_patientAId), {}, otherToken).status,
        404);
}

void TestServerApi::patientsSeeOnlyTheirOwnConversation()
{
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationA), m_patientAToken).status, 200);
    const HttpReply cross = m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationB), m_patientAToken);
    QCOMPARE(cross.status, 404);
    QCOMPARE(cross.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationB), m_patientAToken).status,
             404);
    QCOMPARE(postMessage(m_conversationB, m_patientAToken,
                         {{"clientId", uuid()}, {"envelope", bogusEnvelope(m_patientA.deviceId())}})
                 .status,
             404);
    QCOMPARE(
        m_http->post(QStringLiteral("/v1/conversations/%1/read").arg(m_conversationB), {{"seq", 1}}, m_patientAToken)
            .status,
        404);
    const auto list =
        m_http->get(QStringLiteral("/v1/conversations"), m_patientAToken).json.value("conversations").toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().toObject().value("id").toString(), m_conversationA);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/not-an-id"), m_patientAToken).status, 404);
}

void TestServerApi::signInAttemptsAreLimited()
{
    int status = 0;
    int attempts = 0;
    while (attempts < 15) {
        ++attempts;
        status =
            m_http
                ->post(QStringLiteral("/v1/sessions"), {{"email", "a@patient.example"}, {"password", "guessing wrong"}})
                .status;
        if (status != 401)
            break;
    }
    QCOMPARE(status, 429);
    QCOMPARE(attempts, 11); // 10 failures a minute per email
    // Even the right password is refused while the email is limited; other emails are not affected.
    QCOMPARE(
        m_http->post(QStringLiteral("/v1/sessions"), {{"email", "a@patient.example"}, {"password", "patient password"}})
            .errorCode(),
        QStringLiteral("rate_limited"));
    QVERIFY(!m_http->signIn(QStringLiteral("b@patient.example"), QStringLiteral("patient password")).isEmpty());
}

void TestServerApi::concurrentGuessesCountBeforeTheirCheck()
{
    // 40 wrong passwords for one email sent at once, to a server with more threads than the limit: each attempt is
    // counted before its password is checked, so exactly 10 are checked and the other 30 are refused unchecked.
    TestServer server;
    QVERIFY2(server.start({"--demo", "--threads", "16"}), qPrintable(server.error()));
    QNetworkAccessManager net;
    QList<QNetworkReply *> replies;
    const QByteArray body = R"({"email":"ana@birch.example","password":"guessing wrong"})";
    for (int i = 0; i < 40; ++i) {
        QNetworkRequest request(QUrl(server.baseUrl() + QStringLiteral("/v1/sessions")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        // One connection per request: the guesses reach the server together rather than six at a time.
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setRawHeader("Connection", "close");
        replies.append(net.post(request, body));
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }), 120000);
    int checked = 0;
    int refused = 0;
    for (QNetworkReply *r : replies) {
        const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        checked += status == 401;
        refused += status == 429;
        r->deleteLater();
    }
    QCOMPARE(checked, 10);
    QCOMPARE(refused, 30);
    // The right password is refused too until the minute is over.
    HttpClient http(server.baseUrl());
    QCOMPARE(
        http.post(QStringLiteral("/v1/sessions"), {{"email", "ana@birch.example"}, {"password", "larch-demo-password"}})
            .errorCode(),
        QStringLiteral("rate_limited"));
    QCOMPARE(server.terminate(), 0);
}

void TestServerApi::cleanupTestCase()
{
    // A clean shutdown exits 0.
    QCOMPARE(m_server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestServerApi)
