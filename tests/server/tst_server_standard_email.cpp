// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_standard: inbound e-mail webhooks and outbound e-mail through aiosmtpd with its Reply-To.
#include "tst_server_standard.h"

void TestServerStandard::inboundEmail()
{
    const QString id = create(*m_http, m_a, {{"channel", "email"}, {"email", "eve@patient.example"}, {"name", "Eve"}})
                           .json.value("id")
                           .toString();
    QCOMPARE(consent(*m_http, id, m_a.adminToken).status, 200);
    QCOMPARE(send(*m_http, id, m_a.adminToken, QStringLiteral("Please reply with your pharmacy.")).status, 201);
    QVERIFY(waitUntil([&] { return !outboxTo(QStringLiteral("eve@patient.example")).isEmpty(); }));
    const QJsonObject sent = outboxTo(QStringLiteral("eve@patient.example")).first();
    QCOMPARE(sent.value("subject").toString(), QStringLiteral("Message from your care team"));
    const QString replyTo = sent.value("replyTo").toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^replies\\+[0-9a-f]{32}@clinic\\.example$")).match(replyTo).hasMatch(),
             qPrintable(replyTo));

    EventClient admin(m_server.baseUrl(), m_a.adminToken, latestSeq(*m_http, m_a.adminToken));
    QVERIFY(admin.waitForHello());
    const QString path = QStringLiteral("/v1/webhooks/email/inbound");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Multipart, routed by the reply token (the sender writes from another address), with an attachment.
    const auto fields = signedMail({{"recipient", replyTo.toUtf8()},
                                    {"sender", "eve.other@elsewhere.example"},
                                    {"from", "Eve <eve.other@elsewhere.example>"},
                                    {"subject", "Re: Message from your care team"},
                                    {"body-plain", "Corner Pharmacy\r\n\r\nOn Tue, you wrote:\r\n> Please reply"},
                                    {"stripped-text", "Corner Pharmacy"},
                                    {"Message-Id", "<reply-1@elsewhere.example>"}},
                                   now);
    HttpReply r = m_http->raw("POST", path, multipart(fields, true), multipartType());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("result").toString(), QStringLiteral("stored"));
    QVERIFY(admin.waitFor([&] { return !admin.dataOf("message.created").isEmpty(); }));
    const QJsonObject in = admin.dataOf("message.created").first();
    QCOMPARE(in.value("conversationId").toString(), id);
    QCOMPARE(in.value("body").toString(), QStringLiteral("Corner Pharmacy"));
    QCOMPARE(in.value("senderName").toString(), QStringLiteral("Eve"));
    QCOMPARE(in.value("delivery").toObject().value("state").toString(), QStringLiteral("received"));
    const QJsonObject conversation = m_http->get(QStringLiteral("/v1/conversations/%1").arg(id), m_a.adminToken).json;
    QCOMPARE(in.value("senderId").toString(), conversation.value("patientId").toString());
    QCOMPARE(conversation.value("unreadCount").toInt(), 1);

    // The same Message-Id again (a provider retry) changes nothing.
    r = m_http->raw("POST", path, multipart(signedMail(fields.mid(0, 7), now)), multipartType());
    QCOMPARE(r.json.value("result").toString(), QStringLiteral("duplicate"));
    QCOMPARE(messagesOf(*m_http, id, m_a.adminToken).size(), 3);

    // Urlencoded, no token: routed by the sender; the quoted reply is left out of body-plain.
    r = m_http->raw("POST", path,
                    urlEncoded(signedMail({{"recipient", "replies@clinic.example"},
                                           {"sender", "EVE@patient.example"},
                                           {"body-plain", "See you Monday.\n\nOn Mon, Clinic wrote:\n> Hello\n> there"},
                                           {"Message-Id", "<reply-2@patient.example>"}},
                                          now)),
                    "application/x-www-form-urlencoded");
    QCOMPARE(r.json.value("result").toString(), QStringLiteral("stored"));
    QCOMPARE(messagesOf(*m_http, id, m_a.adminToken).first().toObject().value("body").toString(),
             QStringLiteral("See you Monday."));

    // Nobody's conversation: acknowledged and ignored.
    r = m_http->raw("POST", path,
                    urlEncoded(signedMail({{"recipient", "replies+00000000000000000000000000000000@clinic.example"},
                                           {"sender", "stranger@example.org"},
                                           {"stripped-text", "hi"},
                                           {"Message-Id", "<stranger@example.org>"}},
                                          now)),
                    "application/x-www-form-urlencoded");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("result").toString(), QStringLiteral("ignored"));

    // Refused: a wrong key, a stale timestamp, no signature, broken multipart, not a form, too large.
    const QList<QPair<QByteArray, QByteArray>> plain{
        {"recipient", replyTo.toUtf8()}, {"stripped-text", "forged"}, {"Message-Id", "<forged@example.org>"}};
    QCOMPARE(
        m_http->raw("POST", path, urlEncoded(signedMail(plain, now, "wrong key")), "application/x-www-form-urlencoded")
            .errorCode(),
        QStringLiteral("bad_signature"));
    QCOMPARE(
        m_http->raw("POST", path, urlEncoded(signedMail(plain, now - 20 * 60)), "application/x-www-form-urlencoded")
            .status,
        403);
    QCOMPARE(m_http->raw("POST", path, urlEncoded(plain), "application/x-www-form-urlencoded").status, 403);
    QByteArray broken = multipart(signedMail(plain, now));
    broken.chop(QByteArray("--" + kBoundary + "--\r\n").size());
    r = m_http->raw("POST", path, broken, multipartType());
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("bad_form"));
    QCOMPARE(m_http->raw("POST", path, "--x\r\nno headers end", "multipart/form-data; boundary=x").errorCode(),
             QStringLiteral("bad_form"));
    QCOMPARE(m_http->raw("POST", path, "{}", "application/json").status, 415);
    QCOMPARE(m_http
                 ->raw("POST", path, multipart(signedMail({{"stripped-text", QByteArray(1100 * 1024, 'a')}}, now)),
                       multipartType())
                 .status,
             413);
    QCOMPARE(m_http->get(path).status, 405);
    QCOMPARE(messagesOf(*m_http, id, m_a.adminToken).size(), 4);
}

