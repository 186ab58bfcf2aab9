// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/ApiRouter.h"

#include "core/protocol/Validation.h"
#include "server/api/ApiRoutes.h"
#include "server/api/RequestError.h"
#include "server/api/RequestHead.h"
#include "server/audit/RequestOrigin.h"
#include "server/storage/StorageError.h"
#include "server/transport/Log.h"

#include <limits>
#include <QJsonArray>
#include <QJsonDocument>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

[[noreturn]] void invalid(const QString &message) { invalidField(message); }

void check(const FieldReader &r) { checkFields(r); }

int pageLimit(const QUrlQuery &q)
{
    return static_cast<int>(queryInt(q, "limit", 1, Limits::PageMax, Limits::PageDefault));
}

} // namespace

ApiResponse errorResponse(int status, const QString &code, const QString &message)
{
    return json(status, errorBody(code, message));
}

QString ApiRouter::bearerToken(const std::string &authorization)
{
    constexpr std::string_view prefix = "Bearer ";
    if (authorization.size() <= prefix.size() || authorization.compare(0, prefix.size(), prefix) != 0)
        return {};
    return QString::fromLatin1(authorization.substr(prefix.size())).trimmed();
}

Authenticated ApiRouter::auth(const ApiRequest &request)
{
    Authenticated a = m_accounts.authenticate(bearerToken(request.authorization));
    if (RequestOrigin *origin = OriginScope::current()) {
        origin->userId = a.user.id;
        origin->deviceId = a.deviceId;
    }
    return a;
}

Authenticated ApiRouter::authEnrolling(const ApiRequest &request)
{
    Authenticated a = m_accounts.authenticate(bearerToken(request.authorization), true);
    if (RequestOrigin *origin = OriginScope::current()) {
        origin->userId = a.user.id;
        origin->deviceId = a.deviceId;
    }
    return a;
}

QJsonObject ApiRouter::jsonBody(const ApiRequest &request)
{
    if (!request.hasLength)
        throw RequestError(411, QStringLiteral("length_required"),
                           QStringLiteral("Send the body with a Content-Length."));
    if (mediaType(request.contentType) != "application/json")
        throw RequestError(415, QStringLiteral("unsupported_media_type"),
                           QStringLiteral("Send the body as Content-Type: application/json."));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(request.body), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw RequestError(400, QStringLiteral("bad_json"), QStringLiteral("The body must be a JSON object."));
    return doc.object();
}

ApiResponse ApiRouter::handle(const ApiRequest &request) noexcept
{
    const OriginScope origin(request.remoteAddress); // what this request's actions write in the audit log
    try {
        return dispatch(request);
    } catch (const RequestError &e) {
        return errorResponse(e.status, e.code, e.message);
    } catch (const StorageError &e) {
        // A full disk is the operator's to fix and the client's to retry: the transaction was rolled back whole.
        if (e.kind() == StorageError::Kind::DiskFull) {
            log::error("storage failure: the disk holding the database is full");
            return errorResponse(507, QStringLiteral("insufficient_storage"),
                                 QStringLiteral("The server's disk is full, so nothing was saved. Try again later."));
        }
        log::error(std::string("storage failure: ") + e.what());
    } catch (const std::exception &e) {
        log::error(std::string("request failed: ") + e.what());
    } catch (...) {
        log::error("request failed with an unknown exception");
    }
    try {
        return errorResponse(500, QStringLiteral("internal"), QStringLiteral("Something went wrong on the server."));
    } catch (...) {
        return ApiResponse{500, R"({"error":{"code":"internal","message":"Something went wrong on the server."}})", {}};
    }
}

