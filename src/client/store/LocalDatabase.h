// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The device's SQLite file: its schema, the storage key that seals secret columns, batches and settings.
#pragma once

#include "client/store/LocalRecords.h"
#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QSqlDatabase>
#include <QString>

class QSqlQuery;

namespace larch {

/// Opens (creating or migrating) the device's database and seals its secret columns.
///
/// Message text, previews, drafts, outbox text, notices, cached keys and the session are encrypted with
/// StorageCipher under the device's storage key (held only in the OS keychain), with the table name and
/// row id as associated data. Until setStorageKey() is called those values read as empty and are not written.
class LocalDatabase {
public:
    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else QStandardPaths::AppDataLocation.
    explicit LocalDatabase(const QString &dataDir = {});
    ~LocalDatabase();
    LocalDatabase(const LocalDatabase &) = delete;
    LocalDatabase &operator=(const LocalDatabase &) = delete;

    static QString defaultDataDir();
    static constexpr int SchemaVersion = 7;

    /// Opens (creating or migrating) the database; false with errorString() set on failure.
    bool open();
    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString dataDir() const { return m_dataDir; }

    /// Sets the key that encrypts secret columns. When the stored data was written under another key
    /// (the keychain entry was replaced), the account data is dropped: it could never be read again.
    /// Returns false when that happened.
    bool setStorageKey(const SecretBytes &key);
    bool hasStorageKey() const { return !m_storageKey.isEmpty(); }
    /// Forgets the key (sign-out); secret columns read as empty afterwards.
    void forgetStorageKey();

    /// Groups many writes into one commit; nested calls join the outer one.
    void beginBatch();
    void endBatch();

    QString setting(const QString &key, const QString &fallback = {}) const;
    void setSetting(const QString &key, const QString &value);
    /// Forgets everything but settings: used on sign-out and when another account signs in.
    void clearAccountData();

    // For the parts of the store that read and write their own tables.
    QSqlDatabase &connection() { return m_db; }
    const SecretBytes &storageKey() const { return m_storageKey; }
    bool exec(const QString &sql);
    /// Records why a statement failed (errorString) and warns, without the statement's values.
    void fail(const QString &what, const QSqlQuery &query) const;
    /// Encrypts a secret column value for (table, rowId); empty without a storage key.
    QByteArray seal(const char *table, const QString &rowId, const QString &plain) const;
    /// The plaintext of a sealed column value; "" when it cannot be opened.
    QString unseal(const char *table, const QString &rowId, const QByteArray &sealed) const;
    QByteArray sealBytes(const char *table, const QString &rowId, const QByteArray &plain) const;
    std::optional<QByteArray> unsealBytes(const char *table, const QString &rowId, const QByteArray &sealed) const;

private:
    bool migrate();

    QString m_dataDir;
    QString m_connectionName;
    QSqlDatabase m_db;
    SecretBytes m_storageKey;
    int m_batchDepth = 0;
    mutable QString m_error;
};

} // namespace larch
