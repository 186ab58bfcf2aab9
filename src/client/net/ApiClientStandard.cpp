// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: standard (SMS/email) conversations: creating one, consent, plain messages and the secure invitation.
#include "client/net/ApiClient.h"

namespace larch {

void ApiClient::createStandardConversation(const QString &practiceId, const QString &channel, const QString &contact,
                                           const QString &name, QObject *context, Callback done)
{
    QJsonObject body{{"channel", channel}};
    body.insert(channel == QLatin1String("email") ? QStringLiteral("email") : QStringLiteral("phone"),
                contact.trimmed());
    if (!name.trimmed().isEmpty())
        body.insert(QStringLiteral("name"), name.trimmed());
    send(Method::Post, QStringLiteral("/v1/practices/%1/standard-conversations").arg(pathSegment(practiceId)), nullptr,
         &body, true, context, std::move(done));
}

void ApiClient::recordConsent(const QString &conversationId, const QString &method, const QString &note,
                              QObject *context, Callback done)
{
    QJsonObject body{{"method", method}};
    if (!note.trimmed().isEmpty())
        body.insert(QStringLiteral("note"), note.trimmed());
    send(Method::Post, QStringLiteral("/v1/conversations/%1/consent").arg(pathSegment(conversationId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::inviteToSecure(const QString &conversationId, QObject *context, Callback done)
{
    send(Method::Post, QStringLiteral("/v1/conversations/%1/secure-invitation").arg(pathSegment(conversationId)),
         nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::postPlainMessage(const QString &conversationId, const QString &clientId, const QString &body,
                                 QObject *context, Callback done)
{
    const QJsonObject json{{"clientId", clientId}, {"body", body}};
    send(Method::Post, QStringLiteral("/v1/conversations/%1/messages").arg(pathSegment(conversationId)), nullptr, &json,
         true, context, std::move(done));
}

} // namespace larch
