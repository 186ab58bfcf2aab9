// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_standard: creating standard conversations, consent, bad input, and the step up to a secure conversation.
#include "tst_server_standard.h"

void TestServerStandard::initTestCase()
{
    QVERIFY(m_server.start(kRoomy
                           + QStringList{QStringLiteral("--email-inbound-key"), QString::fromLatin1(kMailKey),
                                         QStringLiteral("--email-reply-address"), kReplyAddress}));
    m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    m_a = makeScene(*m_http, QStringLiteral("stda"));
    m_b = makeScene(*m_http, QStringLiteral("stdb"));
    QVERIFY(!m_a.patientToken.isEmpty() && !m_b.patientToken.isEmpty());
}

void TestServerStandard::createsConversations()
{
    EventClient clinician(m_server.baseUrl(), m_a.clinicianToken, latestSeq(*m_http, m_a.clinicianToken));
    QVERIFY(clinician.waitForHello());
    const QString phone = newMobile();
    HttpReply r = create(*m_http, m_a, {{"channel", "sms"}, {"phone", phone}, {"name", "Sam Lee"}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("kind").toString(), QStringLiteral("sms"));
    QCOMPARE(r.json.value("title").toString(), QStringLiteral("Sam Lee"));
    const QJsonObject standard = r.json.value("standard").toObject();
    QCOMPARE(standard.value("address").toString(), phone);
    QVERIFY(!standard.value("display").toString().isEmpty());
    QVERIFY(standard.value("consent").isNull());
    QVERIFY(standard.value("optedOutAt").isNull());
    const QString id = r.json.value("id").toString();
    QVERIFY(clinician.waitFor([&] {
        for (const QJsonObject &c : clinician.dataOf("conversation.created"))
            if (c.value("id").toString() == id && c.value("standard").isObject())
                return true;
        return false;
    }));

    // Without a name the title is the contact as people write it; email addresses are lower-cased.
    r = create(*m_http, m_a, {{"channel", "email"}, {"email", "Robin@Patient.Example"}}, m_a.clinicianToken);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("kind").toString(), QStringLiteral("email"));
    QCOMPARE(r.json.value("title").toString(), QStringLiteral("robin@patient.example"));
    QCOMPARE(r.json.value("standard").toObject().value("address").toString(), QStringLiteral("robin@patient.example"));
    // The same contact in another practice is that practice's own conversation.
    QCOMPARE(create(*m_http, m_b, {{"channel", "email"}, {"email", "robin@patient.example"}}).status, 201);

    // A duplicate names the conversation to open instead.
    r = create(*m_http, m_a, {{"channel", "sms"}, {"phone", phone}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("duplicate_contact"));
    QCOMPARE(r.json.value("conversationId").toString(), id);

    // The practice's invited patient with that contact is the conversation's patient.
    const QString invited = newMobile();
    const HttpReply invitation = m_http->post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                                              {{"patientName", "Ivy Invited"}, {"phone", invited}}, m_a.adminToken);
    QCOMPARE(invitation.status, 201);
    r = create(*m_http, m_a, {{"channel", "sms"}, {"phone", invited}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("patientId").toString(),
             invitation.json.value("conversation").toObject().value("patientId").toString());
    // ... and the secure form's contact check still offers only the secure conversation.
    const HttpReply check = m_http->post(QStringLiteral("/v1/practices/%1/contacts/check").arg(m_a.practiceId),
                                         {{"phone", invited}}, m_a.adminToken);
    QCOMPARE(check.json.value("matches").toArray().size(), 1);
}

void TestServerStandard::refusesBadInput()
{
    auto refused = [&](const QJsonObject &body, int status, const char *code) {
        const HttpReply r = create(*m_http, m_a, body);
        if (r.status != status || r.errorCode() != QLatin1String(code))
            qWarning() << body << r.status << r.body;
        return r.status == status && r.errorCode() == QLatin1String(code) && !errorMessage(r).isEmpty();
    };
    // A landline cannot receive texts: the sentence says what to do.
    const HttpReply landline = create(*m_http, m_a, {{"channel", "sms"}, {"phone", "+33 1 23 45 67 89"}});
    QCOMPARE(landline.status, 400);
    QCOMPARE(landline.errorCode(), QStringLiteral("invalid_field"));
    QVERIFY(errorMessage(landline).contains(QStringLiteral("landline")));
    QVERIFY(refused({{"phone", newMobile()}}, 400, "missing_field"));
    QVERIFY(refused({{"channel", "fax"}, {"phone", newMobile()}}, 400, "invalid_field"));
    QVERIFY(refused({{"channel", 7}, {"phone", newMobile()}}, 400, "invalid_field"));
    QVERIFY(refused({{"channel", "sms"}}, 400, "missing_field"));
    QVERIFY(refused({{"channel", "sms"}, {"phone", "12"}}, 400, "invalid_field"));
    QVERIFY(refused({{"channel", "email"}, {"email", "not an address"}}, 400, "invalid_field"));
    QVERIFY(refused({{"channel", "email"}, {"phone", newMobile()}}, 400, "missing_field"));
    QVERIFY(refused({{"channel", "sms"}, {"phone", newMobile()}, {"name", QString(201, QLatin1Char('n'))}}, 400,
                    "invalid_field"));
    QVERIFY(refused({{"channel", "sms"}, {"phone", newMobile()}, {"colour", "red"}}, 400, "invalid_field"));
    QCOMPARE(m_http
                 ->raw("POST", QStringLiteral("/v1/practices/%1/standard-conversations").arg(m_a.practiceId), "{",
                       "application/json", m_a.adminToken)
                 .errorCode(),
             QStringLiteral("bad_json"));
    // Staff routes: 404 to another practice's staff and to patients, 401 without a token.
    const QJsonObject ok{{"channel", "sms"}, {"phone", newMobile()}};
    QCOMPARE(create(*m_http, m_a, ok, m_b.adminToken).status, 404);
    QCOMPARE(create(*m_http, m_a, ok, m_a.patientToken).status, 404);
    QCOMPARE(m_http->post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(m_a.practiceId), ok).status,
             401);
    QCOMPARE(m_http->get(QStringLiteral("/v1/practices/%1/standard-conversations").arg(m_a.practiceId), m_a.adminToken)
                 .status,
             405);
}

