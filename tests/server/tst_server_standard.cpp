// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Standard (SMS/email) conversations on the real larch-server: create and its refusals, consent before the first
// message, outbound SMS through a Twilio-shaped gateway (sms_gateway.py) with delivery states as message.updated,
// outbound e-mail through aiosmtpd with its Reply-To, inbound SMS and e-mail webhooks (signatures, dedup, routing,
// malformed bodies), STOP/START/HELP, "Invite to Secure Conversation" and pairing, and patients never seeing them.
#include "EventClient.h"
#include "LoopbackHelpers.h"
#include "TestScene.h"
#include "TestServer.h"

#include <memory>
#include <QDir>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
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
const QByteArray kMailKey = "mail-provider-signing-key";
const QString kReplyAddress = QStringLiteral("replies@clinic.example");
const QStringList kRoomy{QStringLiteral("--code-address-limit"), QStringLiteral("100000"),
                         QStringLiteral("--invite-limit"), QStringLiteral("100000")};

QString errorMessage(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

/// Mailgun's signature fields for a post made at timestamp (seconds).
QList<QPair<QByteArray, QByteArray>> signedMail(QList<QPair<QByteArray, QByteArray>> fields, qint64 timestamp,
                                                const QByteArray &key = kMailKey)
{
    const QByteArray ts = QByteArray::number(timestamp);
    const QByteArray token = QByteArray::number(QRandomGenerator::global()->generate64(), 16).repeated(3);
    fields.append({"timestamp", ts});
    fields.append({"token", token});
    fields.append({"signature", QMessageAuthenticationCode::hash(ts + token, key, QCryptographicHash::Sha256).toHex()});
    return fields;
}

QByteArray urlEncoded(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QByteArray out;
    for (const auto &[n, v] : fields)
        out += (out.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(QString::fromUtf8(n)) + '='
            + QUrl::toPercentEncoding(QString::fromUtf8(v));
    return out;
}

const QByteArray kBoundary = "----larchBoundary7MA4YWxkTrZu0gW";

QByteArray multipart(const QList<QPair<QByteArray, QByteArray>> &fields, bool withAttachment = false)
{
    QByteArray out = "preamble to ignore\r\n";
    for (const auto &[n, v] : fields)
        out += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + n + "\"\r\n\r\n" + v + "\r\n";
    if (withAttachment)
        out += "--" + kBoundary
            + "\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"x.txt\"\r\n"
              "Content-Type: text/plain\r\n\r\nattached bytes\r\n";
    return out + "--" + kBoundary + "--\r\n";
}

QByteArray multipartType() { return "multipart/form-data; boundary=" + kBoundary; }

/// The messages of a conversation, newest first.
QJsonArray messagesOf(HttpClient &http, const QString &conversationId, const QString &token)
{
    return http.get(QStringLiteral("/v1/conversations/%1/messages").arg(conversationId), token)
        .json.value("messages")
        .toArray();
}

} // namespace

class TestServerStandard : public QObject {
    Q_OBJECT

private:
    TestServer m_server; ///< development outbox for both channels, inbound e-mail key, reply address
    std::unique_ptr<HttpClient> m_http;
    Scene m_a, m_b;
    int m_phones = 0;

    QString newMobile() { return QStringLiteral("+336124%1").arg(10000 + ++m_phones, 5, 10, QLatin1Char('0')); }

    static HttpReply create(HttpClient &http, const Scene &s, const QJsonObject &body, const QString &token = {})
    {
        return http.post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(s.practiceId), body,
                         token.isEmpty() ? s.adminToken : token);
    }
    static HttpReply consent(HttpClient &http, const QString &id, const QString &token,
                             const QString &method = "verbal")
    {
        return http.post(QStringLiteral("/v1/conversations/%1/consent").arg(id), {{"method", method}}, token);
    }
    static HttpReply send(HttpClient &http, const QString &id, const QString &token, const QString &body,
                          QString clientId = {})
    {
        if (clientId.isEmpty())
            clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        return http.post(QStringLiteral("/v1/conversations/%1/messages").arg(id),
                         {{"clientId", clientId}, {"body", body}}, token);
    }
    static qint64 latestSeq(HttpClient &http, const QString &token)
    {
        return http.get(QStringLiteral("/v1/events?since=0&limit=1"), token).json.value("latestSeq").toInteger();
    }
    /// Outbox deliveries (development outbox) to an address, newest first.
    QList<QJsonObject> outboxTo(const QString &to)
    {
        QList<QJsonObject> out;
        for (const QJsonValue &d : m_http->get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
            if (d.toObject().value("to").toString() == to)
                out << d.toObject();
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start(kRoomy
                               + QStringList{QStringLiteral("--email-inbound-key"), QString::fromLatin1(kMailKey),
                                             QStringLiteral("--email-reply-address"), kReplyAddress}));
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        m_a = makeScene(*m_http, QStringLiteral("stda"));
        m_b = makeScene(*m_http, QStringLiteral("stdb"));
        QVERIFY(!m_a.patientToken.isEmpty() && !m_b.patientToken.isEmpty());
    }

    void createsConversations()
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
        QCOMPARE(r.json.value("standard").toObject().value("address").toString(),
                 QStringLiteral("robin@patient.example"));
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

    void refusesBadInput()
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
        QCOMPARE(
            m_http->get(QStringLiteral("/v1/practices/%1/standard-conversations").arg(m_a.practiceId), m_a.adminToken)
                .status,
            405);
    }

    void consentComesBeforeTheFirstMessage()
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
        QVERIFY(admin.waitFor([&] {
            return !admin.dataOf("message.created").isEmpty() && !admin.dataOf("conversation.updated").isEmpty();
        }));
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
        QCOMPARE(m_http->post(QStringLiteral("/v1/conversations/%1/epochs").arg(id), {}, m_a.adminToken).status / 100,
                 4);
    }

    void smsWebhooksNeedAGateway()
    {
        QCOMPARE(m_http
                     ->raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"), "From=%2B1&MessageSid=SM1",
                           "application/x-www-form-urlencoded")
                     .status,
                 404);
    }

    void inboundEmail()
    {
        const QString id =
            create(*m_http, m_a, {{"channel", "email"}, {"email", "eve@patient.example"}, {"name", "Eve"}})
                .json.value("id")
                .toString();
        QCOMPARE(consent(*m_http, id, m_a.adminToken).status, 200);
        QCOMPARE(send(*m_http, id, m_a.adminToken, QStringLiteral("Please reply with your pharmacy.")).status, 201);
        QVERIFY(waitUntil([&] { return !outboxTo(QStringLiteral("eve@patient.example")).isEmpty(); }));
        const QJsonObject sent = outboxTo(QStringLiteral("eve@patient.example")).first();
        QCOMPARE(sent.value("subject").toString(), QStringLiteral("Message from your care team"));
        const QString replyTo = sent.value("replyTo").toString();
        QVERIFY2(
            QRegularExpression(QStringLiteral("^replies\\+[0-9a-f]{32}@clinic\\.example$")).match(replyTo).hasMatch(),
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
        const QJsonObject conversation =
            m_http->get(QStringLiteral("/v1/conversations/%1").arg(id), m_a.adminToken).json;
        QCOMPARE(in.value("senderId").toString(), conversation.value("patientId").toString());
        QCOMPARE(conversation.value("unreadCount").toInt(), 1);

        // The same Message-Id again (a provider retry) changes nothing.
        r = m_http->raw("POST", path, multipart(signedMail(fields.mid(0, 7), now)), multipartType());
        QCOMPARE(r.json.value("result").toString(), QStringLiteral("duplicate"));
        QCOMPARE(messagesOf(*m_http, id, m_a.adminToken).size(), 3);

        // Urlencoded, no token: routed by the sender; the quoted reply is left out of body-plain.
        r = m_http->raw(
            "POST", path,
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
        QCOMPARE(m_http
                     ->raw("POST", path, urlEncoded(signedMail(plain, now, "wrong key")),
                           "application/x-www-form-urlencoded")
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

    void secureInvitationPairsBothThreads()
    {
        const QString phone = newMobile();
        HttpReply r = create(*m_http, m_a, {{"channel", "sms"}, {"phone", phone}, {"name", "Nico Park"}});
        const QString standardId = r.json.value("id").toString();
        const QString placeholder = r.json.value("patientId").toString();
        EventClient admin(m_server.baseUrl(), m_a.adminToken, latestSeq(*m_http, m_a.adminToken));
        QVERIFY(admin.waitForHello());

        // No consent is needed: an invitation holds no health information. A secure conversation has nothing to upgrade.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(m_a.conversationId), {},
                            m_a.adminToken)
                     .errorCode(),
                 QStringLiteral("conflict"));
        QCOMPARE(
            m_http->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(standardId), {}, m_a.patientToken)
                .status,
            404);
        r = m_http->post(QStringLiteral("/v1/conversations/%1/secure-invitation").arg(standardId), {},
                         m_a.clinicianToken);
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
                updated =
                    updated || c.value("standard").toObject().value("secureConversationId").toString() == secureId;
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
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(standardId), patientToken).status,
                 404);
        QCOMPARE(send(*m_http, standardId, patientToken, QStringLiteral("hi")).status, 404);
        QCOMPARE(m_http->post(QStringLiteral("/v1/conversations/%1/read").arg(standardId), {{"seq", 1}}, patientToken)
                     .status,
                 404);
        for (const QJsonValue &e :
             m_http->get(QStringLiteral("/v1/events?since=0"), patientToken).json.value("events").toArray())
            QVERIFY(!QJsonDocument(e.toObject()).toJson().contains(standardId.toLatin1()));
        // Staff marking the standard thread read tells nobody outside the practice.
        QCOMPARE(m_http->post(QStringLiteral("/v1/conversations/%1/read").arg(standardId), {{"seq", 2}}, m_a.adminToken)
                     .status,
                 200);
        for (const QJsonValue &e :
             m_http->get(QStringLiteral("/v1/events?since=0"), patientToken).json.value("events").toArray())
            QVERIFY(!QJsonDocument(e.toObject()).toJson().contains(standardId.toLatin1()));
    }

    void pairingMovesStandardThreadsOfTheContact()
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

    void smsThroughTheGateway()
    {
        Helper gateway;
        QVERIFY(gateway.start({QStringLiteral(LARCH_TEST_SOURCE_DIR "/sms_gateway.py"), kAccount, kToken}));
        HttpClient gw(QStringLiteral("http://127.0.0.1:%1").arg(gateway.port));
        TestServer server;
        QVERIFY(server.start(kRoomy
                             + QStringList{QStringLiteral("--sms-url"),
                                           QStringLiteral("http://127.0.0.1:%1").arg(gateway.port),
                                           QStringLiteral("--sms-account"), kAccount, QStringLiteral("--sms-token"),
                                           kToken, QStringLiteral("--sms-from"), kFrom,
                                           QStringLiteral("--delivery-retries"), QStringLiteral("1")}));
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
        QCOMPARE(messagesOf(http, id, s.adminToken)
                     .first()
                     .toObject()
                     .value("delivery")
                     .toObject()
                     .value("state")
                     .toString(),
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

    void inboundSmsAndKeywords()
    {
        Helper gateway;
        QVERIFY(gateway.start({QStringLiteral(LARCH_TEST_SOURCE_DIR "/sms_gateway.py"), kAccount, kToken}));
        HttpClient gw(QStringLiteral("http://127.0.0.1:%1").arg(gateway.port));
        TestServer server;
        QVERIFY(server.start(kRoomy
                             + QStringList{QStringLiteral("--sms-url"),
                                           QStringLiteral("http://127.0.0.1:%1").arg(gateway.port),
                                           QStringLiteral("--sms-account"), kAccount, QStringLiteral("--sms-token"),
                                           kToken, QStringLiteral("--sms-from"), kFrom}));
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
        QCOMPARE(
            http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json.value("unreadCount").toInt(),
            1);
        // The same MessageSid again changes nothing; a number nobody texts is ignored.
        QCOMPARE(
            text(phone, QStringLiteral("Running 10 minutes late"), QStringLiteral("SMin0001")).value("status").toInt(),
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
        QCOMPARE(http.raw("POST", QStringLiteral("/v1/webhooks/sms/inbound"), "From=%zz",
                          "application/x-www-form-urlencoded")
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
        QCOMPARE(
            messagesOf(http, id, s.adminToken).first().toObject().value("note").toObject().value("kind").toString(),
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
        QCOMPARE(messagesOf(http, id, s.adminToken).first().toObject().value("body").toString(),
                 QStringLiteral("help"));

        // START: opted in again, a note, a confirmation; messages go again.
        QCOMPARE(text(phone, QStringLiteral("Start"), QStringLiteral("SMin0005")).value("status").toInt(), 200);
        conversation = http.get(QStringLiteral("/v1/conversations/%1").arg(id), s.adminToken).json;
        QVERIFY(conversation.value("standard").toObject().value("optedOutAt").isNull());
        QCOMPARE(
            messagesOf(http, id, s.adminToken).first().toObject().value("note").toObject().value("kind").toString(),
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

    void emailThroughSmtpWithReplyTo()
    {
        QTemporaryDir temp;
        const QString maildir = temp.filePath(QStringLiteral("maildir"));
        const quint16 smtpPort = freePort();
        QProcess smtp;
        smtp.start(kPython,
                   {QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"), QStringLiteral("-l"),
                    QStringLiteral("127.0.0.1:%1").arg(smtpPort), QStringLiteral("-c"),
                    QStringLiteral("aiosmtpd.handlers.Mailbox"), maildir});
        QVERIFY(smtp.waitForStarted(10000));
        auto stopSmtp = qScopeGuard([&] {
            smtp.kill();
            smtp.waitForFinished(5000);
        });
        QVERIFY(waitUntil([&] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, smtpPort);
            return probe.waitForConnected(200);
        }));
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--smtp-url"), QStringLiteral("smtp://127.0.0.1:%1").arg(smtpPort),
                              QStringLiteral("--smtp-from"), QStringLiteral("Care Team <care@clinic.example>"),
                              QStringLiteral("--email-reply-address"), kReplyAddress}));
        HttpClient http(server.baseUrl());
        const Scene s = makeScene(http, QStringLiteral("stdmail"));
        const QString id =
            create(http, s, {{"channel", "email"}, {"email", "mia@patient.example"}}).json.value("id").toString();
        QCOMPARE(consent(http, id, s.adminToken, "patient_initiated").status, 200);
        const QString messageId = send(http, id, s.adminToken, QStringLiteral("Your appointment is on Friday at 9."))
                                      .json.value("id")
                                      .toString();
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
        QCOMPARE(
            http.raw("POST", QStringLiteral("/v1/webhooks/email/inbound"), "a=b", "application/x-www-form-urlencoded")
                .status,
            404);
        QCOMPARE(server.terminate(), 0);
        QVERIFY(!server.standardError().contains("mia@"));
        QVERIFY(!server.standardError().contains("Friday"));
    }

    void cleanupTestCase()
    {
        // Nothing a patient wrote or a contact reached ends up in the log.
        QCOMPARE(m_server.terminate(), 0);
        const QByteArray log = m_server.standardError();
        for (const char *secret : {"Corner Pharmacy", "See you Monday", "Your results are in", "eve@patient.example",
                                   "robin@patient.example", "+336124"})
            QVERIFY2(!log.contains(secret), secret);
    }
};

QTEST_MAIN(TestServerStandard)
#include "tst_server_standard.moc"
