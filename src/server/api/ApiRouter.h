// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Maps HTTP requests of the REST API to the services and their results to responses (docs/protocol.md).
#pragma once

#include "server/accounts/AccountService.h"
#include "server/accounts/SignUpService.h"
#include "server/accounts/StaffService.h"
#include "server/attachments/AttachmentService.h"
#include "server/audit/AuditService.h"
#include "server/calls/CallService.h"
#include "server/conversations/ConversationService.h"
#include "server/e2ee/DeviceService.h"
#include "server/e2ee/KeyService.h"
#include "server/invites/InviteService.h"
#include "server/practicelinks/PracticeLinkService.h"
#include "server/standard/StandardService.h"

#include <cstdint>
#include <optional>
#include <QJsonObject>
#include <string>
#include <utility>
#include <vector>

namespace larch::server {

struct Match;

/// A complete HTTP request, already bounded in size by the transport.
struct ApiRequest {
    std::string method;
    std::string target; ///< path and query
    std::string contentType;
    std::string authorization;
    std::string body;
    bool hasLength = false; ///< Content-Length or chunked encoding was present
    QString remoteAddress;
    std::string signature; ///< X-Twilio-Signature (the SMS status webhook)
    std::string contentSha256; ///< X-Content-SHA256 (PUT of upload bytes)
    std::string contentCrc32c; ///< X-Content-CRC32C (PUT of upload bytes; what the app sends)
    std::string range; ///< Range (blob downloads)
    /// A PUT of upload bytes with a Content-Length: the transport reads its body into a buffer of its own (body
    /// stays empty), valid while the request is handled, and computes its CRC-32C on the way.
    QByteArrayView uploadBytes;
    std::optional<quint32> uploadCrc32c;
};

/// Part of a file sent as a response body, streamed from disk without reading it whole.
struct FileSlice {
    std::string path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

/// A response ready to send; body is JSON (empty for 204) unless contentType says otherwise.
struct ApiResponse {
    ApiResponse(int status = 200, std::string body = {}, std::string allow = {})
        : status(status), body(std::move(body)), allow(std::move(allow))
    { }
    int status = 200;
    std::string body;
    std::string allow; ///< the Allow header of a 405
    std::string contentType; ///< empty: application/json when there is a body
    std::vector<std::pair<std::string, std::string>> headers; ///< extra headers (pages: CSP and friends)
    std::optional<FileSlice> file; ///< when set, the body is this part of a file (blob downloads), not body
};

/// Turns an error into the response with the protocol's JSON error body.
ApiResponse errorResponse(int status, const QString &code, const QString &message);

/// Routes, checks tokens, roles and input, and answers. Never throws: a failure that is not an RequestError
/// becomes 500 internal with no detail.
class ApiRouter {
public:
    ApiRouter(AccountService &accounts, ConversationService &conversations, DeviceService &devices, KeyService &keys,
              InviteService &invites, SignUpService &signUps, PracticeLinkService &practiceLinks,
              StandardService &standard, AttachmentService &attachments, TwoFactorService &twoFactor,
              StaffService &staff, CallService &calls, Storage &storage)
        : m_accounts(accounts), m_conversations(conversations), m_devices(devices), m_keys(keys), m_invites(invites),
          m_signUps(signUps), m_practiceLinks(practiceLinks), m_standard(standard), m_attachments(attachments),
          m_twoFactor(twoFactor), m_staff(staff), m_calls(calls), m_storage(storage)
    { }

    ApiResponse handle(const ApiRequest &request) noexcept;
    /// The bearer token of an Authorization header, or "" when absent or malformed.
    static QString bearerToken(const std::string &authorization);

private:
    ApiResponse dispatch(const ApiRequest &request);
    QJsonObject jsonBody(const ApiRequest &request);
    Authenticated auth(const ApiRequest &request);
    /// auth for what a session that must enrol in two-factor sign-in may still do: enrol, read /v1/me, sign out.
    Authenticated authEnrolling(const ApiRequest &request);
    /// The two-factor sign-in routes (ApiTwoFactorRoutes.cpp).
    ApiResponse twoFactorRoute(const Match &match, const ApiRequest &request);
    /// The staff routes: the list, adding, roles, setup links, deactivating (ApiStaffRoutes.cpp).
    ApiResponse staffRoute(const Match &match, const ApiRequest &request);
    /// The end-to-end encryption routes (ApiKeyRoutes.cpp).
    ApiResponse keyRoute(const Match &match, const ApiRequest &request);
    /// The invitation and code routes (ApiInviteRoutes.cpp).
    ApiResponse inviteRoute(const Match &match, const ApiRequest &request);
    /// The Practice Link routes (ApiPracticeLinkRoutes.cpp).
    ApiResponse practiceLinkRoute(const Match &match, const ApiRequest &request);
    /// The standard conversation routes (ApiStandardRoutes.cpp).
    ApiResponse standardRoute(const Match &match, const ApiRequest &request);
    /// The video call routes: start, answer, signalling, decline, end, the list, relay credentials
    /// (ApiCallRoutes.cpp).
    ApiResponse callRoute(const Match &match, const ApiRequest &request);
    /// The audit log routes: records, CSV export, people to filter by, retention (ApiAuditRoutes.cpp).
    ApiResponse auditRoute(const Match &match, const ApiRequest &request);
    /// The attachment routes: uploads, download tokens and blob content (ApiAttachmentRoutes.cpp).
    ApiResponse attachmentRoute(const Match &match, const ApiRequest &request);
    /// POST …/messages in a standard conversation: plain text in "body" (ApiStandardRoutes.cpp).
    ApiResponse standardSend(const User &caller, const QString &conversationId, const QString &clientId,
                             const QJsonObject &body);

    AccountService &m_accounts;
    ConversationService &m_conversations;
    DeviceService &m_devices;
    KeyService &m_keys;
    InviteService &m_invites;
    SignUpService &m_signUps;
    PracticeLinkService &m_practiceLinks;
    StandardService &m_standard;
    AttachmentService &m_attachments;
    TwoFactorService &m_twoFactor;
    StaffService &m_staff;
    CallService &m_calls;
    Storage &m_storage;
    AuditService m_audit{m_storage};
};

} // namespace larch::server
