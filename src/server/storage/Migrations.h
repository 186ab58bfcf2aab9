// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The SQLite schema of larch-server as an ordered list of migrations, applied once each.
#pragma once

#include <span>

namespace larch::server {

/// One schema step; version n is applied after n-1, inside a transaction.
struct Migration {
    int version;
    const char *sql;
};

/// Every migration, in version order. Append new ones; never edit an applied one.
std::span<const Migration> sqliteMigrations();

} // namespace larch::server
