// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/Crypto.h"

#include <sodium.h>

namespace larch {

bool initCrypto() { return sodium_init() >= 0; }

QByteArray PasswordHash::hash(const QString &password, unsigned long long opsLimit, size_t memLimit)
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), static_cast<unsigned long long>(utf8.size()), opsLimit, memLimit,
                              crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHash::verify(const QByteArray &encoded, const QString &password)
{
    if (encoded.isEmpty() || encoded.size() >= crypto_pwhash_STRBYTES)
        return false;
    const QByteArray utf8 = password.toUtf8();
    return crypto_pwhash_str_verify(encoded.constData(), utf8.constData(), static_cast<unsigned long long>(utf8.size()))
        == 0;
}

bool PasswordHash::needsRehash(const QByteArray &encoded, unsigned long long opsLimit, size_t memLimit)
{
    return crypto_pwhash_str_needs_rehash(encoded.constData(), opsLimit, memLimit) != 0;
}

QString newId()
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const QByteArray hex = QByteArray(reinterpret_cast<const char *>(b), 16).toHex();
    return QString::fromLatin1(hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4) + '-'
                               + hex.mid(20));
}

QString newToken()
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(b), 32)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenDigest(const QString &token)
{
    const QByteArray utf8 = token.toUtf8();
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char *>(utf8.constData()),
                       static_cast<unsigned long long>(utf8.size()));
    return QByteArray(reinterpret_cast<const char *>(out), sizeof out).toHex();
}

} // namespace larch
