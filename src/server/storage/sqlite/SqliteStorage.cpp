// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteStorage: opens the database, applies migrations, and holds every feature's storage.
#include "server/storage/sqlite/SqliteStorage.h"

#include "server/storage/Migrations.h"
#include "server/transport/Clock.h"

namespace larch::server {

SqliteStorage::SqliteStorage(const QString &path) : m_db(path)
{
    m_db.connection.execScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    migrate();
}

SqliteStorage::~SqliteStorage() = default;

void SqliteStorage::migrate()
{
    std::lock_guard lock(m_db.mutex);
    m_db.connection.execScript(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
    // SQLite's table-rebuild procedure (migration 4 rebuilds users): foreign keys off around the migrations,
    // then checked before they are turned back on. The pragma is a no-op inside a transaction, so it is set here.
    m_db.connection.execScript("PRAGMA foreign_keys=OFF");
    for (const Migration &m : sqliteMigrations()) {
        Transaction tx(m_db.connection);
        qint64 current = 0;
        {
            auto s = m_db.connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
            s.step();
            current = s.integer(0);
        }
        if (m.version <= current)
            continue;
        m_db.connection.execScript(m.sql);
        m_db.connection.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")
            .bind(1, m.version)
            .bind(2, nowMs())
            .exec();
        {
            auto broken = m_db.connection.prepare("PRAGMA foreign_key_check");
            if (broken.step())
                throw SqliteError("migration " + std::to_string(m.version) + " broke a foreign key", SQLITE_CONSTRAINT);
        }
        tx.commit();
    }
    m_db.connection.execScript("PRAGMA foreign_keys=ON");
}

int SqliteStorage::schemaVersion()
{
    std::lock_guard lock(m_db.mutex);
    auto s = m_db.connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    s.step();
    return static_cast<int>(s.integer(0));
}

} // namespace larch::server
