// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Encryption of rows in the app's local cache under the device's storage key.
#pragma once

#include <optional>
#include <QByteArray>

namespace larch {

/// crypto_aead_xchacha20poly1305_ietf under the local storage key (docs/security.md, "Local cache").
/// The row's id goes in as associated data so an encrypted value only opens in the row it was
/// written for: rows cannot be swapped.
namespace StorageCipher {

inline constexpr qsizetype KeyBytes = 32;
inline constexpr qsizetype NonceBytes = 24;
inline constexpr qsizetype TagBytes = 16;

/// A random 24-byte nonce followed by the AEAD output; empty when key is not 32 bytes.
QByteArray encrypt(const QByteArray &key, const QByteArray &associatedData, const QByteArray &plaintext);
/// The plaintext, or nullopt when the key is wrong or mis-sized, the value was altered or truncated,
/// or associatedData differs from what it was written with.
std::optional<QByteArray> decrypt(const QByteArray &key, const QByteArray &associatedData, const QByteArray &sealed);

/// encrypt() with a caller-chosen nonce, for known-answer tests only: a nonce must never repeat
/// under one key, and only the random one of encrypt() guarantees that. Empty on a mis-sized key or nonce.
QByteArray encryptWithNonce(const QByteArray &key, const QByteArray &associatedData, const QByteArray &plaintext,
                            const QByteArray &nonce);

} // namespace StorageCipher
} // namespace larch