void TestServerStandard::consentComesBeforeTheFirstMessage()
{
    const QString phone = newMobile();
    const QString id =
        create(*m_http, m_a, {{"channel", "sms"}, {"phone", phone}, {"name", "Cora"}}).json.value("id").toString();
    QVERIFY(!id.isEmpty());
    HttpReply r = send(*m_http, id, m_a.clinicianToken, QStringLiteral("Your results are in."));
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("consent_required"));
    QVERIFY(errorMessage(r).contains(QStringLiteral("consent")));
    QVERIFY(outboxTo(phone).isEmpty());

    // Bad consent bodies, consent on a secure conversation, consent by a patient or another practice.
    QCOMPARE(consent(*m_http, id, m_a.adminToken, "telepathy").status, 400);
    QCOMPARE(m_http->post(QStringLiteral("/v1/conversations/%1/consent").arg(id), {}, m_a.adminToken).errorCode(),
             QStringLiteral("missing_field"));
    QCOMPARE(m_http
                 ->post(QStringLiteral("/v1/conversations/%1/consent").arg(id),
                        {{"method", "written"}, {"note", QString(501, QLatin1Char('x'))}}, m_a.adminToken)
                 .status,
             400);
    QCOMPARE(consent(*m_http, m_a.conversationId, m_a.adminToken).errorCode(), QStringLiteral("conflict"));
    QCOMPARE(consent(*m_http, id, m_b.adminToken).status, 404);
    QCOMPARE(consent(*m_http, id, m_a.patientToken).status, 404);

    EventClient admin(m_server.baseUrl(), m_a.adminToken, latestSeq(*m_http, m_a.adminToken));
    QVERIFY(admin.waitForHello());
    r = m_http->post(QStringLiteral("/v1/conversations/%1/consent").arg(id),
                     {{"method", "written"}, {"note", "Signed form on file"}}, m_a.clinicianToken);
    QCOMPARE(r.status, 200);
    const QJsonObject recorded = r.json.value("standard").toObject().value("consent").toObject();
    QCOMPARE(recorded.value("method").toString(), QStringLiteral("written"));
    QCOMPARE(recorded.value("note").toString(), QStringLiteral("Signed form on file"));
    QCOMPARE(recorded.value("recordedBy").toString(), m_a.clinicianId);
    QVERIFY(recorded.value("at").toInteger() > 0);
    const QJsonObject note = messagesOf(*m_http, id, m_a.adminToken).first().toObject();
    QCOMPARE(note.value("note").toObject().value("kind").toString(), QStringLiteral("consent_recorded"));
    QCOMPARE(note.value("senderId").toString(), m_a.clinicianId);
    QCOMPARE(note.value("body").toString(), QString());
    QVERIFY(admin.waitFor(
        [&] { return !admin.dataOf("message.created").isEmpty() && !admin.dataOf("conversation.updated").isEmpty(); }));
    QCOMPARE(admin.dataOf("conversation.updated")
                 .last()
                 .value("standard")
                 .toObject()
                 .value("consent")
                 .toObject()
                 .value("method")
                 .toString(),
             QStringLiteral("written"));

    // Now messages go: plain text, queued, then sent (the development outbox) as message.updated.
    QCOMPARE(send(*m_http, id, m_a.clinicianToken, QString(1601, QLatin1Char('a'))).status, 400);
    const QString clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QCOMPARE(m_http
                 ->post(QStringLiteral("/v1/conversations/%1/messages").arg(id),
                        {{"clientId", clientId}, {"body", "x"}, {"envelope", QJsonObject{{"epoch", 1}}}},
                        m_a.clinicianToken)
                 .errorCode(),
             QStringLiteral("invalid_field"));
    QCOMPARE(m_http
                 ->post(QStringLiteral("/v1/conversations/%1/messages").arg(id), {{"clientId", clientId}},
                        m_a.clinicianToken)
                 .errorCode(),
             QStringLiteral("missing_field"));
    r = send(*m_http, id, m_a.clinicianToken, QStringLiteral("Your results are in."), clientId);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("body").toString(), QStringLiteral("Your results are in."));
    QCOMPARE(r.json.value("delivery").toObject().value("state").toString(), QStringLiteral("queued"));
    const QString messageId = r.json.value("id").toString();
    // Idempotent by clientId; another body with it is a conflict.
    HttpReply again = send(*m_http, id, m_a.clinicianToken, QStringLiteral("Your results are in."), clientId);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value("id").toString(), messageId);
    QCOMPARE(send(*m_http, id, m_a.clinicianToken, QStringLiteral("Other"), clientId).status, 409);
    QVERIFY(admin.waitFor([&] {
        for (const QJsonObject &m : admin.dataOf("message.updated"))
            if (m.value("id").toString() == messageId
                && m.value("delivery").toObject().value("state") == QLatin1String("sent"))
                return true;
        return false;
    }));
    const QList<QJsonObject> out = outboxTo(phone);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.first().value("messageId").toString(), messageId);
    QCOMPARE(out.first().value("body").toString(), QStringLiteral("Your results are in."));
    QCOMPARE(messagesOf(*m_http, id, m_a.adminToken)
                 .first()
                 .toObject()
                 .value("delivery")
                 .toObject()
                 .value("state")
                 .toString(),
             QStringLiteral("sent"));
    // A standard conversation has no keys.
    QCOMPARE(m_http->post(QStringLiteral("/v1/conversations/%1/epochs").arg(id), {}, m_a.adminToken).status / 100, 4);
}

