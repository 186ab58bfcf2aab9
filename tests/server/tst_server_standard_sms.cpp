// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_standard: texts through the loopback SMS gateway, signed inbound SMS and the STOP/START/HELP keywords.
#include "tst_server_standard.h"

void TestServerStandard::smsWebhooksNeedAGateway()
{
    QCOMPARE(m_http
                 ->raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"), "From=%2B1&MessageSid=SM1",
                       "application/x-www-form-urlencoded")
                 .status,
             404);
}

void TestServerStandard::smsThroughTheGateway()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    TestServer server;
    QVERIFY(server.start(kRoomy
                         + QStringList{QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"),
                                       kAccount, QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"),
                                       kFrom, QStringLiteral("--delivery-retries"), QStringLiteral("1")}));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("stdgw"));
    const QString phone = QStringLiteral("+33612399001");
    const QString id =
        create(http, s, {{"channel", "sms"}, {"phone", phone}, {"name", "Gale Way"}}).json.value("id").toString();
    QCOMPARE(consent(http, id, s.adminToken).status, 200);
    EventClient staff(server.baseUrl(), s.clinicianToken, latestSeq(http, s.clinicianToken));
    QVERIFY(staff.waitForHello());
    auto states = [&](const QString &messageId) {
        QStringList out;
        for (const QJsonObject &m : staff.dataOf("message.updated"))
            if (m.value("id").toString() == messageId)
                out << m.value("delivery").toObject().value("state").toString();
        return out;
    };
    auto gatewayMessages = [&] { return gw.get(QStringLiteral("/messages")).json.value("messages").toArray(); };

    // queued → sent (the gateway took it) → delivered (its signed status callback).
    HttpReply r = send(http, id, s.clinicianToken, QStringLiteral("Your prescription is ready."));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value("delivery").toObject().value("state").toString(), QStringLiteral("queued"));
    const QString first = r.json.value("id").toString();
    QVERIFY(waitUntil([&] { return gatewayMessages().size() == 1; }));
    const QJsonObject form = gatewayMessages()[0].toObject().value("form").toObject();
    QCOMPARE(form.value("To").toString(), phone);
    QCOMPARE(form.value("From").toString(), kFrom);
    QCOMPARE(form.value("Body").toString(), QStringLiteral("Your prescription is ready."));
    QVERIFY(staff.waitFor([&] { return states(first) == QStringList{"sent"}; }));
    const QString sid = gatewayMessages()[0].toObject().value("sid").toString();
    r = gw.post(QStringLiteral("/callback"), {{"sid", sid}, {"status", "delivered"}});
    QVERIFY(r.json.value("body").toString().contains(QStringLiteral("applied")));
    QVERIFY(staff.waitFor([&] { return states(first) == QStringList({"sent", "delivered"}); }));
    QCOMPARE(
        messagesOf(http, id, s.adminToken).first().toObject().value("delivery").toObject().value("state").toString(),
        QStringLiteral("delivered"));

    // sent, then the carrier cannot deliver: failed with the gateway's sentence.
    const QString second =
        send(http, id, s.clinicianToken, QStringLiteral("Call us back.")).json.value("id").toString();
    QVERIFY(waitUntil([&] { return gatewayMessages().size() == 2; }));
    QVERIFY(staff.waitFor([&] { return states(second) == QStringList{"sent"}; }));
    gw.post(QStringLiteral("/callback"),
            {{"sid", gatewayMessages()[1].toObject().value("sid").toString()},
             {"status", "undelivered"},
             {"errorCode", "30006"}});
    QVERIFY(staff.waitFor([&] { return states(second) == QStringList({"sent", "failed"}); }));
    QJsonObject failed;
    for (const QJsonObject &m : staff.dataOf("message.updated"))
        if (m.value("id").toString() == second)
            failed = m;
    QVERIFY(failed.value("delivery").toObject().value("detail").toString().contains(QStringLiteral("landline")));

    // Refused by the gateway at once: failed without ever being sent.
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "reject"}}).status, 200);
    const QString third = send(http, id, s.clinicianToken, QStringLiteral("One more.")).json.value("id").toString();
    QVERIFY(staff.waitFor([&] { return states(third) == QStringList{"failed"}; }));
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "ok"}}).status, 200);

    // The gateway no longer holds the text of what it sent: a real transport clears outbox bodies.
    QCOMPARE(server.terminate(), 0);
    QVERIFY(!server.standardError().contains("prescription"));
    QVERIFY(!server.standardError().contains("612399001"));
}

