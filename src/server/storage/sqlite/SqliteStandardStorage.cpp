// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteStandardStorage: standard (SMS/email) conversations: contacts, consent, opt-out, plain-text messages with their
// delivery states, and inbound messages already taken (migration 7, docs/standard-conversations.md).
#include "server/storage/sqlite/SqliteStandardStorage.h"

#include "server/storage/sqlite/SqliteRows.h"
#include "server/transport/Clock.h"

#include <QDateTime>

namespace larch::server {
namespace {

using sqlite_rows::readMessage;

#define STANDARD_COLUMNS                                                                                               \
    "sc.conversation_id, sc.practice_id, sc.channel, sc.address, sc.reply_token, sc.consent_method, "                  \
    "sc.consent_note, sc.consent_by, sc.consent_by_name, sc.consent_at, sc.opted_out_at, sc.secure_conversation_id"

StandardContactRecord readStandard(Statement &s)
{
    StandardContactRecord r;
    r.conversationId = s.text(0);
    r.practiceId = s.text(1);
    r.channel = s.text(2);
    r.address = s.text(3);
    r.replyToken = s.text(4);
    if (!s.isNull(5))
        r.consent = Consent{s.text(5), s.text(6), s.text(7), s.text(8), s.integer(9)};
    r.optedOutAt = s.integer(10);
    r.secureConversationId = s.text(11);
    return r;
}

User readPatient(Statement &s) { return User{s.text(0), s.text(3), s.text(2), s.text(4), s.text(1)}; }

/// How far a delivery has come: a report never moves a message back.
int deliveryRank(const QString &state)
{
    if (state == QLatin1String("queued"))
        return 0;
    if (state == QLatin1String("sent"))
        return 1;
    return 2; // delivered, failed (and received, which no report changes)
}

} // namespace

std::optional<StandardContactRecord> SqliteStandardStorage::standardContactLocked(const QString &conversationId)
{
    return m_db->prepare("SELECT " STANDARD_COLUMNS " FROM standard_contacts sc WHERE sc.conversation_id = ?")
        .with(conversationId)
        .one(readStandard);
}

std::optional<User> SqliteStandardStorage::practicePatientByContact(const QString &practiceId, const QString &phone,
                                                                    const QString &email)
{
    std::lock_guard lock(m_mutex);
    {
        auto s = m_db->prepare("SELECT u.id, COALESCE(u.practice_id, ''), COALESCE(u.email, ''), u.name, u.role "
                               "FROM conversations c JOIN users u ON u.id = c.patient_id "
                               "WHERE c.practice_id = ? AND u.invited = 0 AND u.role = 'patient' "
                               "AND u.deactivated_at IS NULL AND (u.phone = ? OR u.email = ?) "
                               "ORDER BY c.created_at LIMIT 1");
        s.bind(1, practiceId);
        s.bindOrNull(2, phone);
        s.bindOrNull(3, email);
        if (s.step())
            return readPatient(s);
    }
    auto s = m_db->prepare("SELECT u.id, COALESCE(u.practice_id, ''), COALESCE(u.email, ''), u.name, u.role "
                           "FROM invitations i JOIN users u ON u.id = i.placeholder_id "
                           "WHERE i.practice_id = ? AND i.state = 'pending' AND u.deactivated_at IS NULL "
                           "AND (i.phone = ? OR i.email = ?) ORDER BY i.created_at LIMIT 1");
    s.bind(1, practiceId);
    s.bindOrNull(2, phone);
    s.bindOrNull(3, email);
    if (s.step())
        return readPatient(s);
    return std::nullopt;
}

StandardWriteResult SqliteStandardStorage::createStandardConversation(const std::optional<UserRecord> &placeholder,
                                                                      const ConversationRecord &c,
                                                                      const StandardContactRecord &contact,
                                                                      const QList<NewEvent> &events)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    StandardWriteResult result;
    {
        // Checked inside the write's transaction: two staff adding the same contact at once get one conversation.
        auto s = m_db->prepare("SELECT conversation_id FROM standard_contacts WHERE practice_id = ? AND channel = ? "
                               "AND address = ?");
        s.bind(1, contact.practiceId).bind(2, contact.channel).bind(3, contact.address);
        if (s.step()) {
            result.status = StandardWriteResult::Status::DuplicateContact;
            result.conversationId = s.text(0);
            return result;
        }
    }
    if (placeholder)
        m_db->prepare("INSERT INTO users (id, practice_id, email, phone, name, role, password_hash, created_at, "
                      "invited) VALUES (?, ?, NULL, NULL, ?, 'patient', '', ?, 1)")
            .bind(1, placeholder->user.id)
            .bind(2, placeholder->user.practiceId)
            .bind(3, placeholder->user.name)
            .bind(4, placeholder->createdAt)
            .exec();
    m_db->prepare("INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at, "
                  "last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")
        .bind(1, c.id)
        .bind(2, c.practiceId)
        .bind(3, c.patientId)
        .bind(4, c.title)
        .bind(5, c.kind)
        .bind(6, c.createdAt)
        .bind(7, c.lastActivityAt)
        .exec();
    m_db->prepare("INSERT INTO standard_contacts (conversation_id, practice_id, channel, address, reply_token) "
                  "VALUES (?, ?, ?, ?, ?)")
        .bind(1, c.id)
        .bind(2, contact.practiceId)
        .bind(3, contact.channel)
        .bind(4, contact.address)
        .bind(5, contact.replyToken)
        .exec();
    result.events = sqlite_steps::appendEvents(*m_db, events, c.createdAt);
    tx.commit();
    result.status = StandardWriteResult::Status::Done;
    result.conversationId = c.id;
    result.contact = contact;
    return result;
}

