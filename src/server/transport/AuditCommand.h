// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// larch-server audit verify: checks the audit log's hash chain in the data directory.
#pragma once

#include "server/transport/ServerConfig.h"

#include <cstdio>

namespace larch::server {

/// Reads the whole audit log of config's data directory (the server may be running) and checks its chain. Prints
/// how many records are intact, or the first that is not and why. Returns 0 intact, 3 broken, 1 when the database
/// cannot be opened.
int verifyAuditCommand(const ServerConfig &config, std::FILE *out, std::FILE *err);

} // namespace larch::server