void TestServerStandard::inboundSmsAndKeywords()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    TestServer server;
    QVERIFY(server.start(kRoomy
                         + QStringList{QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"),
                                       kAccount, QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"),
                                       kFrom}));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("stdin"));
    const QString phone = QStringLiteral("+33612399002");
    const QString id =
        create(http, s, {{"channel", "sms"}, {"phone", phone}, {"name", "Ina Bound"}}).json.value("id").toString();
    const QString patientId =
        http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json.value("patientId").toString();
    const QString inbound = server.baseUrl() + QStringLiteral("/v1/webhooks/sms/inbound");
    auto text = [&](const QString &from, const QString &body, const QString &sid) {
        return gw
            .post(QStringLiteral("/callback"),
                  {{"url", inbound},
                   {"params",
                    QJsonObject{{"From", from},
                                {"To", kFrom},
                                {"Body", body},
                                {"MessageSid", sid},
                                {"NumMedia", "0"},
                                {"AccountSid", kAccount}}}})
            .json;
    };
    auto gatewayTo = [&](const QString &to) {
        QStringList bodies;
        for (const QJsonValue &m : gw.get(QStringLiteral("/messages")).json.value("messages").toArray())
            if (m.toObject().value("form").toObject().value("To").toString() == to)
                bodies << m.toObject().value("form").toObject().value("Body").toString();
        return bodies;
    };
    EventClient staff(server.baseUrl(), s.adminToken, latestSeq(http, s.adminToken));
    QVERIFY(staff.waitForHello());

    // A text from the contact: stored, live to staff, answered with empty TwiML.
    QJsonObject r = text(phone, QStringLiteral("Running 10 minutes late"), QStringLiteral("SMin0001"));
    QCOMPARE(r.value("status").toInt(), 200);
    QVERIFY(r.value("body").toString().contains(QStringLiteral("<Response/>")));
    QVERIFY(staff.waitFor([&] { return staff.dataOf("message.created").size() == 1; }));
    const QJsonObject in = staff.dataOf("message.created").first();
    QCOMPARE(in.value("body").toString(), QStringLiteral("Running 10 minutes late"));
    QCOMPARE(in.value("senderId").toString(), patientId);
    QCOMPARE(in.value("senderName").toString(), QStringLiteral("Ina Bound"));
    QCOMPARE(in.value("delivery").toObject().value("state").toString(), QStringLiteral("received"));
    QCOMPARE(http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json.value("unreadCount").toInt(),
             1);
    // The same MessageSid again changes nothing; a number nobody texts is ignored.
    QCOMPARE(text(phone, QStringLiteral("Running 10 minutes late"), QStringLiteral("SMin0001")).value("status").toInt(),
             200);
    r = text(QStringLiteral("+33612399999"), QStringLiteral("Who is this?"), QStringLiteral("SMin0002"));
    QCOMPARE(r.value("status").toInt(), 200);
    QCOMPARE(messagesOf(http, id, s.adminToken).size(), 1);

    // Malformed: signed but missing fields; broken form; not a form; unsigned or forged.
    r = gw.post(QStringLiteral("/callback"),
                {{"url", inbound}, {"params", QJsonObject{{"Body", "x"}, {"MessageSid", "SMx"}}}})
            .json;
    QCOMPARE(r.value("status").toInt(), 400);
    QVERIFY(r.value("body").toString().contains(QStringLiteral("missing_field")));
    r = gw.post(QStringLiteral("/callback"),
                {{"url", inbound}, {"params", QJsonObject{{"From", phone}, {"Body", "x"}}}})
            .json;
    QCOMPARE(r.value("status").toInt(), 400);
    QCOMPARE(
        http.raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"), "From=%zz", "application/x-www-form-urlencoded")
            .errorCode(),
        QStringLiteral("bad_form"));
    QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"), "{}", "application/json").status, 415);
    QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"),
                      "From=%2B33612399002&Body=forged&MessageSid=SMforged", "application/x-www-form-urlencoded")
                 .errorCode(),
             QStringLiteral("bad_signature"));
    r = gw.post(QStringLiteral("/callback"),
                {{"url", inbound},
                 {"forge", true},
                 {"params", QJsonObject{{"From", phone}, {"Body", "forged"}, {"MessageSid", "SMf2"}}}})
            .json;
    QCOMPARE(r.value("status").toInt(), 403);
    QCOMPARE(messagesOf(http, id, s.adminToken).size(), 1);

    // STOP: opted out, a note, conversation.updated, one confirmation; sending and inviting are refused.
    QCOMPARE(consent(http, id, s.adminToken).status, 200);
    r = text(phone, QStringLiteral(" stop "), QStringLiteral("SMin0003"));
    QCOMPARE(r.value("status").toInt(), 200);
    QJsonObject conversation = http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json;
    QVERIFY(conversation.value("standard").toObject().value("optedOutAt").toInteger() > 0);
    QCOMPARE(messagesOf(http, id, s.adminToken).first().toObject().value("note").toObject().value("kind").toString(),
             QStringLiteral("opted_out"));
    QVERIFY(staff.waitFor([&] {
        for (const QJsonObject &c : staff.dataOf("conversation.updated"))
            if (c.value("standard").toObject().value("optedOutAt").toInteger() > 0)
                return true;
        return false;
    }));
    QVERIFY(waitUntil([&] { return gatewayTo(phone).size() == 1; }));
    QVERIFY(gatewayTo(phone).first().contains(QStringLiteral("unsubscribed")));
    HttpReply refused = send(http, id, s.adminToken, QStringLiteral("Are you there?"));
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.errorCode(), QStringLiteral("opted_out"));
    QVERIFY(errorMessage(refused).contains(QStringLiteral("STOP")));
    refused = http.post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(id), {}, s.adminToken);
    QCOMPARE(refused.errorCode(), QStringLiteral("opted_out"));

    // HELP: stored, answered without naming the practice.
    QCOMPARE(text(phone, QStringLiteral("help"), QStringLiteral("SMin0004")).value("status").toInt(), 200);
    QVERIFY(waitUntil([&] { return gatewayTo(phone).size() == 2; }));
    QCOMPARE(gatewayTo(phone).last(), QStringLiteral("Reply STOP to unsubscribe. For help, call your care team."));
    QCOMPARE(messagesOf(http, id, s.adminToken).first().toObject().value("body").toString(), QStringLiteral("help"));

    // START: opted in again, a note, a confirmation; messages go again.
    QCOMPARE(text(phone, QStringLiteral("Start"), QStringLiteral("SMin0005")).value("status").toInt(), 200);
    conversation = http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json;
    QVERIFY(conversation.value("standard").toObject().value("optedOutAt").isNull());
    QCOMPARE(messagesOf(http, id, s.adminToken).first().toObject().value("note").toObject().value("kind").toString(),
             QStringLiteral("opted_in"));
    QVERIFY(waitUntil([&] { return gatewayTo(phone).size() == 3; }));
    QVERIFY(gatewayTo(phone).last().contains(QStringLiteral("resubscribed")));
    QCOMPARE(send(http, id, s.adminToken, QStringLiteral("Welcome back.")).status, 201);
    QVERIFY(waitUntil([&] { return gatewayTo(phone).size() == 4; }));
    for (const QString &body : gatewayTo(phone))
        QVERIFY(!body.contains(QStringLiteral("Practice stdin")));
    QCOMPARE(server.terminate(), 0);
    QVERIFY(!server.standardError().contains("612399002"));
    QVERIFY(!server.standardError().contains("Running 10 minutes"));
}
