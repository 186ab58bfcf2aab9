// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The server secret that keys the digests of one-time codes; it lives in a file beside the database, never in it.
#pragma once

#include <QByteArray>
#include <QString>
#include <stdexcept>

namespace larch::server {

/// A key file that cannot be used; what() is a sentence for the operator.
struct CodeKeyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The 32-byte key of code digests: someone who reads only the database cannot try the million codes.
class CodeKey {
public:
    static constexpr int Size = 32;

    /// Reads the key file, or creates it (mode 0600, random bytes) when it does not exist. Throws CodeKeyError
    /// for a file of another size or one that cannot be read or written.
    static QByteArray loadOrCreate(const QString &path);

    /// BLAKE2b (crypto_generichash) keyed with key over contact and code, hex: what contact_codes keeps.
    static QByteArray digest(const QByteArray &key, const QString &contact, const QString &code);
};

} // namespace larch::server
