// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_invites: one-time codes and sign-up pairing: wrong codes and the lock, limits per contact, pairing with every inviting practice, expiry, and nothing secret in the log.
#include "tst_server_invites.h"

void TestServerInvites::wrongCodesCountDownAndLock()
{
    const QString email = QStringLiteral("lock@example.org");
    const QString code = requestCode(*m_http, {{"email", email}});
    QCOMPARE(code.size(), 6);
    const QString wrong = code == QLatin1String("000000") ? QStringLiteral("111111") : QStringLiteral("000000");
    for (int left = 4; left >= 1; --left) {
        const HttpReply r =
            post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", wrong}, {"name", "L"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("wrong_code"));
        QVERIFY2(messageOf(r).contains(QString::number(left)), qPrintable(messageOf(r)));
    }
    HttpReply r = post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", wrong}, {"name", "L"}});
    QCOMPARE(r.status, 423);
    QCOMPARE(r.errorCode(), QStringLiteral("code_locked"));
    QVERIFY(messageOf(r).contains(QStringLiteral("15 minutes")));
    // Even the right code is refused now, and no new code is sent.
    r = post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", code}, {"name", "L"}});
    QCOMPARE(r.status, 423);
    QCOMPARE(post(QStringLiteral("/v1/codes"), {{"email", email}}).status, 423);
    // No code asked for at all: expired.
    r = post(QStringLiteral("/v1/codes/verify"), {{"email", "never@example.org"}, {"code", "123456"}});
    QCOMPARE(r.status, 410);
    QCOMPARE(r.errorCode(), QStringLiteral("code_expired"));
}

void TestServerInvites::codesPerContactAreLimited()
{
    const QString email = QStringLiteral("often@example.org");
    for (int i = 0; i < 5; ++i)
        QCOMPARE(post(QStringLiteral("/v1/codes"), {{"email", email}}).status, 202);
    const HttpReply r = post(QStringLiteral("/v1/codes"), {{"email", email}});
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(!messageOf(r).isEmpty());
}

