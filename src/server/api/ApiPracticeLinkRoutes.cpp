// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The Practice Link routes of ApiRouter (docs/protocol.md, "Practice Links").
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"

#include <algorithm>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// Refuses fields the route does not know, so a typo is not silently ignored.
void knownFieldsOnly(const QJsonObject &body, std::initializer_list<const char *> allowed)
{
    for (auto it = body.begin(); it != body.end(); ++it)
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char *a) { return it.key() == QLatin1String(a); }))
            invalidField(QStringLiteral("%1 is not a field of this request.").arg(it.key()));
}

/// A string field: nullopt when absent; null gives "" when nullMeansEmpty; any other type is 400.
std::optional<QString> stringField(const QJsonObject &body, const char *key, bool nullMeansEmpty)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined())
        return std::nullopt;
    if (v.isNull() && nullMeansEmpty)
        return QString();
    if (!v.isString())
        invalidField(nullMeansEmpty ? QStringLiteral("%1 must be a string or null.").arg(QLatin1String(key))
                                    : QStringLiteral("%1 must be a string.").arg(QLatin1String(key)));
    return v.toString();
}

} // namespace

ApiResponse ApiRouter::practiceLinkRoute(const Match &m, const ApiRequest &request)
{
    if (m.route == Route::PracticeLinkByCode)
        return json(200, m_practiceLinks.lookup(m.id, request.remoteAddress));

    const User caller = auth(request).user;
    const bool get = request.method == "GET";
    // Who may do this is answered before what was sent is looked at.
    m_practiceLinks.requireStaffOf(caller, m.id, !get);
    if (m.route == Route::PracticeLinks) {
        if (get)
            return json(200, m_practiceLinks.list(caller, m.id));
        const QJsonObject body = jsonBody(request);
        knownFieldsOnly(body, {"label", "tag"});
        const auto label = stringField(body, "label", false);
        if (!label)
            throw RequestError(400, QStringLiteral("missing_field"),
                               QStringLiteral("label is required: what staff call the link, such as "
                                              "\"Front desk flyer\"."));
        const QString tag = stringField(body, "tag", true).value_or(QString());
        return json(201, m_practiceLinks.create(caller, m.id, *label, tag).toJson());
    }
    if (m.route == Route::PracticeLink) {
        const QJsonObject body = jsonBody(request);
        knownFieldsOnly(body, {"label", "tag", "enabled"});
        if (body.isEmpty())
            throw RequestError(400, QStringLiteral("missing_field"),
                               QStringLiteral("Give label, tag or enabled to change."));
        const QJsonValue enabled = body.value(QLatin1String("enabled"));
        if (!enabled.isUndefined() && !enabled.isBool())
            invalidField(QStringLiteral("enabled must be true or false."));
        return json(200,
                    m_practiceLinks
                        .update(caller, m.id, m.id2, stringField(body, "label", false), stringField(body, "tag", true),
                                enabled.isBool() ? std::optional<bool>(enabled.toBool()) : std::nullopt)
                        .toJson());
    }
    throw RequestError::notFound();
}

} // namespace larch::server
