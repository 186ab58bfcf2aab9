// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/RecoveryKey.h"

#include <cstring>
#include <sodium.h>

namespace larch {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kSymbols = 52;
constexpr int kGroupSize = 4;
const QByteArray kBackupMagic = QByteArrayLiteral("LKB\x01");
const QByteArray kBackupContext = QByteArrayLiteral("larch-key-backup-v1");
const QByteArray kEntryMagic = QByteArrayLiteral("LKE\x01");
const QByteArray kEntryContext = QByteArrayLiteral("larch-key-backup-entries-v1");
const QByteArray kEntryIdContext = QByteArrayLiteral("larch-key-backup-entry-id-v1");

/// The symbol's value, or -1 for a character outside the alphabet after Crockford's substitutions.
int symbolValue(QChar c)
{
    // ASCII only: Unicode's capitals of a few other letters are ASCII ones (dotless i is I, long s is S).
    if (c.unicode() >= 0x80)
        return -1;
    const char upper = c.toUpper().toLatin1();
    if (upper == 'O')
        return 0;
    if (upper == 'I' || upper == 'L')
        return 1;
    const char *found = upper ? std::strchr(kAlphabet, upper) : nullptr;
    return found ? static_cast<int>(found - kAlphabet) : -1;
}

unsigned checkBits(const unsigned char *key)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, key, RecoveryKey::KeyBytes);
    return digest[0] >> 4;
}

/// Bit i (0 = most significant) of the 260-bit string key || check.
unsigned bitAt(const unsigned char *key, unsigned check, int i)
{
    if (i < RecoveryKey::KeyBytes * 8)
        return (key[i / 8] >> (7 - i % 8)) & 1u;
    return (check >> (3 - (i - RecoveryKey::KeyBytes * 8))) & 1u;
}

} // namespace

RecoveryKey RecoveryKey::generate() { return RecoveryKey(SecretBytes::random(KeyBytes)); }

std::optional<RecoveryKey> RecoveryKey::fromBytes(const QByteArray &key)
{
    if (key.size() != KeyBytes)
        return std::nullopt;
    return RecoveryKey(SecretBytes(QByteArray(key.constData(), key.size())));
}

QString RecoveryKey::display() const
{
    const unsigned char *key = m_key.constData();
    const unsigned check = checkBits(key);
    QString out;
    out.reserve(kSymbols + kSymbols / kGroupSize - 1);
    for (int s = 0; s < kSymbols; ++s) {
        if (s > 0 && s % kGroupSize == 0)
            out.append(QLatin1Char(' '));
        unsigned value = 0;
        for (int b = 0; b < 5; ++b)
            value = (value << 1) | bitAt(key, check, s * 5 + b);
        out.append(QLatin1Char(kAlphabet[value]));
    }
    return out;
}

std::optional<RecoveryKey> RecoveryKey::parse(const QString &typed)
{
    SecretBytes key = SecretBytes::zeroed(KeyBytes);
    unsigned check = 0;
    int symbols = 0;
    for (const QChar c : typed) {
        if (c.isSpace() || c == QLatin1Char('-'))
            continue;
        const int value = symbolValue(c);
        if (value < 0 || symbols == kSymbols)
            return std::nullopt;
        for (int b = 0; b < 5; ++b) {
            const int i = symbols * 5 + b;
            const unsigned bit = (static_cast<unsigned>(value) >> (4 - b)) & 1u;
            if (i < KeyBytes * 8)
                key.data()[i / 8] |= static_cast<unsigned char>(bit << (7 - i % 8));
            else
                check = (check << 1) | bit;
        }
        ++symbols;
    }
    if (symbols != kSymbols || checkBits(key.constData()) != check)
        return std::nullopt;
    return RecoveryKey(std::move(key));
}

SecretBytes RecoveryKey::backupKey() const
{
    SecretBytes derived = SecretBytes::zeroed(crypto_secretbox_KEYBYTES);
    crypto_generichash(derived.data(), crypto_secretbox_KEYBYTES,
                       reinterpret_cast<const unsigned char *>(kBackupContext.constData()),
                       static_cast<unsigned long long>(kBackupContext.size()), m_key.constData(), KeyBytes);
    return derived;
}

