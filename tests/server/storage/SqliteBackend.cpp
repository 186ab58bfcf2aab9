// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conformance suite's backend: SqliteStorage, a new database file in a temporary folder for each test.
#include "server/storage/sqlite/SqliteStorage.h"
#include "StorageBackend.h"

#include <QTemporaryDir>

namespace larch::server::conformance {

std::unique_ptr<Storage> openFreshStorage()
{
    static QTemporaryDir dir;
    static int files = 0;
    return std::make_unique<SqliteStorage>(dir.filePath(QStringLiteral("conformance-%1.sqlite3").arg(++files)));
}

} // namespace larch::server::conformance
