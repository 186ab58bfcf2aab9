// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_invites: checking contacts, creating, resending, editing and revoking invitations, their text, who may see them, bad input and limits.
#include "tst_server_invites.h"

void TestServerInvites::initTestCase()
{
    QVERIFY(m_server.start(kRoomyLimits));
    m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    m_a = makeScene(*m_http, QStringLiteral("inva"));
    m_b = makeScene(*m_http, QStringLiteral("invb"));
    QVERIFY(!m_a.patientToken.isEmpty());
    QVERIFY(!m_b.patientToken.isEmpty());
}

void TestServerInvites::checksPhoneNumbers()
{
    const QString path = QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId);
    HttpReply r = post(path, {{"phone", "+33 6 12 34 56 78"}}, m_a.clinicianToken);
    QCOMPARE(r.status, 200);
    QJsonObject phone = r.json.value("phone").toObject();
    QCOMPARE(phone.value("e164").toString(), QStringLiteral("+33612345678"));
    QCOMPARE(phone.value("type").toString(), QStringLiteral("mobile"));
    QVERIFY(phone.value("warning").isNull());
    QVERIFY(r.json.value("email").isNull());
    QVERIFY(r.json.value("matches").toArray().isEmpty());

    r = post(path, {{"phone", "+33 1 23 45 67 89"}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    phone = r.json.value("phone").toObject();
    QCOMPARE(phone.value("type").toString(), QStringLiteral("landline"));
    QVERIFY(phone.value("warning").toString().contains(QStringLiteral("landline")));

    // A national number is read in the practice's region (US by default).
    r = post(path, {{"phone", "(201) 555-0123"}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    phone = r.json.value("phone").toObject();
    QCOMPARE(phone.value("e164").toString(), QStringLiteral("+12015550123"));
    QCOMPARE(phone.value("display").toString(), QStringLiteral("(201) 555-0123"));
    QCOMPARE(phone.value("type").toString(), QStringLiteral("fixedOrMobile"));

    for (const char *bad : {"12", "not a number", "+1 555"}) {
        r = post(path, {{"phone", bad}}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        QVERIFY(messageOf(r).startsWith(QStringLiteral("phone ")));
    }
}

void TestServerInvites::checksEmails()
{
    const QString path = QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId);
    HttpReply r = post(path, {{"email", " Someone@Example.ORG "}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("email").toObject().value("address").toString(), QStringLiteral("someone@example.org"));
    QVERIFY(r.json.value("phone").isNull());
    r = post(path, {{"email", "not-an-email"}}, m_a.adminToken);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    QVERIFY(messageOf(r).startsWith(QStringLiteral("email ")));
    // A classic patient (added with an email) is a "joined" match.
    r = post(path, {{"email", "pat@inva.example"}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    const QJsonArray matches = r.json.value("matches").toArray();
    QCOMPARE(matches.size(), 1);
    QCOMPARE(matches[0].toObject().value("conversationId").toString(), m_a.conversationId);
    QCOMPARE(matches[0].toObject().value("state").toString(), QStringLiteral("joined"));
}

void TestServerInvites::createShowsConversationAndSendsLink()
{
    const QString phone = newMobile();
    const HttpReply r = invite(*m_http, m_a, QStringLiteral("Zelda Quintero"), phone);
    QCOMPARE(r.status, 201);
    const QJsonObject invitation = r.json.value("invitation").toObject();
    const QJsonObject conversation = r.json.value("conversation").toObject();
    QCOMPARE(invitation.value("state").toString(), QStringLiteral("pending"));
    QCOMPARE(invitation.value("channel").toString(), QStringLiteral("sms"));
    QCOMPARE(invitation.value("phone").toString(), phone);
    QVERIFY(!invitation.value("phoneDisplay").toString().isEmpty());
    QCOMPARE(invitation.value("sentCount").toInt(), 1);
    QCOMPARE(invitation.value("delivery").toObject().value("state").toString().isEmpty(), false);
    QVERIFY(invitation.value("expiresAt").toInteger() > invitation.value("createdAt").toInteger());
    QCOMPARE(conversation.value("invitationState").toString(), QStringLiteral("pending"));
    QCOMPARE(conversation.value("title").toString(), QStringLiteral("Zelda Quintero"));
    const QString conversationId = conversation.value("id").toString();
    QCOMPARE(invitation.value("conversationId").toString(), conversationId);

    // The conversation is in the staff's list at once, with its state.
    bool listed = false;
    for (const QJsonValue &c :
         get(QStringLiteral("/v1/conversations"), m_a.clinicianToken).json.value("conversations").toArray())
        if (c.toObject().value("id").toString() == conversationId) {
            listed = true;
            QCOMPARE(c.toObject().value("invitationState").toString(), QStringLiteral("pending"));
        }
    QVERIFY(listed);
    // Patients never see an invitation state.
    QVERIFY(get(QStringLiteral("/v1/conversations/%1").arg(m_a.conversationId), m_a.patientToken)
                .json.value("invitationState")
                .isNull());

    const QJsonObject delivery = lastDeliveryTo(*m_http, phone);
    QCOMPARE(delivery.value("channel").toString(), QStringLiteral("sms"));
    QCOMPARE(delivery.value("invitationId").toString(), invitation.value("id").toString());
    const QString body = delivery.value("body").toString();
    const QString token = tokenIn(body);
    QVERIFY2(!token.isEmpty(), qPrintable(body));
    QVERIFY(!body.contains(QStringLiteral("Zelda")));
    QVERIFY(!body.contains(QStringLiteral("Practice")));

    const HttpReply byToken = get(QStringLiteral("/v1/invitations/by-token/") + token);
    QCOMPARE(byToken.status, 200);
    QCOMPARE(byToken.json.value("state").toString(), QStringLiteral("pending"));
    QCOMPARE(byToken.json.value("channel").toString(), QStringLiteral("sms"));
    QVERIFY(byToken.json.value("contactHint").toString().endsWith(phone.right(4)));
    QVERIFY(!byToken.json.contains("patientName"));
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + QString(43, QLatin1Char('A'))).status, 404);

    const HttpReply own =
        get(QStringLiteral("/v1/conversations/%1/invitation").arg(conversationId), m_a.clinicianToken);
    QCOMPARE(own.status, 200);
    QCOMPARE(own.json.value("id").toString(), invitation.value("id").toString());

    // The courier reports the delivery; the invitation keeps its state and staff are told.
    const QString ownPath = QStringLiteral("/v1/conversations/%1/invitation").arg(conversationId);
    QTRY_COMPARE_WITH_TIMEOUT(get(ownPath, m_a.adminToken).json.value("delivery").toObject().value("state").toString(),
                              QStringLiteral("sent"), 10000);
    bool told = false;
    for (const QJsonObject &d : storedEvents(*m_http, m_a.clinicianToken, QStringLiteral("invitation.updated")))
        told = told
            || (d.value("id") == invitation.value("id")
                && d.value("delivery").toObject().value("state").toString() == QLatin1String("sent"));
    QVERIFY(told);
}

void TestServerInvites::duplicateContactIsRefused()
{
    const QString phone = newMobile();
    const HttpReply first = invite(*m_http, m_a, QStringLiteral("First"), phone);
    QCOMPARE(first.status, 201);
    const QString conversationId = first.json.value("conversation").toObject().value("id").toString();
    // The same number typed another way is the same contact.
    const QString national = QStringLiteral("+33 ") + phone.mid(3, 1) + QLatin1Char(' ') + phone.mid(4);
    const HttpReply again = invite(*m_http, m_a, QStringLiteral("Second"), national);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("duplicate_contact"));
    QCOMPARE(again.json.value("conversationId").toString(), conversationId);
    // A joined patient's email is a duplicate too.
    const HttpReply joined = invite(*m_http, m_a, QStringLiteral("Pat again"), {}, QStringLiteral("pat@inva.example"));
    QCOMPARE(joined.status, 409);
    QCOMPARE(joined.json.value("conversationId").toString(), m_a.conversationId);
    // Another practice may invite the same person.
    QCOMPARE(invite(*m_http, m_b, QStringLiteral("First"), phone).status, 201);
    const HttpReply check =
        post(QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId), {{"phone", phone}}, m_a.adminToken);
    QCOMPARE(check.json.value("matches").toArray().size(), 1);
    QCOMPARE(check.json.value("matches").toArray()[0].toObject().value("state").toString(), QStringLiteral("invited"));
}

void TestServerInvites::concurrentCreatesMakeOneConversation()
{
    const QString phone = newMobile();
    QNetworkAccessManager nam1, nam2;
    auto fire = [&](QNetworkAccessManager &nam, const QString &token) {
        QNetworkRequest req(
            QUrl(m_server.baseUrl() + QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        const QByteArray body = QJsonDocument(QJsonObject{{"patientName", "Race"}, {"phone", phone}}).toJson();
        return nam.post(req, body);
    };
    QNetworkReply *r1 = fire(nam1, m_a.adminToken);
    QNetworkReply *r2 = fire(nam2, m_a.clinicianToken);
    QTRY_VERIFY_WITH_TIMEOUT(r1->isFinished() && r2->isFinished(), 20000);
    const int s1 = r1->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const int s2 = r2->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject j1 = QJsonDocument::fromJson(r1->readAll()).object();
    const QJsonObject j2 = QJsonDocument::fromJson(r2->readAll()).object();
    r1->deleteLater();
    r2->deleteLater();
    QCOMPARE(QList<int>({qMin(s1, s2), qMax(s1, s2)}), QList<int>({201, 409}));
    const QJsonObject &winner = s1 == 201 ? j1 : j2;
    const QJsonObject &loser = s1 == 201 ? j2 : j1;
    QCOMPARE(loser.value("conversationId").toString(), winner.value("conversation").toObject().value("id").toString());
    int titled = 0;
    for (const QJsonValue &c :
         get(QStringLiteral("/v1/conversations?limit=200"), m_a.adminToken).json.value("conversations").toArray())
        titled += c.toObject().value("title").toString() == QLatin1String("Race");
    QCOMPARE(titled, 1);
    QCOMPARE(deliveriesTo(*m_http, phone), 1);
}

void TestServerInvites::resendReplacesTheLink()
{
    const QString phone = newMobile();
    const HttpReply created = invite(*m_http, m_a, QStringLiteral("Resend Me"), phone);
    QCOMPARE(created.status, 201);
    const QString id = created.json.value("invitation").toObject().value("id").toString();
    const QString oldToken = tokenIn(lastDeliveryTo(*m_http, phone).value("body").toString());
    const HttpReply r = post(QStringLiteral("/v1/invitations/%1/resend").arg(id), {}, m_a.clinicianToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("sentCount").toInt(), 2);
    QCOMPARE(deliveriesTo(*m_http, phone), 2);
    const QString newToken = tokenIn(lastDeliveryTo(*m_http, phone).value("body").toString());
    QVERIFY(!newToken.isEmpty());
    QVERIFY(newToken != oldToken);
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + oldToken).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + newToken).json.value("state").toString(),
             QStringLiteral("pending"));
}

void TestServerInvites::editChangesContactAndSendsAgain()
{
    const QString phone = newMobile();
    const HttpReply created = invite(*m_http, m_a, QStringLiteral("Edit Me"), phone);
    QCOMPARE(created.status, 201);
    const QString id = created.json.value("invitation").toObject().value("id").toString();
    const QString conversationId = created.json.value("conversation").toObject().value("id").toString();
    const QString oldToken = tokenIn(lastDeliveryTo(*m_http, phone).value("body").toString());
    const HttpReply r = m_http->request(
        "PATCH", QStringLiteral("/v1/invitations/%1").arg(id),
        {{"patientName", "Edited Name"}, {"phone", QJsonValue::Null}, {"email", "edited@example.org"}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("channel").toString(), QStringLiteral("email"));
    QVERIFY(r.json.value("phone").isNull());
    QCOMPARE(r.json.value("email").toString(), QStringLiteral("edited@example.org"));
    QCOMPARE(r.json.value("patientName").toString(), QStringLiteral("Edited Name"));
    const QJsonObject mail = lastDeliveryTo(*m_http, QStringLiteral("edited@example.org"));
    QCOMPARE(mail.value("channel").toString(), QStringLiteral("email"));
    QVERIFY(!mail.value("subject").toString().isEmpty());
    QVERIFY(!tokenIn(mail.value("body").toString()).isEmpty());
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + oldToken).status, 404);
    QCOMPARE(
        get(QStringLiteral("/v1/conversations/%1").arg(conversationId), m_a.adminToken).json.value("title").toString(),
        QStringLiteral("Edited Name"));
    // Removing the only contact is refused.
    const HttpReply none =
        m_http->request("PATCH", QStringLiteral("/v1/invitations/%1").arg(id), {{"email", ""}}, m_a.adminToken);
    QCOMPARE(none.status, 400);
    // Moving onto a contact the practice already reaches is a duplicate.
    const HttpReply dup = m_http->request("PATCH", QStringLiteral("/v1/invitations/%1").arg(id),
                                          {{"email", "pat@inva.example"}}, m_a.adminToken);
    QCOMPARE(dup.status, 409);
    QCOMPARE(dup.json.value("conversationId").toString(), m_a.conversationId);
}

