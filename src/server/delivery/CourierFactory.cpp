// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/delivery/CourierFactory.h"

#include "server/delivery/CurlEasy.h"
#include "server/delivery/DeliveryCourier.h"
#include "server/delivery/SmsGatewaySender.h"
#include "server/delivery/SmtpSender.h"
#include "server/transport/Log.h"

#include <QUrl>

namespace larch::server {
namespace {

/// scheme://host:port of a URL, with no user, password, path or query, for the log.
std::string shownUrl(const std::string &url)
{
    const QUrl u(QString::fromStdString(url));
    QString shown = u.scheme() + QStringLiteral("://") + u.host();
    if (u.port() != -1)
        shown += QStringLiteral(":%1").arg(u.port());
    return shown.toStdString();
}

} // namespace

bool smsGatewayConfigured(const ServerConfig &c) { return !c.smsUrl.empty(); }
bool smtpConfigured(const ServerConfig &c) { return !c.smtpUrl.empty(); }

std::unique_ptr<Courier> makeCourier(const ServerConfig &config, Storage &storage)
{
    initCurl();
    std::unique_ptr<DeliverySender> sms;
    std::unique_ptr<DeliverySender> email;
    if (smsGatewayConfigured(config)) {
        sms = std::make_unique<SmsGatewaySender>(
            SmsGatewaySettings{config.smsUrl, config.smsAccount, config.smsToken, config.smsFrom}, config.publicUrl);
        log::info("sms: gateway at " + shownUrl(config.smsUrl));
    } else {
        sms = std::make_unique<OutboxSender>();
        log::info("sms: development outbox (nothing leaves the machine; see /dev/outbox)");
    }
    if (smtpConfigured(config)) {
        email = std::make_unique<SmtpSender>(SmtpSettings{config.smtpUrl, config.smtpUser, config.smtpPassword,
                                                          config.smtpFrom, config.smtpStartTls, config.smtpCaFile});
        log::info("email: smtp at " + shownUrl(config.smtpUrl) + (config.smtpStartTls ? " with STARTTLS" : "")
                  + (config.smtpUser.empty() ? "" : ", authenticated"));
    } else {
        email = std::make_unique<OutboxSender>();
        log::info("email: development outbox (nothing leaves the machine; see /dev/outbox)");
    }
    return std::make_unique<DeliveryCourier>(storage, std::move(sms), std::move(email), config.deliveryRetrySeconds);
}

} // namespace larch::server
