// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One way out for deliveries: the development outbox, the SMS gateway or SMTP.
#pragma once

#include "server/delivery/OutboxRecord.h"

#include <atomic>

namespace larch::server {

/// What one attempt to send came to.
struct SendOutcome {
    enum class Kind { Sent, Retry, Failed };
    Kind kind = Kind::Retry;
    QString providerId; ///< the gateway's id of the message, when it gave one
    QString detail; ///< a sentence for a person on why it did not go (Retry, Failed)

    static SendOutcome sent(const QString &providerId = {}) { return {Kind::Sent, providerId, {}}; }
    static SendOutcome retry(const QString &detail) { return {Kind::Retry, {}, detail}; }
    static SendOutcome failed(const QString &detail) { return {Kind::Failed, {}, detail}; }
};

/// Sends one delivery, blocking; called on the courier's thread only. stopping turns true at shutdown, and a
/// sender gives up its transfer then (the delivery stays queued).
class DeliverySender {
public:
    virtual ~DeliverySender() = default;
    virtual Transport transport() const = 0;
    virtual SendOutcome send(const OutboxRecord &delivery, const std::atomic<bool> &stopping) = 0;
};

/// The development outbox: keeps the delivery (with its body) for GET /dev/outbox; nothing leaves the machine.
class OutboxSender final : public DeliverySender {
public:
    Transport transport() const override { return Transport::Outbox; }
    SendOutcome send(const OutboxRecord &, const std::atomic<bool> &) override { return SendOutcome::sent(); }
};

} // namespace larch::server
