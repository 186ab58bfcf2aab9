// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Delivery of invitations and codes through real transports, with the real larch-server binary: e-mail to a
// real SMTP server on loopback (aiosmtpd), SMS to a loopback gateway in Twilio's shape (support/fakes/sms_gateway.py) with
// retries, final failure and signed status callbacks.
#include "HttpClient.h"
#include "Loopback.h"
#include "TestServer.h"

#include <functional>
#include <memory>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using namespace loopback;

const QString kAccount = QStringLiteral("AC0123456789abcdef0123456789abcdef");
const QString kToken = QStringLiteral("gateway-auth-token-for-tests");
const QString kFrom = QStringLiteral("+15005550006");

/// A mail message as received: headers (names lower-case) and body.
struct Mail {
    QHash<QString, QString> headers;
    QString body;
};

Mail parseMail(const QByteArray &raw)
{
    Mail m;
    QByteArray text = raw;
    text.replace("\r\n", "\n");
    const qsizetype split = text.indexOf("\n\n");
    QString lastName;
    for (const QByteArray &line : text.left(split).split('\n')) {
        if ((line.startsWith(' ') || line.startsWith('\t')) && !lastName.isEmpty()) {
            m.headers[lastName] += QString::fromUtf8(line);
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        lastName = QString::fromUtf8(line.left(colon)).toLower();
        m.headers.insert(lastName, QString::fromUtf8(line.mid(colon + 1)).trimmed());
    }
    m.body = QString::fromUtf8(text.mid(split + 2));
    return m;
}

} // namespace

/// Invitations and codes through real transports: aiosmtpd and the loopback SMS gateway.
class TestServerDelivery : public QObject {
    Q_OBJECT

private:
    /// Creates a practice on server; returns {practiceId, adminToken}.
    static QPair<QString, QString> practice(HttpClient &http, const QString &email)
    {
        const QJsonObject p = http.createPractice(QStringLiteral("Delivery Practice"), email);
        return {p.value(QLatin1String("practice")).toObject().value(QLatin1String("id")).toString(),
                p.value(QLatin1String("session")).toObject().value(QLatin1String("token")).toString()};
    }

    static QJsonObject delivery(HttpClient &http, const QString &conversationId, const QString &token)
    {
        const HttpReply r = http.get(QStringLiteral("/v1/conversations/%1/invitation").arg(conversationId), token);
        return r.json.value(QLatin1String("delivery")).toObject();
    }

    static QJsonArray gatewayMessages(HttpClient &gateway)
    {
        return gateway.get(QStringLiteral("/messages")).json.value(QLatin1String("messages")).toArray();
    }

private slots:
    void emailThroughSmtp();
    void smsThroughGateway();
    void smsFailsAfterLastRetry();
    void smsRefusedByGateway();
    void lateReportOfAReplacedLinkIsIgnored();
    void queueSurvivesShutdown();
    void emailWithStartTls();
    void emailWithCredentials();
};

