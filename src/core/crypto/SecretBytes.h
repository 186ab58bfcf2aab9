// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Bytes of a secret key that are wiped from memory when the last owner lets go of them.
#pragma once

#include <QByteArray>

namespace larch {

/// Holds a secret (private key, conversation key, storage key) in a buffer of its own and zeroes it
/// with sodium_memzero on destruction or reassignment. Copies are deep, so every SecretBytes can wipe
/// its buffer without disturbing another holder. bytes() hands out a reference, not a copy, so passing
/// a secret to the crypto functions here leaves no stray copy behind.
class SecretBytes {
public:
    SecretBytes() = default;
    /// Takes over bytes; a buffer still shared with another QByteArray is first copied into one of its
    /// own, and the caller stays responsible for wiping the original (see wipe()).
    explicit SecretBytes(QByteArray &&bytes);
    /// size bytes from the system's CSPRNG.
    static SecretBytes random(qsizetype size);
    /// size zero bytes, to be filled through data().
    static SecretBytes zeroed(qsizetype size);

    SecretBytes(const SecretBytes &other);
    SecretBytes &operator=(const SecretBytes &other);
    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    ~SecretBytes();

    const QByteArray &bytes() const { return m_bytes; }
    const unsigned char *constData() const { return reinterpret_cast<const unsigned char *>(m_bytes.constData()); }
    unsigned char *data() { return reinterpret_cast<unsigned char *>(m_bytes.data()); }
    qsizetype size() const { return m_bytes.size(); }
    bool isEmpty() const { return m_bytes.isEmpty(); }

    /// Constant-time comparison of equal-length values, so comparing keys leaks no timing.
    bool operator==(const SecretBytes &other) const;

    /// Zeroes a QByteArray's buffer when it is its sole owner, then empties it. For the plain
    /// QByteArrays that carry secrets across an API boundary (a keychain entry, an opened grant).
    static void wipe(QByteArray &bytes);

private:
    QByteArray m_bytes;
};

} // namespace larch
