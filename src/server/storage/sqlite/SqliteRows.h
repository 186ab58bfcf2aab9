// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Row readers and columns shared by the SQLite backend's feature files (internal to the backend).
#pragma once

#include "server/storage/DeviceStorage.h"
#include "server/storage/sqlite/SqliteConnection.h"
#include "server/storage/StorageRecords.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace larch::server::sqlite_rows {

#define CONVERSATION_COLUMNS "id, practice_id, patient_id, title, kind, created_at, last_activity_at, last_seq, tags"

/// A user of the five columns id, practice_id, email, name, role starting at first.
inline User readUser(Statement &s, int first = 0)
{
    User u;
    u.id = s.text(first);
    u.practiceId = s.text(first + 1);
    u.email = s.text(first + 2);
    u.name = s.text(first + 3);
    u.role = s.text(first + 4);
    return u;
}

#define DEVICE_COLUMNS "id, user_id, name, box_public_key, sign_public_key, state, created_at, revoked_at"
#define DEVICE_COLUMNS_D                                                                                               \
    "d.id, d.user_id, d.name, d.box_public_key, d.sign_public_key, d.state, d.created_at, d.revoked_at"

inline DeviceRecord readDevice(Statement &s)
{
    DeviceRecord d;
    d.id = s.text(0);
    d.userId = s.text(1);
    d.name = s.text(2);
    d.boxPublicKey = s.text(3);
    d.signPublicKey = s.text(4);
    d.state = s.text(5);
    d.createdAt = s.integer(6);
    if (!s.isNull(7))
        d.revokedAt = s.integer(7);
    return d;
}

#define MESSAGE_COLUMNS                                                                                                \
    "id, conversation_id, seq, client_id, sender_id, sender_name, body, sent_at, envelope, delivery_state, "           \
    "delivery_detail, delivery_at, note_kind, note_conversation_id"

/// A message of a MESSAGE_COLUMNS row: its envelope (secure), or its delivery or note (standard conversations).
inline Message readMessage(Statement &s)
{
    Message m;
    m.id = s.text(0);
    m.conversationId = s.text(1);
    m.seq = s.integer(2);
    m.clientId = s.text(3);
    m.senderId = s.text(4);
    m.senderName = s.text(5);
    m.body = s.text(6);
    m.sentAt = s.integer(7);
    if (!s.isNull(8))
        m.envelope = QJsonDocument::fromJson(s.blob(8)).object();
    if (!s.isNull(9))
        m.delivery = MessageDelivery{s.text(9), s.text(10), s.integer(11)};
    if (!s.isNull(12))
        m.note = MessageNote{s.text(12), s.text(13)};
    return m;
}

inline QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

inline void addEvents(QList<NewEvent> &out, const QStringList &recipients, const char *type, const QByteArray &data)
{
    for (const QString &r : recipients)
        out.append(NewEvent{r, QString::fromLatin1(type), data});
}

/// The conversations.tags column: a JSON array of strings; anything else reads as no tags.
inline QStringList readTags(const QByteArray &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        if (v.isString())
            out.append(v.toString());
    return out;
}

inline QByteArray tagsJson(const QStringList &tags)
{
    return QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact);
}

} // namespace larch::server::sqlite_rows
