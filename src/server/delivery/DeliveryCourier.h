// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The Courier of a running server: a durable queue in the outbox table, one sending thread, retries with backoff.
#pragma once

#include "server/delivery/Courier.h"
#include "server/delivery/DeliverySender.h"
#include "server/storage/Storage.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace larch::server {

/// Sends each delivery through its channel's sender; a delivery that cannot go now waits retrySeconds[n] before
/// attempt n + 2, and fails with a sentence after the last. Real transports clear a delivery's body once it has
/// been sent or has failed; the development outbox keeps it for its page.
class DeliveryCourier final : public Courier {
public:
    DeliveryCourier(Storage &storage, std::unique_ptr<DeliverySender> sms, std::unique_ptr<DeliverySender> email,
                    std::vector<int> retrySeconds);
    ~DeliveryCourier() override;

    void enqueue(const Delivery &delivery) override;
    OutboxRecord prepare(const Delivery &delivery) const override;
    void queued(const OutboxRecord &delivery) override;
    void setUpdateHandler(UpdateHandler handler) override;
    void start() override;
    bool applyGatewayStatus(const QString &providerId, DeliveryState state, const QString &detail) override;

    /// Stops the thread, giving up a transfer in progress; idempotent.
    void stop();

private:
    void run();
    /// Sends every due delivery; false when none was due.
    bool sendDue();
    void attempt(OutboxRecord delivery);
    /// Writes a delivery's row, through the update handler with the invitation or message it carries.
    void record(const OutboxRecord &delivery);
    void wake();
    DeliverySender *senderFor(Channel channel) const;

    Storage &m_storage;
    std::unique_ptr<DeliverySender> m_sms;
    std::unique_ptr<DeliverySender> m_email;
    const std::vector<int> m_retrySeconds;

    std::mutex m_wakeMutex; ///< guards m_wake
    std::condition_variable m_cv;
    bool m_wake = false;
    std::mutex m_stateMutex; ///< serializes writes of a delivery's state (sending thread and webhook)
    /// Held while a new delivery is stored and reported Queued, and while the sending thread reads the queue, so a
    /// delivery is never sent (and reported Sent or Failed) before its Queued report went out. Recursive: an update
    /// handler may enqueue.
    std::recursive_mutex m_queueMutex;
    std::mutex m_handlerMutex;
    UpdateHandler m_handler;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

} // namespace larch::server