void TestServerDelivery::emailThroughSmtp()
{
    MailSink smtp;
    QVERIFY(smtp.start());
    const QString maildir = smtp.maildir();

    TestServer server;
    QVERIFY(server.start({QStringLiteral("--smtp-url"), smtp.url(), QStringLiteral("--smtp-from"),
                          QStringLiteral("Larch <invites@clinic.example>")}));
    QVERIFY(server.standardError().contains("email: smtp at smtp://127.0.0.1"));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@mail.example"));
    QVERIFY(!admin.isEmpty());

    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Robin Patient"}, {"email", "robin@patient.example"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();

    // The mail arrives at the SMTP server.
    QDir newMail(maildir + QStringLiteral("/new"));
    QVERIFY(waitUntil([&] { return newMail.entryList(QDir::Files).size() == 1; }));
    QFile file(newMail.filePath(newMail.entryList(QDir::Files).first()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Mail mail = parseMail(file.readAll());
    QCOMPARE(mail.headers.value(QStringLiteral("from")), QStringLiteral("Larch <invites@clinic.example>"));
    QCOMPARE(mail.headers.value(QStringLiteral("to")), QStringLiteral("<robin@patient.example>"));
    QVERIFY(!mail.headers.value(QStringLiteral("subject")).isEmpty());
    QVERIFY(QRegularExpression(QStringLiteral("^<[0-9a-f-]{36}@clinic\\.example>$"))
                .match(mail.headers.value(QStringLiteral("message-id")))
                .hasMatch());
    QVERIFY(
        QRegularExpression(QStringLiteral("^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$"))
            .match(mail.headers.value(QStringLiteral("date")))
            .hasMatch());
    QVERIFY(!mail.body.contains(QStringLiteral("Robin"))); // no names in invitations

    // The link in it opens the invitation page.
    const auto link =
        QRegularExpression(QRegularExpression::escape(server.baseUrl()) + QStringLiteral("/i/([A-Za-z0-9_-]{43})"))
            .match(mail.body);
    QVERIFY2(link.hasMatch(), qPrintable(mail.body));
    const QString token = link.captured(1);
    const HttpReply page = http.get(QStringLiteral("/i/") + token);
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("href=\"larch://invite/" + token.toLatin1() + "\""));

    // Sent is reported back to the invitation; a real transport keeps no copy for the development outbox.
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));
    const HttpReply outbox = http.get(QStringLiteral("/dev/outbox.json"));
    QCOMPARE(outbox.status, 200); // SMS still uses it
    QCOMPARE(outbox.json.value(QLatin1String("deliveries")).toArray().size(), 0);

    // The patient asks for a code with the invitation and receives it by mail too, then pairs.
    const HttpReply code =
        http.post(QStringLiteral("/v1/codes"), {{"email", "robin@patient.example"}, {"invitationToken", token}});
    QCOMPARE(code.status, 202);
    QVERIFY(waitUntil([&] { return newMail.entryList(QDir::Files).size() == 2; }));
    QString codeBody;
    for (const QString &name : newMail.entryList(QDir::Files)) {
        QFile f(newMail.filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Mail m = parseMail(f.readAll());
        if (!m.body.contains(QStringLiteral("/i/")))
            codeBody = m.body;
    }
    const auto digits = QRegularExpression(QStringLiteral("\\b(\\d{6})\\b")).match(codeBody);
    QVERIFY2(digits.hasMatch(), qPrintable(codeBody));
    const HttpReply verified = http.post(QStringLiteral("/v1/codes/verify"),
                                         {{"email", "robin@patient.example"}, {"code", digits.captured(1)}});
    QCOMPARE(verified.status, 200);
    QVERIFY(verified.json.value(QLatin1String("paired")).toArray().contains(conversationId));

    // The used link now gets the polite page.
    QCOMPARE(http.get(QStringLiteral("/i/") + token).status, 410);

    // A text that is not ASCII travels quoted-printable and a mail reader (Python's email) decodes it intact.
    const QString text =
        QStringLiteral("Bonjour ! Votre équipe de soins vous invite sur Larch — rejoignez-la ici : {link}");
    QCOMPARE(
        http.request("PUT", QStringLiteral("/v1/practices/%1/invitation-text").arg(practiceId), {{"text", text}}, admin)
            .status,
        200);
    QCOMPARE(http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                       {{"patientName", "Zoé Patient"}, {"email", "zoe@patient.example"}}, admin)
                 .status,
             201);
    QVERIFY(waitUntil([&] { return newMail.entryList(QDir::Files).size() == 3; }));
    QString decoded;
    for (const QString &name : newMail.entryList(QDir::Files)) {
        QProcess reader;
        reader.start(
            kPython,
            {QStringLiteral("-c"),
             QStringLiteral("import email, email.policy, sys\n"
                            "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
                            "sys.stdout.buffer.write(m.get_content().encode())"),
             newMail.filePath(name)});
        QVERIFY(reader.waitForFinished(10000));
        const QString content = QString::fromUtf8(reader.readAllStandardOutput());
        if (content.contains(QStringLiteral("Bonjour")))
            decoded = content;
    }
    QVERIFY2(
        decoded.startsWith(QStringLiteral("Bonjour ! Votre équipe de soins vous invite sur Larch — rejoignez-la ici : ")
                           + server.baseUrl() + QStringLiteral("/i/")),
        qPrintable(decoded));
    QCOMPARE(server.terminate(), 0);
    QVERIFY(!server.standardError().contains("robin"));
}

