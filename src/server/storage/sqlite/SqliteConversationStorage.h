// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ConversationStorage in SQLite.
#pragma once

#include "server/storage/ConversationStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// ConversationStorage of the SQLite backend: conversations, messages, read markers and the event log.
class SqliteConversationStorage final : public ConversationStorage, private SqliteFeature {
public:
    explicit SqliteConversationStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    std::optional<ConversationRecord> conversation(const QString &id) override;
    QList<ConversationRecord> conversationPage(const QString &patientId, const QString &practiceId,
                                               std::optional<std::pair<qint64, QString>> after, int limit) override;
    QHash<QString, qint64> readMarkers(const QString &conversationId) override;
    qint64 unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq) override;
    std::optional<Message> lastMessage(const QString &conversationId) override;
    QList<Message> messages(const QString &conversationId, qint64 beforeSeq, int limit) override;
    SendResult sendMessage(const NewMessage &message, const QStringList &recipients) override;
    ReadResult markRead(const QString &conversationId, const QString &userId, qint64 seq,
                        const QStringList &recipients) override;
    std::optional<Message> messageById(const QString &messageId) override;
    QList<StoredEvent> storeEvents(const QList<NewEvent> &events) override;
    QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) override;
    qint64 latestEventSeq(const QString &userId) override;
};

} // namespace larch::server
