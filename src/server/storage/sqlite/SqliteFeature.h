// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What every feature's SQLite storage shares: the database, its lock, and the steps one feature's write takes in
// another feature's tables.
#pragma once

#include "server/storage/DeliveryStorage.h"
#include "server/storage/InvitationStorage.h"
#include "server/storage/PracticeLinkStorage.h"
#include "server/storage/sqlite/SqliteConnection.h"
#include "server/storage/StorageRecords.h"

#include <mutex>

namespace larch::server {

/// The one SQLite file every feature's storage shares: its connection, and the lock each method holds.
struct SqliteDatabase {
    explicit SqliteDatabase(const QString &path) : connection(path) { }
    std::mutex mutex;
    SqliteConnection connection;
};

/// Base of a feature's SQLite storage: the shared database it reads and writes under the shared lock.
class SqliteFeature {
protected:
    explicit SqliteFeature(SqliteDatabase &db) : m_mutex(db.mutex), m_db(&db.connection) { }

    std::mutex &m_mutex;
    SqliteConnection *m_db;
};

/// Steps a write takes in another feature's tables. Each expects the lock held and a transaction open, and is
/// defined in the file of the feature whose tables it writes.
namespace sqlite_steps {

/// Appends events to their users' logs, numbering each with its user's next seq (SqliteConversationStorage.cpp).
QList<StoredEvent> appendEvents(SqliteConnection &db, const QList<NewEvent> &events, qint64 now);
/// Inserts a conversation row (SqliteConversationStorage.cpp).
void insertConversation(SqliteConnection &db, const ConversationRecord &conversation);
/// The first conversation of the practice reaching phone or email (invited or joined); "" when none
/// (SqliteInvitationStorage.cpp).
QString contactConversation(SqliteConnection &db, const QString &practiceId, const QString &phone, const QString &email,
                            const QString &exceptInvitationId);
/// Inserts an invitation and its conversation; the placeholder is already stored (SqliteInvitationStorage.cpp).
void insertInvitation(SqliteConnection &db, const ConversationRecord &conversation, const InvitationRecord &invitation,
                      const QByteArray &tokenDigest);
/// Moves the standard conversations whose address is phone or email to accountId; returns their ids
/// (SqliteStandardStorage.cpp).
QStringList moveStandardConversations(SqliteConnection &db, const QString &phone, const QString &email,
                                      const QString &accountId, qint64 now);
/// Inserts a link with a fresh unique code, written into link (SqlitePracticeLinkStorage.cpp).
void insertPracticeLink(SqliteConnection &db, PracticeLinkRecord &link);
/// Queues a delivery in the courier's outbox (SqliteDeliveryStorage.cpp).
void insertDelivery(SqliteConnection &db, const OutboxRecord &delivery);
/// Writes a delivery's state, detail, attempts, next attempt, provider id, body and updatedAt
/// (SqliteDeliveryStorage.cpp).
void writeDelivery(SqliteConnection &db, const OutboxRecord &delivery);

} // namespace sqlite_steps
} // namespace larch::server
