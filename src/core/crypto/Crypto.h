// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Password hashing, random tokens and ids, through libsodium.
#pragma once

#include <QByteArray>
#include <QString>

namespace larch {

/// Must be called once before any other function here; safe to call again.
bool initCrypto();

/// Argon2id password hashing (libsodium crypto_pwhash_str) with memory and time costs chosen
/// at or above OWASP's minimum. The encoded hash carries its own salt and parameters.
class PasswordHash {
public:
    /// Costs: opsLimit passes over memLimit bytes. Defaults: 2 passes, 64 MiB (libsodium INTERACTIVE).
    static QByteArray hash(const QString &password, unsigned long long opsLimit = 2,
                           size_t memLimit = 64u * 1024 * 1024);
    static bool verify(const QByteArray &encoded, const QString &password);
    /// True when a stored hash used weaker costs than the given ones and should be rehashed.
    static bool needsRehash(const QByteArray &encoded, unsigned long long opsLimit = 2,
                            size_t memLimit = 64u * 1024 * 1024);
};

/// A random id in the protocol's form: lower-case UUID v4 without braces.
QString newId();
/// A random 256-bit bearer token, base64url without padding.
QString newToken();
/// SHA-256 of a token, hex; the server stores only this.
QByteArray tokenDigest(const QString &token);

} // namespace larch
