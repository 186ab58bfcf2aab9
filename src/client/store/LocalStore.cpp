// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/LocalStore.h"

#include "core/crypto/StorageCipher.h"

#include <QAtomicInt>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace larch {

namespace {
QAtomicInt connectionCounter;

const QString KeyCheckSetting = QStringLiteral("storageKeyCheck");
const QByteArray KeyCheckValue = QByteArrayLiteral("larch-storage-key-check-v1");

// SQLite stores a null QString as NULL; the schema wants text, so empty stays empty.
QVariant text(const QString &s) { return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s); }
QVariant blob(const QByteArray &b) { return b.isNull() ? QVariant(QByteArray("")) : QVariant(b); }

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
};

const char *const SummaryColumns = "id, title, kind, preview, last_activity_at, unread_count, last_seq,"
                                   " invitation_state, tags, standard";
// The contact and consent note are the patient's: sealed like a preview, under their own associated data.
const char *const StandardSealTable = "conversations.standard";

QString tagsText(const QStringList &tags)
{
    if (tags.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList tagsFrom(const QString &text)
{
    QStringList tags;
    if (text.isEmpty())
        return tags;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        tags.append(v.toString());
    return tags;
}

} // namespace

QString LocalStore::defaultDataDir()
{
    const QString fromEnv = qEnvironmentVariable("LARCH_CLIENT_DATA_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

LocalStore::LocalStore(const QString &dataDir)
    : m_dataDir(dataDir.isEmpty() ? defaultDataDir() : dataDir),
      m_connectionName(QStringLiteral("larch-store-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{ }

LocalStore::~LocalStore()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool LocalStore::isOpen() const { return m_db.isValid() && m_db.isOpen(); }

bool LocalStore::open()
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

bool LocalStore::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        fail(QStringLiteral("statement"), q);
        return false;
    }
    return true;
}

void LocalStore::fail(const QString &what, const QSqlQuery &query) const
{
    m_error = QStringLiteral("Local database error in %1: %2").arg(what, query.lastError().text());
    qWarning("larch store: %s", qPrintable(m_error));
}

bool LocalStore::migrate()
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

bool LocalStore::setStorageKey(const SecretBytes &key)
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

void LocalStore::forgetStorageKey() { m_storageKey = SecretBytes(); }

QByteArray LocalStore::sealBytes(const char *table, const QString &rowId, const QByteArray &plain) const
{
    if (m_storageKey.isEmpty())
        return {};
    const QByteArray ad = QByteArray(table) + '\x1f' + rowId.toUtf8();
    return StorageCipher::encrypt(m_storageKey.bytes(), ad, plain);
}

std::optional<QByteArray> LocalStore::unsealBytes(const char *table, const QString &rowId,
                                                  const QByteArray &sealed) const
{
    if (m_storageKey.isEmpty() || sealed.isEmpty())
        return std::nullopt;
    const QByteArray ad = QByteArray(table) + '\x1f' + rowId.toUtf8();
    return StorageCipher::decrypt(m_storageKey.bytes(), ad, sealed);
}

QByteArray LocalStore::seal(const char *table, const QString &rowId, const QString &plain) const
{
    return sealBytes(table, rowId, plain.toUtf8());
}

QString LocalStore::unseal(const char *table, const QString &rowId, const QByteArray &sealed) const
{
    const auto plain = unsealBytes(table, rowId, sealed);
    return plain ? QString::fromUtf8(*plain) : QString();
}

void LocalStore::beginBatch()
{
    if (m_batchDepth++ == 0)
        m_db.transaction();
}

void LocalStore::endBatch()
{
    if (m_batchDepth > 0 && --m_batchDepth == 0)
        m_db.commit();
}

ConversationSummary LocalStore::summaryFrom(const QSqlQuery &q) const
{
    ConversationSummary c;
    c.id = q.value(0).toString();
    c.title = q.value(1).toString();
    c.kind = q.value(2).toString();
    c.preview = unseal("conversations", c.id, q.value(3).toByteArray());
    c.lastActivityAt = q.value(4).toLongLong();
    c.unreadCount = q.value(5).toLongLong();
    c.lastSeq = q.value(6).toLongLong();
    c.invitationState = q.value(7).toString();
    c.tags = tagsFrom(q.value(8).toString());
    const QByteArray standard = q.value(9).toByteArray();
    if (!standard.isEmpty()) {
        if (const auto json = unsealBytes(StandardSealTable, c.id, standard))
            c.standard = StandardContact::fromJson(QJsonDocument::fromJson(*json).object());
    }
    return c;
}

QList<ConversationSummary> LocalStore::conversationSummaries() const
{
    QList<ConversationSummary> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM conversations ORDER BY last_activity_at DESC, id")
                    .arg(QLatin1String(SummaryColumns)))) {
        fail(QStringLiteral("conversationSummaries"), q);
        return list;
    }
    while (q.next())
        list.append(summaryFrom(q));
    return list;
}

std::optional<ConversationSummary> LocalStore::conversationSummary(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM conversations WHERE id = ?").arg(QLatin1String(SummaryColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return summaryFrom(q);
}

QString LocalStore::conversationPatient(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT patient_id FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QString LocalStore::conversationKind(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT kind FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QString LocalStore::conversationPractice(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT practice_id FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

bool LocalStore::upsertConversation(const Conversation &c, bool *contactHeldBack)
{
    if (contactHeldBack)
        *contactHeldBack = false;
    const auto before = conversationSummary(c.id);
    ConversationSummary next{c.id,
                             c.title,
                             c.kind,
                             before ? before->preview : QString(),
                             c.lastActivityAt,
                             c.unreadCount,
                             c.lastSeq,
                             before ? before->invitationState : QString(),
                             c.tags,
                             c.standard};
    // A conversation's kind never changes: a server claiming a secure thread became plain is not believed.
    if (before)
        next.kind = before->kind;
    // Events may have moved the conversation past this copy of it; never step back.
    if (before && before->lastSeq > c.lastSeq) {
        next.lastActivityAt = before->lastActivityAt;
        next.unreadCount = before->unreadCount;
        next.lastSeq = before->lastSeq;
        // Consent, opt-out and invitations each write a note: a copy older than the newest message is stale.
        next.standard = before->standard;
        if (contactHeldBack)
            *contactHeldBack = c.standard != before->standard;
    }
    const QByteArray standard = next.standard
        ? sealBytes(StandardSealTable, c.id, QJsonDocument(next.standard->toJson()).toJson(QJsonDocument::Compact))
        : QByteArray();
    beginBatch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at,"
        " unread_count, last_seq, preview, tags, standard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET practice_id = excluded.practice_id, patient_id = excluded.patient_id,"
        " title = excluded.title, created_at = excluded.created_at,"
        " last_activity_at = excluded.last_activity_at, unread_count = excluded.unread_count,"
        " last_seq = excluded.last_seq, tags = excluded.tags, standard = excluded.standard"));
    for (const QVariant &v :
         {text(c.id), text(c.practiceId), text(c.patientId), text(next.title), text(next.kind), QVariant(c.createdAt),
          QVariant(next.lastActivityAt), QVariant(next.unreadCount), QVariant(next.lastSeq),
          blob(seal("conversations", c.id, next.preview)), text(tagsText(c.tags)), blob(standard)})
        q.addBindValue(v);
    if (!q.exec())
        fail(QStringLiteral("upsertConversation"), q);
    QSqlQuery m(m_db);
    m.prepare(QStringLiteral("INSERT INTO members (conversation_id, user_id, name, role, last_read_seq) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT(conversation_id, user_id) DO UPDATE SET"
                             " name = excluded.name, role = excluded.role,"
                             " last_read_seq = MAX(last_read_seq, excluded.last_read_seq)"));
    for (const Member &member : c.members) {
        m.addBindValue(c.id);
        m.addBindValue(member.userId);
        m.addBindValue(text(member.name));
        m.addBindValue(text(member.role));
        m.addBindValue(member.lastReadSeq);
        if (!m.exec())
            fail(QStringLiteral("upsertConversation members"), m);
    }
    endBatch();
    return !before || !(*before == next);
}

bool LocalStore::setInvitationState(const QString &conversationId, const QString &state)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE conversations SET invitation_state = ? WHERE id = ? AND invitation_state <> ?"));
    q.addBindValue(text(state));
    q.addBindValue(conversationId);
    q.addBindValue(text(state));
    if (!q.exec()) {
        fail(QStringLiteral("setInvitationState"), q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

QList<Member> LocalStore::members(const QString &conversationId) const
{
    QList<Member> list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT user_id, name, role, last_read_seq FROM members WHERE conversation_id = ?"));
    q.addBindValue(conversationId);
    if (!q.exec())
        return list;
    while (q.next())
        list.append(
            Member{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
    return list;
}

bool LocalStore::setMemberRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE members SET last_read_seq = ? WHERE conversation_id = ? AND user_id = ?"
                             " AND last_read_seq < ?"));
    q.addBindValue(lastReadSeq);
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    q.addBindValue(lastReadSeq);
    if (!q.exec()) {
        fail(QStringLiteral("setMemberRead"), q);
        return false;
    }
    if (q.numRowsAffected() > 0)
        return true;
    // A member this device has not heard of yet (e.g. staff added later): remember their mark anyway.
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO members (conversation_id, user_id, name, role,"
                                  " last_read_seq) VALUES (?, ?, '', '', ?)"));
    insert.addBindValue(conversationId);
    insert.addBindValue(userId);
    insert.addBindValue(lastReadSeq);
    return insert.exec() && insert.numRowsAffected() > 0;
}

void LocalStore::setUnreadCount(const QString &conversationId, qint64 unreadCount)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE conversations SET unread_count = ? WHERE id = ?"));
    q.addBindValue(unreadCount);
    q.addBindValue(conversationId);
    if (!q.exec())
        fail(QStringLiteral("setUnreadCount"), q);
}

qint64 LocalStore::countUnread(const QString &conversationId, qint64 afterSeq, const QString &userId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id <> ?"));
    q.addBindValue(conversationId);
    q.addBindValue(afterSeq);
    q.addBindValue(userId);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace larch
