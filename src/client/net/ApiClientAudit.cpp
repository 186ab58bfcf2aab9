// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: the practice's audit log for its administrators: pages of records, the people to filter by, how long
// records are kept, and the CSV export.
#include "client/net/ApiClient.h"

#include <QNetworkReply>
#include <QUrlQuery>

namespace larch {

namespace {
QUrlQuery filterQuery(const AuditFilter &filter)
{
    QUrlQuery query;
    if (filter.from > 0)
        query.addQueryItem(QStringLiteral("from"), QString::number(filter.from));
    if (filter.to > 0)
        query.addQueryItem(QStringLiteral("to"), QString::number(filter.to));
    if (!filter.staffId.isEmpty())
        query.addQueryItem(QStringLiteral("staffId"), filter.staffId);
    if (!filter.patientId.isEmpty())
        query.addQueryItem(QStringLiteral("patientId"), filter.patientId);
    return query;
}

/// The audit log's path for a practice id already percent-encoded, or one of its leaves.
QString auditPath(const QString &encodedPracticeId, const char *leaf = nullptr)
{
    return QStringLiteral("/v1/practices/%1/audit-log%2")
        .arg(encodedPracticeId, leaf ? QLatin1Char('/') + QLatin1String(leaf) : QString());
}
} // namespace

void ApiClient::fetchAuditLog(const QString &practiceId, const AuditFilter &filter, qint64 beforeSeq, int limit,
                              QObject *context, Callback done)
{
    QUrlQuery query = filterQuery(filter);
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (beforeSeq > 0)
        query.addQueryItem(QStringLiteral("before"), QString::number(beforeSeq));
    send(Method::Get, auditPath(pathSegment(practiceId)), &query, nullptr, true, context, std::move(done));
}

void ApiClient::fetchAuditPeople(const QString &practiceId, const QString &search, QObject *context, Callback done)
{
    QUrlQuery query;
    if (!search.trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("q"), QString::fromLatin1(QUrl::toPercentEncoding(search.trimmed())));
    send(Method::Get, auditPath(pathSegment(practiceId), "people"), &query, nullptr, true, context, std::move(done));
}

void ApiClient::fetchAuditRetention(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, auditPath(pathSegment(practiceId), "retention"), nullptr, nullptr, true, context,
         std::move(done));
}

void ApiClient::saveAuditRetention(const QString &practiceId, int years, QObject *context, Callback done)
{
    const QJsonObject body{{"years", years}};
    send(Method::Put, auditPath(pathSegment(practiceId), "retention"), nullptr, &body, true, context, std::move(done));
}

QNetworkReply *ApiClient::getAuditCsv(const QString &practiceId, const AuditFilter &filter)
{
    if (!checkServerUrl(m_serverUrl).isNone())
        return nullptr;
    QUrlQuery query = filterQuery(filter);
    query.addQueryItem(QStringLiteral("format"), QStringLiteral("csv"));
    QNetworkRequest request = authorizedRequest(urlFor(auditPath(pathSegment(practiceId)), &query));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Records of patients: never kept in a cache on the way to the file.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    return m_network.get(request);
}

} // namespace larch
