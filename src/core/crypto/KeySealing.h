// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sealing keys to a recipient's X25519 public key (crypto_box_seal), and the practice key pair.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QByteArray>

namespace larch {

/// Anonymous sealed box of plaintext to recipientBoxPublic (32 bytes): an ephemeral public key then
/// the box, 48 bytes longer than plaintext. Only the holder of the matching secret can open it; the
/// sender stays anonymous, which is what key grants need (they carry no sender identity of their own).
/// Empty when recipientBoxPublic is not 32 bytes.
QByteArray sealTo(const QByteArray &recipientBoxPublic, const QByteArray &plaintext);

/// Opens a sealed box addressed to the key pair (boxPublic, boxSecret). nullopt when either key has
/// the wrong size, the box is too short, or it was sealed to another key or altered. The result is
/// usually a key: wipe it (SecretBytes::wipe) or move it into a SecretBytes.
std::optional<QByteArray> openSealed(const QByteArray &boxPublic, const QByteArray &boxSecret,
                                     const QByteArray &sealed);

/// One version of a practice's shared X25519 key pair (docs/security.md, "Practice key"): conversation
/// keys are sealed to its public half, and its secret half is sealed to each approved staff device.
struct PracticeKey {
    qint64 version = 1; ///< increases by one at each rotation
    QByteArray boxPublic; ///< 32 bytes
    SecretBytes boxSecret; ///< 32 bytes; what staff devices receive sealed

    static PracticeKey generate(qint64 version);
    /// Rebuilds the pair from an opened grant of its secret half; nullopt unless it is 32 bytes.
    static std::optional<PracticeKey> fromSecret(qint64 version, const QByteArray &boxSecret);
};

} // namespace larch
