// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteDeliveryStorage: the outbox, the durable queue of deliveries (migration 5).
#include "server/storage/sqlite/SqliteDeliveryStorage.h"

namespace larch::server {
namespace {

#define OUTBOX_COLUMNS                                                                                                 \
    "id, channel, transport, recipient, subject, body, invitation_id, state, detail, attempts, next_attempt_at, "      \
    "provider_id, created_at, updated_at, message_id, reply_to"

DeliveryState stateFromText(const QString &text)
{
    if (text == QLatin1String("sent"))
        return DeliveryState::Sent;
    if (text == QLatin1String("delivered"))
        return DeliveryState::Delivered;
    if (text == QLatin1String("failed"))
        return DeliveryState::Failed;
    return DeliveryState::Queued;
}

Transport transportFromText(const QString &text)
{
    if (text == QLatin1String("gateway"))
        return Transport::Gateway;
    if (text == QLatin1String("smtp"))
        return Transport::Smtp;
    return Transport::Outbox;
}

OutboxRecord readDelivery(Statement &s)
{
    OutboxRecord r;
    r.id = s.text(0);
    r.channel = s.text(1) == QLatin1String("email") ? Channel::Email : Channel::Sms;
    r.transport = transportFromText(s.text(2));
    r.to = s.text(3);
    r.subject = s.text(4);
    r.body = s.text(5);
    r.invitationId = s.text(6);
    r.state = stateFromText(s.text(7));
    r.detail = s.text(8);
    r.attempts = static_cast<int>(s.integer(9));
    r.nextAttemptAt = s.integer(10);
    r.providerId = s.text(11);
    r.createdAt = s.integer(12);
    r.updatedAt = s.integer(13);
    r.messageId = s.text(14);
    r.replyTo = s.text(15);
    return r;
}

} // namespace

void sqlite_steps::insertDelivery(SqliteConnection &db, const OutboxRecord &d)
{
    db.prepare("INSERT INTO outbox (" OUTBOX_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, d.id)
        .bind(2, QString::fromLatin1(channelName(d.channel)))
        .bind(3, QString::fromLatin1(transportName(d.transport)))
        .bind(4, d.to)
        .bind(5, d.subject)
        .bind(6, d.body)
        .bind(7, d.invitationId)
        .bind(8, QString::fromLatin1(deliveryStateName(d.state)))
        .bind(9, d.detail)
        .bind(10, d.attempts)
        .bind(11, d.nextAttemptAt)
        .bind(12, d.providerId)
        .bind(13, d.createdAt)
        .bind(14, d.updatedAt)
        .bind(15, d.messageId)
        .bind(16, d.replyTo)
        .exec();
}

void SqliteDeliveryStorage::addDelivery(const OutboxRecord &d)
{
    std::lock_guard lock(m_mutex);
    sqlite_steps::insertDelivery(*m_db, d);
}

std::optional<OutboxRecord> SqliteDeliveryStorage::delivery(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?").with(id).one(readDelivery);
}

QList<OutboxRecord> SqliteDeliveryStorage::dueDeliveries(qint64 now, int limit)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare(
            "SELECT " OUTBOX_COLUMNS
            " FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?")
        .with(now, limit)
        .all(readDelivery);
}

std::optional<qint64> SqliteDeliveryStorage::nextDeliveryAttempt()
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'");
    if (!s.step() || s.isNull(0))
        return std::nullopt;
    return s.integer(0);
}

void sqlite_steps::writeDelivery(SqliteConnection &db, const OutboxRecord &d)
{
    db.prepare("UPDATE outbox SET state = ?, detail = ?, attempts = ?, next_attempt_at = ?, provider_id = ?, "
               "body = ?, updated_at = ? WHERE id = ?")
        .bind(1, QString::fromLatin1(deliveryStateName(d.state)))
        .bind(2, d.detail)
        .bind(3, d.attempts)
        .bind(4, d.nextAttemptAt)
        .bind(5, d.providerId)
        .bind(6, d.body)
        .bind(7, d.updatedAt)
        .bind(8, d.id)
        .exec();
}

void SqliteDeliveryStorage::updateDelivery(const OutboxRecord &d)
{
    std::lock_guard lock(m_mutex);
    sqlite_steps::writeDelivery(*m_db, d);
}

std::optional<OutboxRecord> SqliteDeliveryStorage::deliveryByProviderId(const QString &providerId)
{
    if (providerId.isEmpty())
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE provider_id = ? AND provider_id <> ''")
        .with(providerId)
        .one(readDelivery);
}

QList<OutboxRecord> SqliteDeliveryStorage::recentDeliveries(Transport transport, int limit)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT " OUTBOX_COLUMNS " FROM outbox WHERE transport = ? "
                           "ORDER BY created_at DESC, rowid DESC LIMIT ?");
    s.bind(1, QString::fromLatin1(transportName(transport))).bind(2, limit);
    QList<OutboxRecord> out;
    while (s.step())
        out.append(readDelivery(s));
    return out;
}

int SqliteDeliveryStorage::pruneDeliveries(qint64 before)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("DELETE FROM outbox WHERE state <> 'queued' AND updated_at < ?").bind(1, before).exec();
    return static_cast<int>(m_db->changes());
}

} // namespace larch::server
