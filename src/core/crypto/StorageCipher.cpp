// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/StorageCipher.h"

#include <cstring>
#include <sodium.h>

namespace larch::StorageCipher {

static_assert(KeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(NonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(TagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

} // namespace

QByteArray encryptWithNonce(const QByteArray &key, const QByteArray &associatedData, const QByteArray &plaintext,
                            const QByteArray &nonce)
{
    if (key.size() != KeyBytes || nonce.size() != NonceBytes)
        return {};
    QByteArray out(NonceBytes + plaintext.size() + TagBytes, '\0');
    auto *dst = reinterpret_cast<unsigned char *>(out.data());
    memcpy(dst, nonce.constData(), NonceBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        dst + NonceBytes, &written, bytes(plaintext), static_cast<unsigned long long>(plaintext.size()),
        bytes(associatedData), static_cast<unsigned long long>(associatedData.size()), nullptr, dst, bytes(key));
    return out;
}

QByteArray encrypt(const QByteArray &key, const QByteArray &associatedData, const QByteArray &plaintext)
{
    QByteArray nonce(NonceBytes, '\0');
    randombytes_buf(nonce.data(), NonceBytes);
    return encryptWithNonce(key, associatedData, plaintext, nonce);
}

std::optional<QByteArray> decrypt(const QByteArray &key, const QByteArray &associatedData, const QByteArray &sealed)
{
    if (key.size() != KeyBytes || sealed.size() < NonceBytes + TagBytes)
        return std::nullopt;
    const auto *src = bytes(sealed);
    QByteArray plain(sealed.size() - NonceBytes - TagBytes, '\0');
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(plain.data()), &written, nullptr, src + NonceBytes,
            static_cast<unsigned long long>(sealed.size() - NonceBytes), bytes(associatedData),
            static_cast<unsigned long long>(associatedData.size()), src, bytes(key))
        != 0)
        return std::nullopt;
    return plain;
}

} // namespace larch::StorageCipher
