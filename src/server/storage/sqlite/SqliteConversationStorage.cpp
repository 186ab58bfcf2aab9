// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteConversationStorage: conversations, messages, read markers and the event log; the shared conversation and event steps.
#include "server/storage/sqlite/SqliteConversationStorage.h"

#include "server/storage/sqlite/SqliteRows.h"
#include "server/transport/Clock.h"

#include <QJsonDocument>

namespace larch::server {
namespace {

using sqlite_rows::readMessage;

/// The envelope column of a MESSAGE_COLUMNS row as stored (compact JSON), empty for a plain message.
QByteArray storedEnvelope(Statement &s) { return s.isNull(8) ? QByteArray() : s.blob(8); }

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

} // namespace

std::optional<ConversationRecord> SqliteConversationStorage::conversation(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE id = ?")
        .with(id)
        .one(readConversation);
}

QList<ConversationRecord> SqliteConversationStorage::conversationPage(const QString &patientId,
                                                                      const QString &practiceId,
                                                                      std::optional<std::pair<qint64, QString>> after,
                                                                      int limit)
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

QHash<QString, qint64> SqliteConversationStorage::readMarkers(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT user_id, last_read_seq FROM reads WHERE conversation_id = ?");
    s.bind(1, conversationId);
    QHash<QString, qint64> out;
    while (s.step())
        out.insert(s.text(0), s.integer(1));
    return out;
}

qint64 SqliteConversationStorage::unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id != ?");
    s.bind(1, conversationId).bind(2, afterSeq).bind(3, userId);
    s.step();
    return s.integer(0);
}

std::optional<Message> SqliteConversationStorage::lastMessage(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1")
        .with(conversationId)
        .one(readMessage);
}

QList<Message> SqliteConversationStorage::messages(const QString &conversationId, qint64 beforeSeq, int limit)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " MESSAGE_COLUMNS
                  " FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?")
        .with(conversationId, beforeSeq, limit)
        .all(readMessage);
}

void sqlite_steps::insertConversation(SqliteConnection &db, const ConversationRecord &c)
{
    db.prepare("INSERT INTO conversations (" CONVERSATION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .with(c.id, c.practiceId, c.patientId, c.title, c.kind, c.createdAt, c.lastActivityAt, c.lastSeq,
              sqlite_rows::tagsJson(c.tags))
        .exec();
}

QList<StoredEvent> sqlite_steps::appendEvents(SqliteConnection &db, const QList<NewEvent> &events, qint64 now)
{
    QList<StoredEvent> out;
    out.reserve(events.size());
    for (const NewEvent &e : events) {
        auto bump =
            db.prepare("UPDATE users SET last_event_seq = last_event_seq + 1 WHERE id = ? RETURNING last_event_seq");
        bump.bind(1, e.userId);
        if (!bump.step())
            throw SqliteError("event for an unknown user", SQLITE_CONSTRAINT);
        const qint64 seq = bump.integer(0);
        bump.exec();
        db.prepare("INSERT INTO events (user_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)")
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

SendResult SqliteConversationStorage::sendMessage(const NewMessage &m, const QStringList &recipients)
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
    result.events = sqlite_steps::appendEvents(*m_db, events, m.sentAt);
    tx.commit();
    result.status = SendResult::Status::Created;
    return result;
}

ReadResult SqliteConversationStorage::markRead(const QString &conversationId, const QString &userId, qint64 seq,
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
    result.events = sqlite_steps::appendEvents(*m_db, events, nowMs());
    tx.commit();
    return result;
}

QList<StoredEvent> SqliteConversationStorage::eventsAfter(const QString &userId, qint64 since, int limit)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT seq, type, payload FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, userId).bind(2, since).bind(3, limit);
    QList<StoredEvent> out;
    while (s.step())
        out.append(StoredEvent{userId, s.integer(0), s.text(1), s.blob(2)});
    return out;
}

qint64 SqliteConversationStorage::latestEventSeq(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT last_event_seq FROM users WHERE id = ?");
    s.bind(1, userId);
    return s.step() ? s.integer(0) : 0;
}

QList<StoredEvent> SqliteConversationStorage::storeEvents(const QList<NewEvent> &events)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    auto out = sqlite_steps::appendEvents(*m_db, events, nowMs());
    tx.commit();
    return out;
}

std::optional<Message> SqliteConversationStorage::messageById(const QString &messageId)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?").with(messageId).one(readMessage);
}

} // namespace larch::server
