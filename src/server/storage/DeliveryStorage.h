// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of the courier's outbox: SMS and email deliveries.
#pragma once

#include "server/delivery/OutboxRecord.h"

#include <optional>
#include <QList>

namespace larch::server {

/// The courier's durable queue and the development outbox.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class DeliveryStorage {
public:
    virtual ~DeliveryStorage() = default;

    virtual void addDelivery(const OutboxRecord &delivery) = 0;
    virtual std::optional<OutboxRecord> delivery(const QString &id) = 0;
    /// Queued deliveries whose next attempt is at or before now, oldest due first.
    virtual QList<OutboxRecord> dueDeliveries(qint64 now, int limit) = 0;
    /// The earliest next attempt of any queued delivery, or nullopt when none is queued.
    virtual std::optional<qint64> nextDeliveryAttempt() = 0;
    /// Writes a delivery's state, detail, attempts, next attempt, provider id, body and updatedAt.
    virtual void updateDelivery(const OutboxRecord &delivery) = 0;
    virtual std::optional<OutboxRecord> deliveryByProviderId(const QString &providerId) = 0;
    /// Deliveries of one transport, newest first.
    virtual QList<OutboxRecord> recentDeliveries(Transport transport, int limit) = 0;
    /// Deletes deliveries no longer queued whose last change is older than before; returns how many.
    virtual int pruneDeliveries(qint64 before) = 0;
};

} // namespace larch::server
