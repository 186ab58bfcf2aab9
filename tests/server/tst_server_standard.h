// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server_standard topic files share: the test class, its scene and helpers.
#pragma once

#include "EventClient.h"
#include "HttpClient.h"
#include "Loopback.h"
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

using namespace loopback;

const QString kAccount = QStringLiteral("AC0123456789abcdef0123456789abcdef");
const QString kToken = QStringLiteral("gateway-auth-token-for-tests");
const QString kFrom = QStringLiteral("+15005550006");
const QByteArray kMailKey = "mail-provider-signing-key";
const QString kReplyAddress = QStringLiteral("replies@clinic.example");
const QStringList kRoomy{QStringLiteral("--code-address-limit"), QStringLiteral("100000"),
                         QStringLiteral("--invite-limit"), QStringLiteral("100000")};

inline QString errorMessage(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

/// Mailgun's signature fields for a post made at timestamp (seconds).
inline QList<QPair<QByteArray, QByteArray>> signedMail(QList<QPair<QByteArray, QByteArray>> fields, qint64 timestamp,
                                                       const QByteArray &key = kMailKey)
{
    const QByteArray ts = QByteArray::number(timestamp);
    const QByteArray token = QByteArray::number(QRandomGenerator::global()->generate64(), 16).repeated(3);
    fields.append({"timestamp", ts});
    fields.append({"token", token});
    fields.append({"signature", QMessageAuthenticationCode::hash(ts + token, key, QCryptographicHash::Sha256).toHex()});
    return fields;
}

inline QByteArray urlEncoded(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QByteArray out;
    for (const auto &[n, v] : fields)
        out += (out.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(QString::fromUtf8(n)) + '='
            + QUrl::toPercentEncoding(QString::fromUtf8(v));
    return out;
}

const QByteArray kBoundary = "----larchBoundary7MA4YWxkTrZu0gW";

inline QByteArray multipart(const QList<QPair<QByteArray, QByteArray>> &fields, bool withAttachment = false)
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

inline QByteArray multipartType() { return "multipart/form-data; boundary=" + kBoundary; }

/// The messages of a conversation, newest first.
inline QJsonArray messagesOf(HttpClient &http, const QString &conversationId, const QString &token)
{
    return http.get(QStringLiteral("/v1/conversations/%1/messages").arg(conversationId), token)
        .json.value("messages")
        .toArray();
}

/// Standard (SMS/email) conversations on the real larch-server: create and its refusals, consent before the first
/// message, outbound SMS through a Twilio-shaped gateway (support/fakes/sms_gateway.py) with delivery states as
/// message.updated, outbound e-mail through aiosmtpd with its Reply-To, inbound SMS and e-mail webhooks (signatures,
/// dedup, routing, malformed bodies), STOP/START/HELP, "Invite to Secure Conversation" and pairing, and patients never
/// seeing them.
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
    void initTestCase();
    void createsConversations();
    void refusesBadInput();
    void consentComesBeforeTheFirstMessage();
    void smsWebhooksNeedAGateway();
    void inboundEmail();
    void secureInvitationPairsBothThreads();
    void pairingMovesStandardThreadsOfTheContact();
    void smsThroughTheGateway();
    void inboundSmsAndKeywords();
    void emailThroughSmtpWithReplyTo();
    void cleanupTestCase();
};
