// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of conversations, their messages and read markers, and every user's event log.
#pragma once

#include "server/storage/StorageRecords.h"

#include <optional>
#include <QHash>
#include <QList>

namespace larch::server {

/// Outcome of storing a message.
struct SendResult {
    enum class Status { Created, Duplicate, Conflict, NoConversation };
    Status status = Status::NoConversation;
    Message message; ///< the stored message (for Created and Duplicate)
    QList<StoredEvent> events; ///< message.created per recipient (Created only)
};

/// Outcome of moving a read marker.
struct ReadResult {
    qint64 lastReadSeq = 0;
    bool moved = false;
    QList<StoredEvent> events; ///< conversation.read per recipient (when moved)
};

/// Conversations, messages, read markers and the per-user event log the event stream replays.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class ConversationStorage {
public:
    virtual ~ConversationStorage() = default;

    // Conversations and messages.
    virtual std::optional<ConversationRecord> conversation(const QString &id) = 0;
    /// A page of conversations, newest activity first, strictly after the keyset (activity, id) when given.
    /// Exactly one of patientId / practiceId is non-empty.
    virtual QList<ConversationRecord> conversationPage(const QString &patientId, const QString &practiceId,
                                                       std::optional<std::pair<qint64, QString>> after, int limit) = 0;
    /// userId → lastReadSeq of everyone who has read something in the conversation.
    virtual QHash<QString, qint64> readMarkers(const QString &conversationId) = 0;
    /// Messages after afterSeq not sent by userId.
    virtual qint64 unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq) = 0;
    virtual std::optional<Message> lastMessage(const QString &conversationId) = 0;
    /// Newest first, seq < beforeSeq.
    virtual QList<Message> messages(const QString &conversationId, qint64 beforeSeq, int limit) = 0;
    /// Stores a message idempotently by (conversation, clientId) and its message.created events for recipients.
    virtual SendResult sendMessage(const NewMessage &message, const QStringList &recipients) = 0;
    /// Moves userId's marker forward to seq (never back), with conversation.read events for recipients.
    virtual ReadResult markRead(const QString &conversationId, const QString &userId, qint64 seq,
                                const QStringList &recipients) = 0;
    /// A message by its id, in any conversation.
    virtual std::optional<Message> messageById(const QString &messageId) = 0;

    /// Stores events of a change already made (pairing), returning them numbered.
    virtual QList<StoredEvent> storeEvents(const QList<NewEvent> &events) = 0;

    // The event log: each user's events numbered 1, 2, ... in the order they were stored.
    /// Up to limit events of userId with seq > since, oldest first.
    virtual QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) = 0;
    /// The seq of userId's newest event, 0 when none.
    virtual qint64 latestEventSeq(const QString &userId) = 0;
};

} // namespace larch::server
