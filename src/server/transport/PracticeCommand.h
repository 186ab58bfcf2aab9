// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// larch-server practice create: the operator makes a practice and hands its first administrator a setup link.
#pragma once

#include "server/transport/ServerConfig.h"

#include <cstdio>
#include <string>

namespace larch::server {

/// Creates the practice in config's data directory (the server may be running on it) and prints the one-time link
/// (<public-url>/setup/<token>) with which its administrator chooses a password. Returns the process's exit code:
/// 0 done, 1 when the database cannot be opened or the email is in use, 2 for a bad name or email; errors are
/// written to err in a sentence.
int createPracticeCommand(const ServerConfig &config, const std::string &practiceName, const std::string &adminName,
                          const std::string &adminEmail, std::FILE *out, std::FILE *err);

} // namespace larch::server
