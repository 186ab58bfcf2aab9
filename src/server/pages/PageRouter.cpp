// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/pages/PageRouter.h"

#include "core/crypto/PracticeIdentity.h"
#include "server/api/RequestError.h"
#include "server/delivery/CourierFactory.h"
#include "server/transport/Log.h"

#include <QUrl>
#include <QUrlQuery>

namespace larch::server {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

ApiResponse methodNotAllowed(const char *allow)
{
    ApiResponse r = errorResponse(405, QStringLiteral("method_not_allowed"),
                                  QStringLiteral("Use %1 for this path.").arg(QLatin1String(allow)));
    r.allow = allow;
    return r;
}

/// The development outbox shows codes and links: only while a channel uses it, and only to this machine.
bool outboxVisible(const ServerConfig &config, const QString &remoteAddress)
{
    if (smsGatewayConfigured(config) && smtpConfigured(config))
        return false;
    return remoteAddress == QLatin1String("127.0.0.1") || remoteAddress == QLatin1String("::1")
        || remoteAddress.startsWith(QLatin1String("127.")) || remoteAddress == QLatin1String("::ffff:127.0.0.1");
}

} // namespace

bool PageRouter::owns(std::string_view target)
{
    return startsWith(target, "/i/") || startsWith(target, "/p/") || startsWith(target, "/setup/")
        || startsWith(target, "/.well-known/") || startsWith(target, "/dev/") || startsWith(target, "/v1/webhooks/");
}

ApiResponse PageRouter::handle(const ApiRequest &request) noexcept
{
    try {
        const QUrl url(QStringLiteral("http://h") + QString::fromUtf8(request.target));
        if (!url.isValid())
            throw RequestError::notFound();
        return dispatch(request, url.path());
    } catch (const RequestError &e) {
        return errorResponse(e.status, e.code, e.message);
    } catch (const std::exception &e) {
        log::error(std::string("page request failed: ") + e.what());
    } catch (...) {
        log::error("page request failed with an unknown exception");
    }
    return ApiResponse{500, R"({"error":{"code":"internal","message":"Something went wrong on the server."}})"};
}

ApiResponse PageRouter::dispatch(const ApiRequest &request, const QString &path)
{
    const bool get = request.method == "GET";
    if (path.startsWith(QLatin1String("/i/"))) {
        const QString token = path.mid(3);
        if (token.contains(QLatin1Char('/')))
            throw RequestError::notFound();
        if (!get)
            return methodNotAllowed("GET");
        return invitePage(m_config, m_storage, token);
    }
    if (path.startsWith(QLatin1String("/p/"))) {
        const QString code = path.mid(3);
        if (code.contains(QLatin1Char('/')))
            throw RequestError::notFound();
        if (!get)
            return methodNotAllowed("GET");
        // A link printed with the practice identity's fingerprint hands it on to the app (fp=, checked here only for
        // its form; the app compares it with the identity itself).
        const QUrlQuery query(QUrl(QStringLiteral("http://h") + QString::fromUtf8(request.target)));
        const auto fingerprint = IdentityFingerprint::parse(query.queryItemValue(QStringLiteral("fp")));
        return practiceLinkPage(m_config, m_storage, code,
                                fingerprint ? IdentityFingerprint::textOf(*fingerprint) : QString());
    }
    if (path.startsWith(QLatin1String("/setup/"))) {
        const QString token = path.mid(7);
        if (token.contains(QLatin1Char('/')))
            throw RequestError::notFound();
        if (!get && request.method != "POST")
            return methodNotAllowed("GET, POST");
        return setupPage(m_practiceSetup, request, token);
    }
    if (path == QLatin1String("/.well-known/assetlinks.json")) {
        if (!get)
            return methodNotAllowed("GET");
        return assetLinks(m_config);
    }
    if (path == QLatin1String("/.well-known/apple-app-site-association")) {
        if (!get)
            return methodNotAllowed("GET");
        return appleAppSiteAssociation(m_config);
    }
    if (path == QLatin1String("/dev/outbox") || path == QLatin1String("/dev/outbox.json")) {
        if (!outboxVisible(m_config, request.remoteAddress))
            throw RequestError::notFound();
        if (!get)
            return methodNotAllowed("GET");
        return path.endsWith(QLatin1String(".json")) ? outboxJson(m_storage) : outboxPage(m_storage);
    }
    if (path == QLatin1String("/v1/webhooks/sms/inbound")) {
        if (request.method != "POST")
            return methodNotAllowed("POST");
        return smsInboundWebhook(m_config, m_standard, request);
    }
    if (path == QLatin1String("/v1/webhooks/email/inbound")) {
        if (request.method != "POST")
            return methodNotAllowed("POST");
        return emailInboundWebhook(m_config, m_standard, request);
    }
    if (path == QLatin1String("/v1/webhooks/sms/status")) {
        if (request.method != "POST")
            return methodNotAllowed("POST");
        return smsStatusWebhook(m_config, m_courier, request);
    }
    throw RequestError::notFound();
}

} // namespace larch::server
