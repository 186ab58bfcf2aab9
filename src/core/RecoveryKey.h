// The recovery key a user writes down, and the key backup it encrypts.
#pragma once

#include "SecretBytes.h"

#include <QByteArray>
#include <QString>
#include <optional>

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

    bool operator==(const RecoveryKey &other) const { return m_key == other.m_key; }

private:
    explicit RecoveryKey(SecretBytes key) : m_key(std::move(key)) {}
    SecretBytes backupKey() const;

    SecretBytes m_key;
};

} // namespace larch
