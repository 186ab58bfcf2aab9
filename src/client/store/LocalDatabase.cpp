// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/LocalDatabase.h"

#include "core/crypto/StorageCipher.h"

#include <QAtomicInt>
#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace larch {

namespace {
QAtomicInt connectionCounter;

const QString KeyCheckSetting = QStringLiteral("storageKeyCheck");
const QByteArray KeyCheckValue = QByteArrayLiteral("larch-storage-key-check-v1");

// Each schema version is one step; a database is brought forward one step at a time.
const char *const Migrations[] = {
    // Version 1: the first slice, with plaintext bodies.
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE conversations (id TEXT PRIMARY KEY, practice_id TEXT NOT NULL, patient_id TEXT NOT NULL,"
    " title TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, last_activity_at INTEGER NOT NULL,"
    " unread_count INTEGER NOT NULL, last_seq INTEGER NOT NULL, preview TEXT NOT NULL);"
    "CREATE TABLE members (conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,"
    " role TEXT NOT NULL, last_read_seq INTEGER NOT NULL, PRIMARY KEY (conversation_id, user_id));"
    "CREATE TABLE messages (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,"
    " client_id TEXT NOT NULL, sender_id TEXT NOT NULL, sender_name TEXT NOT NULL, body TEXT NOT NULL,"
    " sent_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX messages_by_seq ON messages (conversation_id, seq);"
    "CREATE INDEX messages_by_client_id ON messages (client_id);"
    "CREATE TABLE drafts (conversation_id TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL UNIQUE,"
    " conversation_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, state INTEGER NOT NULL,"
    " failure_reason TEXT NOT NULL DEFAULT '');",
    // Version 2: end-to-end encryption. A version 1 cache held plaintext; it is dropped (the server has
    // everything but drafts and unsent messages) and the file is vacuumed so no old page survives.
    "DROP TABLE IF EXISTS conversations; DROP TABLE IF EXISTS members; DROP TABLE IF EXISTS messages;"
    "DROP TABLE IF EXISTS drafts; DROP TABLE IF EXISTS outbox;"
    "DELETE FROM settings WHERE key IN ('session', 'lastEventSeq');"
    "CREATE TABLE conversations (id TEXT PRIMARY KEY, practice_id TEXT NOT NULL, patient_id TEXT NOT NULL,"
    " title TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, last_activity_at INTEGER NOT NULL,"
    " unread_count INTEGER NOT NULL, last_seq INTEGER NOT NULL, preview BLOB NOT NULL);"
    "CREATE TABLE members (conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,"
    " role TEXT NOT NULL, last_read_seq INTEGER NOT NULL, PRIMARY KEY (conversation_id, user_id));"
    "CREATE TABLE messages (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,"
    " client_id TEXT NOT NULL, sender_id TEXT NOT NULL, sender_name TEXT NOT NULL, envelope TEXT NOT NULL,"
    " body BLOB NOT NULL, verification INTEGER NOT NULL, check_result INTEGER NOT NULL, sent_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX messages_by_seq ON messages (conversation_id, seq);"
    "CREATE INDEX messages_by_client_id ON messages (client_id);"
    "CREATE INDEX messages_to_open ON messages (verification) WHERE verification IN (0, 3);"
    "CREATE TABLE notices (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL,"
    " notice_key TEXT NOT NULL UNIQUE, after_seq INTEGER NOT NULL, created_at INTEGER NOT NULL, text BLOB NOT NULL);"
    "CREATE INDEX notices_by_seq ON notices (conversation_id, after_seq);"
    "CREATE TABLE drafts (conversation_id TEXT PRIMARY KEY, text BLOB NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE outbox (position INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL UNIQUE,"
    " conversation_id TEXT NOT NULL, body BLOB NOT NULL, envelope TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL, state INTEGER NOT NULL, failure_reason TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE epoch_keys (conversation_id TEXT NOT NULL, epoch INTEGER NOT NULL, key BLOB NOT NULL,"
    " PRIMARY KEY (conversation_id, epoch));"
    "CREATE TABLE practice_keys (version INTEGER PRIMARY KEY, secret BLOB NOT NULL);",
    // Version 3: secure conversation invitations; the list shows "Invited" until the patient joins.
    "ALTER TABLE conversations ADD COLUMN invitation_state TEXT NOT NULL DEFAULT '';",
    // Version 4: standard (SMS/email) conversations: the contact and consent (encrypted), tags, and each
    // message's delivery and note. An older app may have cached standard conversations it could not read
    // (plain messages look unverifiable to it): they are dropped and come back from the server.
    "DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE kind <> 'secure');"
    "DELETE FROM members WHERE conversation_id IN (SELECT id FROM conversations WHERE kind <> 'secure');"
    "DELETE FROM conversations WHERE kind <> 'secure';"
    "ALTER TABLE conversations ADD COLUMN standard BLOB NOT NULL DEFAULT '';"
    "ALTER TABLE conversations ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE messages ADD COLUMN delivery TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE messages ADD COLUMN note TEXT NOT NULL DEFAULT '';",
    // Version 5: attachments. A verified message keeps its attachment references (keys included, sealed); an
    // outbox entry keeps the file it sends (sealed); an upload keeps where it stands, so it continues after a
    // restart from the last chunk the server acknowledged (its encryptor state sealed).
    "ALTER TABLE messages ADD COLUMN attachments BLOB NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN attachment BLOB NOT NULL DEFAULT '';"
    "CREATE TABLE uploads (client_id TEXT PRIMARY KEY, upload_id TEXT NOT NULL DEFAULT '',"
    " acked_bytes INTEGER NOT NULL DEFAULT 0, encryptor BLOB NOT NULL DEFAULT '',"
    " result BLOB NOT NULL DEFAULT '', updated_at INTEGER NOT NULL DEFAULT 0);",
    // Version 6: an upload also keeps the SHA-256 state of the blob bytes acknowledged (ciphertext, not secret), so
    // the blob's hash that the message signs continues after a restart.
    "ALTER TABLE uploads ADD COLUMN blob_hash BLOB NOT NULL DEFAULT '';",
    // Version 7: practice identity pinning. A staff device keeps the practice identity's versions (sealed seeds); a
    // patient's device keeps, per practice, the identity it pinned and any changed one waiting to be checked (sealed,
    // so the file alone can neither read nor swap a pin).
    "CREATE TABLE identity_keys (version INTEGER PRIMARY KEY, seed BLOB NOT NULL);"
    "CREATE TABLE identity_pins (practice_id TEXT PRIMARY KEY, pin BLOB NOT NULL);",
};
} // namespace

LocalDatabase::LocalDatabase(const QString &dataDir)
    : m_dataDir(dataDir.isEmpty() ? defaultDataDir() : dataDir),
      m_connectionName(QStringLiteral("larch-store-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{ }

LocalDatabase::~LocalDatabase()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString LocalDatabase::defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("LARCH_CLIENT_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool LocalDatabase::isOpen() const { return m_db.isValid() && m_db.isOpen(); }

bool LocalDatabase::open()
{
    if (isOpen())
        return true;
    if (!QDir().mkpath(m_dataDir)) {
        m_error = QStringLiteral("Larch cannot create its data folder %1.").arg(m_dataDir);
        return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(QDir(m_dataDir).filePath(QStringLiteral("larch-client.sqlite")));
    if (!m_db.open()) {
        m_error = QStringLiteral("Larch cannot open its local database: %1").arg(m_db.lastError().text());
        return false;
    }
    // WAL keeps reads fast while writing; NORMAL sync is durable across app crashes (not power loss mid-commit).
    exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    if (!migrate()) {
        m_db.close();
        return false;
    }
    return true;
}

bool LocalDatabase::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        fail(QStringLiteral("statement"), q);
        return false;
    }
    return true;
}

void LocalDatabase::fail(const QString &what, const QSqlQuery &query) const
{
    m_error = QStringLiteral("Local database error in %1: %2").arg(what, query.lastError().text());
    qWarning("larch store: %s", qPrintable(m_error));
}

bool LocalDatabase::migrate()
{
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    const int known = int(std::size(Migrations));
    if (version > known) {
        m_error =
            QStringLiteral("The local database was written by a newer Larch (schema %1). Update Larch.").arg(version);
        return false;
    }
    for (int v = version; v < known; ++v) {
        m_db.transaction();
        const QStringList statements = QString::fromLatin1(Migrations[v]).split(u';', Qt::SkipEmptyParts);
        for (const QString &statement : statements) {
            if (statement.trimmed().isEmpty())
                continue;
            if (!exec(statement)) {
                m_db.rollback();
                return false;
            }
        }
        exec(QStringLiteral("PRAGMA user_version=%1").arg(v + 1));
        if (!m_db.commit()) {
            m_error = QStringLiteral("Local database migration failed: %1").arg(m_db.lastError().text());
            return false;
        }
    }
    if (version > 0 && version < 2) {
        // Plaintext of the first slice may linger in free pages and the WAL: rewrite the file.
        exec(QStringLiteral("VACUUM"));
        exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    return true;
}

bool LocalDatabase::setStorageKey(const SecretBytes &key)
{
    m_storageKey = key;
    const QByteArray check = QByteArray::fromBase64(setting(KeyCheckSetting).toLatin1());
    if (!check.isEmpty() && unsealBytes("settings", KeyCheckSetting, check))
        return true;
    const bool hadData = !check.isEmpty();
    if (hadData)
        clearAccountData();
    setSetting(KeyCheckSetting, QString::fromLatin1(sealBytes("settings", KeyCheckSetting, KeyCheckValue).toBase64()));
    return !hadData;
}

void LocalDatabase::forgetStorageKey() { m_storageKey = SecretBytes(); }

QByteArray LocalDatabase::sealBytes(const char *table, const QString &rowId, const QByteArray &plain) const
{
    if (m_storageKey.isEmpty())
        return {};
    const QByteArray ad = QByteArray(table) + '\x1f' + rowId.toUtf8();
    return StorageCipher::encrypt(m_storageKey.bytes(), ad, plain);
}

std::optional<QByteArray> LocalDatabase::unsealBytes(const char *table, const QString &rowId,
                                                     const QByteArray &sealed) const
{
    if (m_storageKey.isEmpty() || sealed.isEmpty())
        return std::nullopt;
    const QByteArray ad = QByteArray(table) + '\x1f' + rowId.toUtf8();
    return StorageCipher::decrypt(m_storageKey.bytes(), ad, sealed);
}

QByteArray LocalDatabase::seal(const char *table, const QString &rowId, const QString &plain) const
{
    return sealBytes(table, rowId, plain.toUtf8());
}

QString LocalDatabase::unseal(const char *table, const QString &rowId, const QByteArray &sealed) const
{
    const auto plain = unsealBytes(table, rowId, sealed);
    return plain ? QString::fromUtf8(*plain) : QString();
}

void LocalDatabase::beginBatch()
{
    if (m_batchDepth++ == 0)
        m_db.transaction();
}

void LocalDatabase::endBatch()
{
    if (m_batchDepth > 0 && --m_batchDepth == 0)
        m_db.commit();
}

QString LocalDatabase::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return fallback;
}

void LocalDatabase::setSetting(const QString &key, const QString &value)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value.isNull() ? QStringLiteral("") : value); // a null QString binds as SQL NULL
    if (!q.exec())
        fail(QStringLiteral("setSetting"), q);
}

void LocalDatabase::clearAccountData()
{
    beginBatch();
    for (const char *table : {"conversations", "members", "messages", "notices", "drafts", "outbox", "uploads",
                              "epoch_keys", "practice_keys", "identity_keys", "identity_pins"})
        exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
    exec(QStringLiteral("DELETE FROM settings WHERE key IN ('session', 'lastEventSeq')"));
    endBatch();
}

} // namespace larch
