// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The video call routes of ApiRouter (docs/protocol.md, "Video calls"): start, answer, signalling, decline, end,
// a conversation's calls and the relay's credentials.
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"
#include "server/api/RequestHead.h"

#include <QUrlQuery>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

} // namespace

ApiResponse ApiRouter::callRoute(const Match &m, const ApiRequest &request)
{
    const auto a = auth(request);
    switch (m.route) {
    case Route::ConversationCalls: {
        if (request.method == "GET") {
            const QUrlQuery query(QUrl(QString::fromStdString(request.target)).query());
            const qint64 before = queryInt(query, "before", 0, std::numeric_limits<qint64>::max(), 0);
            const int limit = static_cast<int>(queryInt(query, "limit", 1, Limits::PageMax, Limits::PageDefault));
            return json(200, m_calls.list(a.user, m.id, before, limit));
        }
        const QJsonObject body = jsonBody(request);
        onlyFields(body, {"callId", "envelope"});
        FieldReader r(body);
        const QString callId = r.string("callId", 36, 36);
        checkFields(r);
        if (!isValidId(callId))
            invalidField(QStringLiteral("callId must be a lower-case UUID without braces"));
        const EnvelopeInput offer = readEnvelope(body, EnvelopeUse::CallSignal);
        return json(201, m_calls.start(a, m.id, callId, offer));
    }
    case Route::CallAnswer: {
        const QJsonObject body = jsonBody(request);
        onlyFields(body, {"envelope"});
        return json(200, m_calls.answer(a, m.id, readEnvelope(body, EnvelopeUse::CallSignal)));
    }
    case Route::CallSignals: {
        const QJsonObject body = jsonBody(request);
        onlyFields(body, {"envelope"});
        m_calls.signal(a, m.id, readEnvelope(body, EnvelopeUse::CallSignal));
        return ApiResponse{204, {}, {}};
    }
    case Route::CallDecline: {
        const QJsonObject body = request.body.empty() ? QJsonObject() : jsonBody(request);
        onlyFields(body, {"reason"});
        QString reason = QStringLiteral("declined");
        if (body.contains(QLatin1String("reason"))) {
            FieldReader r(body);
            reason = r.oneOf("reason", {"declined", "busy"});
            checkFields(r);
        }
        return json(200, m_calls.decline(a, m.id, reason));
    }
    case Route::CallEnd: {
        const QJsonObject body = request.body.empty() ? QJsonObject() : jsonBody(request);
        onlyFields(body, {"reason"});
        QString reason = QStringLiteral("hung_up");
        if (body.contains(QLatin1String("reason"))) {
            FieldReader r(body);
            reason = r.oneOf("reason", {"hung_up", "failed"});
            checkFields(r);
        }
        return json(200, m_calls.end(a, m.id, reason));
    }
    case Route::IceServers: return json(200, m_calls.iceServers(a));
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
