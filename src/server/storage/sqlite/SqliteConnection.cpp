// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteConnection.h"

namespace larch::server {
namespace {
[[noreturn]] void fail(sqlite3 *db, int rc, const char *context)
{
    throw SqliteError(std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}
} // namespace

Statement::~Statement()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

Statement &Statement::bind(int index, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    if (sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT)
        != SQLITE_OK)
        fail(sqlite3_db_handle(m_stmt), SQLITE_ERROR, "bind");
    return *this;
}

Statement &Statement::bind(int index, const QByteArray &value)
{
    if (sqlite3_bind_text(m_stmt, index, value.constData(), static_cast<int>(value.size()), SQLITE_TRANSIENT)
        != SQLITE_OK)
        fail(sqlite3_db_handle(m_stmt), SQLITE_ERROR, "bind");
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        fail(sqlite3_db_handle(m_stmt), SQLITE_ERROR, "bind");
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(sqlite3_db_handle(m_stmt), rc, "step");
}

void Statement::exec()
{
    while (step()) { }
}

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column)) : QString();
}

QByteArray Statement::blob(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, column)) : QByteArray();
}

qint64 Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

SqliteConnection::SqliteConnection(const QString &path)
{
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw SqliteError("open: " + msg, rc);
    }
    sqlite3_busy_timeout(m_db, 5000);
}

SqliteConnection::~SqliteConnection()
{
    for (auto &[sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    if (m_db) {
        // Folds the WAL back into the main file so a clean shutdown leaves one self-contained file.
        sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        sqlite3_close(m_db);
    }
}

void SqliteConnection::execScript(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown";
        sqlite3_free(err);
        throw SqliteError("exec: " + msg, SQLITE_ERROR);
    }
}

Statement SqliteConnection::prepare(const char *sql)
{
    // Keyed by the literal's address: every call site passes a string literal.
    auto it = m_cache.find(sql);
    if (it != m_cache.end())
        return Statement(it->second);
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "prepare");
    m_cache.emplace(sql, stmt);
    return Statement(stmt);
}

Transaction::Transaction(SqliteConnection &db) : m_db(db) { m_db.prepare("BEGIN IMMEDIATE").exec(); }

Transaction::~Transaction()
{
    if (!m_done)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.prepare("COMMIT").exec();
    m_done = true;
}

} // namespace larch::server