void TestServerStandard::emailThroughSmtpWithReplyTo()
{
    MailSink smtp;
    QVERIFY(smtp.start());
    const QString maildir = smtp.maildir();
    TestServer server;
    QVERIFY(server.start({QStringLiteral("--smtp-url"), smtp.url(), QStringLiteral("--smtp-from"),
                          QStringLiteral("Care Team <care@clinic.example>"), QStringLiteral("--email-reply-address"),
                          kReplyAddress}));
    HttpClient http(server.baseUrl());
    const Scene s = makeScene(http, QStringLiteral("stdmail"));
    const QString id =
        create(http, s, {{"channel", "email"}, {"email", "mia@patient.example"}}).json.value("id").toString();
    QCOMPARE(consent(http, id, s.adminToken, "patient_initiated").status, 200);
    const QString messageId =
        send(http, id, s.adminToken, QStringLiteral("Your appointment is on Friday at 9.")).json.value("id").toString();
    QDir newMail(maildir + QStringLiteral("/new"));
    QVERIFY(waitUntil([&] { return newMail.entryList(QDir::Files).size() == 1; }));
    QFile file(newMail.filePath(newMail.entryList(QDir::Files).first()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray mail = file.readAll();
    QVERIFY2(mail.contains("To: <mia@patient.example>"), mail.constData());
    QVERIFY(mail.contains("Subject: Message from your care team"));
    QVERIFY(QRegularExpression(QStringLiteral("Reply-To: <replies\\+[0-9a-f]{32}@clinic\\.example>"))
                .match(QString::fromUtf8(mail))
                .hasMatch());
    QVERIFY(mail.contains("Your appointment is on Friday at 9."));
    QVERIFY(waitUntil([&] {
        return messagesOf(http, id, s.adminToken).first().toObject().value("delivery").toObject().value("state")
            == QLatin1String("sent");
    }));
    QCOMPARE(messagesOf(http, id, s.adminToken).first().toObject().value("id").toString(), messageId);
    // Without --email-inbound-key the inbound webhook does not exist.
    QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/email/inbound"), "a=b", "application/x-www-form-urlencoded")
                 .status,
             404);
    QCOMPARE(server.terminate(), 0);
    QVERIFY(!server.standardError().contains("mia@"));
    QVERIFY(!server.standardError().contains("Friday"));
}
