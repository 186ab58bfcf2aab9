// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A practice identity's versions as the server lists them, decoded and checked against what an app pinned.
#pragma once

#include <optional>
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace larch {

/// One version of a practice identity as listed (docs/protocol.md, "Practice identity").
struct IdentityVersion {
    qint64 version = 0;
    QByteArray publicKey; ///< Ed25519, 32 bytes
    QByteArray rotationSignature; ///< 64 bytes by the version before; empty when there is none
    qint64 createdAt = 0;
};

/// What an app pinned for a practice: the identity version it trusts and its public key.
struct IdentityPin {
    qint64 version = 0;
    QByteArray publicKey;
};

/// How a listed identity relates to a pin (docs/security.md, "Practice identity pinning").
enum class ChainVerdict {
    FirstUse, ///< nothing pinned yet: the app pins the current version
    Unchanged, ///< the current version is the pinned one
    SignedRotation, ///< newer versions, each signed by the one before, back to the pinned one: pin silently
    Changed, ///< the pinned key is not in the list, or a newer version lacks a valid signature: warn, never use it
};

/// What a patient's app makes of the practice identity listed with a conversation's keys (PracticeIdentityPins).
struct IdentityTrust {
    enum class State {
        Legacy, ///< the practice has no identity and none was pinned: its keys are taken as listed, as before
        Trusted, ///< the listed identity is the pinned one, or signed by it: publicKey signs what may be used
        Changed, ///< the listed identity is not trusted: nothing is sealed to the practice until the person checks
    };
    State state = State::Legacy;
    qint64 version = 0;
    QByteArray publicKey; ///< the trusted identity version's key (Trusted)
};

/// A practice's identity versions, oldest first and consecutive, as GET …/keys lists them under "practiceIdentity".
struct IdentityChain {
    /// The most versions a list may hold (one per staff removal; far more than a practice makes).
    static constexpr qsizetype VersionsMax = 10000;

    QString practiceId;
    QString practiceName; ///< how the app names the practice in a warning; may be ""
    QList<IdentityVersion> versions;

    const IdentityVersion *current() const { return versions.isEmpty() ? nullptr : &versions.last(); }
    const IdentityVersion *version(qint64 version) const;

    /// Decodes {"practiceId", "practiceName", "versions": [{"version", "publicKey", "rotationSignature", "createdAt"}]}.
    /// nullopt unless practiceId is a protocol id, practiceName a string of at most 200 characters, and versions
    /// 1..VersionsMax items with whole versions rising by one, 32-byte public keys and 64-byte signatures (or null)
    /// in strict base64. Pure: it touches nothing but its argument.
    static std::optional<IdentityChain> fromJson(const QJsonObject &o);
    QJsonObject toJson() const;

    /// The verdict for pin (none: FirstUse). Each version after the pinned one must carry a rotation signature by the
    /// version before it over IdentityStatement::rotation; the first that does not makes the verdict Changed.
    ChainVerdict check(const std::optional<IdentityPin> &pin) const;
};

/// Decodes a practice identity list from JSON bytes (IdentityChain::fromJson of the top-level object); nullopt for
/// anything else. The entry point for fuzzing the wire format.
std::optional<IdentityChain> decodeIdentityChain(const QByteArray &json);

} // namespace larch