void TestServerDelivery::lateReportOfAReplacedLinkIsIgnored()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    TestServer server;
    QVERIFY(server.start({QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"), kAccount,
                          QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"), kFrom}));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@resend.example"));
    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Ray Resent"}, {"phone", "+1 201 555 0177"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
    const QString invitationId =
        created.json.value(QLatin1String("invitation")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(waitUntil([&] { return gatewayMessages(gw).size() == 1; }));
    const QString firstSid = gatewayMessages(gw)[0].toObject().value(QLatin1String("sid")).toString();
    QVERIFY(!firstSid.isEmpty());
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));

    // Resent: a second message with a new link goes out and becomes the invitation's delivery.
    QCOMPARE(http.post(QStringLiteral("/v1/invitations/%1/resend").arg(invitationId), {}, admin).status, 200);
    QVERIFY(waitUntil([&] { return gatewayMessages(gw).size() == 2; }));
    const QString secondSid = gatewayMessages(gw)[1].toObject().value(QLatin1String("sid")).toString();
    QVERIFY(!secondSid.isEmpty() && secondSid != firstSid);
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));
    const qint64 sentAt = delivery(http, conversationId, admin).value(QLatin1String("updatedAt")).toInteger();

    // The carrier's late report on the first, replaced message is applied to that message only.
    HttpReply late =
        gw.post(QStringLiteral("/callback"), {{"sid", firstSid}, {"status", "undelivered"}, {"errorCode", "30003"}});
    QCOMPARE(late.json.value(QLatin1String("status")).toInt(), 200);
    QVERIFY(late.json.value(QLatin1String("body")).toString().contains(QStringLiteral("applied")));
    QJsonObject now = delivery(http, conversationId, admin);
    QCOMPARE(now.value(QLatin1String("state")).toString(), QStringLiteral("sent"));
    QVERIFY(now.value(QLatin1String("detail")).isNull());
    QCOMPARE(now.value(QLatin1String("updatedAt")).toInteger(), sentAt);
    late = gw.post(QStringLiteral("/callback"), {{"sid", firstSid}, {"status", "delivered"}});
    QCOMPARE(late.json.value(QLatin1String("status")).toInt(), 200);
    QCOMPARE(delivery(http, conversationId, admin).value(QLatin1String("state")).toString(), QStringLiteral("sent"));

    // The newest message's own report still reaches the invitation.
    QCOMPARE(gw.post(QStringLiteral("/callback"), {{"sid", secondSid}, {"status", "delivered"}})
                 .json.value(QLatin1String("status"))
                 .toInt(),
             200);
    QVERIFY(waitUntil([&] {
        return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("delivered");
    }));
    // And a late failure of the first one does not take it back.
    QCOMPARE(gw.post(QStringLiteral("/callback"), {{"sid", firstSid}, {"status", "failed"}})
                 .json.value(QLatin1String("status"))
                 .toInt(),
             200);
    QCOMPARE(delivery(http, conversationId, admin).value(QLatin1String("state")).toString(),
             QStringLiteral("delivered"));
}

