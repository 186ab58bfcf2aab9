// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The messages on the device: as received, as opened, and the notices the app writes between them.
#pragma once

#include "client/store/LocalRecords.h"

#include <optional>
#include <QSqlDatabase>

class QSqlQuery;

namespace larch {

class LocalStore;

/// Received messages with their opening outcomes, the previews they give their conversations, and thread notices.
class MessageCache {
public:
    explicit MessageCache(LocalStore &local);

    /// Stores a message from the server as received (Unopened) and moves its conversation's summary
    /// forward. myUserId decides unread counting ("" for a copy whose unread state the server counted).
    MessageApplied applyMessage(const Message &message, const QString &myUserId);
    /// Stores a message with its opening outcome; an outcome replaces a stored Unopened or KeyPending one.
    MessageApplied applyMessage(const StoredMessage &message, const QString &myUserId);
    /// Records the outcome of opening a stored message (with the files it carries, kept sealed). True when its
    /// conversation's preview changed.
    bool setMessageOpened(const QString &messageId, Verification verification, MessageCheck check, const QString &text,
                          const QList<AttachmentRef> &attachments = {});
    /// Newest first, seq < beforeSeq (no bound when beforeSeq <= 0), at most limit.
    QList<StoredMessage> messagesBefore(const QString &conversationId, qint64 beforeSeq, int limit) const;
    std::optional<StoredMessage> messageById(const QString &messageId) const;
    std::optional<StoredMessage> messageByClientId(const QString &clientId) const;
    /// Messages still to open (Unopened, or KeyPending when includeKeyPending), oldest first;
    /// every conversation when conversationId is "".
    QList<StoredMessage> messagesToOpen(const QString &conversationId, bool includeKeyPending) const;
    /// True when another message of the conversation already carries this client id (the replay check).
    bool clientIdSeen(const QString &conversationId, const QString &clientId, const QString &exceptMessageId) const;
    /// Records a standard message's newer delivery (an older report than the stored one changes nothing).
    /// True when it changed; false too for a message not in the store.
    bool setMessageDelivery(const QString &messageId, const MessageDelivery &delivery);

    /// Adds a notice once per key (repeated events add nothing); the stored notice, or nullopt when known.
    std::optional<ThreadNotice> addNotice(const QString &conversationId, const QString &key, const QString &text,
                                          qint64 createdAt);
    /// Notices with afterSeq in [fromSeq, toSeq], newest first.
    QList<ThreadNotice> notices(const QString &conversationId, qint64 fromSeq, qint64 toSeq) const;

private:
    StoredMessage messageFrom(const QSqlQuery &q) const;
    /// The preview a message gives its conversation: its text, a note's sentence, or why it cannot show.
    QString previewFor(const StoredMessage &message) const;
    void updatePreviewIfLatest(const QString &conversationId, qint64 seq, const QString &preview, bool *changed);

    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