void TestServerStandard::secureInvitationPairsBothThreads()
{
    const QString phone = newMobile();
    HttpReply r = create(*m_http, m_a, {{"channel", "sms"}, {"phone", phone}, {"name", "Nico Park"}});
    const QString standardId = r.json.value("id").toString();
    const QString placeholder = r.json.value("patientId").toString();
    EventClient admin(m_server.baseUrl(), m_a.adminToken, latestSeq(*m_http, m_a.adminToken));
    QVERIFY(admin.waitForHello());

    // No consent is needed: an invitation holds no health information. A secure conversation has nothing to upgrade.
    QCOMPARE(
        m_http
            ->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(m_a.conversationId), {}, m_a.adminToken)
            .errorCode(),
        QStringLiteral("conflict"));
    QCOMPARE(
        m_http->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(standardId), {}, m_a.patientToken)
            .status,
        404);
    r = m_http->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(standardId), {}, m_a.clinicianToken);
    QCOMPARE(r.status, 201);
    const QJsonObject secure = r.json.value("conversation").toObject();
    const QString secureId = secure.value("id").toString();
    QCOMPARE(secure.value("kind").toString(), QStringLiteral("secure"));
    QCOMPARE(secure.value("title").toString(), QStringLiteral("Nico Park"));
    QCOMPARE(secure.value("invitationState").toString(), QStringLiteral("pending"));
    QCOMPARE(secure.value("patientId").toString(), placeholder);
    QCOMPARE(r.json.value("invitation").toObject().value("phone").toString(), phone);
    QVERIFY(waitUntil([&] {
        const auto out = outboxTo(phone);
        return !out.isEmpty() && out.first().value("body").toString().contains(QStringLiteral("/i/"));
    }));
    // The note points at the new thread; the standard conversation knows it.
    const QJsonObject note = messagesOf(*m_http, standardId, m_a.adminToken).first().toObject();
    QCOMPARE(note.value("note").toObject().value("kind").toString(), QStringLiteral("secure_invited"));
    QCOMPARE(note.value("note").toObject().value("conversationId").toString(), secureId);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(standardId), m_a.adminToken)
                 .json.value("standard")
                 .toObject()
                 .value("secureConversationId")
                 .toString(),
             secureId);
    QVERIFY(admin.waitFor([&] {
        bool created = false, updated = false;
        for (const QJsonObject &c : admin.dataOf("conversation.created"))
            created = created || c.value("id").toString() == secureId;
        for (const QJsonObject &c : admin.dataOf("conversation.updated"))
            updated = updated || c.value("standard").toObject().value("secureConversationId").toString() == secureId;
        return created && updated && !admin.dataOf("message.created").isEmpty();
    }));
    // Twice is a duplicate: the open invitation already reaches the contact.
    r = m_http->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(standardId), {}, m_a.adminToken);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("duplicate_contact"));
    QCOMPARE(r.json.value("conversationId").toString(), secureId);

    // The patient proves the number: both threads are the same patient's, and the patient sees the secure one only.
    QCOMPARE(m_http->post(QStringLiteral("/v1/codes"), {{"phone", phone}}).status, 202);
    const QString code = QRegularExpression(QStringLiteral("\\b([0-9]{6})\\b"))
                             .match(outboxTo(phone).first().value("body").toString())
                             .captured(1);
    QVERIFY(!code.isEmpty());
    r = m_http->post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.value("paired").toArray().contains(secureId));
    const QString patientId = r.json.value("user").toObject().value("id").toString();
    const QString patientToken = r.json.value("token").toString();
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(secureId), m_a.adminToken)
                 .json.value("patientId")
                 .toString(),
             patientId);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(standardId), m_a.adminToken)
                 .json.value("patientId")
                 .toString(),
             patientId);
    const QJsonArray listed =
        m_http->get(QStringLiteral("/v1/conversations"), patientToken).json.value("conversations").toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().toObject().value("id").toString(), secureId);
    QVERIFY(listed.first().toObject().value("standard").isNull());
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(standardId), patientToken).status, 404);
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(standardId), patientToken).status, 404);
    QCOMPARE(send(*m_http, standardId, patientToken, QStringLiteral("hi")).status, 404);
    QCOMPARE(
        m_http->post(QStringLiteral("/v1/conversations/%1/read").arg(standardId), {{"seq", 1}}, patientToken).status,
        404);
    for (const QJsonValue &e :
         m_http->get(QStringLiteral("/v1/events?since=0"), patientToken).json.value("events").toArray())
        QVERIFY(!QJsonDocument(e.toObject()).toJson().contains(standardId.toLatin1()));
    // Staff marking the standard thread read tells nobody outside the practice.
    QCOMPARE(
        m_http->post(QStringLiteral("/v1/conversations/%1/read").arg(standardId), {{"seq", 2}}, m_a.adminToken).status,
        200);
    for (const QJsonValue &e :
         m_http->get(QStringLiteral("/v1/events?since=0"), patientToken).json.value("events").toArray())
        QVERIFY(!QJsonDocument(e.toObject()).toJson().contains(standardId.toLatin1()));
}