std::optional<StandardContactRecord> SqliteStandardStorage::standardContact(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    return standardContactLocked(conversationId);
}

std::optional<StandardContactRecord> SqliteStandardStorage::standardByReplyToken(const QString &replyToken)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " STANDARD_COLUMNS " FROM standard_contacts sc WHERE sc.reply_token = ?")
        .with(replyToken)
        .one(readStandard);
}

std::optional<StandardContactRecord> SqliteStandardStorage::standardByAddress(const QString &channel,
                                                                              const QString &address)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " STANDARD_COLUMNS
                  " FROM standard_contacts sc JOIN conversations c ON c.id = sc.conversation_id WHERE sc.channel = ? "
                  "AND sc.address = ? ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 1")
        .with(channel, address)
        .one(readStandard);
}

Message SqliteStandardStorage::insertMessageLocked(const NewMessage &m)
{
    qint64 seq = 0;
    {
        auto s = m_db->prepare("UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = ? WHERE id = ? "
                               "RETURNING last_seq");
        s.bind(1, m.sentAt).bind(2, m.conversationId);
        if (!s.step())
            throw SqliteError("message for an unknown conversation", SQLITE_CONSTRAINT);
        seq = s.integer(0);
        s.exec();
    }
    auto insert = m_db->prepare("INSERT INTO messages (" MESSAGE_COLUMNS
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)");
    insert.bind(1, m.id)
        .bind(2, m.conversationId)
        .bind(3, seq)
        .bind(4, m.clientId)
        .bind(5, m.senderId)
        .bind(6, m.senderName)
        .bind(7, m.body)
        .bind(8, m.sentAt);
    if (m.delivery)
        insert.bind(9, m.delivery->state).bind(10, m.delivery->detail).bind(11, m.delivery->updatedAt);
    else
        insert.bindNull(9).bind(10, QString()).bind(11, qint64(0));
    if (m.note)
        insert.bind(12, m.note->kind).bind(13, m.note->conversationId);
    else
        insert.bindNull(12).bind(13, QString());
    insert.exec();
    return Message{m.id,     m.clientId, m.conversationId, seq,   m.senderId, m.senderName, m.body,
                   m.sentAt, {},         m.delivery,       m.note};
}

