// Answers what is not the JSON API: the invitation page, the app-link files, the development outbox and the
// SMS gateway's status webhook (docs/server.md, "Pages").
#pragma once

#include "ApiRouter.h"
#include "Courier.h"
#include "ServerConfig.h"
#include "Storage.h"

#include <string_view>

namespace larch::server {

/// Routes /i/, /.well-known/, /dev/ and /v1/webhooks/. Never throws. config is read at each request (the server
/// fills in publicUrl once listening), so it must outlive the router.
class PageRouter {
public:
    PageRouter(const ServerConfig &config, Storage &storage, Courier &courier)
        : m_config(config), m_storage(storage), m_courier(courier)
    {
    }

    /// True for a request target this router answers.
    static bool owns(std::string_view target);
    ApiResponse handle(const ApiRequest &request) noexcept;

private:
    ApiResponse dispatch(const ApiRequest &request, const QString &path);

    const ServerConfig &m_config;
    Storage &m_storage;
    Courier &m_courier;
};

// The pages, each in its own file.
/// GET /i/{token}: the invitation landing page, or a polite page for an unknown, expired, used or revoked token.
ApiResponse invitePage(const ServerConfig &config, Storage &storage, const QString &token);
/// GET /dev/outbox (HTML, links clickable) and /dev/outbox.json: the development outbox, newest first.
ApiResponse outboxPage(Storage &storage);
ApiResponse outboxJson(Storage &storage);
/// GET /.well-known/assetlinks.json and /.well-known/apple-app-site-association.
ApiResponse assetLinks(const ServerConfig &config);
ApiResponse appleAppSiteAssociation(const ServerConfig &config);
/// POST /v1/webhooks/sms/status: the gateway's signed status callback.
ApiResponse smsStatusWebhook(const ServerConfig &config, Courier &courier, const ApiRequest &request);

} // namespace larch::server
