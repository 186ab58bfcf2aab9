// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Who a request acts as: the signed-in user and, once registered, the device of the session.
#pragma once

#include "core/protocol/Protocol.h"

#include <QByteArray>
#include <QString>

namespace larch::server {

/// The owner of a valid bearer token, and the device its session is bound to (POST /v1/devices).
struct Authenticated {
    User user;
    qint64 expiresAt = 0;
    QByteArray sessionDigest; ///< SHA-256 of the token, to bind the session or close its sockets
    QString deviceId; ///< empty until the session registers a device
    QString deviceState; ///< "pending", "active" or "revoked"; empty without a device
    bool mustEnrolTwoFactor = false; ///< the practice requires two-factor sign-in and this staff member has none

    /// True when the session acts as an active device: only then may it send or post keys.
    bool hasActiveDevice() const { return !deviceId.isEmpty() && deviceState == QLatin1String("active"); }
};

} // namespace larch::server