void TestServerInvites::revokeKillsTheLink()
{
    const QString phone = newMobile();
    const HttpReply created = invite(*m_http, m_a, QStringLiteral("Revoke Me"), phone);
    const QString id = created.json.value("invitation").toObject().value("id").toString();
    const QString conversationId = created.json.value("conversation").toObject().value("id").toString();
    const QString token = tokenIn(lastDeliveryTo(*m_http, phone).value("body").toString());
    QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/invitations/%1").arg(id), {}, m_a.adminToken).status, 204);
    QCOMPARE(get(QStringLiteral("/v1/invitations/by-token/") + token).json.value("state").toString(),
             QStringLiteral("revoked"));
    QCOMPARE(post(QStringLiteral("/v1/invitations/%1/resend").arg(id), {}, m_a.adminToken).status, 409);
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1").arg(conversationId), m_a.adminToken)
                 .json.value("invitationState")
                 .toString(),
             QStringLiteral("revoked"));
    bool listUpdated = false;
    for (const QJsonObject &d : storedEvents(*m_http, m_a.clinicianToken, QStringLiteral("conversation.updated")))
        listUpdated = listUpdated
            || (d.value("id").toString() == conversationId
                && d.value("invitationState").toString() == QLatin1String("revoked"));
    QVERIFY(listUpdated);
    QCOMPARE(post(QStringLiteral("/v1/codes"), {{"invitationToken", token}}).status, 404);
    // A revoked invitation pairs nothing: the person must give a name to make an unrelated account.
    const QString code = requestCode(*m_http, {{"phone", phone}});
    QCOMPARE(code.size(), 6);
    const HttpReply v = post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}});
    QCOMPARE(v.status, 400);
    QCOMPARE(v.errorCode(), QStringLiteral("missing_field"));
}

