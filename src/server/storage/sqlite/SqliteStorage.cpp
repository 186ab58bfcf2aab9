// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteStorage.h"

#include "core/crypto/Crypto.h"
#include "server/storage/Migrations.h"
#include "server/storage/sqlite/SqliteRows.h"
#include "server/transport/Clock.h"

#include <QDateTime>
#include <QJsonDocument>

namespace larch::server {
namespace {

User readUser(Statement &s, int first)
{
    User u;
    u.id = s.text(first);
    u.practiceId = s.text(first + 1);
    u.email = s.text(first + 2);
    u.name = s.text(first + 3);
    u.role = s.text(first + 4);
    return u;
}

ConversationRecord readConversation(Statement &s)
{
    ConversationRecord c;
    c.id = s.text(0);
    c.practiceId = s.text(1);
    c.patientId = s.text(2);
    c.title = s.text(3);
    c.kind = s.text(4);
    c.createdAt = s.integer(5);
    c.lastActivityAt = s.integer(6);
    c.lastSeq = s.integer(7);
    c.tags = sqlite_rows::readTags(s.blob(8));
    return c;
}

using sqlite_rows::readMessage;

/// The envelope column of a MESSAGE_COLUMNS row as stored (compact JSON), empty for a plain message.
QByteArray storedEnvelope(Statement &s) { return s.isNull(8) ? QByteArray() : s.blob(8); }

#define CONVERSATION_COLUMNS "id, practice_id, patient_id, title, kind, created_at, last_activity_at, last_seq, tags"

} // namespace

SqliteStorage::SqliteStorage(const QString &path) : m_db(std::make_unique<SqliteConnection>(path))
{
    m_db->execScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    migrate();
}

SqliteStorage::~SqliteStorage() = default;

void SqliteStorage::migrate()
{
    std::lock_guard lock(m_mutex);
    m_db->execScript(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
    // SQLite's table-rebuild procedure (migration 4 rebuilds users): foreign keys off around the migrations,
    // then checked before they are turned back on. The pragma is a no-op inside a transaction, so it is set here.
    m_db->execScript("PRAGMA foreign_keys=OFF");
    for (const Migration &m : sqliteMigrations()) {
        Transaction tx(*m_db);
        qint64 current = 0;
        {
            auto s = m_db->prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
            s.step();
            current = s.integer(0);
        }
        if (m.version <= current)
            continue;
        m_db->execScript(m.sql);
        m_db->prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")
            .bind(1, m.version)
            .bind(2, nowMs())
            .exec();
        {
            auto broken = m_db->prepare("PRAGMA foreign_key_check");
            if (broken.step())
                throw SqliteError("migration " + std::to_string(m.version) + " broke a foreign key", SQLITE_CONSTRAINT);
        }
        tx.commit();
    }
    m_db->execScript("PRAGMA foreign_keys=ON");
}

int SqliteStorage::schemaVersion()
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    s.step();
    return static_cast<int>(s.integer(0));
}

bool SqliteStorage::insertUser(const UserRecord &r)
{
    auto exists = m_db->prepare("SELECT 1 FROM users WHERE email = ?");
    exists.bind(1, r.user.email);
    if (exists.step())
        return false;
    m_db->prepare("INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, r.user.id)
        .bind(2, r.user.practiceId)
        .bind(3, r.user.email)
        .bind(4, r.user.name)
        .bind(5, r.user.role)
        .bind(6, r.passwordHash)
        .bind(7, r.createdAt)
        .exec();
    return true;
}

bool SqliteStorage::createPractice(const PracticeRecord &practice, const UserRecord &admin)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("INSERT INTO practices (id, name, created_at) VALUES (?, ?, ?)")
        .bind(1, practice.id)
        .bind(2, practice.name)
        .bind(3, practice.createdAt)
        .exec();
    if (!insertUser(admin))
        return false;
    // Every practice has a Practice Link from the start (docs/practice-links.md).
    PracticeLinkRecord link{
        newId(), practice.id, {}, QStringLiteral("Practice Link"), {}, true, practice.createdAt, practice.createdAt, 0};
    insertPracticeLinkLocked(link);
    tx.commit();
    return true;
}

bool SqliteStorage::createUser(const UserRecord &user)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertUser(user))
        return false;
    tx.commit();
    return true;
}

