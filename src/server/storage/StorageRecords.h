// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Records every feature's storage shares: users, conversations, messages to store, events.
#pragma once

#include "core/protocol/Protocol.h"

#include <optional>
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace larch::server {

/// A user with the secret the server keeps for them.
struct UserRecord {
    User user;
    QByteArray passwordHash; ///< Argon2id encoded string
    qint64 createdAt = 0;
    bool deactivated = false; ///< a removed staff member: sign-in refused
};

/// A conversation as stored, independent of who looks at it.
struct ConversationRecord {
    QString id;
    QString practiceId;
    QString patientId;
    QString title;
    QString kind = QStringLiteral("secure");
    qint64 createdAt = 0;
    qint64 lastActivityAt = 0;
    qint64 lastSeq = 0;
    QStringList tags = {}; ///< the conversations.tags column (JSON array text): e.g. a Practice Link's tag
};

/// An event to append for one user; the storage assigns its per-user seq.
struct NewEvent {
    QString userId;
    QString type;
    QByteArray data; ///< compact JSON object
};

/// An event as stored: data stays serialized so fan-out never re-serializes it per recipient.
struct StoredEvent {
    QString userId;
    qint64 seq = 0;
    QString type;
    QByteArray data; ///< compact JSON object

    /// The event as the wire carries it: {"seq":…,"type":…,"data":…}.
    QByteArray wire() const;
};

/// A message to store.
struct NewMessage {
    QString id;
    QString clientId;
    QString conversationId;
    QString senderId;
    QString senderName;
    QString body;
    qint64 sentAt = 0;
    QByteArray envelope; ///< compact JSON of the encrypted form; empty for a plain message
    std::optional<MessageDelivery> delivery; ///< standard conversations: where the SMS/email stands
    std::optional<MessageNote> note; ///< a note the server writes (body "")
};

} // namespace larch::server
