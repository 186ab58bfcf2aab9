// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/conversations/ConversationStates.h"

namespace larch {

QString Channel::name(Value value)
{
    switch (value) {
    case None: return {};
    case Secure: return QStringLiteral("secure");
    case Sms: return QStringLiteral("sms");
    case Email: return QStringLiteral("email");
    }
    return {};
}

Channel::Value Channel::fromName(QStringView name)
{
    for (Value value : {Secure, Sms, Email}) {
        if (name == Channel::name(value))
            return value;
    }
    return None;
}

QString InvitationState::name(Value value)
{
    switch (value) {
    case None: return {};
    case Pending: return QStringLiteral("pending");
    case Paired: return QStringLiteral("paired");
    case Revoked: return QStringLiteral("revoked");
    case Expired: return QStringLiteral("expired");
    }
    return {};
}

InvitationState::Value InvitationState::fromName(QStringView name)
{
    for (Value value : {Pending, Paired, Revoked, Expired}) {
        if (name == InvitationState::name(value))
            return value;
    }
    return None;
}

} // namespace larch
