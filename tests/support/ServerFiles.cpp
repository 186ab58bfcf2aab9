// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What an attacker with the disk sees: every byte under a folder, and the running server's SQLite file.
#include "ServerFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace testkit {

QByteArray bytesOf(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray bytesUnder(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        all += bytesOf(it.next());
    return all;
}

bool containsText(const QByteArray &bytes, const QString &text)
{
    const QByteArray utf16(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    return bytes.contains(text.toUtf8()) || bytes.contains(utf16);
}

ServerDatabase::ServerDatabase(const QString &dataDir) : m_name(QStringLiteral("server-db-%1").arg(quintptr(this)))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("larch.sqlite3")));
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    m_db.open();
}

ServerDatabase::~ServerDatabase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QList<QVariantList> ServerDatabase::rows(const QString &sql, const QVariantList &binds)
{
    QList<QVariantList> out;
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        qWarning("server db: %s", qPrintable(q.lastError().text()));
        return out;
    }
    while (q.next()) {
        QVariantList row;
        for (int i = 0; i < q.record().count(); ++i)
            row.append(q.value(i));
        out.append(row);
    }
    return out;
}

QVariant ServerDatabase::value(const QString &sql, const QVariantList &binds)
{
    const auto all = rows(sql, binds);
    return all.isEmpty() || all.first().isEmpty() ? QVariant() : all.first().first();
}

int ServerDatabase::exec(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        qWarning("server db: %s", qPrintable(q.lastError().text()));
        return -1;
    }
    return q.numRowsAffected();
}

} // namespace testkit
