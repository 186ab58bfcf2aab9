// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/delivery/DeliveryCourier.h"

#include "core/crypto/Crypto.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <algorithm>
#include <chrono>
#include <QDateTime>

namespace larch::server {
namespace {

/// How long the thread sleeps at most between looks at the queue (a safety net; enqueue wakes it).
constexpr qint64 IdleWaitMs = 60'000;
/// Deliveries taken from the queue per look.
constexpr int BatchSize = 16;
/// Finished deliveries (they still name a phone number or an address) are kept this long, then deleted.
constexpr qint64 KeepFinishedMs = 30LL * 24 * 3600 * 1000;
constexpr qint64 PruneEveryMs = 3600LL * 1000;

} // namespace

DeliveryCourier::DeliveryCourier(Storage &storage, std::unique_ptr<DeliverySender> sms,
                                 std::unique_ptr<DeliverySender> email, std::vector<int> retrySeconds)
    : m_storage(storage), m_sms(std::move(sms)), m_email(std::move(email)), m_retrySeconds(std::move(retrySeconds))
{ }

DeliveryCourier::~DeliveryCourier() { stop(); }

void DeliveryCourier::stop()
{
    m_stopping = true;
    {
        std::lock_guard lock(m_wakeMutex);
        m_wake = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void DeliveryCourier::setUpdateHandler(UpdateHandler handler)
{
    std::lock_guard lock(m_handlerMutex);
    m_handler = std::move(handler);
}

void DeliveryCourier::start()
{
    if (m_thread.joinable() || m_stopping)
        return;
    m_thread = std::thread([this] { run(); });
}

DeliverySender *DeliveryCourier::senderFor(Channel channel) const
{
    return channel == Channel::Sms ? m_sms.get() : m_email.get();
}

OutboxRecord DeliveryCourier::prepare(const Delivery &d) const
{
    OutboxRecord r;
    r.id = d.id.isEmpty() ? newId() : d.id;
    r.channel = d.channel;
    r.transport = senderFor(d.channel)->transport();
    r.to = d.to;
    r.subject = d.subject;
    r.body = d.body;
    r.invitationId = d.invitationId;
    r.messageId = d.messageId;
    r.replyTo = d.replyTo;
    r.state = DeliveryState::Queued;
    r.createdAt = r.updatedAt = r.nextAttemptAt = nowMs();
    return r;
}

void DeliveryCourier::enqueue(const Delivery &d)
{
    const OutboxRecord r = prepare(d);
    {
        std::lock_guard queue(m_queueMutex);
        m_storage.deliveries().addDelivery(r);
        if (!r.invitationId.isEmpty() || !r.messageId.isEmpty()) {
            UpdateHandler handler;
            {
                std::lock_guard lock(m_handlerMutex);
                handler = m_handler;
            }
            try {
                if (handler)
                    handler(DeliveryUpdate{r.invitationId, r.id, r.state, r.detail, r.updatedAt, r.messageId}, r);
            } catch (const std::exception &e) {
                log::error(std::string("delivery update handler failed: ") + e.what());
            }
        }
    }
    wake();
}

void DeliveryCourier::queued(const OutboxRecord &) { wake(); }

void DeliveryCourier::wake()
{
    {
        std::lock_guard lock(m_wakeMutex);
        m_wake = true;
    }
    m_cv.notify_all();
}

void DeliveryCourier::record(const OutboxRecord &r)
{
    if (!r.invitationId.isEmpty() || !r.messageId.isEmpty()) {
        UpdateHandler handler;
        {
            std::lock_guard lock(m_handlerMutex);
            handler = m_handler;
        }
        try {
            if (handler
                && handler(DeliveryUpdate{r.invitationId, r.id, r.state, r.detail, r.updatedAt, r.messageId}, r))
                return;
        } catch (const std::exception &e) {
            log::error(std::string("delivery update handler failed: ") + e.what());
        }
    }
    // Nothing else to change (a one-time code), or the handler could not: the row alone.
    m_storage.deliveries().updateDelivery(r);
}

void DeliveryCourier::run()
{
    qint64 lastPrune = 0;
    while (!m_stopping) {
        bool busy = false;
        try {
            if (nowMs() - lastPrune >= PruneEveryMs) {
                lastPrune = nowMs();
                if (const int pruned = m_storage.deliveries().pruneDeliveries(lastPrune - KeepFinishedMs))
                    log::info("deleted " + std::to_string(pruned) + " finished deliveries older than 30 days");
            }
            busy = sendDue();
        } catch (const std::exception &e) {
            // A storage failure: wait a little and look again, rather than spinning or dying.
            log::error(std::string("delivery queue failed: ") + e.what());
        }
        if (busy)
            continue;
        qint64 waitMs = IdleWaitMs;
        try {
            if (const auto next = m_storage.deliveries().nextDeliveryAttempt())
                waitMs = std::clamp<qint64>(*next - nowMs(), 0, IdleWaitMs);
        } catch (const std::exception &) {
            waitMs = 1000;
        }
        std::unique_lock lock(m_wakeMutex);
        m_cv.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return m_wake; });
        m_wake = false;
    }
}

bool DeliveryCourier::sendDue()
{
    QList<OutboxRecord> due;
    {
        std::lock_guard queue(m_queueMutex);
        due = m_storage.deliveries().dueDeliveries(nowMs(), BatchSize);
    }
    for (const OutboxRecord &d : due) {
        if (m_stopping)
            break;
        attempt(d);
    }
    return !due.isEmpty();
}

void DeliveryCourier::attempt(OutboxRecord d)
{
    DeliverySender *sender = senderFor(d.channel);
    SendOutcome outcome;
    if (sender->transport() != d.transport) {
        // Queued by an earlier run whose settings sent this channel elsewhere.
        outcome = SendOutcome::failed(
            d.transport == Transport::Outbox
                ? QStringLiteral("It was queued for the development outbox, which this server no longer uses.")
                : QStringLiteral("Its channel is no longer configured on the server."));
    } else {
        outcome = sender->send(d, m_stopping);
        if (m_stopping && outcome.kind == SendOutcome::Kind::Retry)
            return; // given up for shutdown: stays queued as it was, for the next start
    }
    std::unique_lock lock(m_stateMutex);
    d.attempts += 1;
    d.updatedAt = nowMs();
    switch (outcome.kind) {
    case SendOutcome::Kind::Sent:
        d.state = DeliveryState::Sent;
        d.detail.clear();
        d.providerId = outcome.providerId;
        break;
    case SendOutcome::Kind::Retry:
        if (static_cast<std::size_t>(d.attempts) <= m_retrySeconds.size()) {
            d.nextAttemptAt = d.updatedAt + qint64(m_retrySeconds[d.attempts - 1]) * 1000;
            d.detail = outcome.detail;
            m_storage.deliveries().updateDelivery(d);
            log::info("delivery " + d.id.toStdString() + " will be retried (attempt " + std::to_string(d.attempts)
                      + ")");
            return; // still queued: no change a person sees
        }
        d.state = DeliveryState::Failed;
        d.detail = outcome.detail
            + (d.attempts == 1 ? QStringLiteral(" It was not retried.")
                               : QStringLiteral(" Gave up after %1 attempts.").arg(d.attempts));
        break;
    case SendOutcome::Kind::Failed:
        d.state = DeliveryState::Failed;
        d.detail = outcome.detail;
        break;
    }
    if (d.transport != Transport::Outbox)
        d.body.clear(); // a link, a code or a message's text (kept in its conversation): nothing needs it here
    // The row and what it carries (a message's or an invitation's delivery state) are written together.
    record(d);
    lock.unlock();
    log::info("delivery " + d.id.toStdString() + " " + deliveryStateName(d.state) + " via "
              + transportName(d.transport));
}

bool DeliveryCourier::applyGatewayStatus(const QString &providerId, DeliveryState state, const QString &detail)
{
    OutboxRecord d;
    {
        std::lock_guard lock(m_stateMutex);
        auto found = m_storage.deliveries().deliveryByProviderId(providerId);
        if (!found)
            return false;
        d = *found;
        const bool final = d.state == DeliveryState::Delivered || d.state == DeliveryState::Failed;
        if (final || state == d.state || state == DeliveryState::Queued)
            return true;
        d.state = state;
        d.detail = state == DeliveryState::Failed ? detail : QString();
        d.updatedAt = nowMs();
        record(d);
    }
    log::info("delivery " + d.id.toStdString() + " " + deliveryStateName(d.state) + " (gateway status)");
    return true;
}

} // namespace larch::server