void TestServerDelivery::smsThroughGateway()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "fail"}, {"failures", 1}}).status, 200);

    TestServer server;
    QVERIFY(server.start({QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"), kAccount,
                          QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"), kFrom,
                          QStringLiteral("--delivery-retries"), QStringLiteral("1,1")}));
    QVERIFY(server.standardError().contains("sms: gateway at http://127.0.0.1"));
    QVERIFY(!server.standardError().contains(kToken.toLatin1()));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@sms.example"));

    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Sky Patient"}, {"phone", "+1 201 555 0123"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();

    // First attempt answered 500, the retry a second later goes through.
    QVERIFY(waitUntil([&] { return gatewayMessages(gw).size() == 2; }));
    const QJsonArray attempts = gatewayMessages(gw);
    QCOMPARE(attempts[0].toObject().value(QLatin1String("answered")).toInt(), 500);
    const QJsonObject sent = attempts[1].toObject();
    QCOMPARE(sent.value(QLatin1String("answered")).toInt(), 201);
    QVERIFY(sent.value(QLatin1String("auth")).toBool());
    const QJsonObject form = sent.value(QLatin1String("form")).toObject();
    QCOMPARE(form.value(QLatin1String("To")).toString(), QStringLiteral("+12015550123"));
    QCOMPARE(form.value(QLatin1String("From")).toString(), kFrom);
    QCOMPARE(form.value(QLatin1String("StatusCallback")).toString(),
             server.baseUrl() + QStringLiteral("/v1/webhooks/sms/status"));
    QVERIFY(form.value(QLatin1String("Body")).toString().contains(server.baseUrl() + QStringLiteral("/i/")));
    QVERIFY(!form.value(QLatin1String("Body")).toString().contains(QStringLiteral("Sky")));
    const QString sid = sent.value(QLatin1String("sid")).toString();
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));

    // A forged signature is refused and changes nothing.
    HttpReply forged = gw.post(QStringLiteral("/callback"), {{"sid", sid}, {"status", "delivered"}, {"forge", true}});
    QCOMPARE(forged.json.value(QLatin1String("status")).toInt(), 403);
    QVERIFY(forged.json.value(QLatin1String("body")).toString().contains(QStringLiteral("bad_signature")));
    QCOMPARE(delivery(http, conversationId, admin).value(QLatin1String("state")).toString(), QStringLiteral("sent"));

    // A signed "delivered" is applied and reaches the invitation.
    HttpReply delivered = gw.post(QStringLiteral("/callback"), {{"sid", sid}, {"status", "delivered"}});
    QCOMPARE(delivered.json.value(QLatin1String("status")).toInt(), 200);
    QVERIFY(delivered.json.value(QLatin1String("body")).toString().contains(QStringLiteral("applied")));
    QVERIFY(waitUntil([&] {
        return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("delivered");
    }));
    // A late "sent" does not take it back.
    QCOMPARE(gw.post(QStringLiteral("/callback"), {{"sid", sid}, {"status", "sent"}})
                 .json.value(QLatin1String("status"))
                 .toInt(),
             200);
    QCOMPARE(delivery(http, conversationId, admin).value(QLatin1String("state")).toString(),
             QStringLiteral("delivered"));

    const QString callbackUrl = server.baseUrl() + QStringLiteral("/v1/webhooks/sms/status");
    // An unknown sid is acknowledged and ignored.
    HttpReply unknown =
        gw.post(QStringLiteral("/callback"), {{"sid", "SMunknown"}, {"status", "delivered"}, {"url", callbackUrl}});
    QCOMPARE(unknown.json.value(QLatin1String("status")).toInt(), 200);
    QVERIFY(unknown.json.value(QLatin1String("body")).toString().contains(QStringLiteral("ignored")));
    // Signed but malformed: no MessageSid, or a status that does not exist.
    HttpReply noSid = gw.post(QStringLiteral("/callback"),
                              {{"url", callbackUrl}, {"params", QJsonObject{{"MessageStatus", "delivered"}}}});
    QCOMPARE(noSid.json.value(QLatin1String("status")).toInt(), 400);
    HttpReply badStatus = gw.post(QStringLiteral("/callback"), {{"sid", sid}, {"status", "teleported"}});
    QCOMPARE(badStatus.json.value(QLatin1String("status")).toInt(), 400);
    // Not form data, or broken form data.
    QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/sms/status"), "{}", "application/json").status, 415);
    const HttpReply broken = http.raw("POST", QStringLiteral("/v1/webhooks/sms/status"), "MessageSid=%zz",
                                      "application/x-www-form-urlencoded");
    QCOMPARE(broken.status, 400);
    QCOMPARE(broken.errorCode(), QStringLiteral("bad_form"));
    // Unsigned.
    QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/sms/status"),
                      "MessageSid=" + sid.toLatin1() + "&MessageStatus=failed", "application/x-www-form-urlencoded")
                 .status,
             403);

    // A second invitation: sent, then the carrier reports it undelivered.
    const HttpReply second = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                       {{"patientName", "Lee Patient"}, {"phone", "+1 201 555 0124"}}, admin);
    QCOMPARE(second.status, 201);
    const QString secondConversation =
        second.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(waitUntil([&] { return gatewayMessages(gw).size() == 3; }));
    const QString secondSid = gatewayMessages(gw)[2].toObject().value(QLatin1String("sid")).toString();
    QVERIFY(!secondSid.isEmpty());
    QVERIFY(waitUntil([&] {
        return delivery(http, secondConversation, admin).value(QLatin1String("state")) == QLatin1String("sent");
    }));
    HttpReply undelivered =
        gw.post(QStringLiteral("/callback"), {{"sid", secondSid}, {"status", "undelivered"}, {"errorCode", "30006"}});
    QCOMPARE(undelivered.json.value(QLatin1String("status")).toInt(), 200);
    QVERIFY(waitUntil([&] {
        return delivery(http, secondConversation, admin).value(QLatin1String("state")) == QLatin1String("failed");
    }));
    const QString detail = delivery(http, secondConversation, admin).value(QLatin1String("detail")).toString();
    QVERIFY2(detail.contains(QStringLiteral("landline")) && detail.contains(QStringLiteral("30006")),
             qPrintable(detail));

    QCOMPARE(server.terminate(), 0);
    QVERIFY(!server.standardError().contains("2015550123"));
    QVERIFY(!server.standardError().contains("/i/"));
}

