// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/MessageStates.h"

namespace larch {

QString DeliveryState::name(Value value)
{
    switch (value) {
    case None: return {};
    case Pending: return QStringLiteral("pending");
    case Queued: return QStringLiteral("queued");
    case Sent: return QStringLiteral("sent");
    case Delivered: return QStringLiteral("delivered");
    case Read: return QStringLiteral("read");
    case Failed: return QStringLiteral("failed");
    case Received: return QStringLiteral("received");
    }
    return {};
}

DeliveryState::Value DeliveryState::fromName(QStringView name)
{
    for (Value value : {Pending, Queued, Sent, Delivered, Read, Failed, Received}) {
        if (name == DeliveryState::name(value))
            return value;
    }
    return None;
}

QString MessageKind::name(Value value)
{
    return value == Notice ? QStringLiteral("notice") : QStringLiteral("message");
}

QString VerificationState::name(Value value)
{
    switch (value) {
    case Verified: return QStringLiteral("verified");
    case Unverifiable: return QStringLiteral("unverifiable");
    case KeyPending: return QStringLiteral("keyPending");
    }
    return {};
}

} // namespace larch
