#include "LocalStore.h"

#include "Crypto.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace larch {

namespace {
QAtomicInt connectionCounter;

constexpr int PreviewMax = 200;

// SQLite stores a null QString as NULL; the schema wants text, so empty stays empty.
QVariant text(const QString &s) { return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s); }

QString previewOf(const QString &body)
{
    QString line = body.simplified();
    if (line.size() > PreviewMax)
        line = line.left(PreviewMax - 1) + QChar(0x2026);
    return line;
}

// Each schema version is one step; a database is brought forward one step at a time.
const char *const Migrations[] = {
    // Version 1.
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
};

Message messageFrom(const QSqlQuery &q)
{
    Message m;
    m.id = q.value(0).toString();
    m.conversationId = q.value(1).toString();
    m.seq = q.value(2).toLongLong();
    m.clientId = q.value(3).toString();
    m.senderId = q.value(4).toString();
    m.senderName = q.value(5).toString();
    m.body = q.value(6).toString();
    m.sentAt = q.value(7).toLongLong();
    return m;
}

OutboxEntry outboxFrom(const QSqlQuery &q)
{
    OutboxEntry e;
    e.clientId = q.value(0).toString();
    e.conversationId = q.value(1).toString();
    e.body = q.value(2).toString();
    e.createdAt = q.value(3).toLongLong();
    e.state = q.value(4).toInt() == 1 ? OutboxEntry::State::Failed : OutboxEntry::State::Pending;
    e.failureReason = q.value(5).toString();
    return e;
}

const char *const MessageColumns = "id, conversation_id, seq, client_id, sender_id, sender_name, body, sent_at";
const char *const OutboxColumns = "client_id, conversation_id, body, created_at, state, failure_reason";
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
{
}

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
    const int known = int(std::size(Migrations));
    if (version > known) {
        m_error = QStringLiteral("The local database was written by a newer Larch (schema %1). Update Larch.")
                      .arg(version);
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
    return true;
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

QString LocalStore::setting(const QString &key, const QString &fallback) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return fallback;
}

void LocalStore::setSetting(const QString &key, const QString &value)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        fail(QStringLiteral("setSetting"), q);
}

std::optional<Session> LocalStore::session() const
{
    const QString json = setting(QStringLiteral("session"));
    if (json.isEmpty())
        return std::nullopt;
    return Session::fromJson(QJsonDocument::fromJson(json.toUtf8()).object());
}

void LocalStore::saveSession(const Session &session)
{
    setSetting(QStringLiteral("session"),
               QString::fromUtf8(QJsonDocument(session.toJson()).toJson(QJsonDocument::Compact)));
}

void LocalStore::clearSession()
{
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("DELETE FROM settings WHERE key = 'session'"));
}

qint64 LocalStore::lastEventSeq() const { return setting(QStringLiteral("lastEventSeq"), QStringLiteral("0")).toLongLong(); }

void LocalStore::setLastEventSeq(qint64 seq) { setSetting(QStringLiteral("lastEventSeq"), QString::number(seq)); }

void LocalStore::clearAccountData()
{
    beginBatch();
    for (const char *table : {"conversations", "members", "messages", "drafts", "outbox"})
        exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
    exec(QStringLiteral("DELETE FROM settings WHERE key IN ('session', 'lastEventSeq')"));
    endBatch();
}

QList<ConversationSummary> LocalStore::conversationSummaries() const
{
    QList<ConversationSummary> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, title, kind, preview, last_activity_at, unread_count, last_seq "
                               "FROM conversations ORDER BY last_activity_at DESC, id"))) {
        fail(QStringLiteral("conversationSummaries"), q);
        return list;
    }
    while (q.next()) {
        list.append(ConversationSummary{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                        q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                                        q.value(6).toLongLong()});
    }
    return list;
}

std::optional<ConversationSummary> LocalStore::conversationSummary(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, title, kind, preview, last_activity_at, unread_count, last_seq "
                             "FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return ConversationSummary{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                               q.value(6).toLongLong()};
}

bool LocalStore::upsertConversation(const Conversation &c)
{
    const auto before = conversationSummary(c.id);
    ConversationSummary next{c.id, c.title, c.kind, c.lastMessage ? previewOf(c.lastMessage->body) : QString(),
                             c.lastActivityAt, c.unreadCount, c.lastSeq};
    // Events may have moved the conversation past this copy of it; never step back.
    if (before && before->lastSeq > c.lastSeq) {
        next.preview = before->preview;
        next.lastActivityAt = before->lastActivityAt;
        next.unreadCount = before->unreadCount;
        next.lastSeq = before->lastSeq;
    }
    beginBatch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at,"
        " unread_count, last_seq, preview) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET practice_id = excluded.practice_id, patient_id = excluded.patient_id,"
        " title = excluded.title, kind = excluded.kind, created_at = excluded.created_at,"
        " last_activity_at = excluded.last_activity_at, unread_count = excluded.unread_count,"
        " last_seq = excluded.last_seq, preview = excluded.preview"));
    for (const QVariant &v : {text(c.id), text(c.practiceId), text(c.patientId), text(next.title),
                              text(next.kind), QVariant(c.createdAt), QVariant(next.lastActivityAt),
                              QVariant(next.unreadCount), QVariant(next.lastSeq), text(next.preview)})
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
    if (c.lastMessage)
        applyMessage(*c.lastMessage, QString());
    endBatch();
    return !before || !(*before == next);
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
        list.append(Member{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                           q.value(3).toLongLong()});
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

