// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// larch-server: reads flags and environment variables into a ServerConfig and runs the Server.
#include "server/transport/AuditCommand.h"
#include "server/transport/PracticeCommand.h"
#include "server/transport/Server.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace {

using larch::server::ServerConfig;

const char kUsage[] = R"(Usage: larch-server [options]
       larch-server practice create --name NAME --admin-name NAME --admin-email EMAIL [options]
       larch-server audit verify [--data-dir DIR]

Serves the Larch API (HTTP and WebSocket) on one port. "practice create" makes a practice in the
data directory (the server may be running) and prints the one-time link, <public-url>/setup/<token>,
with which its first administrator chooses a password; the link works for 72 hours. "audit verify"
checks the audit log's hash chain and names the first record modified, removed or out of order
(exit code 3).

Options (each has an environment variable; a flag wins over its variable):
  --listen ADDR          IP address to listen on (LARCH_LISTEN, default 127.0.0.1).
                         A non-loopback address requires --tls-cert and --tls-key.
  --port N               TCP port, 0 picks a free one (LARCH_PORT, default 8080)
  --data-dir DIR         where larch.sqlite3 lives (LARCH_DATA_DIR, default ./larch-data)
  --log-level LEVEL      error, warn, info or debug (LARCH_LOG_LEVEL, default info)
  --demo                 seed the demo practice once; also opens registration (LARCH_DEMO=1)
  --open-registration    anyone may create a practice with POST /v1/practices (LARCH_OPEN_REGISTRATION=1);
                         without it only "practice create" makes practices
  --max-connections N    open connections before answering 503 (LARCH_MAX_CONNECTIONS, default 10000)
  --session-days N       lifetime of a sign-in session in days (LARCH_SESSION_DAYS, default 30)
  --session-seconds N    lifetime in seconds instead, for tests of expiry (LARCH_SESSION_SECONDS)
  --invite-days N        lifetime of an invitation link in days (LARCH_INVITE_DAYS, default 14)
  --code-minutes N       lifetime of a one-time code in minutes (LARCH_CODE_MINUTES, default 10)
  --invite-limit N       invitations a practice may send per hour (LARCH_INVITE_LIMIT, default 100)
  --code-address-limit N codes one address may ask for per hour (LARCH_CODE_ADDRESS_LIMIT, default 20)
  --tls-cert FILE        PEM certificate chain for HTTPS/WSS (LARCH_TLS_CERT)
  --tls-key FILE         PEM private key for HTTPS/WSS (LARCH_TLS_KEY)
  --threads N            I/O threads (LARCH_THREADS, default one per core)
  --help                 show this text

Attachments (docs/protocol.md, "Attachments"; blobs live in <data-dir>/blobs/):
  --attachment-max-mb N  largest attachment in MiB before encryption (LARCH_ATTACHMENT_MAX_MB,
                         default 100)
  --practice-storage-gb N  storage quota of each practice's blobs in GiB
                         (LARCH_PRACTICE_STORAGE_GB, default 50)
  --practice-storage-mb N  the quota in MiB instead, for small installations and tests
                         (LARCH_PRACTICE_STORAGE_MB)
  --upload-expiry-hours N  an unfinished upload not written for N hours is removed
                         (LARCH_UPLOAD_EXPIRY_HOURS, default 24)
  --upload-expiry-seconds N  the same in seconds, for tests (LARCH_UPLOAD_EXPIRY_SECONDS)
  --download-token-seconds N  lifetime of a blob download link (LARCH_DOWNLOAD_TOKEN_SECONDS,
                         default 300; 0 makes new links expired at once, for tests)

Audit log (docs/security.md, "Audit retention"; records past a practice's retention, 6 years
unless its administrators chose longer, are removed at start and daily):
  --retention-clock-offset-days N  that removal acts as if N more days had passed, for tests of
                         retention (LARCH_RETENTION_CLOCK_OFFSET_DAYS, default 0)

