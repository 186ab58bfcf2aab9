// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice identity: a long-term Ed25519 key that signs the practice's keys, epochs and its own rotations.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QByteArray>
#include <QString>

namespace larch {

/// One version of a practice's identity key (docs/security.md, "Practice identity pinning"): an Ed25519 pair
/// whose public half patients' apps pin, and whose seed is sealed to every approved staff device like the practice
/// key. It signs each practice key version, the epochs staff start, and the next identity version (a rotation).
struct PracticeIdentityKey {
    static constexpr qsizetype PublicBytes = 32;
    static constexpr qsizetype SeedBytes = 32;
    static constexpr qsizetype SignatureBytes = 64;

    qint64 version = 1; ///< increases by one at each rotation or replacement
    QByteArray signPublic; ///< 32 bytes; what patients pin
    SecretBytes seed; ///< 32 bytes; what staff devices receive sealed

    static PracticeIdentityKey generate(qint64 version);
    /// Rebuilds the pair from an opened grant of its seed; nullopt unless it is 32 bytes.
    static std::optional<PracticeIdentityKey> fromSeed(qint64 version, const QByteArray &seed);
    /// An Ed25519 detached signature (64 bytes) of statement; empty when the key is incomplete.
    QByteArray sign(const QByteArray &statement) const;
};

/// The byte strings a practice identity signs. Each is a list of parts, every part preceded by its length as 4 bytes
/// big endian, the first part a label naming the kind of statement and its version, so no signature of one kind can
/// pass as another's. Integers are 8 bytes big endian.
namespace IdentityStatement {
/// Identity version `version` (newPublic) follows previousPublic, the version before it: signed by previousPublic.
QByteArray rotation(const QString &practiceId, qint64 version, const QByteArray &previousPublic,
                    const QByteArray &newPublic);
/// Practice key version keyVersion (its X25519 public key) belongs to the practice: signed by identity
/// identityVersion.
QByteArray practiceKey(const QString &practiceId, qint64 keyVersion, const QByteArray &boxPublic,
                       qint64 identityVersion);
/// Epoch `epoch` of a conversation, sealed to practice key practiceKeyVersion, has the conversation key whose
/// commitment this is: signed by a practice identity (staff) or by the device that started it (a patient).
QByteArray epoch(const QString &conversationId, qint64 epoch, qint64 practiceKeyVersion,
                 const QByteArray &conversationKey);
/// BLAKE2b-256 of the label "larch-epoch-key-commitment-v1" and the key, each framed: binds a signature to one
/// key without revealing it.
QByteArray keyCommitment(const QByteArray &conversationKey);
/// A device's Ed25519 detached signature of statement, with its 64-byte libsodium secret key (the epochs a patient's
/// device starts); empty for a key of another size.
QByteArray signWithDevice(const QByteArray &signSecret, const QByteArray &statement);
/// True when signature (64 bytes) is signPublic's (32 bytes) Ed25519 signature of statement.
bool verify(const QByteArray &signPublic, const QByteArray &statement, const QByteArray &signature);
} // namespace IdentityStatement

/// The fingerprint of a practice identity's public key, as people compare it and as a Practice Link carries it.
///
/// Bytes: the first 20 bytes (160 bits) of SHA-256 over the framed label "larch-practice-identity-fingerprint-v1"
/// and the framed 32-byte public key. Text: those 160 bits as 32 characters of Crockford's base32 alphabet
/// "0123456789ABCDEFGHJKMNPQRSTVWXYZ", most significant first; shown in 8 groups of 4 ("K7QM 2XD9 …"), and carried
/// without spaces in a link's fp= parameter. Finding another key with the same fingerprint takes about 2^160 tries.
namespace IdentityFingerprint {
inline constexpr qsizetype Bytes = 20;
inline constexpr qsizetype Symbols = 32;
/// The 20-byte fingerprint; empty when signPublic is not 32 bytes.
QByteArray of(const QByteArray &signPublic);
/// The 32 characters without spaces, as a link carries them; "" when signPublic is not 32 bytes.
QString linkText(const QByteArray &signPublic);
/// The 32 characters of fingerprint bytes (as parse gives them); "" unless there are 20.
QString textOf(const QByteArray &fingerprint);
/// The 32 characters in 8 groups of 4 separated by spaces, as a person reads them; "" when not 32 bytes.
QString displayText(const QByteArray &signPublic);
/// The fingerprint bytes a person typed or a link carried: case does not matter, spaces and dashes are ignored, O
/// reads as 0 and I and L as 1. nullopt for any other character or a length other than 32 symbols. Pure: it
/// touches nothing but its argument, so it suits fuzzing.
std::optional<QByteArray> parse(QStringView text);
/// True when fingerprint (20 bytes, as parse gives) is signPublic's.
bool matches(const QByteArray &fingerprint, const QByteArray &signPublic);
} // namespace IdentityFingerprint

} // namespace larch