bool SqliteStorage::createPatient(const UserRecord &patient, const ConversationRecord &c, const QList<NewEvent> &events,
                                  QList<StoredEvent> *stored)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertUser(patient))
        return false;
    m_db->prepare("INSERT INTO conversations (" CONVERSATION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, c.id)
        .bind(2, c.practiceId)
        .bind(3, c.patientId)
        .bind(4, c.title)
        .bind(5, c.kind)
        .bind(6, c.createdAt)
        .bind(7, c.lastActivityAt)
        .bind(8, c.lastSeq)
        .bind(9, sqlite_rows::tagsJson(c.tags))
        .exec();
    auto out = appendEvents(events, c.createdAt);
    tx.commit();
    if (stored)
        *stored = std::move(out);
    return true;
}

std::optional<PracticeRecord> SqliteStorage::practice(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, name, created_at FROM practices WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return PracticeRecord{s.text(0), s.text(1), s.integer(2)};
}

std::optional<UserRecord> SqliteStorage::userByEmail(const QString &email)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role, password_hash, created_at, "
                           "deactivated_at IS NOT NULL FROM users WHERE email = ?");
    s.bind(1, email);
    if (!s.step())
        return std::nullopt;
    return UserRecord{readUser(s, 0), s.blob(5), s.integer(6), s.integer(7) != 0};
}

std::optional<User> SqliteStorage::user(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role FROM users WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return readUser(s, 0);
}

QList<User> SqliteStorage::staff(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role FROM users "
                           "WHERE practice_id = ? AND role IN ('admin', 'clinician') AND deactivated_at IS NULL "
                           "ORDER BY created_at, id");
    s.bind(1, practiceId);
    QList<User> out;
    while (s.step())
        out.append(readUser(s, 0));
    return out;
}

QStringList SqliteStorage::practicePatients(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    // Secure conversations only: a standard (SMS/email) thread's patient shares nothing with staff through Larch.
    auto s = m_db->prepare("SELECT DISTINCT patient_id FROM conversations WHERE practice_id = ? AND kind = 'secure'");
    s.bind(1, practiceId);
    QStringList out;
    while (s.step())
        out.append(s.text(0));
    return out;
}

void SqliteStorage::createSession(const QByteArray &digest, const QString &userId, qint64 createdAt, qint64 expiresAt)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("INSERT INTO sessions (token_digest, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(1, digest)
        .bind(2, userId)
        .bind(3, createdAt)
        .bind(4, expiresAt)
        .exec();
}

std::optional<SessionRecord> SqliteStorage::session(const QByteArray &digest)
{
    std::lock_guard lock(m_mutex);
    auto s =
        m_db->prepare("SELECT u.id, u.practice_id, u.email, u.name, u.role, s.expires_at, s.revoked, "
                      "u.deactivated_at IS NOT NULL, d.id, d.state FROM sessions s JOIN users u ON u.id = s.user_id "
                      "LEFT JOIN devices d ON d.id = s.device_id WHERE s.token_digest = ?");
    s.bind(1, digest);
    if (!s.step())
        return std::nullopt;
    return SessionRecord{readUser(s, 0),
                         s.integer(5),
                         s.integer(6) != 0,
                         s.integer(7) != 0,
                         s.isNull(8) ? QString() : s.text(8),
                         s.isNull(9) ? QString() : s.text(9)};
}

void SqliteStorage::revokeSession(const QByteArray &digest)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE token_digest = ?").bind(1, digest).exec();
}