Video calls (docs/protocol.md, "Video calls"); media flows between the apps, or through a TURN
relay such as coturn (use-auth-secret) when no direct path exists:
  --stun-url URL         stun:host:port given to apps for finding their public address (LARCH_STUN_URL)
  --turn-url URL         turn:host:port of the relay (LARCH_TURN_URL); needs --turn-secret
  --turn-secret S        the relay's static-auth-secret (LARCH_TURN_SECRET)
  --turn-credential-minutes N  lifetime of the relay credentials an app receives (default 120,
                         at most 360)
  --call-ring-seconds N  an unanswered call becomes a missed call after N seconds (default 45)

Links and delivery (docs/server.md, "Delivery"); a channel with no settings goes to the
development outbox at /dev/outbox and nothing leaves the machine:
  --public-url URL       where people reach this server; links are URL/i/<token>
                         (LARCH_PUBLIC_URL, default http(s)://<listen>:<port>)
  --sms-url URL          base URL of the Twilio-shaped SMS gateway, e.g. https://api.twilio.com
                         (LARCH_SMS_URL); needs --sms-account, --sms-token and --sms-from
  --sms-account SID      gateway account (LARCH_SMS_ACCOUNT)
  --sms-token TOKEN      gateway auth token; also checks status callbacks (LARCH_SMS_TOKEN)
  --sms-from NUMBER      sending number in E.164 (LARCH_SMS_FROM)
  --smtp-url URL         smtp://host:port or smtps://host:port (LARCH_SMTP_URL); needs --smtp-from
  --smtp-user USER       SMTP user name (LARCH_SMTP_USER)
  --smtp-password PASS   SMTP password (LARCH_SMTP_PASSWORD)
  --smtp-from ADDRESS    sender, "Name <address>" or an address (LARCH_SMTP_FROM)
  --smtp-starttls        require STARTTLS on smtp:// (LARCH_SMTP_STARTTLS=1)
  --smtp-ca-file FILE    PEM CA bundle that verifies the mail server's certificate
                         (LARCH_SMTP_CA_FILE, default: the system's)
  --delivery-retries S   seconds to wait before each retry, comma-separated; then the delivery
                         fails (LARCH_DELIVERY_RETRIES, default 30,120,600,3600)

Standard (SMS and email) conversations (docs/standard-conversations.md):
  --email-inbound-key KEY  signing key of the e-mail provider's inbound posts to
                         /v1/webhooks/email/inbound (LARCH_EMAIL_INBOUND_KEY; without it that
                         webhook answers 404)
  --email-reply-address ADDRESS  e.g. replies@clinic.example: e-mails of standard conversations
                         carry Reply-To replies+<token>@clinic.example (LARCH_EMAIL_REPLY_ADDRESS)

App links on the invitation page and in /.well-known:
  --ios-app-url URL      App Store page (LARCH_IOS_APP_URL, default https://apps.apple.com/app/larch)
  --android-app-url URL  Google Play page (LARCH_ANDROID_APP_URL, default: the page of --android-package)
  --desktop-download-url URL  desktop download page (LARCH_DESKTOP_DOWNLOAD_URL,
                         default https://larch.app/download)
  --android-package ID   Android application id (LARCH_ANDROID_PACKAGE, default app.larch)
  --android-cert-sha256 F  signing certificate SHA-256 fingerprints, comma-separated
                         (LARCH_ANDROID_CERT_SHA256)
  --ios-app-id ID        <team id>.<bundle id> for universal links (LARCH_IOS_APP_ID)
)";

[[noreturn]] void usageError(const std::string &message)
{
    std::fprintf(stderr, "larch-server: %s\nRun larch-server --help for the list of options.\n", message.c_str());
    std::exit(2);
}

long long number(const std::string &name, const std::string &text, long long min, long long max)
{
    try {
        std::size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size() && v >= min && v <= max)
            return v;
    } catch (const std::exception &) { }
    usageError(name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not \""
               + text + "\"");
}

/// An absolute http(s) URL (or, for smtp, smtp(s)) with a host; exits with a usage error otherwise.
std::string url(const std::string &flag, const std::string &value, std::initializer_list<std::string_view> schemes)
{
    const auto colon = value.find("://");
    const std::string scheme = colon == std::string::npos ? std::string() : value.substr(0, colon);
    const bool known = std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
    if (!known || colon + 3 >= value.size() || value.find_first_of(" \t\r\n") != std::string::npos) {
        std::string list;
        for (auto s : schemes)
            list += (list.empty() ? "" : " or ") + std::string(s) + "://";
        usageError(flag + " must be a URL starting with " + list + ", not \"" + value + "\"");
    }
    return value;
}

/// Applies a link or delivery setting; false when name is none of them.
bool applyDelivery(ServerConfig &c, const std::string &name, const std::string &value)
{
    if (name == "public-url") {
        c.publicUrl = url("--public-url", value, {"http", "https"});
        while (c.publicUrl.size() > 1 && c.publicUrl.back() == '/')
            c.publicUrl.pop_back();
    } else if (name == "sms-url") {
        c.smsUrl = url("--sms-url", value, {"http", "https"});
    } else if (name == "sms-account") {
        c.smsAccount = value;
    } else if (name == "sms-token") {
        c.smsToken = value;
    } else if (name == "sms-from") {
        c.smsFrom = value;
    } else if (name == "smtp-url") {
        c.smtpUrl = url("--smtp-url", value, {"smtp", "smtps"});
    } else if (name == "smtp-user") {
        c.smtpUser = value;
    } else if (name == "smtp-password") {
        c.smtpPassword = value;
    } else if (name == "smtp-from") {
        c.smtpFrom = value;
    } else if (name == "smtp-starttls") {
        if (value != "1" && value != "0" && value != "true" && value != "false")
            usageError("LARCH_SMTP_STARTTLS must be 1 or 0, not \"" + value + "\"");
        c.smtpStartTls = value == "1" || value == "true";
    } else if (name == "smtp-ca-file") {
        c.smtpCaFile = value;
    } else if (name == "delivery-retries") {
        c.deliveryRetrySeconds.clear();
        std::size_t start = 0;
        while (start <= value.size() && !value.empty()) {
            const auto comma = value.find(',', start);
            const std::string part =
                value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            c.deliveryRetrySeconds.push_back(static_cast<int>(number("each of --delivery-retries", part, 1, 86400)));
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        if (c.deliveryRetrySeconds.size() > 20)
            usageError("--delivery-retries takes at most 20 waits");
    } else if (name == "ios-app-url") {
        c.iosAppUrl = url("--ios-app-url", value, {"https", "http"});
    } else if (name == "android-app-url") {
        c.androidAppUrl = url("--android-app-url", value, {"https", "http"});
    } else if (name == "desktop-download-url") {
        c.desktopDownloadUrl = url("--desktop-download-url", value, {"https", "http"});
    } else if (name == "android-package") {
        c.androidPackage = value;
    } else if (name == "android-cert-sha256") {
        c.androidCertSha256 = value;
    } else if (name == "ios-app-id") {
        c.iosAppId = value;
    } else if (name == "email-inbound-key") {
        if (value.empty())
            usageError("--email-inbound-key must not be empty");
        c.emailInboundKey = value;
    } else if (name == "email-reply-address") {
        const auto at = value.find('@');
        if (at == std::string::npos || at == 0 || value.find('@', at + 1) != std::string::npos
            || value.find('.', at) == std::string::npos || value.find_first_of(" \t\r\n<>\",;") != std::string::npos
            || value.back() == '.')
            usageError("--email-reply-address must be an address such as replies@clinic.example, not \"" + value
                       + "\"");
        c.emailReplyAddress = value;
    } else {
        return false;
    }
    return true;
}

/// Settings that only make sense together; exits with a usage error when one is missing.
void checkDelivery(const ServerConfig &c)
{
    if (c.turnUrl.empty() != c.turnSecret.empty())
        usageError("--turn-url and --turn-secret go together: the secret signs the relay's credentials");
    for (const std::string *url : {&c.stunUrl, &c.turnUrl})
        if (!url->empty() && url->rfind("stun:", 0) != 0 && url->rfind("turn:", 0) != 0 && url->rfind("turns:", 0) != 0)
            usageError("--stun-url and --turn-url take stun:host:port, turn:host:port or turns:host:port");
    if (!c.smsUrl.empty() && (c.smsAccount.empty() || c.smsToken.empty() || c.smsFrom.empty()))
        usageError("--sms-url needs --sms-account, --sms-token and --sms-from");
    if (c.smsUrl.empty() && (!c.smsAccount.empty() || !c.smsToken.empty() || !c.smsFrom.empty()))
        usageError("--sms-account, --sms-token and --sms-from need --sms-url");
    if (!c.smtpUrl.empty() && c.smtpFrom.empty())
        usageError("--smtp-url needs --smtp-from");
    if (c.smtpUrl.empty() && (!c.smtpUser.empty() || !c.smtpFrom.empty() || c.smtpStartTls || !c.smtpCaFile.empty()))
        usageError("--smtp-user, --smtp-from, --smtp-starttls and --smtp-ca-file need --smtp-url");
    if (c.smtpUser.empty() != c.smtpPassword.empty())
        usageError("--smtp-user and --smtp-password go together");
}

/// Applies one setting by its flag name (without dashes), from a flag or an environment variable.
void apply(ServerConfig &c, const std::string &name, const std::string &value)
{
    if (name == "listen") {
        c.listen = value;
    } else if (name == "port") {
        c.port = static_cast<std::uint16_t>(number("--port", value, 0, 65535));
    } else if (name == "data-dir") {
        if (value.empty())
            usageError("--data-dir must not be empty");
        c.dataDir = value;
    } else if (name == "log-level") {
        if (!larch::log::parseLevel(value, c.logLevel))
            usageError("--log-level must be error, warn, info or debug, not \"" + value + "\"");
    } else if (name == "open-registration") {
        if (value != "1" && value != "0" && value != "true" && value != "false")
            usageError("LARCH_OPEN_REGISTRATION must be 1 or 0, not \"" + value + "\"");
        c.openRegistration = value == "1" || value == "true";
    } else if (name == "demo") {
        if (value != "1" && value != "0" && value != "true" && value != "false")
            usageError("LARCH_DEMO must be 1 or 0, not \"" + value + "\"");
        c.demo = value == "1" || value == "true";
    } else if (name == "max-connections") {
        c.maxConnections = static_cast<int>(number("--max-connections", value, 1, 1'000'000));
    } else if (name == "session-days") {
        c.sessionLifetimeMs = number("--session-days", value, 0, 3650) * 24 * 3600 * 1000;
    } else if (name == "session-seconds") {
        c.sessionLifetimeMs = number("--session-seconds", value, 0, 3650LL * 24 * 3600) * 1000;
    } else if (name == "invite-days") {
        c.inviteLifetimeMs = number("--invite-days", value, 0, 365) * 24 * 3600 * 1000;
    } else if (name == "code-minutes") {
        c.codeLifetimeMs = number("--code-minutes", value, 0, 60) * 60 * 1000;
    } else if (name == "invite-limit") {
        c.invitesPerHour = static_cast<int>(number("--invite-limit", value, 1, 1'000'000));
    } else if (name == "code-address-limit") {
        c.codesPerAddressPerHour = static_cast<int>(number("--code-address-limit", value, 1, 1'000'000));
    } else if (name == "tls-cert") {
        c.tlsCert = value;
    } else if (name == "tls-key") {
        c.tlsKey = value;
    } else if (name == "threads") {
        c.threads = static_cast<int>(number("--threads", value, 1, 256));
    } else if (name == "attachment-max-mb") {
        c.attachmentMaxBytes = number("--attachment-max-mb", value, 1, 100'000) * 1024 * 1024;
    } else if (name == "practice-storage-gb") {
        c.practiceStorageBytes = number("--practice-storage-gb", value, 0, 1'000'000) * 1024 * 1024 * 1024;
    } else if (name == "practice-storage-mb") {
        c.practiceStorageBytes = number("--practice-storage-mb", value, 0, 1'000'000'000) * 1024 * 1024;
    } else if (name == "upload-expiry-hours") {
        c.uploadExpiryMs = number("--upload-expiry-hours", value, 1, 24 * 365) * 3600 * 1000;
    } else if (name == "upload-expiry-seconds") {
        c.uploadExpiryMs = number("--upload-expiry-seconds", value, 1, 3600LL * 24 * 365) * 1000;
    } else if (name == "download-token-seconds") {
        c.downloadTokenMs = number("--download-token-seconds", value, 0, 24 * 3600) * 1000;
    } else if (name == "stun-url") {
        c.stunUrl = value;
    } else if (name == "turn-url") {
        c.turnUrl = value;
    } else if (name == "turn-secret") {
        c.turnSecret = value;
    } else if (name == "turn-credential-minutes") {
        c.turnCredentialMs = number("--turn-credential-minutes", value, 1, 6 * 60) * 60 * 1000;
    } else if (name == "call-ring-seconds") {
        c.callRingMs = number("--call-ring-seconds", value, 1, 600) * 1000;
    } else if (name == "retention-clock-offset-days") {
        c.retentionClockOffsetMs = number("--retention-clock-offset-days", value, 0, 36525) * 24 * 3600 * 1000;
    } else if (!applyDelivery(c, name, value)) {
        usageError("unknown option --" + name);
    }
}

void fromEnvironment(ServerConfig &c)
{
    // session-seconds after session-days so the finer one wins when both are set.
    const std::pair<const char *, const char *> vars[] = {
        {"LARCH_LISTEN", "listen"},
        {"LARCH_PORT", "port"},
        {"LARCH_DATA_DIR", "data-dir"},
        {"LARCH_LOG_LEVEL", "log-level"},
        {"LARCH_DEMO", "demo"},
        {"LARCH_OPEN_REGISTRATION", "open-registration"},
        {"LARCH_MAX_CONNECTIONS", "max-connections"},
        {"LARCH_SESSION_DAYS", "session-days"},
        {"LARCH_SESSION_SECONDS", "session-seconds"},
        {"LARCH_TLS_CERT", "tls-cert"},
        {"LARCH_TLS_KEY", "tls-key"},
        {"LARCH_THREADS", "threads"},
        {"LARCH_PUBLIC_URL", "public-url"},
        {"LARCH_STUN_URL", "stun-url"},
        {"LARCH_TURN_URL", "turn-url"},
        {"LARCH_TURN_SECRET", "turn-secret"},
        {"LARCH_SMS_URL", "sms-url"},
        {"LARCH_SMS_ACCOUNT", "sms-account"},
        {"LARCH_SMS_TOKEN", "sms-token"},
        {"LARCH_SMS_FROM", "sms-from"},
        {"LARCH_SMTP_URL", "smtp-url"},
        {"LARCH_SMTP_USER", "smtp-user"},
        {"LARCH_SMTP_PASSWORD", "smtp-password"},
        {"LARCH_SMTP_FROM", "smtp-from"},
        {"LARCH_SMTP_STARTTLS", "smtp-starttls"},
        {"LARCH_SMTP_CA_FILE", "smtp-ca-file"},
        {"LARCH_DELIVERY_RETRIES", "delivery-retries"},
        {"LARCH_IOS_APP_URL", "ios-app-url"},
        {"LARCH_ANDROID_APP_URL", "android-app-url"},
        {"LARCH_DESKTOP_DOWNLOAD_URL", "desktop-download-url"},
        {"LARCH_ANDROID_PACKAGE", "android-package"},
        {"LARCH_ANDROID_CERT_SHA256", "android-cert-sha256"},
        {"LARCH_IOS_APP_ID", "ios-app-id"},
        {"LARCH_INVITE_DAYS", "invite-days"},
        {"LARCH_CODE_MINUTES", "code-minutes"},
        {"LARCH_INVITE_LIMIT", "invite-limit"},
        {"LARCH_CODE_ADDRESS_LIMIT", "code-address-limit"},
        {"LARCH_EMAIL_INBOUND_KEY", "email-inbound-key"},
        {"LARCH_EMAIL_REPLY_ADDRESS", "email-reply-address"},
        // The finer unit after the coarser one, so it wins when both are set.
        {"LARCH_ATTACHMENT_MAX_MB", "attachment-max-mb"},
        {"LARCH_PRACTICE_STORAGE_GB", "practice-storage-gb"},
        {"LARCH_PRACTICE_STORAGE_MB", "practice-storage-mb"},
        {"LARCH_UPLOAD_EXPIRY_HOURS", "upload-expiry-hours"},
        {"LARCH_UPLOAD_EXPIRY_SECONDS", "upload-expiry-seconds"},
        {"LARCH_DOWNLOAD_TOKEN_SECONDS", "download-token-seconds"},
        {"LARCH_RETENTION_CLOCK_OFFSET_DAYS", "retention-clock-offset-days"},
    };
    for (const auto &[var, name] : vars)
        if (const char *v = std::getenv(var); v && *v)
            apply(c, name, v);
}

} // namespace

int main(int argc, char **argv)
{
    ServerConfig config;
    fromEnvironment(config);
    // larch-server practice create --name … --admin-name … --admin-email … [server options for --data-dir etc.]
    const bool practiceCreate = argc >= 2 && std::string_view(argv[1]) == "practice";
    if (practiceCreate && (argc < 3 || std::string_view(argv[2]) != "create"))
        usageError("the practice command is \"larch-server practice create --name NAME --admin-name NAME "
                   "--admin-email EMAIL\"");
    // larch-server audit verify [--data-dir DIR]
    const bool auditVerify = argc >= 2 && std::string_view(argv[1]) == "audit";
    if (auditVerify && (argc < 3 || std::string_view(argv[2]) != "verify"))
        usageError("the audit command is \"larch-server audit verify [--data-dir DIR]\"");
    std::map<std::string, std::string> practiceFields;
    for (int i = practiceCreate || auditVerify ? 3 : 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (practiceCreate && (arg == "--name" || arg == "--admin-name" || arg == "--admin-email")) {
            if (i + 1 >= argc)
                usageError(arg + " needs a value");
            practiceFields[arg.substr(2)] = argv[++i];
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (!arg.starts_with("--") || arg.size() == 2)
            usageError("unexpected argument \"" + arg + "\"");
        std::string name = arg.substr(2);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        static const std::string_view known[] = {"listen",
                                                 "port",
                                                 "data-dir",
                                                 "log-level",
                                                 "demo",
                                                 "open-registration",
                                                 "max-connections",
                                                 "session-days",
                                                 "session-seconds",
                                                 "tls-cert",
                                                 "tls-key",
                                                 "threads",
                                                 "invite-days",
                                                 "code-minutes",
                                                 "invite-limit",
                                                 "code-address-limit",
                                                 "attachment-max-mb",
                                                 "practice-storage-gb",
                                                 "practice-storage-mb",
                                                 "upload-expiry-hours",
                                                 "upload-expiry-seconds",
                                                 "download-token-seconds",
                                                 "retention-clock-offset-days",
                                                 "stun-url",
                                                 "turn-url",
                                                 "turn-secret",
                                                 "turn-credential-minutes",
                                                 "call-ring-seconds"};
        static const std::string_view deliveryFlags[] = {"public-url",
                                                         "sms-url",
                                                         "sms-account",
                                                         "sms-token",
                                                         "sms-from",
                                                         "smtp-url",
                                                         "smtp-user",
                                                         "smtp-password",
                                                         "smtp-from",
                                                         "smtp-starttls",
                                                         "smtp-ca-file",
                                                         "delivery-retries",
                                                         "ios-app-url",
                                                         "android-app-url",
                                                         "desktop-download-url",
                                                         "android-package",
                                                         "android-cert-sha256",
                                                         "ios-app-id",
                                                         "email-inbound-key",
                                                         "email-reply-address"};
        if (std::find(std::begin(known), std::end(known), name) == std::end(known)
            && std::find(std::begin(deliveryFlags), std::end(deliveryFlags), name) == std::end(deliveryFlags))
            usageError("unknown option --" + name);
        if (name == "demo" || name == "open-registration" || name == "smtp-starttls") {
            apply(config, name, value.value_or("1"));
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                usageError("--" + name + " needs a value");
            value = argv[++i];
        }
        apply(config, name, *value);
    }
    if (auditVerify)
        return larch::server::verifyAuditCommand(config, stdout, stderr);
    if (practiceCreate) {
        for (const char *field : {"name", "admin-name", "admin-email"}) {
            if (!practiceFields.count(field))
                usageError(std::string("practice create needs --") + field);
        }
        return larch::server::createPracticeCommand(config, practiceFields["name"], practiceFields["admin-name"],
                                                    practiceFields["admin-email"], stdout, stderr);
    }
    checkDelivery(config);
    try {
        return larch::server::Server(config).run();
    } catch (const larch::server::StartupError &e) {
        std::fprintf(stderr, "larch-server: %s\n", e.message.c_str());
        return e.exitCode;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "larch-server: cannot start: %s\n", e.what());
        return 1;
    }
}
