// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/PracticeIdentity.h"

#include <cstring>
#include <QtEndian>
#include <sodium.h>

namespace larch {

static_assert(PracticeIdentityKey::PublicBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(PracticeIdentityKey::SeedBytes == crypto_sign_SEEDBYTES);
static_assert(PracticeIdentityKey::SignatureBytes == crypto_sign_BYTES);

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

void appendFramed(QByteArray &out, const QByteArray &part)
{
    char length[4];
    qToBigEndian<quint32>(static_cast<quint32>(part.size()), length);
    out.append(length, sizeof length);
    out.append(part);
}

QByteArray integer(qint64 value)
{
    char b[8];
    qToBigEndian<quint64>(static_cast<quint64>(value), b);
    return QByteArray(b, sizeof b);
}

/// The symbol's value, or -1 for a character outside the alphabet after Crockford's substitutions.
int symbolValue(QChar c)
{
    if (c.unicode() > 0x7f)
        return -1;
    const char upper = c.toUpper().toLatin1();
    if (upper == 'O')
        return 0;
    if (upper == 'I' || upper == 'L')
        return 1;
    const char *found = upper ? std::strchr(kAlphabet, upper) : nullptr;
    return found ? static_cast<int>(found - kAlphabet) : -1;
}

} // namespace

PracticeIdentityKey PracticeIdentityKey::generate(qint64 version)
{
    auto key = fromSeed(version, SecretBytes::random(SeedBytes).bytes());
    return *key;
}

std::optional<PracticeIdentityKey> PracticeIdentityKey::fromSeed(qint64 version, const QByteArray &seed)
{
    if (seed.size() != SeedBytes)
        return std::nullopt;
    PracticeIdentityKey k;
    k.version = version;
    k.seed = SecretBytes(QByteArray(seed.constData(), seed.size()));
    k.signPublic = QByteArray(PublicBytes, '\0');
    SecretBytes secret = SecretBytes::zeroed(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(k.signPublic.data()), secret.data(), k.seed.constData());
    return k;
}

QByteArray PracticeIdentityKey::sign(const QByteArray &statement) const
{
    if (seed.size() != SeedBytes)
        return {};
    QByteArray publicKey(PublicBytes, '\0');
    SecretBytes secret = SecretBytes::zeroed(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(publicKey.data()), secret.data(), seed.constData());
    QByteArray signature(SignatureBytes, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char *>(signature.data()), nullptr, bytes(statement),
                         static_cast<unsigned long long>(statement.size()), secret.constData());
    return signature;
}

namespace IdentityStatement {

QByteArray rotation(const QString &practiceId, qint64 version, const QByteArray &previousPublic,
                    const QByteArray &newPublic)
{
    QByteArray out;
    appendFramed(out, QByteArrayLiteral("larch-practice-identity-rotation-v1"));
    appendFramed(out, practiceId.toUtf8());
    appendFramed(out, integer(version));
    appendFramed(out, previousPublic);
    appendFramed(out, newPublic);
    return out;
}

QByteArray practiceKey(const QString &practiceId, qint64 keyVersion, const QByteArray &boxPublic,
                       qint64 identityVersion)
{
    QByteArray out;
    appendFramed(out, QByteArrayLiteral("larch-practice-key-v1"));
    appendFramed(out, practiceId.toUtf8());
    appendFramed(out, integer(keyVersion));
    appendFramed(out, boxPublic);
    appendFramed(out, integer(identityVersion));
    return out;
}

QByteArray keyCommitment(const QByteArray &conversationKey)
{
    QByteArray input;
    appendFramed(input, QByteArrayLiteral("larch-epoch-key-commitment-v1"));
    appendFramed(input, conversationKey);
    QByteArray digest(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char *>(digest.data()), digest.size(), bytes(input),
                       static_cast<unsigned long long>(input.size()), nullptr, 0);
    sodium_memzero(input.data(), static_cast<size_t>(input.size()));
    return digest;
}

QByteArray epoch(const QString &conversationId, qint64 epoch, qint64 practiceKeyVersion,
                 const QByteArray &conversationKey)
{
    QByteArray out;
    appendFramed(out, QByteArrayLiteral("larch-epoch-v1"));
    appendFramed(out, conversationId.toUtf8());
    appendFramed(out, integer(epoch));
    appendFramed(out, integer(practiceKeyVersion));
    appendFramed(out, keyCommitment(conversationKey));
    return out;
}

QByteArray signWithDevice(const QByteArray &signSecret, const QByteArray &statement)
{
    if (signSecret.size() != crypto_sign_SECRETKEYBYTES)
        return {};
    QByteArray signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char *>(signature.data()), nullptr, bytes(statement),
                         static_cast<unsigned long long>(statement.size()), bytes(signSecret));
    return signature;
}

bool verify(const QByteArray &signPublic, const QByteArray &statement, const QByteArray &signature)
{
    if (signPublic.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(bytes(signature), bytes(statement),
                                       static_cast<unsigned long long>(statement.size()), bytes(signPublic))
        == 0;
}

} // namespace IdentityStatement

namespace IdentityFingerprint {

QByteArray of(const QByteArray &signPublic)
{
    if (signPublic.size() != PracticeIdentityKey::PublicBytes)
        return {};
    QByteArray input;
    appendFramed(input, QByteArrayLiteral("larch-practice-identity-fingerprint-v1"));
    appendFramed(input, signPublic);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, bytes(input), static_cast<unsigned long long>(input.size()));
    return QByteArray(reinterpret_cast<const char *>(digest), Bytes);
}

QString linkText(const QByteArray &signPublic) { return textOf(of(signPublic)); }

QString textOf(const QByteArray &fp)
{
    if (fp.size() != Bytes)
        return {};
    QString out;
    out.reserve(Symbols);
    // 160 bits make exactly 32 symbols of 5 bits.
    for (int s = 0; s < Symbols; ++s) {
        unsigned value = 0;
        for (int b = 0; b < 5; ++b) {
            const int bit = s * 5 + b;
            value = (value << 1) | ((static_cast<unsigned char>(fp[bit / 8]) >> (7 - bit % 8)) & 1u);
        }
        out.append(QLatin1Char(kAlphabet[value]));
    }
    return out;
}

QString displayText(const QByteArray &signPublic)
{
    const QString plain = linkText(signPublic);
    QString out;
    for (qsizetype i = 0; i < plain.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out.append(QLatin1Char(' '));
        out.append(plain[i]);
    }
    return out;
}

std::optional<QByteArray> parse(QStringView text)
{
    QByteArray fp(Bytes, '\0');
    int symbols = 0;
    for (const QChar c : text) {
        if (c == QLatin1Char(' ') || c == QLatin1Char('-'))
            continue;
        const int value = symbolValue(c);
        if (value < 0 || symbols >= Symbols)
            return std::nullopt;
        for (int b = 0; b < 5; ++b) {
            const int bit = symbols * 5 + b;
            if ((value >> (4 - b)) & 1)
                fp[bit / 8] = static_cast<char>(static_cast<unsigned char>(fp[bit / 8]) | (1u << (7 - bit % 8)));
        }
        ++symbols;
    }
    if (symbols != Symbols)
        return std::nullopt;
    return fp;
}

bool matches(const QByteArray &fingerprint, const QByteArray &signPublic)
{
    const QByteArray own = of(signPublic);
    return fingerprint.size() == Bytes && own.size() == Bytes
        && sodium_memcmp(fingerprint.constData(), own.constData(), Bytes) == 0;
}

} // namespace IdentityFingerprint

} // namespace larch
