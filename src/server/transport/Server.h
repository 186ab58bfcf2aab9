// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A running larch-server: storage, services, listener, worker threads, and the orderly shutdown on a signal.
#pragma once

#include "server/transport/ServerConfig.h"

#include <string>

namespace larch::server {

/// Why the server could not start: a message for the operator and the process exit code.
struct StartupError {
    std::string message;
    int exitCode = 1;
};

/// Owns everything of one server process. run() blocks until SIGINT or SIGTERM has been handled.
class Server {
public:
    explicit Server(ServerConfig config) : m_config(std::move(config)) { }

    /// Starts, prints "larch-server listening on <addr>:<port>", serves, and shuts down cleanly.
    /// Returns 0 after a clean shutdown; throws StartupError when it cannot start.
    int run();

private:
    ServerConfig m_config;
};

} // namespace larch::server
