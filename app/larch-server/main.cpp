// larch-server: reads flags and environment variables into a ServerConfig and runs the Server.
#include "Server.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

using larch::server::ServerConfig;

const char kUsage[] = R"(Usage: larch-server [options]

Serves the Larch API (HTTP and WebSocket) on one port.

Options (each has an environment variable; a flag wins over its variable):
  --listen ADDR          IP address to listen on (LARCH_LISTEN, default 127.0.0.1).
                         A non-loopback address requires --tls-cert and --tls-key.
  --port N               TCP port, 0 picks a free one (LARCH_PORT, default 8080)
  --data-dir DIR         where larch.sqlite3 lives (LARCH_DATA_DIR, default ./larch-data)
  --log-level LEVEL      error, warn, info or debug (LARCH_LOG_LEVEL, default info)
  --demo                 seed the demo practice once (LARCH_DEMO=1)
  --max-connections N    open connections before answering 503 (LARCH_MAX_CONNECTIONS, default 10000)
  --session-days N       lifetime of a sign-in session in days (LARCH_SESSION_DAYS, default 30)
  --session-seconds N    lifetime in seconds instead, for tests of expiry (LARCH_SESSION_SECONDS)
  --tls-cert FILE        PEM certificate chain for HTTPS/WSS (LARCH_TLS_CERT)
  --tls-key FILE         PEM private key for HTTPS/WSS (LARCH_TLS_KEY)
  --threads N            I/O threads (LARCH_THREADS, default one per core)
  --help                 show this text
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
    } catch (const std::exception &) {
    }
    usageError(name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not \""
               + text + "\"");
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
    } else if (name == "tls-cert") {
        c.tlsCert = value;
    } else if (name == "tls-key") {
        c.tlsKey = value;
    } else if (name == "threads") {
        c.threads = static_cast<int>(number("--threads", value, 1, 256));
    } else {
        usageError("unknown option --" + name);
    }
}

void fromEnvironment(ServerConfig &c)
{
    // session-seconds after session-days so the finer one wins when both are set.
    const std::pair<const char *, const char *> vars[] = {
        {"LARCH_LISTEN", "listen"},           {"LARCH_PORT", "port"},
        {"LARCH_DATA_DIR", "data-dir"},       {"LARCH_LOG_LEVEL", "log-level"},
        {"LARCH_DEMO", "demo"},               {"LARCH_MAX_CONNECTIONS", "max-connections"},
        {"LARCH_SESSION_DAYS", "session-days"}, {"LARCH_SESSION_SECONDS", "session-seconds"},
        {"LARCH_TLS_CERT", "tls-cert"},       {"LARCH_TLS_KEY", "tls-key"},
        {"LARCH_THREADS", "threads"},
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
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
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
        static const std::string_view known[] = {"listen", "port", "data-dir", "log-level", "demo", "max-connections",
                                                 "session-days", "session-seconds", "tls-cert", "tls-key", "threads"};
        if (std::find(std::begin(known), std::end(known), name) == std::end(known))
            usageError("unknown option --" + name);
        if (name == "demo") {
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
