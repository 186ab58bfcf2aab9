// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: Practice Links: the practice's shareable sign-up links, their public lookup, and codes asked for
// through one.
#include "client/net/ApiClient.h"

namespace larch {

namespace {
// The typed contact (one of them), as the code routes expect it, with the link's code beside it.
QJsonObject linkCodeBody(const QString &phone, const QString &email, const QString &linkCode)
{
    QJsonObject body;
    if (!phone.trimmed().isEmpty())
        body.insert(QStringLiteral("phone"), phone.trimmed());
    if (!email.trimmed().isEmpty())
        body.insert(QStringLiteral("email"), email.trimmed());
    body.insert(QStringLiteral("practiceLink"), linkCode);
    return body;
}
} // namespace

void ApiClient::fetchPracticeLinks(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/practices/%1/practice-links").arg(pathSegment(practiceId)), nullptr, nullptr,
         true, context, std::move(done));
}

void ApiClient::createPracticeLink(const QString &practiceId, const QString &label, const QString &tag,
                                   QObject *context, Callback done)
{
    QJsonObject body{{"label", label.trimmed()}};
    if (!tag.trimmed().isEmpty())
        body.insert(QStringLiteral("tag"), tag.trimmed());
    send(Method::Post, QStringLiteral("/v1/practices/%1/practice-links").arg(pathSegment(practiceId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::updatePracticeLink(const QString &practiceId, const QString &linkId, const QJsonObject &changes,
                                   QObject *context, Callback done)
{
    send(Method::Patch,
         QStringLiteral("/v1/practices/%1/practice-links/%2").arg(pathSegment(practiceId), pathSegment(linkId)),
         nullptr, &changes, true, context, std::move(done));
}

void ApiClient::fetchPracticeLinkByCode(const QString &code, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/practice-links/%1").arg(pathSegment(code)), nullptr, nullptr, false, context,
         std::move(done));
}

void ApiClient::requestCodeForPracticeLink(const QString &phone, const QString &email, const QString &linkCode,
                                           QObject *context, Callback done)
{
    const QJsonObject body = linkCodeBody(phone, email, linkCode);
    send(Method::Post, QStringLiteral("/v1/codes"), nullptr, &body, false, context, std::move(done));
}

void ApiClient::verifyCodeForPracticeLink(const QString &phone, const QString &email, const QString &code,
                                          const QString &name, const QString &deviceName, const QString &linkCode,
                                          QObject *context, Callback done)
{
    QJsonObject body = linkCodeBody(phone, email, linkCode);
    body.insert(QStringLiteral("code"), code.trimmed());
    if (!name.trimmed().isEmpty())
        body.insert(QStringLiteral("name"), name.trimmed());
    if (!deviceName.isEmpty())
        body.insert(QStringLiteral("deviceName"), deviceName);
    send(Method::Post, QStringLiteral("/v1/codes/verify"), nullptr, &body, false, context, std::move(done));
}

} // namespace larch
