// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A device's own keys: its encryption and signing key pairs, its local storage key and its id.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QByteArray>
#include <QString>

namespace larch {

/// The keys a device makes at its first sign-in on an account (docs/security.md, "Device keys").
/// The public halves are registered on the server; everything else lives in one OS keychain entry,
/// which serialize() produces and deserialize() reads back.
struct DeviceKeys {
    QString deviceId; ///< the device's id in the protocol (a lower-case UUID)
    QByteArray boxPublic; ///< X25519 (crypto_box), 32 bytes; others seal keys to it
    SecretBytes boxSecret; ///< X25519, 32 bytes
    QByteArray signPublic; ///< Ed25519 (crypto_sign), 32 bytes; verifies this device's messages
    SecretBytes signSecret; ///< Ed25519 in libsodium's 64-byte form (seed followed by the public key)
    SecretBytes storageKey; ///< 32 bytes; encrypts the local cache (StorageCipher), never leaves the device

    /// Fresh keys from the system's CSPRNG, under a new random device id.
    static DeviceKeys generate();

    /// The keychain entry: "LDK" then format version 1 (one byte), the device id's UTF-8 length
    /// (one byte, 1..255) and bytes, then boxPublic, boxSecret, signPublic, signSecret, storageKey
    /// at their fixed sizes. Empty when the keys are incomplete or deviceId is not a protocol id.
    /// The result holds secrets: callers hand it to the keychain and then wipe it (SecretBytes::wipe).
    QByteArray serialize() const;
    /// Reads a keychain entry; nullopt for anything truncated, padded, of another version, with a
    /// device id that is not a protocol id, or whose public halves do not belong to its secret halves.
    static std::optional<DeviceKeys> deserialize(const QByteArray &entry);

    /// True when every key has its size and each public half matches its secret half.
    bool isConsistent() const;
};

} // namespace larch
