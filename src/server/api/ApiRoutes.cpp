// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/ApiRoutes.h"

namespace larch::server {

Match matchRoute(const QStringList &p)
{
    if (p.size() < 2 || p[0] != QLatin1String("v1"))
        return {};
    const QString &r = p[1];
    auto is = [](const QString &segment, const char *name) { return segment == QLatin1String(name); };
    if (p.size() == 2) {
        if (is(r, "health"))
            return {Route::Health, {}, {}, "GET"};
        if (is(r, "practices"))
            return {Route::Practices, {}, {}, "POST"};
        if (is(r, "sessions"))
            return {Route::Sessions, {}, {}, "POST"};
        if (is(r, "me"))
            return {Route::Me, {}, {}, "GET"};
        if (is(r, "conversations"))
            return {Route::Conversations, {}, {}, "GET"};
        if (is(r, "events"))
            return {Route::Events, {}, {}, "GET"};
        if (is(r, "devices"))
            return {Route::Devices, {}, {}, "POST"};
        if (is(r, "key-requests"))
            return {Route::KeyRequests, {}, {}, "GET"};
        if (is(r, "codes"))
            return {Route::Codes, {}, {}, "POST"};
        if (is(r, "limits"))
            return {Route::Limits, {}, {}, "GET"};
        return {};
    }
    if (p.size() == 3) {
        if (is(r, "sessions") && is(p[2], "current"))
            return {Route::CurrentSession, {}, {}, "DELETE"};
        if (is(r, "sessions") && is(p[2], "two-factor"))
            return {Route::SessionTwoFactor, {}, {}, "POST"};
        if (is(r, "me") && is(p[2], "two-factor"))
            return {Route::TwoFactor, {}, {}, "GET, POST"};
        if (is(r, "conversations"))
            return {Route::Conversation, p[2], {}, "GET"};
        if (is(r, "devices"))
            return {Route::Device, p[2], {}, "DELETE"};
        if (is(r, "me") && is(p[2], "key-backup"))
            return {Route::KeyBackup, {}, {}, "GET, PUT"};
        if (is(r, "codes") && is(p[2], "verify"))
            return {Route::CodesVerify, {}, {}, "POST"};
        if (is(r, "invitations"))
            return {Route::Invitation, p[2], {}, "PATCH, DELETE"};
        if (is(r, "practice-links"))
            return {Route::PracticeLinkByCode, p[2], {}, "GET"};
        if (is(r, "uploads"))
            return {Route::Upload, p[2], {}, "GET, PUT, DELETE"};
        if (is(r, "calls") && is(p[2], "ice-servers"))
            return {Route::IceServers, {}, {}, "GET"};
        return {};
    }
    if (p.size() == 4) {
        const QString &id = p[2];
        const QString &leaf = p[3];
        if (is(r, "me") && is(id, "key-backup") && is(leaf, "entries"))
            return {Route::KeyBackupEntries, {}, {}, "POST"};
        if (is(r, "me") && is(id, "two-factor") && is(leaf, "confirm"))
            return {Route::TwoFactorConfirm, {}, {}, "POST"};
        if (is(r, "me") && is(id, "two-factor") && is(leaf, "disable"))
            return {Route::TwoFactorDisable, {}, {}, "POST"};
        if (is(r, "me") && is(id, "two-factor") && is(leaf, "recovery-codes"))
            return {Route::TwoFactorRecoveryCodes, {}, {}, "POST"};
        if (is(r, "users") && is(leaf, "sessions"))
            return {Route::UserSessions, id, {}, "DELETE"};
        if (is(r, "users") && is(leaf, "devices"))
            return {Route::UserDevices, id, {}, "GET"};
        if (is(r, "practices") && is(leaf, "staff"))
            return {Route::Staff, id, {}, "GET, POST"};
        if (is(r, "practices") && is(leaf, "audit-log"))
            return {Route::PracticeAudit, id, {}, "GET"};
        if (is(r, "practices") && is(leaf, "patients"))
            return {Route::Patients, id, {}, "POST"};
        if (is(r, "practices") && is(leaf, "keys"))
            return {Route::PracticeKeys, id, {}, "GET, POST"};
        if (is(r, "conversations") && is(leaf, "messages"))
            return {Route::Messages, id, {}, "GET, POST"};
        if (is(r, "conversations") && is(leaf, "read"))
            return {Route::Read, id, {}, "POST"};
        if (is(r, "conversations") && is(leaf, "devices"))
            return {Route::ConversationDevices, id, {}, "GET"};
        if (is(r, "conversations") && is(leaf, "keys"))
            return {Route::ConversationKeys, id, {}, "GET, POST"};
        if (is(r, "conversations") && is(leaf, "epochs"))
            return {Route::Epochs, id, {}, "POST"};
        if (is(r, "devices") && is(leaf, "approve"))
            return {Route::DeviceApprove, id, {}, "POST"};
        if (is(r, "practices") && is(leaf, "invitations"))
            return {Route::Invitations, id, {}, "POST"};
        if (is(r, "practices") && is(leaf, "invitation-text"))
            return {Route::InvitationText, id, {}, "GET, PUT"};
        if (is(r, "practices") && is(leaf, "settings"))
            return {Route::PracticeSettings, id, {}, "GET, PATCH"};
        if (is(r, "practices") && is(leaf, "practice-links"))
            return {Route::PracticeLinks, id, {}, "GET, POST"};
        if (is(r, "conversations") && is(leaf, "invitation"))
            return {Route::ConversationInvitation, id, {}, "GET"};
        if (is(r, "practices") && is(leaf, "standard-conversations"))
            return {Route::StandardConversations, id, {}, "POST"};
        if (is(r, "conversations") && is(leaf, "consent"))
            return {Route::ConversationConsent, id, {}, "POST"};
        if (is(r, "conversations") && is(leaf, "secure-invitation"))
            return {Route::SecureInvitation, id, {}, "POST"};
        if (is(r, "invitations") && is(id, "by-token"))
            return {Route::InvitationByToken, leaf, {}, "GET"};
        if (is(r, "invitations") && is(leaf, "resend"))
            return {Route::InvitationResend, id, {}, "POST"};
        if (is(r, "conversations") && is(leaf, "uploads"))
            return {Route::ConversationUploads, id, {}, "POST"};
        if (is(r, "blobs") && is(leaf, "download-token"))
            return {Route::BlobDownloadToken, id, {}, "POST"};
        if (is(r, "blobs") && is(leaf, "content"))
            return {Route::BlobContent, id, {}, "GET"};
        if (is(r, "conversations") && is(leaf, "calls"))
            return {Route::ConversationCalls, id, {}, "GET, POST"};
        if (is(r, "calls") && is(leaf, "answer"))
            return {Route::CallAnswer, id, {}, "POST"};
        if (is(r, "calls") && is(leaf, "signals"))
            return {Route::CallSignals, id, {}, "POST"};
        if (is(r, "calls") && is(leaf, "decline"))
            return {Route::CallDecline, id, {}, "POST"};
        if (is(r, "calls") && is(leaf, "end"))
            return {Route::CallEnd, id, {}, "POST"};
        return {};
    }
    if (p.size() == 5 && is(r, "practices") && is(p[3], "contacts") && is(p[4], "check"))
        return {Route::ContactCheck, p[2], {}, "POST"};
    if (p.size() == 5 && is(r, "practices") && is(p[3], "audit-log") && is(p[4], "retention"))
        return {Route::AuditRetention, p[2], {}, "GET, PUT"};
    if (p.size() == 5 && is(r, "practices") && is(p[3], "audit-log") && is(p[4], "people"))
        return {Route::AuditPeople, p[2], {}, "GET"};
    if (p.size() == 5 && is(r, "practices") && is(p[3], "staff"))
        return {Route::StaffMember, p[2], p[4], "PATCH, DELETE"};
    if (p.size() == 5 && is(r, "practices") && is(p[3], "practice-links"))
        return {Route::PracticeLink, p[2], p[4], "PATCH"};
    if (p.size() == 6 && is(r, "practices") && is(p[3], "staff") && is(p[5], "setup-link"))
        return {Route::StaffSetupLink, p[2], p[4], "POST"};
    if (p.size() == 6 && is(r, "practices") && is(p[3], "staff") && is(p[5], "two-factor"))
        return {Route::StaffTwoFactor, p[2], p[4], "DELETE"};
    return {};
}

} // namespace larch::server
