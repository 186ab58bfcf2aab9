// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: secure conversation invitations, contact checks, the invitation text and patient sign-up codes.
#include "client/net/ApiClient.h"

namespace larch {

namespace {
// Only the contact fields that were typed go to the server, so "phone only" stays phone only.
QJsonObject contactBody(const QString &phone, const QString &email)
{
    QJsonObject body;
    if (!phone.trimmed().isEmpty())
        body.insert(QStringLiteral("phone"), phone.trimmed());
    if (!email.trimmed().isEmpty())
        body.insert(QStringLiteral("email"), email.trimmed());
    return body;
}
} // namespace

void ApiClient::checkContact(const QString &practiceId, const QString &phone, const QString &email, QObject *context,
                             Callback done)
{
    const QJsonObject body = contactBody(phone, email);
    send(Method::Post, QStringLiteral("/v1/practices/%1/contacts/check").arg(pathSegment(practiceId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::createInvitation(const QString &practiceId, const QString &patientName, const QString &phone,
                                 const QString &email, QObject *context, Callback done)
{
    QJsonObject body = contactBody(phone, email);
    body.insert(QStringLiteral("patientName"), patientName.trimmed());
    send(Method::Post, QStringLiteral("/v1/practices/%1/invitations").arg(pathSegment(practiceId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::fetchInvitation(const QString &conversationId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/conversations/%1/invitation").arg(pathSegment(conversationId)), nullptr,
         nullptr, true, context, std::move(done));
}

void ApiClient::resendInvitation(const QString &invitationId, QObject *context, Callback done)
{
    send(Method::Post, QStringLiteral("/v1/invitations/%1/resend").arg(pathSegment(invitationId)), nullptr, nullptr,
         true, context, std::move(done));
}

void ApiClient::editInvitation(const QString &invitationId, const QJsonObject &changes, QObject *context, Callback done)
{
    send(Method::Patch, QStringLiteral("/v1/invitations/%1").arg(pathSegment(invitationId)), nullptr, &changes, true,
         context, std::move(done));
}

void ApiClient::revokeInvitation(const QString &invitationId, QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/invitations/%1").arg(pathSegment(invitationId)), nullptr, nullptr, true,
         context, std::move(done));
}

void ApiClient::fetchInvitationText(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/practices/%1/invitation-text").arg(pathSegment(practiceId)), nullptr, nullptr,
         true, context, std::move(done));
}

void ApiClient::saveInvitationText(const QString &practiceId, const QString &text, QObject *context, Callback done)
{
    const QJsonObject body{{"text", text}};
    send(Method::Put, QStringLiteral("/v1/practices/%1/invitation-text").arg(pathSegment(practiceId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::fetchPracticeSettings(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/practices/%1/settings").arg(pathSegment(practiceId)), nullptr, nullptr, true,
         context, std::move(done));
}

void ApiClient::updatePracticeSettings(const QString &practiceId, const QJsonObject &changes, QObject *context,
                                       Callback done)
{
    send(Method::Patch, QStringLiteral("/v1/practices/%1/settings").arg(pathSegment(practiceId)), nullptr, &changes,
         true, context, std::move(done));
}

void ApiClient::fetchInvitationByToken(const QString &token, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/invitations/by-token/%1").arg(pathSegment(token)), nullptr, nullptr, false,
         context, std::move(done));
}

void ApiClient::requestCode(const QString &phone, const QString &email, const QString &invitationToken,
                            QObject *context, Callback done)
{
    QJsonObject body = contactBody(phone, email);
    if (!invitationToken.isEmpty())
        body.insert(QStringLiteral("invitationToken"), invitationToken);
    send(Method::Post, QStringLiteral("/v1/codes"), nullptr, &body, false, context, std::move(done));
}

void ApiClient::verifyCode(const QString &phone, const QString &email, const QString &code, const QString &name,
                           const QString &deviceName, const QString &invitationToken, QObject *context, Callback done)
{
    QJsonObject body = contactBody(phone, email);
    body.insert(QStringLiteral("code"), code.trimmed());
    if (!name.trimmed().isEmpty())
        body.insert(QStringLiteral("name"), name.trimmed());
    if (!deviceName.isEmpty())
        body.insert(QStringLiteral("deviceName"), deviceName);
    if (!invitationToken.isEmpty())
        body.insert(QStringLiteral("invitationToken"), invitationToken);
    send(Method::Post, QStringLiteral("/v1/codes/verify"), nullptr, &body, false, context, std::move(done));
}

} // namespace larch
