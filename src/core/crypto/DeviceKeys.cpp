// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/DeviceKeys.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"

#include <sodium.h>

namespace larch {

namespace {

const QByteArray kMagic = QByteArrayLiteral("LDK\x01");
constexpr qsizetype kStorageKeyBytes = 32;
constexpr qsizetype kFixedTail = crypto_box_PUBLICKEYBYTES + crypto_box_SECRETKEYBYTES + crypto_sign_PUBLICKEYBYTES
    + crypto_sign_SECRETKEYBYTES + kStorageKeyBytes;

} // namespace

DeviceKeys DeviceKeys::generate()
{
    DeviceKeys k;
    k.deviceId = newId();
    k.boxPublic = QByteArray(crypto_box_PUBLICKEYBYTES, '\0');
    k.boxSecret = SecretBytes::zeroed(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(reinterpret_cast<unsigned char *>(k.boxPublic.data()), k.boxSecret.data());
    k.signPublic = QByteArray(crypto_sign_PUBLICKEYBYTES, '\0');
    k.signSecret = SecretBytes::zeroed(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(reinterpret_cast<unsigned char *>(k.signPublic.data()), k.signSecret.data());
    k.storageKey = SecretBytes::random(kStorageKeyBytes);
    return k;
}

bool DeviceKeys::isConsistent() const
{
    if (boxPublic.size() != crypto_box_PUBLICKEYBYTES || boxSecret.size() != crypto_box_SECRETKEYBYTES
        || signPublic.size() != crypto_sign_PUBLICKEYBYTES || signSecret.size() != crypto_sign_SECRETKEYBYTES
        || storageKey.size() != kStorageKeyBytes)
        return false;

    unsigned char derivedBox[crypto_box_PUBLICKEYBYTES];
    if (crypto_scalarmult_base(derivedBox, boxSecret.constData()) != 0
        || sodium_memcmp(derivedBox, boxPublic.constData(), sizeof derivedBox) != 0)
        return false;

    // The 64-byte secret carries its public key, and that must also be what its seed produces.
    unsigned char derivedSignPublic[crypto_sign_PUBLICKEYBYTES];
    SecretBytes derivedSignSecret = SecretBytes::zeroed(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(derivedSignPublic, derivedSignSecret.data(), signSecret.constData());
    return sodium_memcmp(derivedSignPublic, signPublic.constData(), sizeof derivedSignPublic) == 0
        && derivedSignSecret == signSecret;
}

QByteArray DeviceKeys::serialize() const
{
    const QByteArray id = deviceId.toUtf8();
    if (!isValidId(deviceId) || id.size() > 255 || !isConsistent())
        return {};
    QByteArray out;
    // One allocation of the final size, so no reallocation leaves a copy of a secret behind.
    out.reserve(kMagic.size() + 1 + id.size() + kFixedTail);
    out.append(kMagic);
    out.append(static_cast<char>(id.size()));
    out.append(id);
    out.append(boxPublic);
    out.append(boxSecret.bytes());
    out.append(signPublic);
    out.append(signSecret.bytes());
    out.append(storageKey.bytes());
    return out;
}

std::optional<DeviceKeys> DeviceKeys::deserialize(const QByteArray &entry)
{
    if (entry.size() < kMagic.size() + 1 || !entry.startsWith(kMagic))
        return std::nullopt;
    const qsizetype idSize = static_cast<unsigned char>(entry.at(kMagic.size()));
    const qsizetype idStart = kMagic.size() + 1;
    if (idSize == 0 || entry.size() != idStart + idSize + kFixedTail)
        return std::nullopt;
    const QByteArrayView idBytes(entry.constData() + idStart, idSize);
    if (!idBytes.isValidUtf8())
        return std::nullopt;

    DeviceKeys k;
    k.deviceId = QString::fromUtf8(idBytes);
    if (!isValidId(k.deviceId))
        return std::nullopt;
    qsizetype at = idStart + idSize;
    auto take = [&](qsizetype n) {
        QByteArray part(entry.constData() + at, n);
        at += n;
        return part;
    };
    k.boxPublic = take(crypto_box_PUBLICKEYBYTES);
    k.boxSecret = SecretBytes(take(crypto_box_SECRETKEYBYTES));
    k.signPublic = take(crypto_sign_PUBLICKEYBYTES);
    k.signSecret = SecretBytes(take(crypto_sign_SECRETKEYBYTES));
    k.storageKey = SecretBytes(take(kStorageKeyBytes));
    if (!k.isConsistent())
        return std::nullopt;
    return k;
}

} // namespace larch