void TestServerDelivery::smsFailsAfterLastRetry()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "fail"}, {"failures", -1}}).status, 200);

    TestServer server;
    QVERIFY(server.start({QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"), kAccount,
                          QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"), kFrom,
                          QStringLiteral("--delivery-retries"), QStringLiteral("1,1")}));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@retry.example"));
    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Ash Patient"}, {"phone", "+1 201 555 0125"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
    QCOMPARE(delivery(http, conversationId, admin).value(QLatin1String("state")).toString(), QStringLiteral("queued"));

    // One attempt and two retries, then failed with a sentence.
    QVERIFY(waitUntil([&] {
        return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("failed");
    }));
    QCOMPARE(gatewayMessages(gw).size(), 3);
    const QString detail = delivery(http, conversationId, admin).value(QLatin1String("detail")).toString();
    QVERIFY2(detail.contains(QStringLiteral("SMS gateway")) && detail.contains(QStringLiteral("3 attempts")),
             qPrintable(detail));
    QTest::qWait(1500);
    QCOMPARE(gatewayMessages(gw).size(), 3); // nothing more after the last
    QCOMPARE(server.terminate(), 0);
}

void TestServerDelivery::smsRefusedByGateway()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "reject"}}).status, 200);

    TestServer server;
    QVERIFY(server.start({QStringLiteral("--sms-url"), gateway.url(), QStringLiteral("--sms-account"), kAccount,
                          QStringLiteral("--sms-token"), kToken, QStringLiteral("--sms-from"), kFrom,
                          QStringLiteral("--delivery-retries"), QStringLiteral("1,1")}));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@reject.example"));
    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Kit Patient"}, {"phone", "+1 201 555 0126"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
    // A 4xx is final at once, with the gateway's reason.
    QVERIFY(waitUntil([&] {
        return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("failed");
    }));
    QCOMPARE(gatewayMessages(gw).size(), 1);
    QVERIFY(delivery(http, conversationId, admin)
                .value(QLatin1String("detail"))
                .toString()
                .contains(QStringLiteral("not a valid phone number")));
    QCOMPARE(server.terminate(), 0);
}

