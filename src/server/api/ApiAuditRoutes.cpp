// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit log routes of ApiRouter (docs/protocol.md, "Audit log"): a practice's records, their CSV export, the
// people the log can be filtered by, and how long the practice keeps its records.
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"

#include <cmath>
#include <limits>
#include <QUrl>
#include <QUrlQuery>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// An optional integer query parameter within [min, max].
qint64 queryInt(const QUrlQuery &q, const char *key, qint64 min, qint64 max, qint64 fallback)
{
    const QString name = QLatin1String(key);
    if (!q.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 v = q.queryItemValue(name).toLongLong(&ok);
    if (!ok || v < min || v > max)
        invalidField(QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
    return v;
}

/// The whole number "years" of a retention change; anything else is 400.
qint64 yearsOf(const QJsonObject &body)
{
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("years"))
            invalidField(QStringLiteral("%1 is not a field of this request.").arg(it.key()));
    const QJsonValue years = body.value(QLatin1String("years"));
    if (years.isUndefined())
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("years is required: how many years the practice keeps its audit log."));
    const double v = years.toDouble(std::nan(""));
    if (!years.isDouble() || std::trunc(v) != v || std::abs(v) > 1e6)
        invalidField(QStringLiteral("years must be a whole number of years."));
    return qint64(v);
}

} // namespace

ApiResponse ApiRouter::auditRoute(const Match &m, const ApiRequest &request)
{
    const Authenticated caller = auth(request);
    const QUrlQuery query(QUrl(QStringLiteral("http://h") + QString::fromUtf8(request.target)));
    if (m.route == Route::AuditRetention) {
        if (request.method == "GET")
            return json(200, m_audit.retention(caller, m.id));
        // Who may do this is answered before what was sent is looked at.
        (void)m_audit.retention(caller, m.id);
        return json(200, m_audit.setRetention(caller, m.id, yearsOf(jsonBody(request))));
    }
    if (m.route == Route::AuditPeople)
        return json(
            200, m_audit.people(caller, m.id, query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded).left(100)));

    AuditService::Filter f;
    f.from = queryInt(query, "from", 0, std::numeric_limits<qint64>::max(), 0);
    f.to = queryInt(query, "to", 0, std::numeric_limits<qint64>::max(), 0);
    f.beforeSeq = queryInt(query, "before", 1, std::numeric_limits<qint64>::max(), 0);
    f.limit = int(queryInt(query, "limit", 1, 500, 200));
    f.staffId = query.queryItemValue(QStringLiteral("staffId"));
    f.patientId = query.queryItemValue(QStringLiteral("patientId"));
    if (query.queryItemValue(QStringLiteral("format")) == QLatin1String("csv")) {
        ApiResponse r;
        r.status = 200;
        r.body = m_audit.csv(caller, m.id, f).toStdString();
        r.contentType = "text/csv; charset=utf-8";
        r.headers = {{"Content-Disposition", "attachment; filename=\"larch-audit-log.csv\""},
                     {"Cache-Control", "no-store"}};
        return r;
    }
    return json(200, m_audit.page(caller, m.id, f));
}

} // namespace larch::server
