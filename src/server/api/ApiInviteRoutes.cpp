// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The invitation and one-time code routes of ApiRouter (docs/protocol.md, "Invitations and sign-up with a code").
#include "server/api/ApiRouter.h"

#include "core/protocol/TextLength.h"
#include "server/accounts/PracticeSettings.h"
#include "server/api/ApiRoutes.h"

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// An optional string field: absent or null gives nullopt; another type, or more than maxLen characters, is 400.
std::optional<QString> optionalText(const QJsonObject &body, const char *key, int maxLen)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString())
        invalidField(QStringLiteral("%1 must be a string.").arg(QLatin1String(key)));
    const QString s = v.toString().trimmed();
    if (textLength(s) > maxLen)
        invalidField(QStringLiteral("%1 must be at most %2 characters.").arg(QLatin1String(key)).arg(maxLen));
    return s;
}

QString text(const QJsonObject &body, const char *key, int maxLen)
{
    return optionalText(body, key, maxLen).value_or(QString());
}

constexpr int kContactMax = 254;

ApiResponse duplicate(const DuplicateContact &d)
{
    QJsonObject body = errorBody(QStringLiteral("duplicate_contact"),
                                 QStringLiteral("This practice already has a conversation with this contact; open it "
                                                "instead of inviting again."));
    body.insert("conversationId", d.conversationId);
    return json(409, body);
}

} // namespace

ApiResponse ApiRouter::inviteRoute(const Match &m, const ApiRequest &request)
{
    const QString method = QString::fromLatin1(request.method);
    try {
        switch (m.route) {
        case Route::InvitationByToken: return json(200, m_invites.byToken(m.id, request.remoteAddress));
        case Route::Codes: {
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"phone", "email", "invitationToken", "practiceLink"});
            return json(202,
                        m_signUps.requestCode(text(body, "phone", kContactMax), text(body, "email", kContactMax),
                                              text(body, "invitationToken", 100), text(body, "practiceLink", 100),
                                              request.remoteAddress));
        }
        case Route::CodesVerify: {
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"phone", "email", "code", "name", "deviceName", "invitationToken", "practiceLink"});
            const auto code = optionalText(body, "code", 6);
            if (!code)
                throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("code is required."));
            text(body, "deviceName", Limits::NameMax);
            return json(200,
                        m_signUps.verify(text(body, "phone", kContactMax), text(body, "email", kContactMax), *code,
                                         text(body, "name", Limits::NameMax), text(body, "invitationToken", 100),
                                         text(body, "practiceLink", 100), request.remoteAddress));
        }
        default: break;
        }

        const User caller = auth(request).user;
        switch (m.route) {
        case Route::ContactCheck: {
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"phone", "email"});
            return json(200,
                        m_invites.checkContact(caller, m.id, text(body, "phone", kContactMax),
                                               text(body, "email", kContactMax)));
        }
        case Route::Invitations: {
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"patientName", "phone", "email"});
            const QString name = text(body, "patientName", Limits::NameMax);
            if (name.isEmpty())
                throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("patientName is required."));
            const auto created = m_invites.create(caller, m.id, name, text(body, "phone", kContactMax),
                                                  text(body, "email", kContactMax));
            return json(201, {{"invitation", created.invitation}, {"conversation", created.conversation.toJson()}});
        }
        case Route::ConversationInvitation: return json(200, m_invites.ofConversation(caller, m.id));
        case Route::InvitationResend: return json(200, m_invites.resend(caller, m.id));
        case Route::Invitation: {
            if (method == QLatin1String("DELETE")) {
                m_invites.revoke(caller, m.id);
                return ApiResponse{204, {}, {}};
            }
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"patientName", "phone", "email"});
            const auto name = optionalText(body, "patientName", Limits::NameMax);
            if (name && name->isEmpty())
                invalidField(QStringLiteral("patientName must not be empty."));
            // null removes a contact, as "" does.
            auto contact = [&](const char *key) -> std::optional<QString> {
                if (body.contains(QLatin1String(key)) && body.value(QLatin1String(key)).isNull())
                    return QString();
                return optionalText(body, key, kContactMax);
            };
            return json(200, m_invites.edit(caller, m.id, name, contact("phone"), contact("email")));
        }
        case Route::PracticeSettings: {
            PracticeSettings settings(m_storage, m_invites);
            if (method == QLatin1String("GET"))
                return json(200, settings.get(caller, m.id));
            const QJsonObject body = jsonBody(request);
            onlyFields(body,
                       {"defaultRegion", "invitationText", "twoFactorRequired", "idleLockMinutes", "patientsMayCall"});
            PracticeSettings::Changes changes;
            const QJsonValue region = body.value(QLatin1String("defaultRegion"));
            if (!region.isUndefined() && !region.isString())
                invalidField(QStringLiteral("defaultRegion must be a string of two letters such as US or GB."));
            if (region.isString())
                changes.defaultRegion = region.toString();
            changes.invitationText = optionalText(body, "invitationText", 2000);
            const QJsonValue required = body.value(QLatin1String("twoFactorRequired"));
            if (!required.isUndefined() && !required.isBool())
                invalidField(QStringLiteral("twoFactorRequired must be true or false."));
            if (required.isBool())
                changes.twoFactorRequired = required.toBool();
            const QJsonValue mayCall = body.value(QLatin1String("patientsMayCall"));
            if (!mayCall.isUndefined() && !mayCall.isBool())
                invalidField(QStringLiteral("patientsMayCall must be true or false."));
            if (mayCall.isBool())
                changes.patientsMayCall = mayCall.toBool();
            const QJsonValue minutes = body.value(QLatin1String("idleLockMinutes"));
            if (!minutes.isUndefined()) {
                const double v = minutes.toDouble(-1);
                if (!minutes.isDouble() || v != double(qint64(v)) || v < 1 || v > PracticeSettings::IdleLockMinutesMax)
                    invalidField(QStringLiteral("idleLockMinutes must be a whole number of minutes from 1 to %1.")
                                     .arg(PracticeSettings::IdleLockMinutesMax));
                changes.idleLockMinutes = int(v);
            }
            const QJsonObject updated = settings.update(caller, m.id, changes);
            if (changes.twoFactorRequired.value_or(false))
                m_accounts.closeUnenrolledSockets(m.id);
            return json(200, updated);
        }
        case Route::InvitationText: {
            if (method == QLatin1String("GET"))
                return json(200, m_invites.text(caller, m.id));
            const QJsonObject body = jsonBody(request);
            onlyFields(body, {"text"});
            const auto t = optionalText(body, "text", 2000);
            if (!t)
                throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("text is required."));
            return json(200, m_invites.setText(caller, m.id, *t));
        }
        default: break;
        }
    } catch (const DuplicateContact &d) {
        return duplicate(d);
    }
    throw RequestError::notFound();
}

} // namespace larch::server
