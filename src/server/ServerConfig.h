// The settings larch-server runs with, filled from flags and environment variables by app/larch-server.
#pragma once

#include "Log.h"

#include <cstdint>
#include <string>

namespace larch::server {

/// Everything Server needs to start (docs/server.md lists the flags behind each field).
struct ServerConfig {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 8080;          ///< 0 picks a free port
    std::string dataDir = "./larch-data";
    log::Level logLevel = log::Level::Info;
    bool demo = false;
    int maxConnections = 10000;
    std::int64_t sessionLifetimeMs = 30LL * 24 * 3600 * 1000;
    std::string tlsCert;                ///< PEM chain; TLS is on when both cert and key are set
    std::string tlsKey;
    int threads = 0;                    ///< 0: one per core
};

} // namespace larch::server
