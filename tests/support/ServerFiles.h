// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What an attacker with the disk sees: every byte under a folder, and the running server's SQLite file.
#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace testkit {

/// Every byte of every file under dir (databases, WAL, shared memory, logs).
QByteArray bytesUnder(const QString &dir);
QByteArray bytesOf(const QString &file);
/// True when text occurs in bytes as UTF-8 or as UTF-16.
bool containsText(const QByteArray &bytes, const QString &text);

/// A second connection to the running server's SQLite file, as an attacker with the disk would have.
class ServerDatabase {
public:
    explicit ServerDatabase(const QString &dataDir);
    ~ServerDatabase();
    bool isOpen() const { return m_db.isOpen(); }
    /// The first column of the first row, or an invalid QVariant.
    QVariant value(const QString &sql, const QVariantList &binds = {});
    QList<QVariantList> rows(const QString &sql, const QVariantList &binds = {});
    /// Rows changed, or -1 on error.
    int exec(const QString &sql, const QVariantList &binds = {});

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace testkit
