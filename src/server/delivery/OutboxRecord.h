// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A delivery as the courier's durable queue (the outbox table) stores it.
#pragma once

#include "server/delivery/Courier.h"

#include <QString>

namespace larch::server {

/// How a delivery leaves the server: the development outbox (nothing leaves the machine), the SMS gateway or SMTP.
enum class Transport { Outbox, Gateway, Smtp };

inline const char *transportName(Transport t)
{
    switch (t) {
    case Transport::Outbox: return "outbox";
    case Transport::Gateway: return "gateway";
    case Transport::Smtp: return "smtp";
    }
    return "outbox";
}

/// One row of the outbox: what to send, where it stands, and when to try again.
struct OutboxRecord {
    QString id;
    Channel channel = Channel::Sms;
    Transport transport = Transport::Outbox;
    QString to;
    QString subject;
    QString body; ///< cleared by a real transport once sent or failed
    QString invitationId; ///< "" for a one-time code
    DeliveryState state = DeliveryState::Queued;
    QString detail; ///< why it failed, in a sentence
    int attempts = 0;
    qint64 nextAttemptAt = 0; ///< ms since the epoch; meaningful while queued
    QString providerId; ///< the gateway's message id (Twilio's sid)
    QString messageId; ///< the standard conversation's message it carries; "" otherwise
    QString replyTo; ///< e-mail: the Reply-To address; "" for none
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    bool operator==(const OutboxRecord &) const = default;
};

} // namespace larch::server
