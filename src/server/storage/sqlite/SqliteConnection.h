// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A thin RAII layer over one sqlite3 connection: cached prepared statements, binding, transactions.
#pragma once

#include "server/storage/StorageError.h"

#include <optional>
#include <QByteArray>
#include <QList>
#include <QString>
#include <sqlite3.h>
#include <string>
#include <unordered_map>

namespace larch::server {

/// Thrown when SQLite reports an error: a StorageError carrying SQLite's (extended) result code.
class SqliteError : public StorageError {
public:
    SqliteError(const std::string &what, int code)
        : StorageError(what, (code & 0xff) == SQLITE_FULL ? Kind::DiskFull : Kind::Failed), m_code(code)
    { }
    int code() const { return m_code; }

private:
    int m_code;
};

/// A prepared statement borrowed from the connection's cache; reset and cleared when it goes out of scope.
class Statement {
public:
    explicit Statement(sqlite3_stmt *stmt) : m_stmt(stmt) { }
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value);
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    Statement &bindNull(int index);
    /// Binds "" as NULL, so that an absent value (a contact not given) never equals another absent one.
    Statement &bindOrNull(int index, const QString &value)
    {
        return value.isEmpty() ? bindNull(index) : bind(index, value);
    }
    /// Binds values to parameters 1, 2, ... in order.
    template<typename... Values>
    Statement &with(const Values &...values)
    {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    /// Steps once; true when a row is available.
    bool step();
    /// Steps to completion of a statement that returns no rows.
    void exec();

    /// The first row, made by read(statement), or nullopt when there is none.
    template<typename Read>
    auto one(Read read) -> std::optional<decltype(read(*this))>
    {
        if (!step())
            return std::nullopt;
        return read(*this);
    }
    /// Every row, each made by read(statement).
    template<typename Read>
    auto all(Read read) -> QList<decltype(read(*this))>
    {
        QList<decltype(read(*this))> out;
        while (step())
            out.append(read(*this));
        return out;
    }

    QString text(int column) const;
    QByteArray blob(int column) const;
    qint64 integer(int column) const;
    bool isNull(int column) const;

private:
    sqlite3_stmt *m_stmt;
};

/// One open database file.
class SqliteConnection {
public:
    explicit SqliteConnection(const QString &path);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    /// Runs SQL text with no parameters (schema, pragmas).
    void execScript(const char *sql);
    /// A cached prepared statement for sql.
    Statement prepare(const char *sql);
    qint64 changes() const { return sqlite3_changes64(m_db); }
    sqlite3 *handle() const { return m_db; }

private:
    sqlite3 *m_db = nullptr;
    std::unordered_map<const char *, sqlite3_stmt *> m_cache;
};

/// Begins IMMEDIATE on construction; rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(SqliteConnection &db);
    ~Transaction();
    void commit();

private:
    SqliteConnection &m_db;
    bool m_done = false;
};

} // namespace larch::server