ApiResponse ApiRouter::dispatch(const ApiRequest &request)
{
    const RequestTarget target = readTarget(request.target);
    if (!target.valid)
        throw RequestError::notFound();
    const QUrlQuery &query = target.query;
    const Match m = matchRoute(target.segments);
    if (m.route == Route::None)
        throw RequestError::notFound();
    const QString allow = QLatin1String(m.allow);
    const QString method = QString::fromLatin1(request.method);
    if (!allow.split(QStringLiteral(", ")).contains(method)) {
        ApiResponse r = errorResponse(405, QStringLiteral("method_not_allowed"),
                                      QStringLiteral("Use %1 for this path.").arg(allow));
        r.allow = m.allow;
        return r;
    }

    if (isKeyRoute(m.route))
        return keyRoute(m, request);
    if (isInviteRoute(m.route))
        return inviteRoute(m, request);
    if (isPracticeLinkRoute(m.route))
        return practiceLinkRoute(m, request);
    if (isStandardRoute(m.route))
        return standardRoute(m, request);
    if (isAttachmentRoute(m.route))
        return attachmentRoute(m, request);
    if (isTwoFactorRoute(m.route))
        return twoFactorRoute(m, request);
    if (isAuditRoute(m.route))
        return auditRoute(m, request);
    if (isStaffRoute(m.route))
        return staffRoute(m, request);
    if (isCallRoute(m.route))
        return callRoute(m, request);

    switch (m.route) {
    case Route::Health: return json(200, {{"status", "ok"}, {"version", LARCH_VERSION}});
    case Route::Practices: {
        FieldReader r(jsonBody(request));
        const QString practiceName = r.string("practiceName", 1, Limits::NameMax);
        const QString adminName = r.string("adminName", 1, Limits::NameMax);
        const QString adminEmail = r.email("adminEmail");
        const QString adminPassword = r.password("adminPassword");
        check(r);
        const auto p = m_accounts.createPractice(practiceName, adminName, adminEmail, adminPassword);
        return json(201,
                    {{"practice", QJsonObject{{"id", p.practice.id}, {"name", p.practice.name}}},
                     {"user", p.admin.toJson()},
                     {"session", p.session.toJson()}});
    }
    case Route::Sessions: {
        FieldReader r(jsonBody(request));
        const QString email = r.email("email");
        const QString password = r.password("password");
        r.optionalString("deviceName", Limits::NameMax);
        check(r);
        const auto result = m_accounts.signIn(email, password, request.remoteAddress);
        return json(result.session ? 201 : 200, result.toJson());
    }
    case Route::CurrentSession: {
        m_accounts.signOut(authEnrolling(request), request.remoteAddress);
        return ApiResponse{204, {}, {}};
    }
    case Route::UserSessions: {
        const auto a = auth(request);
        m_accounts.revokeAll(a.user, m.id, request.remoteAddress);
        return ApiResponse{204, {}, {}};
    }
    case Route::Me: {
        const auto a = authEnrolling(request);
        QJsonObject me = a.user.toJson();
        if (a.mustEnrolTwoFactor)
            me.insert(QLatin1String("twoFactorEnrolmentRequired"), true);
        return json(200, me);
    }
    case Route::Patients: {
        const auto a = auth(request);
        FieldReader r(jsonBody(request));
        const QString name = r.string("name", 1, Limits::NameMax);
        const QString email = r.email("email");
        const QString password = r.password("password");
        check(r);
        const auto p = m_accounts.addPatient(a.user, m.id, name, email, password);
        return json(201, {{"user", p.user.toJson()}, {"conversation", p.conversation.toJson()}});
    }
    case Route::Conversations: {
        const auto a = auth(request);
        const auto page =
            m_conversations.list(a.user, pageLimit(query), query.queryItemValue(QStringLiteral("before")));
        QJsonArray list;
        for (const auto &c : page.conversations)
            list.append(c.toJson());
        return json(200,
                    {{"conversations", list},
                     {"next", page.next.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(page.next)}});
    }
    case Route::Conversation: return json(200, m_conversations.get(auth(request).user, m.id).toJson());
    case Route::Messages: {
        const auto a = auth(request);
        if (method == QLatin1String("GET")) {
            const qint64 before =
                queryInt(query, "before", 1, std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max());
            const auto page = m_conversations.messages(a.user, m.id, before, pageLimit(query));
            QJsonArray list;
            for (const auto &msg : page.messages)
                list.append(msg.toJson());
            return json(200, {{"messages", list}, {"hasMore", page.hasMore}});
        }
        const QJsonObject body = jsonBody(request);
        FieldReader r(body);
        const QString clientId = r.string("clientId", 36, 36);
        check(r);
        if (!isValidId(clientId))
            invalid(QStringLiteral("clientId must be a lower-case UUID without braces"));
        // A standard (SMS/email) conversation carries plain text; a secure one only envelopes.
        if (m_standard.isStandard(a.user, m.id))
            return standardSend(a.user, m.id, clientId, body);
        // A secure conversation: text travels only inside an envelope the server cannot open.
        const QJsonValue plain = body.value(QLatin1String("body"));
        if (!plain.isUndefined() && !plain.isNull() && plain != QJsonValue(QString()))
            invalid(QStringLiteral("This conversation is end-to-end encrypted: send the text encrypted in "
                                   "\"envelope\", never as a plain \"body\"."));
        const EnvelopeInput envelope = readEnvelope(body);
        bool created = false;
        const Message msg = m_conversations.send(a, m.id, clientId, envelope, &created);
        return json(created ? 201 : 200, msg.toJson());
    }
    case Route::Read: {
        const auto a = auth(request);
        FieldReader r(jsonBody(request));
        const qint64 seq = r.integer("seq", 0, std::numeric_limits<qint32>::max() * qint64(1024));
        check(r);
        const ReadState s = m_conversations.markRead(a.user, m.id, seq);
        return json(200,
                    {{"conversationId", s.conversationId},
                     {"userId", s.userId},
                     {"lastReadSeq", s.lastReadSeq},
                     {"unreadCount", s.unreadCount}});
    }
    case Route::Events: {
        const auto a = auth(request);
        const qint64 since = queryInt(query, "since", 0, std::numeric_limits<qint64>::max(), 0);
        const int limit = static_cast<int>(queryInt(query, "limit", 1, Limits::PageMax, Limits::PageMax));
        const qint64 latest = m_storage.conversations().latestEventSeq(a.user.id);
        const auto events = m_storage.conversations().eventsAfter(a.user.id, since, limit);
        // Stored event data is already JSON; it is spliced in rather than parsed and re-serialized.
        std::string body = "{\"events\":[";
        for (qsizetype i = 0; i < events.size(); ++i) {
            if (i)
                body += ',';
            body += events[i].wire().toStdString();
        }
        body += "],\"latestSeq\":" + std::to_string(latest) + "}";
        return ApiResponse{200, std::move(body), {}};
    }
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
