// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server stores for end-to-end encryption: devices, practice keys, conversation epochs, key
// grants, key requests and key backups. Keys and grants are opaque base64 text to the server.
#pragma once

#include <optional>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace larch::server {

/// A device as registered, with its public keys (docs/protocol.md, "Device").
struct DeviceRecord {
    QString id;
    QString userId;
    QString name;
    QString boxPublicKey; ///< base64 of 32 bytes
    QString signPublicKey; ///< base64 of 32 bytes
    QString state; ///< "pending", "active" or "revoked"
    qint64 createdAt = 0;
    std::optional<qint64> revokedAt;

    bool isActive() const { return state == QLatin1String("active"); }
    QJsonObject toJson() const;
};

/// A sealed key addressed to one device (a practice key version or a conversation epoch key).
struct DeviceGrant {
    QString deviceId;
    QString sealedKey; ///< base64 of crypto_box_seal output
};

/// A practice key version sealed to the device that asks.
struct VersionGrant {
    qint64 version = 0;
    QString sealedKey;
};

/// An earlier epoch key handed over to a patient device.
struct EpochGrant {
    qint64 epoch = 0;
    QString deviceId;
    QString sealedKey;
};

/// The public half of one practice key version, with the practice identity's signature of it when it has one.
struct PracticeKeyVersion {
    qint64 version = 0;
    QString publicKey; ///< base64 of 32 bytes
    std::optional<qint64> identityVersion; ///< the identity version that signed it; none before identities
    std::optional<QString> signature; ///< base64 of 64 bytes over IdentityStatement::practiceKey
};

/// One version of a practice identity (docs/security.md, "Practice identity pinning"): its public half and the
/// previous version's signature of it.
struct PracticeIdentityRecord {
    qint64 version = 0;
    QString publicKey; ///< base64 of the 32-byte Ed25519 key
    std::optional<QString> rotationSignature; ///< by version - 1; none for version 1 and for a replacement
    qint64 createdAt = 0;
};

/// The practice key state one staff device sees.
struct PracticeKeyState {
    std::optional<PracticeKeyVersion> current;
    bool rotationNeeded = false;
    QList<VersionGrant> grants; ///< sealed to the asking device, oldest version first
    QList<PracticeIdentityRecord> identity; ///< every identity version, oldest first; empty before the first
    QList<VersionGrant> identityGrants; ///< identity seeds sealed to the asking device, oldest version first
};

/// One conversation epoch as one device sees it.
struct EpochView {
    qint64 epoch = 0;
    qint64 practiceKeyVersion = 0;
    QStringList deviceIds; ///< patient devices holding a grant (sealed at creation or handed over)
    qint64 createdAt = 0;
    std::optional<QString> sealedKey; ///< the grant the asking device can open, if any
    QString createdByDevice; ///< the device that started it
    std::optional<qint64> identityVersion; ///< the practice identity version that signed it, when staff did
    std::optional<QString> signature; ///< base64 of 64 bytes over IdentityStatement::epoch; none before identities
};

/// The keys of a conversation as one device sees them.
struct ConversationKeys {
    qint64 currentEpoch = 0; ///< 0 before the first epoch
    std::optional<PracticeKeyVersion> practiceKey;
    QList<EpochView> epochs; ///< newest first
    QString practiceId;
    QString practiceName; ///< for the app's words about the practice's identity
    QList<PracticeIdentityRecord> identity; ///< the practice identity's versions, oldest first
};

/// A new practice identity version, created with a practice key version.
struct NewIdentity {
    qint64 version = 0;
    QString publicKey;
    std::optional<QString> rotationSignature; ///< by version - 1; none for version 1 or a replacement
    QList<DeviceGrant> grants; ///< its seed sealed to every active staff device
};

/// A new practice key version.
struct NewPracticeKey {
    QString practiceId;
    qint64 version = 0;
    QString publicKey;
    QString creatorDeviceId;
    QList<DeviceGrant> grants;
    qint64 createdAt = 0;
    std::optional<NewIdentity> identity; ///< a new identity version made with this key
    std::optional<qint64> identityVersion; ///< the identity version that signed the key (the current one)
    std::optional<QString> signature;
};

/// A new conversation epoch.
struct NewEpoch {
    QString conversationId;
    QString patientId;
    qint64 epoch = 0;
    qint64 practiceKeyVersion = 0;
    QString practiceGrant;
    QList<DeviceGrant> deviceGrants;
    QString creatorDeviceId;
    qint64 createdAt = 0;
    std::optional<qint64> identityVersion; ///< signed by this practice identity version; else by the creator device
    std::optional<QString> signature;
};

/// A handover a patient device waits for.
struct KeyRequest {
    QString conversationId;
    QString deviceId;
    QString userId;
    qint64 createdAt = 0;
};

/// A user's encrypted key backup: the snapshot made with the recovery key, and the entries sealed to it since.
struct KeyBackup {
    QString backup;
    qint64 updatedAt = 0;
    QString entryKeyId; ///< names the key entries are sealed to; entries for another are refused
    QStringList entries; ///< oldest first
};

/// What appending a key backup entry did.
enum class BackupAppend { Added, NoBackup, Replaced, Full };

/// Why a key write was refused; the service turns it into a sentence. detail names the device or version.
enum class KeyConflict {
    None,
    WrongVersion, ///< a practice key version other than current + 1
    WrongEpoch, ///< an epoch other than current + 1
    NoPracticeKey, ///< the practice has no key yet
    RotationNeeded, ///< the current practice key must be rotated before new epochs
    StalePracticeKey, ///< an epoch sealed to a practice key version that is not the current one
    MissingDevice, ///< a device that must receive a grant has none
    ExtraDevice, ///< a grant for a device that must not receive one
    DuplicateDevice, ///< two grants for one device
    UnknownEpoch, ///< a handover for an epoch that does not exist
    NotPending, ///< approving a device that is not pending
    MissingVersion, ///< an approval without a grant for every practice key version
    ExtraVersion, ///< an approval grant for a version that does not exist, or twice
    WrongIdentityVersion, ///< a practice identity version other than current + 1
    StaleIdentity, ///< signed by a practice identity version that is not the current one, or does not exist
    MissingIdentityVersion, ///< an approval without a grant for every practice identity version
    ExtraIdentityVersion, ///< an approval identity grant for a version that does not exist, or twice
};

} // namespace larch::server

namespace larch::server {

/// Event types of end-to-end encryption (docs/protocol.md, "E2EE events").
namespace KeyEventType {
inline constexpr auto DeviceAdded = "device.added";
inline constexpr auto DeviceApproved = "device.approved";
inline constexpr auto DeviceRevoked = "device.revoked";
inline constexpr auto KeyRequested = "key.requested";
inline constexpr auto ConversationEpoch = "conversation.epoch";
inline constexpr auto ConversationKeys = "conversation.keys";
inline constexpr auto RotationNeeded = "practice.key.rotation_needed";
inline constexpr auto PracticeKeyRotated = "practice.key.rotated";
} // namespace KeyEventType

} // namespace larch::server
