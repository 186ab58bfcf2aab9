// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StandardStorage in SQLite.
#pragma once

#include "server/storage/sqlite/SqliteFeature.h"
#include "server/storage/StandardStorage.h"

namespace larch::server {

/// StandardStorage of the SQLite backend: standard conversations.
class SqliteStandardStorage final : public StandardStorage, private SqliteFeature {
public:
    explicit SqliteStandardStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    std::optional<User> practicePatientByContact(const QString &practiceId, const QString &phone,
                                                 const QString &email) override;
    StandardWriteResult createStandardConversation(const std::optional<UserRecord> &placeholder,
                                                   const ConversationRecord &conversation,
                                                   const StandardContactRecord &contact,
                                                   const QList<NewEvent> &events) override;
    std::optional<StandardContactRecord> standardContact(const QString &conversationId) override;
    std::optional<StandardContactRecord> standardByReplyToken(const QString &replyToken) override;
    std::optional<StandardContactRecord> standardByAddress(const QString &channel, const QString &address) override;
    StandardSendResult sendStandardMessage(const NewMessage &message, const QStringList &recipients,
                                           const DeliveryOf &deliveryOf) override;
    StandardWriteResult changeStandard(const StandardChange &change) override;
    StandardWriteResult updateMessageDelivery(const QString &messageId, const MessageDelivery &delivery,
                                              const std::function<QList<NewEvent>(const Message &)> &eventsOf,
                                              const std::optional<OutboxRecord> &row) override;
    StandardWriteResult createSecureInvitation(const ConversationRecord &secure, const InvitationRecord &invitation,
                                               const QByteArray &tokenDigest, const QList<NewEvent> &events,
                                               const StandardChange &change,
                                               const std::optional<OutboxRecord> &delivery) override;

private:
    // Each expects the lock held and, for writes, a transaction open.
    std::optional<StandardContactRecord> standardContactLocked(const QString &conversationId);
    /// Inserts a message with the conversation's next seq and moves its activity; the message as stored.
    Message insertMessageLocked(const NewMessage &message);
    StandardWriteResult changeStandardLocked(const StandardChange &change, qint64 now);
};

} // namespace larch::server