StandardSendResult SqliteStandardStorage::sendStandardMessage(const NewMessage &m, const QStringList &recipients,
                                                              const DeliveryOf &deliveryOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    StandardSendResult result;
    {
        auto s = m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation_id = ? AND client_id = ?");
        s.bind(1, m.conversationId).bind(2, m.clientId);
        if (s.step()) {
            result.message = readMessage(s);
            const bool same = result.message.body == m.body && result.message.senderId == m.senderId
                && !result.message.envelope && !result.message.note;
            result.status = same ? StandardSendResult::Status::Duplicate : StandardSendResult::Status::Conflict;
            return result;
        }
    }
    // Consent and opt-out are read in the same transaction as the insert: a STOP that lands first wins.
    const auto contact = standardContactLocked(m.conversationId);
    if (!contact)
        return result;
    result.contact = *contact;
    if (!contact->consent) {
        result.status = StandardSendResult::Status::ConsentRequired;
        return result;
    }
    if (contact->optedOutAt > 0) {
        result.status = StandardSendResult::Status::OptedOut;
        return result;
    }
    result.message = insertMessageLocked(m);
    if (deliveryOf) {
        result.delivery = deliveryOf(*contact, result.message);
        sqlite_steps::insertDelivery(*m_db, *result.delivery);
    }
    const QByteArray data = sqlite_rows::compact(result.message.toJson());
    QList<NewEvent> events;
    sqlite_rows::addEvents(events, recipients, EventType::MessageCreated, data);
    result.events = sqlite_steps::appendEvents(*m_db, events, m.sentAt);
    tx.commit();
    result.status = StandardSendResult::Status::Created;
    return result;
}

StandardWriteResult SqliteStandardStorage::changeStandardLocked(const StandardChange &change, qint64 now)
{
    StandardWriteResult result;
    auto contact = standardContactLocked(change.conversationId);
    if (!contact)
        return result;
    if (!change.inboundId.isEmpty()) {
        auto s = m_db->prepare("INSERT OR IGNORE INTO inbound_messages (provider_id, message_id, received_at) "
                               "VALUES (?, ?, ?)");
        s.bind(1, change.inboundId)
            .bind(2, change.messages.isEmpty() ? QString() : change.messages.first().id)
            .bind(3, now)
            .exec();
        if (m_db->changes() == 0) {
            result.status = StandardWriteResult::Status::Duplicate;
            result.contact = *contact;
            return result;
        }
    }
    if (change.consent)
        m_db->prepare("UPDATE standard_contacts SET consent_method = ?, consent_note = ?, consent_by = ?, "
                      "consent_by_name = ?, consent_at = ? WHERE conversation_id = ?")
            .bind(1, change.consent->method)
            .bind(2, change.consent->note)
            .bind(3, change.consent->recordedBy)
            .bind(4, change.consent->recordedByName)
            .bind(5, change.consent->at)
            .bind(6, change.conversationId)
            .exec();
    if (change.optedOutAt)
        m_db->prepare("UPDATE standard_contacts SET opted_out_at = ? WHERE conversation_id = ?")
            .bind(1, *change.optedOutAt)
            .bind(2, change.conversationId)
            .exec();
    if (!change.secureConversationId.isEmpty())
        m_db->prepare("UPDATE standard_contacts SET secure_conversation_id = ? WHERE conversation_id = ?")
            .bind(1, change.secureConversationId)
            .bind(2, change.conversationId)
            .exec();
    for (const NewMessage &m : change.messages)
        result.messages.append(insertMessageLocked(m));
    contact = standardContactLocked(change.conversationId);
    result.contact = *contact;
    if (change.eventsOf)
        result.events = sqlite_steps::appendEvents(*m_db, change.eventsOf(result.messages, result.contact), now);
    result.status = StandardWriteResult::Status::Done;
    result.conversationId = change.conversationId;
    return result;
}

StandardWriteResult SqliteStandardStorage::changeStandard(const StandardChange &change)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    StandardWriteResult result = changeStandardLocked(change, nowMs());
    if (result.status == StandardWriteResult::Status::Done)
        tx.commit();
    return result;
}

