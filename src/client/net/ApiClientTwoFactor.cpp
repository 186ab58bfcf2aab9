// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The two-factor sign-in calls of ApiClient (docs/protocol.md, "Two-factor sign-in").
#include "client/net/ApiClient.h"

namespace larch {

void ApiClient::answerTwoFactor(const QString &challenge, const QString &code, QObject *context, Callback done)
{
    const QJsonObject body{{"challenge", challenge}, {"code", code}};
    send(Method::Post, QStringLiteral("/v1/sessions/two-factor"), nullptr, &body, false, context, std::move(done));
}

void ApiClient::fetchTwoFactor(QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/me/two-factor"), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::beginTwoFactor(QObject *context, Callback done)
{
    const QJsonObject body;
    send(Method::Post, QStringLiteral("/v1/me/two-factor"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::confirmTwoFactor(const QString &code, QObject *context, Callback done)
{
    const QJsonObject body{{"code", code}};
    send(Method::Post, QStringLiteral("/v1/me/two-factor/confirm"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::disableTwoFactor(const QString &code, QObject *context, Callback done)
{
    const QJsonObject body{{"code", code}};
    send(Method::Post, QStringLiteral("/v1/me/two-factor/disable"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::renewRecoveryCodes(const QString &code, QObject *context, Callback done)
{
    const QJsonObject body{{"code", code}};
    send(Method::Post, QStringLiteral("/v1/me/two-factor/recovery-codes"), nullptr, &body, true, context,
         std::move(done));
}

} // namespace larch
