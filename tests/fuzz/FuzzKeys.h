// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The decoders fuzz_keys reaches, picked by an input's first byte, and the device its inputs are sealed to; shared
// by the target and its seeds.
#pragma once

#include "core/crypto/DeviceKeys.h"

#include <sodium.h>

namespace fuzzkeys {

/// The first input byte modulo Count picks the decoder. New decoders are added last, so a kept input whose first
/// byte is below the Count it was found with keeps its decoder.
enum class KeyDecoder : quint8 {
    KeychainEntry, ///< DeviceKeys::deserialize
    TypedRecoveryKey, ///< RecoveryKey::parse
    KeyBackup, ///< RecoveryKey::decryptBackup
    BackupEntry, ///< RecoveryKey::openEntry
    IdentityChain, ///< decodeIdentityChain, then IdentityChain::check against a pin
    SealedGrant, ///< openSealed and PracticeKey::fromSecret
    IdentityFingerprint, ///< IdentityFingerprint::parse, as a link's fp= or a typed code
    ServerKeyInput, ///< the server's KeyInput readers, as the key routes call them
    BackupPayload, ///< KeyBackupPayload::fromBytes and toBytes
    PracticeKeys, ///< PracticeKeyListing::fromJson, its grants opened as KeyRing opens them
    ConversationKeys, ///< ConversationKeyState::fromJson, for the conversation's practice known or not
    DeviceList, ///< DeviceInfo::listFromJson
    KeyRequests, ///< PendingKeyRequest::listFromJson
    StoredBackup, ///< StoredKeyBackup::fromJson, then its backup and entries opened as RecoveryBackup opens them
    Count
};

/// Device keys made from fixed seeds, so every run seals to the same device.
inline larch::DeviceKeys testDevice()
{
    larch::DeviceKeys k;
    k.deviceId = QStringLiteral("c0ffee00-1234-4abc-8def-0123456789ab");
    const QByteArray boxSeed(crypto_box_SEEDBYTES, '\x21');
    const QByteArray signSeed(crypto_sign_SEEDBYTES, '\x22');
    k.boxPublic = QByteArray(crypto_box_PUBLICKEYBYTES, '\0');
    k.boxSecret = larch::SecretBytes::zeroed(crypto_box_SECRETKEYBYTES);
    crypto_box_seed_keypair(reinterpret_cast<unsigned char *>(k.boxPublic.data()), k.boxSecret.data(),
                            reinterpret_cast<const unsigned char *>(boxSeed.constData()));
    k.signPublic = QByteArray(crypto_sign_PUBLICKEYBYTES, '\0');
    k.signSecret = larch::SecretBytes::zeroed(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(k.signPublic.data()), k.signSecret.data(),
                             reinterpret_cast<const unsigned char *>(signSeed.constData()));
    k.storageKey = larch::SecretBytes(QByteArray(32, '\x23'));
    return k;
}

} // namespace fuzzkeys
