// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The recovery key a user writes down, and the key backup it encrypts.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QByteArray>
#include <QString>

namespace larch {

/// 32 random bytes that let a user's new device restore the keys that open their history
/// (docs/security.md, "Recovery key").
///
/// Display form: 13 groups of 4 characters separated by single spaces, in Crockford's base32 alphabet
/// "0123456789ABCDEFGHJKMNPQRSTVWXYZ" (no I, L, O or U, so nothing reads as another character). The 52
/// characters carry 260 bits: the 256 key bits, most significant first, then a 4-bit check, the top
/// 4 bits of SHA-256 of the key. Any change confined to the check bits is always caught; any other
/// single typo is caught with probability 15/16.
///
/// Backup: crypto_secretbox_easy (XSalsa20-Poly1305) under BLAKE2b-256 (crypto_generichash) of the
/// context "larch-key-backup-v1" keyed with the recovery key. Format: "LKB" and version byte 1, a
/// 24-byte random nonce, then the box.
///
/// Backup entries: keys a device learns after the backup was made are appended as entries, sealed
/// (crypto_box_seal) to an X25519 key pair whose seed is BLAKE2b-256 of "larch-key-backup-entries-v1"
/// keyed with the recovery key. Devices that saw the recovery key keep only the public half, so they
/// can append without holding the recovery key; the server never learns it. Format: "LKE", version
/// byte 1, then the sealed box.
class RecoveryKey {
public:
    static constexpr qsizetype KeyBytes = 32;

    static RecoveryKey generate();
    /// A recovery key of the given 32 bytes; nullopt for any other size.
    static std::optional<RecoveryKey> fromBytes(const QByteArray &key);
    /// Reads what a user typed: case does not matter, spaces and dashes are ignored, O reads as 0
    /// and I and L as 1. nullopt for a character outside the alphabet, a length other than 52, or a
    /// failing check.
    static std::optional<RecoveryKey> parse(const QString &typed);

    /// The form shown to the user to write down.
    QString display() const;
    const SecretBytes &key() const { return m_key; }

    /// The backup of payload (the serialized key material that opens history), to store on the server.
    QByteArray encryptBackup(const QByteArray &payload) const;
    /// The payload, or nullopt when the backup is of another format, truncated, altered, or was made
    /// with another recovery key.
    std::optional<QByteArray> decryptBackup(const QByteArray &backup) const;

    /// The public key entries are sealed to (32 bytes).
    QByteArray entryPublicKey() const;
    /// The 16-byte id the server files entries under: BLAKE2b-128 of "larch-key-backup-entry-id-v1" followed
    /// by the entry public key. It names the backup without revealing the public key.
    static QByteArray entryKeyId(const QByteArray &entryPublicKey);
    /// An entry holding payload sealed to entryPublicKey; empty when that key is not 32 bytes.
    static QByteArray sealEntry(const QByteArray &payload, const QByteArray &entryPublicKey);
    /// The payload, or nullopt when the entry is of another format, altered, or sealed to another recovery key.
    std::optional<QByteArray> openEntry(const QByteArray &entry) const;

    bool operator==(const RecoveryKey &other) const { return m_key == other.m_key; }

private:
    explicit RecoveryKey(SecretBytes key) : m_key(std::move(key)) { }
    SecretBytes backupKey() const;
    /// The entry key pair: public key into publicKey, secret key returned.
    SecretBytes entryKeyPair(QByteArray *publicKey) const;

    SecretBytes m_key;
};

} // namespace larch
