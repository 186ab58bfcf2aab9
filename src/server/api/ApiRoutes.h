// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The routes of the REST API and the small helpers every route handler shares (internal to ApiRouter).
#pragma once

#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <string>

namespace larch::server {

enum class Route {
    None,
    Health,
    Practices,
    Sessions,
    CurrentSession,
    UserSessions,
    Me,
    Patients,
    Conversations,
    Conversation,
    Messages,
    Read,
    Events,
    // The audit log (ApiAuditRoutes.cpp).
    PracticeAudit,
    AuditRetention,
    AuditPeople,
    // End-to-end encryption (ApiKeyRoutes.cpp).
    Devices,
    Device,
    DeviceApprove,
    UserDevices,
    ConversationDevices,
    PracticeKeys,
    ConversationKeys,
    Epochs,
    KeyRequests,
    KeyBackup,
    KeyBackupEntries,
    // Invitations and sign-up with a code (ApiInviteRoutes.cpp).
    ContactCheck,
    Invitations,
    ConversationInvitation,
    Invitation,
    InvitationResend,
    InvitationText,
    InvitationByToken,
    Codes,
    CodesVerify,
    PracticeSettings,
    // Practice Links (ApiPracticeLinkRoutes.cpp).
    PracticeLinks,
    PracticeLink,
    PracticeLinkByCode,
    // Standard (SMS/email) conversations (ApiStandardRoutes.cpp).
    StandardConversations,
    ConversationConsent,
    SecureInvitation,
    // Attachments (ApiAttachmentRoutes.cpp).
    Limits,
    ConversationUploads,
    Upload,
    BlobDownloadToken,
    BlobContent,
    // Two-factor sign-in (ApiTwoFactorRoutes.cpp).
    SessionTwoFactor,
    TwoFactor,
    TwoFactorConfirm,
    TwoFactorDisable,
    TwoFactorRecoveryCodes,
    StaffTwoFactor,
    // The practice's staff (ApiStaffRoutes.cpp).
    Staff,
    StaffMember,
    StaffSetupLink,
    // Video calls (ApiCallRoutes.cpp).
    ConversationCalls,
    CallAnswer,
    CallSignals,
    CallDecline,
    CallEnd,
    IceServers
};

/// A matched path: its route, path parameters and the methods it allows.
struct Match {
    Route route = Route::None;
    QString id; ///< the first path parameter, when the route has one
    QString id2; ///< the second (DELETE /v1/practices/{id}/staff/{id2})
    const char *allow = "";
};

/// The route of a path split into segments; Route::None when there is none.
Match matchRoute(const QStringList &segments);

/// True for the E2EE routes, which ApiRouter::keyRoute answers.
inline bool isKeyRoute(Route r) { return r >= Route::Devices && r <= Route::KeyBackupEntries; }

/// True for the invitation and code routes, which ApiRouter::inviteRoute answers.
inline bool isInviteRoute(Route r) { return r >= Route::ContactCheck && r <= Route::PracticeSettings; }

/// True for the Practice Link routes, which ApiRouter::practiceLinkRoute answers.
inline bool isPracticeLinkRoute(Route r) { return r >= Route::PracticeLinks && r <= Route::PracticeLinkByCode; }

/// True for the standard conversation routes, which ApiRouter::standardRoute answers.
inline bool isStandardRoute(Route r) { return r >= Route::StandardConversations && r <= Route::SecureInvitation; }

/// True for the audit log routes, which ApiRouter::auditRoute answers.
inline bool isAuditRoute(Route r) { return r >= Route::PracticeAudit && r <= Route::AuditPeople; }

/// True for the attachment routes, which ApiRouter::attachmentRoute answers.
inline bool isAttachmentRoute(Route r) { return r >= Route::Limits && r <= Route::BlobContent; }
/// True for the staff routes, which ApiRouter::staffRoute answers.
inline bool isStaffRoute(Route r) { return r >= Route::Staff && r <= Route::StaffSetupLink; }
/// True for the video call routes, which ApiRouter::callRoute answers.
inline bool isCallRoute(Route r) { return r >= Route::ConversationCalls && r <= Route::IceServers; }
/// True for the two-factor sign-in routes, which ApiRouter::twoFactorRoute answers.
inline bool isTwoFactorRoute(Route r) { return r >= Route::SessionTwoFactor && r <= Route::StaffTwoFactor; }

inline std::string compactJson(const QJsonObject &o)
{
    const QByteArray b = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

[[noreturn]] inline void invalidField(const QString &message)
{
    throw RequestError(400, QStringLiteral("invalid_field"), message);
}

/// Refuses fields the route does not know, so a typo is not silently ignored.
inline void onlyFields(const QJsonObject &body, std::initializer_list<const char *> allowed)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        bool known = false;
        for (const char *a : allowed)
            known = known || it.key() == QLatin1String(a);
        if (!known)
            invalidField(QStringLiteral("%1 is not a field of this request.").arg(it.key()));
    }
}

inline void checkFields(const FieldReader &r)
{
    if (!r.ok())
        throw RequestError(400, r.error()->code, r.error()->message);
}

} // namespace larch::server
