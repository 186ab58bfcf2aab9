// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/InviteStates.h"

namespace larch {

QString OnboardingStep::name(Value value)
{
    switch (value) {
    case Contact: return QStringLiteral("contact");
    case Code: return QStringLiteral("code");
    case Name: return QStringLiteral("name");
    case Done: return QStringLiteral("done");
    }
    return {};
}

QString CodeError::name(Value value)
{
    switch (value) {
    case None: return {};
    case Wrong: return QStringLiteral("wrong");
    case Locked: return QStringLiteral("locked");
    case Expired: return QStringLiteral("expired");
    }
    return {};
}

QString ContactMatch::name(Value value)
{
    return value == Invited ? QStringLiteral("invited") : QStringLiteral("joined");
}

ContactMatch::Value ContactMatch::fromName(QStringView name)
{
    return name == QLatin1String("invited") ? Invited : Joined;
}

} // namespace larch