void TestServerInvites::invitationTextRules()
{
    const QString path = QStringLiteral("/v1/practices/%1/invitation-text").arg(m_a.practiceId);
    HttpReply r = get(path, m_a.clinicianToken);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.value("isDefault").toBool());
    QVERIFY(r.json.value("text").toString().contains(QStringLiteral("{link}")));
    QCOMPARE(m_http->request("PUT", path, {{"text", "Join us securely here: {link}"}}, m_a.clinicianToken).status, 403);
    for (const char *bad : {"too short {link}", "No link in this text at all, sorry.",
                            "Two links {link} and {link} here", "Hello {name}, join us here: {link}"}) {
        r = m_http->request("PUT", path, {{"text", bad}}, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    }
    r = m_http->request("PUT", path, {{"text", "Join us securely here: {link}"}}, m_a.adminToken);
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json.value("isDefault").toBool());
    const QString phone = newMobile();
    QCOMPARE(invite(*m_http, m_a, QStringLiteral("Texted"), phone).status, 201);
    QVERIFY(
        lastDeliveryTo(*m_http, phone).value("body").toString().startsWith(QStringLiteral("Join us securely here: ")));
    QCOMPARE(m_http->request("PUT", path, {{"text", r.json.value("text")}}, m_b.adminToken).status, 404);
}

