// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The settings larch-server runs with, filled from flags and environment variables by app/larch-server.
#pragma once

#include "server/transport/Log.h"

#include <cstdint>
#include <string>
#include <vector>

namespace larch::server {

/// Everything Server needs to start (docs/server.md lists the flags behind each field).
struct ServerConfig {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 8080; ///< 0 picks a free port
    std::string dataDir = "./larch-data";
    log::Level logLevel = log::Level::Info;
    bool demo = false;
    bool openRegistration = false; ///< POST /v1/practices creates practices (always with demo)
    int maxConnections = 10000;
    std::int64_t sessionLifetimeMs = 30LL * 24 * 3600 * 1000;
    std::string tlsCert; ///< PEM chain; TLS is on when both cert and key are set
    std::string tlsKey;
    int threads = 0; ///< 0: one per core

    // Links and delivery (docs/server.md, "Delivery" and "Pages").
    /// The address people reach the server at, without a trailing slash; links are <publicUrl>/i/<token>.
    /// Empty: Server::run sets http(s)://<listen>:<bound port> before serving the first request.
    std::string publicUrl;
    std::string smsUrl; ///< base URL of the Twilio-shaped gateway; empty: SMS go to the outbox
    std::string smsAccount; ///< account SID (the user of HTTP Basic)
    std::string smsToken; ///< auth token: HTTP Basic password and status-callback signing key
    std::string smsFrom; ///< the sending number, E.164
    std::string smtpUrl; ///< smtp://host:port or smtps://host:port; empty: e-mail goes to the outbox
    std::string smtpUser;
    std::string smtpPassword;
    std::string smtpFrom; ///< "Name <address>" or an address
    bool smtpStartTls = false; ///< require STARTTLS on smtp://
    std::string smtpCaFile; ///< PEM CA bundle that verifies the mail server; empty: the system's
    std::vector<int> deliveryRetrySeconds{30, 120, 600, 3600}; ///< waits before each retry; then failed
    /// Standard conversations (docs/standard-conversations.md): the key that signs inbound e-mail posts (empty: the
    /// inbound e-mail webhook answers 404) and the address whose +<token> form is the Reply-To of their e-mails.
    std::string emailInboundKey;
    std::string emailReplyAddress;
    std::string iosAppUrl = "https://apps.apple.com/app/larch";
    std::string androidAppUrl; ///< empty: the Google Play page of androidPackage
    std::string desktopDownloadUrl = "https://larch.app/download";
    std::string androidPackage = "app.larch";
    std::string androidCertSha256; ///< signing certificate fingerprints (AA:BB:…), comma-separated
    std::string iosAppId; ///< <team id>.<bundle id>

    // Invitations and codes (docs/invitations.md).
    std::int64_t inviteLifetimeMs = 14LL * 24 * 3600 * 1000; ///< --invite-days; 0 makes links expire at once
    std::int64_t codeLifetimeMs = 10LL * 60 * 1000; ///< --code-minutes
    int invitesPerHour = 100; ///< per practice
    int codesPerAddressPerHour = 20; ///< codes and sign-ups per remote address

    // Attachments (docs/protocol.md, "Attachments"; blobs in <dataDir>/blobs/).
    std::int64_t attachmentMaxBytes = 100LL * 1024 * 1024; ///< --attachment-max-mb: the largest plaintext
    std::int64_t practiceStorageBytes = 50LL * 1024 * 1024 * 1024; ///< --practice-storage-gb (or -mb)
    std::int64_t uploadExpiryMs = 24LL * 3600 * 1000; ///< --upload-expiry-hours (or -seconds)
    std::int64_t downloadTokenMs = 5LL * 60 * 1000; ///< --download-token-seconds

    // Audit retention (docs/security.md, "Audit retention").
    /// --retention-clock-offset-days: the pruning of old audit records runs this far ahead of the clock (tests).
    std::int64_t retentionClockOffsetMs = 0;

    // Video calls (docs/protocol.md, "Video calls").
    std::string stunUrl; ///< --stun-url: stun:host:port handed to apps with their TURN credentials
    std::string turnUrl; ///< --turn-url: turn:host:port (coturn); empty: no relay is offered
    std::string turnSecret; ///< --turn-secret: coturn's static-auth-secret, for time-limited credentials
    std::int64_t turnCredentialMs = 2LL * 3600 * 1000; ///< --turn-credential-minutes (at most 6 hours)
    std::int64_t callRingMs = 45LL * 1000; ///< --call-ring-seconds: unanswered this long, a call is missed
};

} // namespace larch::server
