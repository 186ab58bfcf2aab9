// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/AccountStates.h"

namespace larch {

QString AccountRole::name(Value value)
{
    switch (value) {
    case None: return {};
    case Admin: return QStringLiteral("admin");
    case Clinician: return QStringLiteral("clinician");
    case Patient: return QStringLiteral("patient");
    }
    return {};
}

AccountRole::Value AccountRole::fromName(QStringView name)
{
    for (Value value : {Admin, Clinician, Patient}) {
        if (name == AccountRole::name(value))
            return value;
    }
    return None;
}

QString DeviceState::name(Value value)
{
    switch (value) {
    case None: return {};
    case Active: return QStringLiteral("active");
    case Pending: return QStringLiteral("pending");
    case KeychainUnavailable: return QStringLiteral("keychainUnavailable");
    }
    return {};
}

} // namespace larch