MessageApplied LocalStore::applyMessage(const Message &m, const QString &myUserId)
{
    MessageApplied result;
    beginBatch();
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                       .arg(QLatin1String(MessageColumns)));
    for (const QVariant &v : {text(m.id), text(m.conversationId), QVariant(m.seq), text(m.clientId),
                              text(m.senderId), text(m.senderName), text(m.body), QVariant(m.sentAt)})
        insert.addBindValue(v);
    if (!insert.exec())
        fail(QStringLiteral("applyMessage"), insert);
    result.inserted = insert.numRowsAffected() > 0;

    const auto summary = conversationSummary(m.conversationId);
    result.conversationKnown = summary.has_value();
    // An empty myUserId means "a copy from the server that already counts unread"; only move the summary forward.
    if (summary && m.seq > summary->lastSeq && !myUserId.isEmpty()) {
        qint64 unread = summary->unreadCount;
        if (m.senderId != myUserId) {
            QSqlQuery mark(m_db);
            mark.prepare(QStringLiteral("SELECT last_read_seq FROM members WHERE conversation_id = ? AND user_id = ?"));
            mark.addBindValue(m.conversationId);
            mark.addBindValue(myUserId);
            const qint64 myRead = mark.exec() && mark.next() ? mark.value(0).toLongLong() : 0;
            if (m.seq > myRead)
                ++unread;
        }
        QSqlQuery update(m_db);
        update.prepare(QStringLiteral("UPDATE conversations SET last_seq = ?, preview = ?, unread_count = ?,"
                                      " last_activity_at = MAX(last_activity_at, ?) WHERE id = ?"));
        update.addBindValue(m.seq);
        update.addBindValue(previewOf(m.body));
        update.addBindValue(unread);
        update.addBindValue(m.sentAt);
        update.addBindValue(m.conversationId);
        if (!update.exec())
            fail(QStringLiteral("applyMessage summary"), update);
        result.conversationChanged = true;
    }
    endBatch();
    return result;
}

QList<Message> LocalStore::messagesBefore(const QString &conversationId, qint64 beforeSeq, int limit) const
{
    QList<Message> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? AND seq < ? "
                             "ORDER BY seq DESC LIMIT ?")
                  .arg(QLatin1String(MessageColumns)));
    q.addBindValue(conversationId);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    q.addBindValue(limit);
    if (!q.exec()) {
        fail(QStringLiteral("messagesBefore"), q);
        return list;
    }
    list.reserve(limit);
    while (q.next())
        list.append(messageFrom(q));
    return list;
}

std::optional<Message> LocalStore::messageByClientId(const QString &clientId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE client_id = ?").arg(QLatin1String(MessageColumns)));
    q.addBindValue(clientId);
    if (q.exec() && q.next())
        return messageFrom(q);
    return std::nullopt;
}

QString LocalStore::draft(const QString &conversationId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT text FROM drafts WHERE conversation_id = ?"));
    q.addBindValue(conversationId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

void LocalStore::saveDraft(const QString &conversationId, const QString &text)
{
    QSqlQuery q(m_db);
    if (text.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM drafts WHERE conversation_id = ?"));
        q.addBindValue(conversationId);
    } else {
        q.prepare(QStringLiteral("INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT(conversation_id) DO UPDATE SET text = excluded.text,"
                                 " updated_at = excluded.updated_at"));
        q.addBindValue(conversationId);
        q.addBindValue(text);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    }
    if (!q.exec())
        fail(QStringLiteral("saveDraft"), q);
}

OutboxEntry LocalStore::enqueue(const QString &conversationId, const QString &body)
{
    OutboxEntry e;
    e.clientId = newId();
    e.conversationId = conversationId;
    e.body = body;
    e.createdAt = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO outbox (%1) VALUES (?, ?, ?, ?, 0, '')").arg(QLatin1String(OutboxColumns)));
    q.addBindValue(e.clientId);
    q.addBindValue(e.conversationId);
    q.addBindValue(e.body);
    q.addBindValue(e.createdAt);
    if (!q.exec())
        fail(QStringLiteral("enqueue"), q);
    return e;
}

QList<OutboxEntry> LocalStore::outbox(const QString &conversationId) const
{
    QList<OutboxEntry> list;
    QSqlQuery q(m_db);
    if (conversationId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT %1 FROM outbox ORDER BY position").arg(QLatin1String(OutboxColumns)));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE conversation_id = ? ORDER BY position")
                      .arg(QLatin1String(OutboxColumns)));
        q.addBindValue(conversationId);
    }
    if (!q.exec())
        return list;
    while (q.next())
        list.append(outboxFrom(q));
    return list;
}

std::optional<OutboxEntry> LocalStore::nextPending() const
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT %1 FROM outbox WHERE state = 0 ORDER BY position LIMIT 1")
                   .arg(QLatin1String(OutboxColumns)))
        && q.next())
        return outboxFrom(q);
    return std::nullopt;
}

std::optional<OutboxEntry> LocalStore::outboxEntry(const QString &clientId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE client_id = ?").arg(QLatin1String(OutboxColumns)));
    q.addBindValue(clientId);
    if (q.exec() && q.next())
        return outboxFrom(q);
    return std::nullopt;
}

bool LocalStore::removeFromOutbox(const QString &clientId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE client_id = ?"));
    q.addBindValue(clientId);
    return q.exec() && q.numRowsAffected() > 0;
}

void LocalStore::markFailed(const QString &clientId, const QString &reason)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE outbox SET state = 1, failure_reason = ? WHERE client_id = ?"));
    q.addBindValue(reason);
    q.addBindValue(clientId);
    if (!q.exec())
        fail(QStringLiteral("markFailed"), q);
}

} // namespace larch
