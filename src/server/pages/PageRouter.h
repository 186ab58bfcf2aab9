// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Answers what is not the JSON API: the invitation and Practice Link pages, the app-link files, the development
// outbox and the SMS gateway's status webhook (docs/server.md, "Pages").
#pragma once

#include "server/accounts/PracticeSetup.h"
#include "server/api/ApiRouter.h"
#include "server/api/FormData.h"
#include "server/delivery/Courier.h"
#include "server/standard/StandardService.h"
#include "server/storage/Storage.h"
#include "server/transport/ServerConfig.h"

#include <optional>
#include <string_view>

namespace larch::server {

/// Routes /i/, /p/, /setup/, /.well-known/, /dev/ and /v1/webhooks/. Never throws. config is read at each request (the server
/// fills in publicUrl once listening), so it must outlive the router.
class PageRouter {
public:
    PageRouter(const ServerConfig &config, Storage &storage, Courier &courier, StandardService &standard,
               PracticeSetup &practiceSetup)
        : m_config(config), m_storage(storage), m_courier(courier), m_standard(standard), m_practiceSetup(practiceSetup)
    { }

    /// True for a request target this router answers.
    static bool owns(std::string_view target);
    ApiResponse handle(const ApiRequest &request) noexcept;

private:
    ApiResponse dispatch(const ApiRequest &request, const QString &path);

    const ServerConfig &m_config;
    Storage &m_storage;
    Courier &m_courier;
    StandardService &m_standard;
    PracticeSetup &m_practiceSetup;
};

// The pages, each in its own file.
/// GET /i/{token}: the invitation landing page, or a polite page for an unknown, expired, used or revoked token.
ApiResponse invitePage(const ServerConfig &config, Storage &storage, const QString &token);
/// GET /p/{code}: the Practice Link page, or a polite page for an unknown or turned-off link.
/// fingerprint: the practice identity's fingerprint the link carried (fp=, 32 characters), passed on to the app's
/// link; "" for none.
ApiResponse practiceLinkPage(const ServerConfig &config, Storage &storage, const QString &code,
                             const QString &fingerprint = {});
/// GET /setup/{token}: the form where a new practice's first administrator chooses a password; POST /setup/{token}
/// (form-encoded password and confirm) sets it (SetupPage.cpp).
ApiResponse setupPage(PracticeSetup &setup, const ApiRequest &request, const QString &token);
/// GET /dev/outbox (HTML, links clickable) and /dev/outbox.json: the development outbox, newest first.
ApiResponse outboxPage(Storage &storage);
ApiResponse outboxJson(Storage &storage);
/// GET /.well-known/assetlinks.json and /.well-known/apple-app-site-association.
ApiResponse assetLinks(const ServerConfig &config);
ApiResponse appleAppSiteAssociation(const ServerConfig &config);
/// POST /v1/webhooks/sms/status: the gateway's signed status callback.
ApiResponse smsStatusWebhook(const ServerConfig &config, Courier &courier, const ApiRequest &request);
/// The fields of a form the SMS gateway posted and signed (X-Twilio-Signature), or the refusal: 404 without a gateway,
/// 415 when not form-encoded, 400 bad_form, 403 bad_signature (SmsWebhook.cpp; every gateway webhook uses it).
std::optional<ApiResponse> readGatewayForm(const ServerConfig &config, const ApiRequest &request, FormFields &fields);
/// POST /v1/webhooks/sms/inbound: a text a contact sent to the server's number (SmsInboundWebhook.cpp).
ApiResponse smsInboundWebhook(const ServerConfig &config, StandardService &standard, const ApiRequest &request);
/// POST /v1/webhooks/email/inbound: an e-mail the provider parsed and posted (EmailInboundWebhook.cpp).
ApiResponse emailInboundWebhook(const ServerConfig &config, StandardService &standard, const ApiRequest &request);

} // namespace larch::server
