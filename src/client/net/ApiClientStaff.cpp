// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The staff calls of ApiClient (docs/protocol.md, "Staff").
#include "client/net/ApiClient.h"

namespace larch {

namespace {
QString staffPath(const QString &practiceId, const QString &userId = {})
{
    const QString base = QStringLiteral("/v1/practices/%1/staff").arg(practiceId);
    return userId.isEmpty() ? base : base + QLatin1Char('/') + userId;
}
} // namespace

void ApiClient::fetchStaff(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, staffPath(practiceId), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::addStaff(const QString &practiceId, const QString &name, const QString &email, const QString &role,
                         QObject *context, Callback done)
{
    const QJsonObject body{{"name", name}, {"email", email}, {"role", role}};
    send(Method::Post, staffPath(practiceId), nullptr, &body, true, context, std::move(done));
}

void ApiClient::changeStaffRole(const QString &practiceId, const QString &userId, const QString &role, QObject *context,
                                Callback done)
{
    const QJsonObject body{{"role", role}};
    send(Method::Patch, staffPath(practiceId, userId), nullptr, &body, true, context, std::move(done));
}

void ApiClient::resendStaffSetupLink(const QString &practiceId, const QString &userId, QObject *context, Callback done)
{
    const QJsonObject body;
    send(Method::Post, staffPath(practiceId, userId) + QStringLiteral("/setup-link"), nullptr, &body, true, context,
         std::move(done));
}

void ApiClient::resetStaffTwoFactor(const QString &practiceId, const QString &userId, QObject *context, Callback done)
{
    send(Method::Delete, staffPath(practiceId, userId) + QStringLiteral("/two-factor"), nullptr, nullptr, true, context,
         std::move(done));
}

} // namespace larch