void TestServerInvites::othersGetNotFound()
{
    const QString phone = newMobile();
    const HttpReply created = invite(*m_http, m_a, QStringLiteral("Private"), phone);
    const QString id = created.json.value("invitation").toObject().value("id").toString();
    const QString conversationId = created.json.value("conversation").toObject().value("id").toString();
    for (const QString &token : {m_b.adminToken, m_a.patientToken}) {
        QCOMPARE(post(QStringLiteral("/v1/invitations/%1/resend").arg(id), {}, token).status, 404);
        QCOMPARE(m_http->request("PATCH", QStringLiteral("/v1/invitations/%1").arg(id), {{"patientName", "X"}}, token)
                     .status,
                 404);
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/invitations/%1").arg(id), {}, token).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/conversations/%1/invitation").arg(conversationId), token).status, 404);
        QCOMPARE(post(QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId), {{"phone", phone}}, token)
                     .status,
                 404);
        QCOMPARE(post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                      {{"patientName", "X"}, {"phone", newMobile()}}, token)
                     .status,
                 404);
    }
    QCOMPARE(post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                  {{"patientName", "X"}, {"phone", newMobile()}})
                 .status,
             401);
    // A conversation without an invitation has none to show.
    QCOMPARE(get(QStringLiteral("/v1/conversations/%1/invitation").arg(m_a.conversationId), m_a.adminToken).status,
             404);
}