void TestServerDelivery::queueSurvivesShutdown()
{
    SmsGateway gateway;
    QVERIFY(gateway.start(kAccount, kToken));
    HttpClient gw(gateway.url());
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "hang"}}).status, 200);
    const QStringList flags{QStringLiteral("--sms-url"),   gateway.url(), QStringLiteral("--sms-account"), kAccount,
                            QStringLiteral("--sms-token"), kToken,        QStringLiteral("--sms-from"),    kFrom};
    QTemporaryDir data;
    QString conversationId, admin;
    {
        TestServer server(data.path());
        QVERIFY(server.start(flags));
        HttpClient http(server.baseUrl());
        const auto p = practice(http, QStringLiteral("admin@restart.example"));
        admin = p.second;
        const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(p.first),
                                            {{"patientName", "Mo Patient"}, {"phone", "+1 201 555 0127"}}, admin);
        QCOMPARE(created.status, 201);
        conversationId =
            created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
        // The gateway holds the transfer for 30 s, as long as the server's own transfer limit; shutdown gives it up
        // instead of waiting for it, so the server exits by itself before terminate() stops waiting (20 s) and kills.
        QVERIFY(waitUntil([&] { return gatewayMessages(gw).size() == 1; }));
        QCOMPARE(server.terminate(), 0);
    }
    // The delivery stayed queued in the outbox table and goes out after the next start.
    QCOMPARE(gw.post(QStringLiteral("/control"), {{"mode", "ok"}}).status, 200);
    TestServer server(data.path());
    QVERIFY(server.start(flags));
    HttpClient http(server.baseUrl());
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));
    const QJsonArray attempts = gatewayMessages(gw);
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[1].toObject().value(QLatin1String("answered")).toInt(), 201);
    QCOMPARE(attempts[1]
                 .toObject()
                 .value(QLatin1String("form"))
                 .toObject()
                 .value(QLatin1String("StatusCallback"))
                 .toString(),
             server.baseUrl() + QStringLiteral("/v1/webhooks/sms/status"));
    QCOMPARE(server.terminate(), 0);
}

