// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sends e-mail over SMTP with libcurl.
#pragma once

#include "server/delivery/DeliverySender.h"

#include <QByteArray>
#include <string>

namespace larch::server {

/// The mail server and the sender's identity.
struct SmtpSettings {
    std::string url; ///< smtp://host:port or smtps://host:port
    std::string user; ///< empty: no authentication
    std::string password;
    std::string from; ///< "Name <address>" or an address
    bool startTls = false; ///< require STARTTLS on smtp://
    std::string caFile; ///< PEM CA bundle for the server's certificate; empty: the system's
};

/// Sends an RFC 5322 plain-text message (Date, Message-ID, From, To, Subject, MIME headers). Connection failures
/// and 4xx answers are retried; 5xx answers and refused credentials fail.
class SmtpSender final : public DeliverySender {
public:
    explicit SmtpSender(SmtpSettings settings) : m_settings(std::move(settings)) { }
    Transport transport() const override { return Transport::Smtp; }
    SendOutcome send(const OutboxRecord &delivery, const std::atomic<bool> &stopping) override;

    /// The message as it goes on the wire, CRLF line ends; now in ms since the epoch.
    static QByteArray message(const SmtpSettings &settings, const OutboxRecord &delivery, qint64 now);
    /// The bare address of "Name <address>" or of an address.
    static std::string address(const std::string &from);

private:
    SmtpSettings m_settings;
};

} // namespace larch::server