void TestServerInvites::signUpPairsWithEveryInvitingPractice()
{
    const QString phone = newMobile();
    TestKeyring keyring(*m_http);
    const TestMember staffA = keyring.enroll(m_a.adminToken);
    QVERIFY(!staffA.deviceId().isEmpty());
    const HttpReply inA = invite(*m_http, m_a, QStringLiteral("Both Practices"), phone);
    const HttpReply inB = invite(*m_http, m_b, QStringLiteral("B's name for them"), phone);
    QCOMPARE(inA.status, 201);
    QCOMPARE(inB.status, 201);
    const QString convA = inA.json.value("conversation").toObject().value("id").toString();
    const QString convB = inB.json.value("conversation").toObject().value("id").toString();
    const QString token = tokenIn(lastDeliveryTo(*m_http, phone).value("body").toString());

    // A welcome note before the patient joins; practice B's conversation has keys too.
    QCOMPARE(keyring.send(staffA, convA, QStringLiteral("Welcome to the practice")).status, 201);
    const TestMember staffB = keyring.enroll(m_b.adminToken);
    QVERIFY(!staffB.deviceId().isEmpty());
    QVERIFY(keyring.ensureEpoch(staffB, convB) > 0);

    EventClient eventsA(m_server.baseUrl(), m_a.clinicianToken,
                        m_http->get(QStringLiteral("/v1/events?since=0&limit=1"), m_a.clinicianToken)
                            .json.value("latestSeq")
                            .toInteger());
    EventClient eventsB(
        m_server.baseUrl(), m_b.adminToken,
        m_http->get(QStringLiteral("/v1/events?since=0&limit=1"), m_b.adminToken).json.value("latestSeq").toInteger());
    QVERIFY(eventsA.waitForHello());
    QVERIFY(eventsB.waitForHello());

    // The code is asked for from the link alone.
    HttpReply r = post(QStringLiteral("/v1/codes"), {{"invitationToken", token}});
    QCOMPARE(r.status, 202);
    QVERIFY(r.json.value("contactHint").toString().endsWith(phone.right(4)));
    const QString code = codeIn(lastDeliveryTo(*m_http, phone).value("body").toString());
    QCOMPARE(code.size(), 6);
    r = post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}, {"deviceName", "Phone"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.value("created").toBool());
    const QString patientToken = r.json.value("token").toString();
    QVERIFY(!patientToken.isEmpty());
    const QString patientId = r.json.value("user").toObject().value("id").toString();
    QCOMPARE(r.json.value("user").toObject().value("name").toString(), QStringLiteral("Both Practices"));
    const QStringList paired = [&] {
        QStringList out;
        for (const QJsonValue &v : r.json.value("paired").toArray())
            out << v.toString();
        out.sort();
        return out;
    }();
    QCOMPARE(paired.size(), 2);
    QVERIFY(paired.contains(convA));
    QVERIFY(paired.contains(convB));

    // The patient sees both conversations, with no invitation state, and the welcome note.
    const QJsonArray mine =
        get(QStringLiteral("/v1/conversations"), patientToken).json.value("conversations").toArray();
    QCOMPARE(mine.size(), 2);
    for (const QJsonValue &c : mine) {
        QCOMPARE(c.toObject().value("patientId").toString(), patientId);
        QVERIFY(c.toObject().value("invitationState").isNull());
    }
    const QJsonArray notes =
        get(QStringLiteral("/v1/conversations/%1/messages").arg(convA), patientToken).json.value("messages").toArray();
    QCOMPARE(notes.size(), 1);
    QCOMPARE(keyring.open(notes[0].toObject()), QStringLiteral("Welcome to the practice"));
    QCOMPARE(storedEvents(*m_http, patientToken, QStringLiteral("conversation.created")).size(), 2);

    // The patient's first device asks each practice, and only that practice, for its conversation's keys.
    const TestMember patient = keyring.enroll(patientToken);
    QVERIFY(!patient.deviceId().isEmpty());
    auto requested = [&](const QString &token) {
        QStringList out;
        for (const QJsonObject &d : storedEvents(*m_http, token, QStringLiteral("key.requested")))
            if (d.value("userId").toString() == patientId)
                out << d.value("conversationId").toString();
        return out;
    };
    QCOMPARE(requested(m_a.adminToken), QStringList{convA});
    QCOMPARE(requested(m_b.adminToken), QStringList{convB});

    // Staff of both practices hear it live: the invitation paired and the conversation updated.
    auto pairedLive = [](EventClient &events, const QString &conversationId) {
        return events.waitFor([&] {
            bool invitation = false, conversation = false;
            for (const QJsonObject &d : events.dataOf(QStringLiteral("invitation.updated")))
                invitation = invitation
                    || (d.value("conversationId").toString() == conversationId
                        && d.value("state").toString() == QLatin1String("paired"));
            for (const QJsonObject &d : events.dataOf(QStringLiteral("conversation.updated")))
                conversation = conversation
                    || (d.value("id").toString() == conversationId
                        && d.value("invitationState").toString() == QLatin1String("paired"));
            return invitation && conversation;
        });
    };
    QVERIFY(pairedLive(eventsA, convA));
    QVERIFY(pairedLive(eventsB, convB));
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1").arg(convB), m_b.adminToken).json.value("patientId").toString(),
             patientId);

    // The link is used: it says so, and signing in again with a new code pairs nothing new.
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + token).json.value("state").toString(),
             QStringLiteral("paired"));
    const QString again = requestCode(*m_http, {{"phone", phone}});
    r = post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", again}});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json.value("created").toBool());
    QVERIFY(r.json.value("paired").toArray().isEmpty());
    QCOMPARE(r.json.value("user").toObject().value("id").toString(), patientId);
    // The joined patient is now a duplicate for practice A.
    const HttpReply dup = invite(*m_http, m_a, QStringLiteral("Again"), phone);
    QCOMPARE(dup.status, 409);
    QCOMPARE(dup.json.value("conversationId").toString(), convA);
}