void TestServerDelivery::emailWithStartTls()
{
    // aiosmtpd with a certificate requires STARTTLS before MAIL FROM.
    const QString tls = QStringLiteral(LARCH_TEST_SOURCE_DIR "/tls/");
    MailSink smtp;
    QVERIFY(smtp.start(tls + QStringLiteral("test-cert.pem"), tls + QStringLiteral("test-key.pem")));
    const QString maildir = smtp.maildir();
    const QStringList base{QStringLiteral("--smtp-url"), smtp.url(), QStringLiteral("--smtp-from"),
                           QStringLiteral("invites@clinic.example")};
    QDir newMail(maildir + QStringLiteral("/new"));

    // Without --smtp-starttls the server refuses the plain-text transaction: failed at once, with the reply.
    {
        TestServer server;
        QVERIFY(server.start(base));
        HttpClient http(server.baseUrl());
        const auto [practiceId, admin] = practice(http, QStringLiteral("admin@plain.example"));
        const HttpReply created =
            http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                      {{"patientName", "Plain Patient"}, {"email", "plain@patient.example"}}, admin);
        QCOMPARE(created.status, 201);
        const QString conversationId =
            created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
        QVERIFY(waitUntil([&] {
            return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("failed");
        }));
        QVERIFY(delivery(http, conversationId, admin)
                    .value(QLatin1String("detail"))
                    .toString()
                    .contains(QStringLiteral("refused")));
        QCOMPARE(server.terminate(), 0);
    }
    QCOMPARE(newMail.entryList(QDir::Files).size(), 0);

    // With it (and the test CA), the mail goes through the encrypted channel.
    TestServer server;
    QVERIFY(server.start(base
                         + QStringList{QStringLiteral("--smtp-starttls"), QStringLiteral("--smtp-ca-file"),
                                       tls + QStringLiteral("test-cert.pem")}));
    QVERIFY(server.standardError().contains("with STARTTLS"));
    HttpClient http(server.baseUrl());
    const auto [practiceId, admin] = practice(http, QStringLiteral("admin@tls.example"));
    const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                        {{"patientName", "Tls Patient"}, {"email", "tls@patient.example"}}, admin);
    QCOMPARE(created.status, 201);
    const QString conversationId =
        created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
    QVERIFY(waitUntil([&] { return newMail.entryList(QDir::Files).size() == 1; }));
    QVERIFY(waitUntil(
        [&] { return delivery(http, conversationId, admin).value(QLatin1String("state")) == QLatin1String("sent"); }));
    QCOMPARE(server.terminate(), 0);
}

void TestServerDelivery::emailWithCredentials()
{
    QTemporaryDir temp;
    PythonFake smtp;
    const quint16 smtpPort = freePort();
    QVERIFY(smtp.start(
        QStringLiteral("smtp_auth_sink.py"),
        {QString::number(smtpPort), temp.path(), QStringLiteral("mailer"), QStringLiteral("mail password")}));
    QDir received(temp.path());
    const QStringList base{QStringLiteral("--smtp-url"),  QStringLiteral("smtp://127.0.0.1:%1").arg(smtpPort),
                           QStringLiteral("--smtp-from"), QStringLiteral("invites@clinic.example"),
                           QStringLiteral("--smtp-user"), QStringLiteral("mailer")};
    auto inviteOnce = [&](const QString &password, const QString &email) {
        TestServer server;
        if (!server.start(base + QStringList{QStringLiteral("--smtp-password"), password}))
            return QJsonObject();
        HttpClient http(server.baseUrl());
        const auto [practiceId, admin] = practice(http, QStringLiteral("admin@") + email.section(QLatin1Char('@'), 1));
        const HttpReply created = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                            {{"patientName", "Auth Patient"}, {"email", email}}, admin);
        const QString conversationId =
            created.json.value(QLatin1String("conversation")).toObject().value(QLatin1String("id")).toString();
        QJsonObject state;
        waitUntil([&] {
            state = delivery(http, conversationId, admin);
            return state.value(QLatin1String("state")) == QLatin1String("sent")
                || state.value(QLatin1String("state")) == QLatin1String("failed");
        });
        server.terminate();
        if (server.standardError().contains(password.toLatin1()))
            return QJsonObject{{"state", "password in the log"}};
        return state;
    };
    // A wrong password fails at once, with a sentence that says what to check.
    const QJsonObject refused = inviteOnce(QStringLiteral("wrong password"), QStringLiteral("one@auth.example"));
    QCOMPARE(refused.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
    QVERIFY(refused.value(QLatin1String("detail")).toString().contains(QStringLiteral("--smtp-password")));
    QCOMPARE(received.entryList(QDir::Files).size(), 0);
    // The right one is accepted and the mail arrives.
    QCOMPARE(inviteOnce(QStringLiteral("mail password"), QStringLiteral("two@auth.example"))
                 .value(QLatin1String("state"))
                 .toString(),
             QStringLiteral("sent"));
    QCOMPARE(received.entryList(QDir::Files).size(), 1);
}

QTEST_MAIN(TestServerDelivery)
#include "tst_server_delivery.moc"
