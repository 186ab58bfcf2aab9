// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sends invitations and one-time codes by SMS or email, retries them, and reports their delivery state.
#pragma once

#include <functional>
#include <QString>

namespace larch::server {

struct OutboxRecord;

/// How a delivery travels.
enum class Channel { Sms, Email };

/// Where a delivery stands: the states a practice sees on an invitation's banner.
enum class DeliveryState { Queued, Sent, Delivered, Failed };

/// One text to send. The body never holds clinical content, a patient's name or a practice's name.
struct Delivery {
    Channel channel = Channel::Sms;
    QString to; ///< E.164 phone number or e-mail address
    QString subject; ///< e-mail only
    QString body;
    QString invitationId; ///< the invitation it carries, "" for a one-time code
    QString id; ///< the delivery's id, chosen by the caller; "" lets the courier choose one
    QString messageId; ///< the standard conversation's message it carries; "" otherwise
    QString replyTo; ///< e-mail only: the Reply-To address that routes answers back; "" for none
};

/// A change of a delivery's state, reported for deliveries that carry an invitation or a message.
struct DeliveryUpdate {
    QString invitationId; ///< "" when the delivery carries no invitation
    QString deliveryId; ///< which delivery of the invitation: a resent invitation has several
    DeliveryState state = DeliveryState::Queued;
    QString detail; ///< why it failed, in a sentence; "" otherwise
    qint64 at = 0; ///< ms since the epoch
    QString messageId; ///< the standard conversation's message it carries; "" otherwise
};

/// Queues deliveries durably and sends them on its own thread: SMS through a Twilio-shaped HTTP gateway,
/// e-mail over SMTP, or into the development outbox when a channel is not configured.
class Courier {
public:
    /// Records a delivery's new state (update) for the invitation or message it carries, together with the
    /// courier's row, in one transaction; false when it wrote nothing, and the courier then writes the row alone.
    using UpdateHandler = std::function<bool(const DeliveryUpdate &update, const OutboxRecord &row)>;

    virtual ~Courier() = default;
    /// Stores the delivery and wakes the sender; returns at once. The update handler reports Queued first.
    virtual void enqueue(const Delivery &delivery) = 0;
    /// The row a delivery is stored as, for a caller that stores it in its own transaction with what it sends
    /// (a message, an invitation) and then calls queued().
    virtual OutboxRecord prepare(const Delivery &delivery) const = 0;
    /// A delivery its caller stored (prepare()) waits: wakes the sender.
    virtual void queued(const OutboxRecord &delivery) = 0;
    /// Called from the sending thread (or a webhook's) for every state change of a delivery that carries an
    /// invitation or a message.
    virtual void setUpdateHandler(UpdateHandler handler) = 0;
    /// Starts the sending thread (queued deliveries left by an earlier run go first). Server calls it once the
    /// public URL is known; enqueue before it only stores.
    virtual void start() { }
    /// A delivery state reported by the SMS gateway's status callback for its message id; false when no delivery
    /// has that id. A delivered or failed delivery keeps its state.
    virtual bool applyGatewayStatus(const QString &providerId, DeliveryState state, const QString &detail)
    {
        (void)providerId, (void)state, (void)detail;
        return false;
    }
};

inline const char *channelName(Channel c) { return c == Channel::Sms ? "sms" : "email"; }

inline const char *deliveryStateName(DeliveryState s)
{
    switch (s) {
    case DeliveryState::Queued: return "queued";
    case DeliveryState::Sent: return "sent";
    case DeliveryState::Delivered: return "delivered";
    case DeliveryState::Failed: return "failed";
    }
    return "queued";
}

} // namespace larch::server
