// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// DeliveryStorage in SQLite.
#pragma once

#include "server/storage/DeliveryStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// DeliveryStorage of the SQLite backend: the courier's outbox.
class SqliteDeliveryStorage final : public DeliveryStorage, private SqliteFeature {
public:
    explicit SqliteDeliveryStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    void addDelivery(const OutboxRecord &delivery) override;
    std::optional<OutboxRecord> delivery(const QString &id) override;
    QList<OutboxRecord> dueDeliveries(qint64 now, int limit) override;
    std::optional<qint64> nextDeliveryAttempt() override;
    void updateDelivery(const OutboxRecord &delivery) override;
    std::optional<OutboxRecord> deliveryByProviderId(const QString &providerId) override;
    QList<OutboxRecord> recentDeliveries(Transport transport, int limit) override;
    int pruneDeliveries(qint64 before) override;
};

} // namespace larch::server