void TestServerStandard::pairingMovesStandardThreadsOfTheContact()
{
    // An email thread first, then an ordinary invitation for the same address: two placeholders.
    const QString email = QStringLiteral("moved@patient.example");
    const QString standardId =
        create(*m_http, m_a, {{"channel", "email"}, {"email", email}}).json.value("id").toString();
    QVERIFY(!standardId.isEmpty());
    const HttpReply invitation = m_http->post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                                              {{"patientName", "Mo Ved"}, {"email", email}}, m_a.adminToken);
    QCOMPARE(invitation.status, 201);
    QCOMPARE(m_http->post(QStringLiteral("/v1/codes"), {{"email", email}}).status, 202);
    const QString code = QRegularExpression(QStringLiteral("\\b([0-9]{6})\\b"))
                             .match(outboxTo(email).first().value("body").toString())
                             .captured(1);
    EventClient admin(m_server.baseUrl(), m_a.adminToken, latestSeq(*m_http, m_a.adminToken));
    QVERIFY(admin.waitForHello());
    const HttpReply verified = m_http->post(QStringLiteral("/v1/codes/verify"), {{"email", email}, {"code", code}});
    QCOMPARE(verified.status, 200);
    const QString patientId = verified.json.value("user").toObject().value("id").toString();
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(standardId), m_a.adminToken)
                 .json.value("patientId")
                 .toString(),
             patientId);
    QVERIFY(admin.waitFor([&] {
        for (const QJsonObject &c : admin.dataOf("conversation.updated"))
            if (c.value("id").toString() == standardId && c.value("patientId").toString() == patientId)
                return true;
        return false;
    }));
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations"), verified.json.value("token").toString())
                 .json.value("conversations")
                 .toArray()
                 .size(),
             1);
}

void TestServerStandard::cleanupTestCase()
{
    // Nothing a patient wrote or a contact reached ends up in the log.
    QCOMPARE(m_server.terminate(), 0);
    const QByteArray log = m_server.standardError();
    for (const char *secret : {"Corner Pharmacy", "See you Monday", "Your results are in", "eve@patient.example",
                               "robin@patient.example", "+336124"})
        QVERIFY2(!log.contains(secret), secret);
}

QTEST_MAIN(TestServerStandard)
