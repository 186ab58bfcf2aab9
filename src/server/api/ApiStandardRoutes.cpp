// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The standard (SMS/email) conversation routes of ApiRouter (docs/protocol.md, "Standard conversations").
#include "server/api/ApiRouter.h"

#include "core/protocol/TextLength.h"
#include "server/api/ApiRoutes.h"

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

constexpr int kContactMax = 254;
constexpr int kConsentNoteMax = 500;

/// A string field: absent or null gives "" (or 400 missing_field when required); another type, or more than
/// maxLen characters after trimming, is 400 invalid_field.
QString text(const QJsonObject &body, const char *key, int maxLen, bool required = false)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty())) {
        if (required)
            throw RequestError(400, QStringLiteral("missing_field"),
                               QStringLiteral("%1 is required.").arg(QLatin1String(key)));
        return {};
    }
    if (!v.isString())
        invalidField(QStringLiteral("%1 must be a string.").arg(QLatin1String(key)));
    const QString s = v.toString().trimmed();
    if (textLength(s) > maxLen)
        invalidField(QStringLiteral("%1 must be at most %2 characters.").arg(QLatin1String(key)).arg(maxLen));
    return s;
}

ApiResponse duplicate(const DuplicateContact &d, const QString &message)
{
    QJsonObject body = errorBody(QStringLiteral("duplicate_contact"), message);
    body.insert("conversationId", d.conversationId);
    return json(409, body);
}

} // namespace

ApiResponse ApiRouter::standardRoute(const Match &m, const ApiRequest &request)
{
    const User caller = auth(request).user;
    switch (m.route) {
    case Route::StandardConversations: {
        const QJsonObject body = jsonBody(request);
        onlyFields(body, {"channel", "phone", "email", "name"});
        const QString channel = text(body, "channel", 10, true);
        if (channel != QLatin1String("sms") && channel != QLatin1String("email"))
            invalidField(QStringLiteral("channel must be \"sms\" or \"email\"."));
        const bool sms = channel == QLatin1String("sms");
        const QString contact = text(body, sms ? "phone" : "email", kContactMax, true);
        if (!text(body, sms ? "email" : "phone", kContactMax).isEmpty())
            invalidField(sms ? QStringLiteral("An sms conversation takes a phone number; leave email out.")
                             : QStringLiteral("An email conversation takes an email address; leave phone out."));
        const QString name = text(body, "name", Limits::NameMax);
        try {
            return json(201, m_standard.create(caller, m.id, channel, contact, name).toJson());
        } catch (const DuplicateContact &d) {
            return duplicate(d,
                             sms ? QStringLiteral("This practice already has a text message conversation with this "
                                                  "number; open it instead.")
                                 : QStringLiteral("This practice already has an email conversation with this "
                                                  "address; open it instead."));
        }
    }
    case Route::ConversationConsent: {
        const QJsonObject body = jsonBody(request);
        onlyFields(body, {"method", "note"});
        const QString method = text(body, "method", 40, true);
        if (method != QLatin1String("verbal") && method != QLatin1String("written")
            && method != QLatin1String("patient_initiated"))
            invalidField(QStringLiteral("method must be \"verbal\", \"written\" or \"patient_initiated\"."));
        const QString note = text(body, "note", kConsentNoteMax);
        return json(200, m_standard.recordConsent(caller, m.id, method, note).toJson());
    }
    case Route::SecureInvitation: {
        // No body is needed; one that is sent must be JSON (an empty object).
        if (!request.body.empty())
            onlyFields(jsonBody(request), {});
        try {
            const auto created = m_standard.inviteToSecure(caller, m.id);
            return json(201, {{"invitation", created.invitation}, {"conversation", created.conversation.toJson()}});
        } catch (const DuplicateContact &d) {
            return duplicate(d,
                             QStringLiteral("This practice already reaches this contact in a secure conversation; "
                                            "open it instead of inviting again."));
        }
    }
    default: break;
    }
    throw RequestError::notFound();
}

ApiResponse ApiRouter::standardSend(const User &caller, const QString &conversationId, const QString &clientId,
                                    const QJsonObject &body)
{
    const QJsonValue envelope = body.value(QLatin1String("envelope"));
    if (!envelope.isUndefined() && !envelope.isNull())
        invalidField(QStringLiteral("This is a standard (SMS or email) conversation, not end-to-end encrypted: send "
                                    "the text as \"body\", without an \"envelope\"."));
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("clientId") && it.key() != QLatin1String("body")
            && it.key() != QLatin1String("envelope"))
            invalidField(QStringLiteral("%1 is not a field of this request.").arg(it.key()));
    const QJsonValue v = body.value(QLatin1String("body"));
    if (v.isUndefined() || v.isNull())
        throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("body is required."));
    // In characters; the bytes are bounded by the request's (TransportLimits::MessageBodyBytes).
    if (!v.isString() || v.toString().trimmed().isEmpty() || textLength(v.toString()) > Limits::MessageBodyMax)
        invalidField(QStringLiteral("body must be a string of 1 to %1 characters").arg(Limits::MessageBodyMax));
    bool created = false;
    const Message msg = m_standard.send(caller, conversationId, clientId, v.toString(), &created);
    return json(created ? 201 : 200, msg.toJson());
}

} // namespace larch::server
