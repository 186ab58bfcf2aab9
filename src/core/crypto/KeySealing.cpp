// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/KeySealing.h"

#include <sodium.h>

namespace larch {

namespace {

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

} // namespace

QByteArray sealTo(const QByteArray &recipientBoxPublic, const QByteArray &plaintext)
{
    if (recipientBoxPublic.size() != crypto_box_PUBLICKEYBYTES)
        return {};
    QByteArray sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal(reinterpret_cast<unsigned char *>(sealed.data()), bytes(plaintext),
                        static_cast<unsigned long long>(plaintext.size()), bytes(recipientBoxPublic))
        != 0)
        return {};
    return sealed;
}

std::optional<QByteArray> openSealed(const QByteArray &boxPublic, const QByteArray &boxSecret, const QByteArray &sealed)
{
    if (boxPublic.size() != crypto_box_PUBLICKEYBYTES || boxSecret.size() != crypto_box_SECRETKEYBYTES
        || sealed.size() < static_cast<qsizetype>(crypto_box_SEALBYTES))
        return std::nullopt;
    QByteArray plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char *>(plain.data()), bytes(sealed),
                             static_cast<unsigned long long>(sealed.size()), bytes(boxPublic), bytes(boxSecret))
        != 0)
        return std::nullopt;
    return plain;
}

PracticeKey PracticeKey::generate(qint64 version)
{
    PracticeKey k;
    k.version = version;
    k.boxPublic = QByteArray(crypto_box_PUBLICKEYBYTES, '\0');
    k.boxSecret = SecretBytes::zeroed(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(reinterpret_cast<unsigned char *>(k.boxPublic.data()), k.boxSecret.data());
    return k;
}

std::optional<PracticeKey> PracticeKey::fromSecret(qint64 version, const QByteArray &boxSecret)
{
    if (boxSecret.size() != crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    PracticeKey k;
    k.version = version;
    k.boxSecret = SecretBytes(QByteArray(boxSecret.constData(), boxSecret.size()));
    k.boxPublic = QByteArray(crypto_box_PUBLICKEYBYTES, '\0');
    if (crypto_scalarmult_base(reinterpret_cast<unsigned char *>(k.boxPublic.data()), k.boxSecret.constData()) != 0)
        return std::nullopt;
    return k;
}

} // namespace larch