StandardWriteResult
SqliteStandardStorage::updateMessageDelivery(const QString &messageId, const MessageDelivery &delivery,
                                             const std::function<QList<NewEvent>(const Message &)> &eventsOf,
                                             const std::optional<OutboxRecord> &row)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    // The courier's row and the message's state move together: a crash leaves both as they were, or both changed.
    if (row)
        sqlite_steps::writeDelivery(*m_db, *row);
    StandardWriteResult result;
    Message m;
    {
        auto s = m_db->prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?");
        s.bind(1, messageId);
        if (s.step())
            m = readMessage(s);
    }
    if (m.id.isEmpty() || !m.delivery) {
        tx.commit();
        return result;
    }
    result.conversationId = m.conversationId;
    if (m.delivery->state == QLatin1String("received")
        || deliveryRank(delivery.state) <= deliveryRank(m.delivery->state)) {
        tx.commit();
        result.status = StandardWriteResult::Status::Duplicate;
        return result;
    }
    m_db->prepare("UPDATE messages SET delivery_state = ?, delivery_detail = ?, delivery_at = ? WHERE id = ?")
        .bind(1, delivery.state)
        .bind(2, delivery.detail)
        .bind(3, delivery.updatedAt)
        .bind(4, messageId)
        .exec();
    m.delivery = delivery;
    result.messages.append(m);
    if (eventsOf)
        result.events = sqlite_steps::appendEvents(*m_db, eventsOf(m), nowMs());
    tx.commit();
    result.status = StandardWriteResult::Status::Done;
    return result;
}

StandardWriteResult
SqliteStandardStorage::createSecureInvitation(const ConversationRecord &secure, const InvitationRecord &invitation,
                                              const QByteArray &tokenDigest, const QList<NewEvent> &events,
                                              const StandardChange &change, const std::optional<OutboxRecord> &delivery)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    StandardWriteResult result;
    // The duplicate check of invitations, inside the same transaction: an open invitation or a joined patient's
    // secure conversation already reaching the contact wins.
    const QString existing =
        sqlite_steps::contactConversation(*m_db, invitation.practiceId, invitation.phone, invitation.email, {});
    if (!existing.isEmpty()) {
        result.status = StandardWriteResult::Status::DuplicateContact;
        result.conversationId = existing;
        return result;
    }
    const qint64 now = nowMs();
    sqlite_steps::insertInvitation(*m_db, secure, invitation, tokenDigest);
    if (delivery)
        sqlite_steps::insertDelivery(*m_db, *delivery);
    QList<StoredEvent> stored = sqlite_steps::appendEvents(*m_db, events, now);
    result = changeStandardLocked(change, now);
    if (result.status != StandardWriteResult::Status::Done)
        return result;
    result.events = stored + result.events;
    tx.commit();
    return result;
}

QStringList sqlite_steps::moveStandardConversations(SqliteConnection &db, const QString &phone, const QString &email,
                                                    const QString &accountId, qint64 now)
{
    QStringList moved;
    QStringList formerPatients;
    {
        auto s = db.prepare("SELECT sc.conversation_id, c.patient_id FROM standard_contacts sc "
                            "JOIN conversations c ON c.id = sc.conversation_id "
                            "WHERE (sc.address = ? OR sc.address = ?) AND c.patient_id <> ?");
        s.bindOrNull(1, phone);
        s.bindOrNull(2, email);
        s.bind(3, accountId);
        while (s.step()) {
            moved.append(s.text(0));
            if (!formerPatients.contains(s.text(1)))
                formerPatients.append(s.text(1));
        }
    }
    for (const QString &id : moved)
        db.prepare("UPDATE conversations SET patient_id = ? WHERE id = ?").bind(1, accountId).bind(2, id).exec();
    // A placeholder left with no conversation at all is retired, as merged invitation placeholders are.
    for (const QString &former : formerPatients)
        db.prepare("UPDATE users SET deactivated_at = ?1 WHERE id = ?2 AND invited = 1 AND deactivated_at IS NULL "
                   "AND NOT EXISTS (SELECT 1 FROM conversations WHERE patient_id = ?2)")
            .bind(1, now)
            .bind(2, former)
            .exec();
    return moved;
}

} // namespace larch::server
