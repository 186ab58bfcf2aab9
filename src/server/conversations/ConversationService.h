// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Conversations, messages and read state as a signed-in user may see and change them.
#pragma once

#include "server/api/Authenticated.h"
#include "server/api/KeyInput.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

#include <QStringList>

namespace larch::server {

/// One page of a caller's conversation list.
struct ConversationPage {
    QList<Conversation> conversations;
    QString next; ///< cursor for the following page; empty at the end
};

/// A page of messages, newest first.
struct MessagePage {
    QList<Message> messages;
    bool hasMore = false;
};

/// The read marker after POST …/read.
struct ReadState {
    QString conversationId;
    QString userId;
    qint64 lastReadSeq = 0;
    qint64 unreadCount = 0;
};

/// Conversation rules: who sees what (a patient their own, staff their practice's, anyone else gets
/// not_found), idempotent sends, read markers that never move back, and the events of each change.
class ConversationService {
public:
    ConversationService(Storage &storage, EventHub &hub) : m_storage(storage), m_hub(hub) { }

    ConversationPage list(const User &caller, int limit, const QString &before);
    Conversation get(const User &caller, const QString &id);
    MessagePage messages(const User &caller, const QString &id, qint64 before, int limit);
    /// Stores an encrypted message sent by the caller's session device; created is false when the same
    /// clientId and envelope were already stored. The device must be active and the envelope's sender,
    /// and its epoch must exist.
    Message send(const Authenticated &caller, const QString &id, const QString &clientId, const EnvelopeInput &envelope,
                 bool *created);
    ReadState markRead(const User &caller, const QString &id, qint64 seq);

    /// The conversation as viewer sees it (members, last message, viewer's unread count).
    Conversation view(const ConversationRecord &record, const QString &viewerId, const QList<User> &staff,
                      const User &patient);
    /// The patient and every staff member of the practice: who receives the conversation's events.
    QStringList recipients(const ConversationRecord &record);
    /// The conversation when caller may see it, else 404 not_found.
    ConversationRecord visible(const User &caller, const QString &id);
    /// 403 device_required unless the session acts as an active device, 400 unless it signed the envelope, 409
    /// unless the envelope's epoch exists in the conversation; beforeWhat ends the first sentence ("calling").
    void requireSender(const Authenticated &caller, const QString &conversationId, const EnvelopeInput &envelope,
                       const QString &beforeWhat);

private:
    Storage &m_storage;
    EventHub &m_hub;
};

} // namespace larch::server