void SqliteStorage::revokeSessions(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ?").bind(1, userId).exec();
}

std::optional<ConversationRecord> SqliteStorage::conversation(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return readConversation(s);
}

QList<ConversationRecord> SqliteStorage::conversations(const QString &patientId, const QString &practiceId,
                                                       std::optional<std::pair<qint64, QString>> after, int limit)
{
    std::lock_guard lock(m_mutex);
    const bool byPatient = !patientId.isEmpty();
    const QString &owner = byPatient ? patientId : practiceId;
    QList<ConversationRecord> out;
    auto collect = [&](Statement &s) {
        while (s.step())
            out.append(readConversation(s));
    };
    if (after) {
        auto s = byPatient
            ? m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE patient_id = ?1 AND "
                            "kind = 'secure' AND (last_activity_at < ?2 OR (last_activity_at = ?2 AND id < ?3)) "
                            "ORDER BY last_activity_at DESC, id DESC LIMIT ?4")
            : m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE practice_id = ?1 AND "
                            "(last_activity_at < ?2 OR (last_activity_at = ?2 AND id < ?3)) "
                            "ORDER BY last_activity_at DESC, id DESC LIMIT ?4");
        s.bind(1, owner).bind(2, after->first).bind(3, after->second).bind(4, limit);
        collect(s);
    } else {
        auto s = byPatient ? m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE patient_id = ? "
                                           "AND kind = 'secure' ORDER BY last_activity_at DESC, id DESC LIMIT ?")
                           : m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE practice_id = ? "
                                           "ORDER BY last_activity_at DESC, id DESC LIMIT ?");
        s.bind(1, owner).bind(2, limit);
        collect(s);
    }
    return out;
}

QHash<QString, qint64> SqliteStorage::readMarkers(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT user_id, last_read_seq FROM reads WHERE conversation_id = ?");
    s.bind(1, conversationId);
    QHash<QString, qint64> out;
    while (s.step())
        out.insert(s.text(0), s.integer(1));
    return out;
}

qint64 SqliteStorage::unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id != ?");
    s.bind(1, conversationId).bind(2, afterSeq).bind(3, userId);
    s.step();
    return s.integer(0);
}

std::optional<Message> SqliteStorage::lastMessage(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    auto s =
        m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1");
    s.bind(1, conversationId);
    if (!s.step())
        return std::nullopt;
    return readMessage(s);
}

QList<Message> SqliteStorage::messages(const QString &conversationId, qint64 beforeSeq, int limit)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation_id = ? AND seq < ? "
                           "ORDER BY seq DESC LIMIT ?");
    s.bind(1, conversationId).bind(2, beforeSeq).bind(3, limit);
    QList<Message> out;
    while (s.step())
        out.append(readMessage(s));
    return out;
}