void TestServerInvites::existingPatientIsPairedWhenSigningInWithACode()
{
    // Practice A's patient (added with an email and a password) is invited by practice B.
    const HttpReply inB = invite(*m_http, m_b, QStringLiteral("Pat from B"), {}, QStringLiteral("pat@inva.example"));
    QCOMPARE(inB.status, 201);
    QCOMPARE(inB.json.value("invitation").toObject().value("channel").toString(), QStringLiteral("email"));
    const QString convB = inB.json.value("conversation").toObject().value("id").toString();
    const QString code = requestCode(*m_http, {{"email", "pat@inva.example"}});
    QCOMPARE(code.size(), 6);
    const HttpReply r = post(QStringLiteral("/v1/codes/verify"), {{"email", "pat@inva.example"}, {"code", code}});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json.value("created").toBool());
    QCOMPARE(r.json.value("user").toObject().value("id").toString(), m_a.patientId);
    QCOMPARE(r.json.value("paired").toArray(), QJsonArray{convB});
    // The placeholder was merged into the account: both conversations are the patient's.
    QCOMPARE(get(QStringLiteral("/v1/conversations"), m_a.patientToken).json.value("conversations").toArray().size(),
             2);
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1").arg(convB), m_b.adminToken).json.value("patientId").toString(),
             m_a.patientId);
    // The password still works.
    QVERIFY(!m_http->signIn(QStringLiteral("pat@inva.example"), QStringLiteral("patient password")).isEmpty());
}

void TestServerInvites::signUpWithoutInvitationNeedsAName()
{
    const QString email = QStringLiteral("walkin@example.org");
    QString code = requestCode(*m_http, {{"email", email}});
    HttpReply r = post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", code}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("missing_field"));
    r = post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", code}, {"name", "Walk In"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.value("created").toBool());
    QVERIFY(get(QStringLiteral("/v1/conversations"), r.json.value("token").toString())
                .json.value("conversations")
                .toArray()
                .isEmpty());
    // The code is spent.
    r = post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", code}});
    QCOMPARE(r.status, 410);
}

void TestServerInvites::expiredLinksAndCodes()
{
    // A server whose links and codes expire at once: real expiry, nothing else changed.
    TestServer server;
    QVERIFY(server.start(QStringList(kRoomyLimits) << QStringLiteral("--invite-days") << QStringLiteral("0")
                                                   << QStringLiteral("--code-minutes") << QStringLiteral("0")));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("expiry"));
    const QString phone = QStringLiteral("+33612399999");
    const HttpReply created = invite(http, s, QStringLiteral("Late"), phone);
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value("invitation").toObject().value("state").toString(), QStringLiteral("expired"));
    const QString token = tokenIn(lastDeliveryTo(http, phone).value("body").toString());
    QCOMPARE(http.get(QStringLiteral("/v1/invitations/by-token/") + token).json.value("state").toString(),
             QStringLiteral("expired"));
    QCOMPARE(http.post(QStringLiteral("/v1/codes"), {{"phone", phone}}).status, 202);
    const QString code = codeIn(lastDeliveryTo(http, phone).value("body").toString());
    const HttpReply r =
        http.post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}, {"name", "Late"}});
    QCOMPARE(r.status, 410);
    QCOMPARE(r.errorCode(), QStringLiteral("code_expired"));
}

void TestServerInvites::logsHoldNoContactCodeOrToken()
{
    TestServer server;
    QVERIFY(server.start(QStringList(kRoomyLimits) << QStringLiteral("--log-level") << QStringLiteral("debug")));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("logs"));
    const QString phone = QStringLiteral("+33612377777");
    QCOMPARE(invite(http, s, QStringLiteral("Xavier Logfree"), phone).status, 201);
    const QString token = tokenIn(lastDeliveryTo(http, phone).value("body").toString());
    QCOMPARE(http.get(QStringLiteral("/v1/invitations/by-token/") + token).status, 200);
    QCOMPARE(http.post(QStringLiteral("/v1/codes"), {{"invitationToken", token}}).status, 202);
    const QString code = codeIn(lastDeliveryTo(http, phone).value("body").toString());
    QCOMPARE(http.post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}}).status, 200);
    server.terminate();
    const QByteArray log = server.standardError();
    QVERIFY(log.contains("invitation created"));
    for (const QString &secret :
         {phone, phone.mid(1), token, code, QStringLiteral("Xavier"), QStringLiteral("Logfree")})
        QVERIFY2(!log.contains(secret.toUtf8()), qPrintable(QStringLiteral("the log holds ") + secret));
}