QByteArray RecoveryKey::encryptBackup(const QByteArray &payload) const
{
    const SecretBytes derived = backupKey();
    const qsizetype header = kBackupMagic.size() + crypto_secretbox_NONCEBYTES;
    QByteArray out(header + crypto_secretbox_MACBYTES + payload.size(), '\0');
    auto *dst = reinterpret_cast<unsigned char *>(out.data());
    memcpy(dst, kBackupMagic.constData(), static_cast<size_t>(kBackupMagic.size()));
    unsigned char *nonce = dst + kBackupMagic.size();
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(dst + header, reinterpret_cast<const unsigned char *>(payload.constData()),
                          static_cast<unsigned long long>(payload.size()), nonce, derived.constData());
    return out;
}

std::optional<QByteArray> RecoveryKey::decryptBackup(const QByteArray &backup) const
{
    const qsizetype header = kBackupMagic.size() + crypto_secretbox_NONCEBYTES;
    if (backup.size() < header + static_cast<qsizetype>(crypto_secretbox_MACBYTES) || !backup.startsWith(kBackupMagic))
        return std::nullopt;
    const SecretBytes derived = backupKey();
    const auto *src = reinterpret_cast<const unsigned char *>(backup.constData());
    QByteArray payload(backup.size() - header - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(payload.data()), src + header,
                                   static_cast<unsigned long long>(backup.size() - header), src + kBackupMagic.size(),
                                   derived.constData())
        != 0)
        return std::nullopt;
    return payload;
}

SecretBytes RecoveryKey::entryKeyPair(QByteArray *publicKey) const
{
    SecretBytes seed = SecretBytes::zeroed(crypto_box_SEEDBYTES);
    crypto_generichash(seed.data(), crypto_box_SEEDBYTES,
                       reinterpret_cast<const unsigned char *>(kEntryContext.constData()),
                       static_cast<unsigned long long>(kEntryContext.size()), m_key.constData(), KeyBytes);
    SecretBytes secret = SecretBytes::zeroed(crypto_box_SECRETKEYBYTES);
    publicKey->resize(crypto_box_PUBLICKEYBYTES);
    crypto_box_seed_keypair(reinterpret_cast<unsigned char *>(publicKey->data()), secret.data(), seed.constData());
    return secret;
}

QByteArray RecoveryKey::entryPublicKey() const
{
    QByteArray publicKey;
    entryKeyPair(&publicKey);
    return publicKey;
}

QByteArray RecoveryKey::entryKeyId(const QByteArray &entryPublicKey)
{
    const QByteArray input = kEntryIdContext + entryPublicKey;
    QByteArray id(16, '\0');
    crypto_generichash(reinterpret_cast<unsigned char *>(id.data()), 16,
                       reinterpret_cast<const unsigned char *>(input.constData()),
                       static_cast<unsigned long long>(input.size()), nullptr, 0);
    return id;
}

QByteArray RecoveryKey::sealEntry(const QByteArray &payload, const QByteArray &entryPublicKey)
{
    if (entryPublicKey.size() != crypto_box_PUBLICKEYBYTES)
        return {};
    QByteArray out(kEntryMagic.size() + crypto_box_SEALBYTES + payload.size(), '\0');
    memcpy(out.data(), kEntryMagic.constData(), static_cast<size_t>(kEntryMagic.size()));
    crypto_box_seal(reinterpret_cast<unsigned char *>(out.data()) + kEntryMagic.size(),
                    reinterpret_cast<const unsigned char *>(payload.constData()),
                    static_cast<unsigned long long>(payload.size()),
                    reinterpret_cast<const unsigned char *>(entryPublicKey.constData()));
    return out;
}

std::optional<QByteArray> RecoveryKey::openEntry(const QByteArray &entry) const
{
    const qsizetype header = kEntryMagic.size();
    if (entry.size() < header + static_cast<qsizetype>(crypto_box_SEALBYTES) || !entry.startsWith(kEntryMagic))
        return std::nullopt;
    QByteArray publicKey;
    const SecretBytes secret = entryKeyPair(&publicKey);
    QByteArray payload(entry.size() - header - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char *>(payload.data()),
                             reinterpret_cast<const unsigned char *>(entry.constData()) + header,
                             static_cast<unsigned long long>(entry.size() - header),
                             reinterpret_cast<const unsigned char *>(publicKey.constData()), secret.constData())
        != 0)
        return std::nullopt;
    return payload;
}

} // namespace larch