QList<StoredEvent> SqliteStorage::appendEvents(const QList<NewEvent> &events, qint64 now)
{
    QList<StoredEvent> out;
    out.reserve(events.size());
    for (const NewEvent &e : events) {
        auto bump =
            m_db->prepare("UPDATE users SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq");
        bump.bind(1, e.userId);
        if (!bump.step())
            throw SqliteError("event for an unknown user", SQLITE_CONSTRAINT);
        const qint64 seq = bump.integer(0);
        bump.exec();
        m_db->prepare("INSERT INTO events (user_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(1, e.userId)
            .bind(2, seq)
            .bind(3, e.type)
            .bind(4, e.data)
            .bind(5, now)
            .exec();
        out.append(StoredEvent{e.userId, seq, e.type, e.data});
    }
    return out;
}

SendResult SqliteStorage::sendMessage(const NewMessage &m, const QStringList &recipients)
{
    std::lock_guard lock(m_mutex);
    SendResult result;
    Transaction tx(*m_db);
    {
        auto s = m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation_id = ? AND client_id = ?");
        s.bind(1, m.conversationId).bind(2, m.clientId);
        if (s.step()) {
            result.message = readMessage(s);
            // An envelope is compared as the canonical JSON the service made of it, so a resend of the
            // same encrypted message matches byte for byte.
            const bool same = result.message.body == m.body && result.message.senderId == m.senderId
                && storedEnvelope(s) == m.envelope;
            result.status = same ? SendResult::Status::Duplicate : SendResult::Status::Conflict;
            return result;
        }
    }
    qint64 seq = 0;
    {
        auto s = m_db->prepare("UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ? WHERE id = ? "
                               "RETURNING last_seq");
        s.bind(1, m.sentAt).bind(2, m.conversationId);
        if (!s.step())
            return result;
        seq = s.integer(0);
        s.exec();
    }
    {
        auto insert =
            m_db->prepare("INSERT INTO messages (id, conversation_id, seq, client_id, sender_id, sender_name, "
                          "body, sent_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, m.id)
            .bind(2, m.conversationId)
            .bind(3, seq)
            .bind(4, m.clientId)
            .bind(5, m.senderId)
            .bind(6, m.senderName)
            .bind(7, m.body)
            .bind(8, m.sentAt);
        if (m.envelope.isEmpty())
            insert.bindNull(9);
        else
            insert.bind(9, m.envelope);
        insert.exec();
    }
    result.message =
        Message{m.id, m.clientId, m.conversationId, seq, m.senderId, m.senderName, m.body, m.sentAt, {}, {}, {}};
    if (!m.envelope.isEmpty())
        result.message.envelope = QJsonDocument::fromJson(m.envelope).object();
    const QByteArray data = QJsonDocument(result.message.toJson()).toJson(QJsonDocument::Compact);
    QList<NewEvent> events;
    events.reserve(recipients.size());
    for (const QString &r : recipients)
        events.append(NewEvent{r, QString::fromLatin1(EventType::MessageCreated), data});
    result.events = appendEvents(events, m.sentAt);
    tx.commit();
    result.status = SendResult::Status::Created;
    return result;
}

ReadResult SqliteStorage::markRead(const QString &conversationId, const QString &userId, qint64 seq,
                                   const QStringList &recipients)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    ReadResult result;
    auto s = m_db->prepare("SELECT last_read_seq FROM reads WHERE conversation_id = ? AND user_id = ?");
    s.bind(1, conversationId).bind(2, userId);
    const qint64 current = s.step() ? s.integer(0) : 0;
    s.exec();
    result.lastReadSeq = current;
    if (seq <= current)
        return result;
    m_db->prepare("INSERT INTO reads (conversation_id, user_id, last_read_seq) VALUES (?, ?, ?) "
                  "ON CONFLICT (conversation_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq")
        .bind(1, conversationId)
        .bind(2, userId)
        .bind(3, seq)
        .exec();
    result.lastReadSeq = seq;
    result.moved = true;
    const QByteArray data =
        QJsonDocument(QJsonObject{{"conversationId", conversationId}, {"userId", userId}, {"lastReadSeq", seq}})
            .toJson(QJsonDocument::Compact);
    QList<NewEvent> events;
    for (const QString &r : recipients)
        events.append(NewEvent{r, QString::fromLatin1(EventType::ConversationRead), data});
    result.events = appendEvents(events, nowMs());
    tx.commit();
    return result;
}

QList<StoredEvent> SqliteStorage::eventsAfter(const QString &userId, qint64 since, int limit)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT seq, type, payload FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, userId).bind(2, since).bind(3, limit);
    QList<StoredEvent> out;
    while (s.step())
        out.append(StoredEvent{userId, s.integer(0), s.text(1), s.blob(2)});
    return out;
}

qint64 SqliteStorage::latestEventSeq(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT last_event_seq FROM users WHERE id = ?");
    s.bind(1, userId);
    return s.step() ? s.integer(0) : 0;
}

} // namespace larch::server
