// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sends SMS through an HTTP gateway with the shape of Twilio's Messages API.
#pragma once

#include "server/delivery/DeliverySender.h"

#include <string>

namespace larch::server {

/// Where the gateway is and who the server is to it.
struct SmsGatewaySettings {
    std::string baseUrl; ///< e.g. https://api.twilio.com (no trailing slash needed)
    std::string account; ///< account SID
    std::string token; ///< auth token
    std::string from; ///< sending number, E.164
};

/// POST {base}/2010-04-01/Accounts/{sid}/Messages.json with To, From, Body and StatusCallback, HTTP Basic
/// sid:token. 201 with a sid is sent; 429, 5xx and network errors are retried; other 4xx fail with the gateway's
/// message. publicUrl is read at each send (the server fills it in once it is listening).
class SmsGatewaySender final : public DeliverySender {
public:
    SmsGatewaySender(SmsGatewaySettings settings, const std::string &publicUrl)
        : m_settings(std::move(settings)), m_publicUrl(publicUrl)
    { }
    Transport transport() const override { return Transport::Gateway; }
    SendOutcome send(const OutboxRecord &delivery, const std::atomic<bool> &stopping) override;

    /// The status callback URL the gateway is given, and that signatures of its callbacks cover.
    static std::string statusCallbackUrl(const std::string &publicUrl);

private:
    SmsGatewaySettings m_settings;
    const std::string &m_publicUrl;
};

} // namespace larch::server
