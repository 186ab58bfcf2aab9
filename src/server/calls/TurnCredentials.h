// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Time-limited credentials for a TURN relay, in coturn's shared-secret scheme ("TURN REST API").
#pragma once

#include <QByteArray>
#include <QString>

namespace larch::server {

/// A relay login valid until expiresAt: the user name is "<expiry in Unix seconds>:<label>", the password the
/// base64 HMAC-SHA1 of that name keyed with the relay's static-auth-secret, as coturn's use-auth-secret checks it.
struct TurnCredential {
    QString username;
    QString password;
    qint64 expiresAt = 0; ///< ms since the epoch
};

/// The credential for label (an opaque id, never a name) valid for lifetimeMs from nowMs.
TurnCredential turnCredential(const QByteArray &secret, const QString &label, qint64 nowMs, qint64 lifetimeMs);

} // namespace larch::server