void TestServerInvites::badInputIsRefused()
{
    const QString path = QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId);
    struct Case {
        QJsonObject body;
        const char *code;
    };
    const QList<Case> cases{
        {{{"phone", newMobile()}}, "missing_field"},
        {{{"patientName", "No Contact"}}, "missing_field"},
        {{{"patientName", 5}, {"phone", newMobile()}}, "invalid_field"},
        {{{"patientName", "Typed"}, {"phone", 33612345678LL}}, "invalid_field"},
        {{{"patientName", QString(201, QLatin1Char('x'))}, {"phone", newMobile()}}, "invalid_field"},
        {{{"patientName", "Typo"}, {"phone", newMobile()}, {"emial", "a@b.example"}}, "invalid_field"},
        {{{"patientName", "Long"}, {"email", QString(300, QLatin1Char('a')) + "@example.org"}}, "invalid_field"},
    };
    for (const Case &c : cases) {
        const HttpReply r = post(path, c.body, m_a.adminToken);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QLatin1String(c.code));
        QVERIFY(!messageOf(r).isEmpty());
    }
    QCOMPARE(m_http->raw("POST", path, "[1,2]", "application/json", m_a.adminToken).status, 400);
    const QByteArray huge =
        QJsonDocument(QJsonObject{{"patientName", QString(70000, QLatin1Char('x'))}, {"phone", newMobile()}}).toJson();
    QCOMPARE(m_http->raw("POST", path, huge, "application/json", m_a.adminToken).status, 413);
    QCOMPARE(m_http->raw("POST", QStringLiteral("/v1/codes"), huge, "application/json").status, 413);
    QCOMPARE(post(QStringLiteral("/v1/codes"), {}).status, 400);
    QCOMPARE(post(QStringLiteral("/v1/codes"), {{"phone", "+33612345678"}, {"email", "a@b.example"}}).status, 400);
    QCOMPARE(post(QStringLiteral("/v1/codes"), {{"invitationToken", "unknown"}}).status, 404);
    QCOMPARE(post(QStringLiteral("/v1/codes/verify"), {{"email", "a@b.example"}, {"code", "12ab56"}}).status, 400);
    QCOMPARE(post(QStringLiteral("/v1/codes/verify"), {{"email", "a@b.example"}}).errorCode(),
             QStringLiteral("missing_field"));
    QCOMPARE(post(QStringLiteral("/v1/codes/verify"), {{"email", "a@b.example"}, {"code", 123456}}).status, 400);
}

void TestServerInvites::limitsPerAddressAndPractice()
{
    TestServer server;
    QVERIFY(server.start({QStringLiteral("--code-address-limit"), QStringLiteral("3"), QStringLiteral("--invite-limit"),
                          QStringLiteral("2")}));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("limits"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(http.post(QStringLiteral("/v1/codes"), {{"email", QStringLiteral("p%1@example.org").arg(i)}}).status,
                 202);
    HttpReply r = http.post(QStringLiteral("/v1/codes"), {{"email", "p9@example.org"}});
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    QVERIFY(!messageOf(r).isEmpty());
    QCOMPARE(invite(http, s, QStringLiteral("One"), QStringLiteral("+33612300001")).status, 201);
    QCOMPARE(invite(http, s, QStringLiteral("Two"), QStringLiteral("+33612300002")).status, 201);
    r = invite(http, s, QStringLiteral("Three"), QStringLiteral("+33612300003"));
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
}

QTEST_GUILESS_MAIN(TestServerInvites)
