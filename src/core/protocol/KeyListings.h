// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The end-to-end encryption routes' answers as a device reads them: device lists, the practice's keys, identity and
// grants, a conversation's epochs and grants, key requests, the stored key backup. Pure: each decoder touches nothing
// but its arguments, so they suit unit tests and fuzzing. "Strict base64" below is the standard alphabet and nothing
// else (no spaces, no url-safe characters); the padding may be left out.
#pragma once

#include "core/crypto/IdentityChain.h"

#include <optional>
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace larch {

/// One registered device with its public keys (docs/protocol.md, "Device").
struct DeviceInfo {
    QString id;
    QString userId;
    QString name;
    QByteArray boxPublic; ///< 32 bytes; keys are sealed to it
    QByteArray signPublic; ///< 32 bytes; verifies the device's messages
    QString state; ///< "pending", "active" or "revoked"
    qint64 createdAt = 0;
    std::optional<qint64> revokedAt;

    bool isActive() const { return state == QLatin1String("active"); }
    bool isPending() const { return state == QLatin1String("pending"); }
    /// nullopt unless both ids are protocol ids, the state one of the three and both keys 32 bytes of strict base64.
    static std::optional<DeviceInfo> fromJson(const QJsonObject &o);
    /// The items of a device list's "devices" that fromJson reads, in order; the others are left out.
    static QList<DeviceInfo> listFromJson(const QJsonObject &body);
};

/// A version of the practice key or of the practice identity whose secret is sealed to this device.
struct KeyGrant {
    qint64 version = 0; ///< 1 or more
    QByteArray sealedKey; ///< crypto_box_seal of the secret half (or the identity's seed) to this device; never empty
};

/// GET or POST /v1/practices/{id}/keys as a staff device reads it.
struct PracticeKeyListing {
    qint64 currentVersion = 0; ///< "current"'s version as listed; 0 when there is no current key
    QByteArray currentPublic; ///< that version's public key; empty when it is not strict base64
    bool rotationNeeded = false; ///< a staff device was removed: a new version must be made
    std::optional<IdentityChain> identity; ///< "practiceIdentity" when IdentityChain::fromJson reads it
    /// The grants ("grants", "identityGrants") with a version of 1 or more and a sealed key in strict base64, in
    /// order; the others are left out, as no device could open them.
    QList<KeyGrant> grants;
    QList<KeyGrant> identityGrants;

    static PracticeKeyListing fromJson(const QJsonObject &body);
};

/// One epoch of a conversation as the server lists it (GET /v1/conversations/{id}/keys).
struct EpochInfo {
    qint64 epoch = 0;
    qint64 practiceKeyVersion = 0;
    QStringList deviceIds; ///< patient devices holding a grant of this epoch's key
    QByteArray sealedKey; ///< the grant this device can open; empty when there is none
    QString createdByDevice; ///< the device that started it
    qint64 identityVersion = 0; ///< the practice identity version that signed it; 0: its creator device did
    QByteArray signature; ///< over IdentityStatement::epoch; empty for epochs from before identities
};

/// A conversation's key state as last fetched (GET /v1/conversations/{id}/keys).
struct ConversationKeyState {
    qint64 currentEpoch = 0; ///< 0 before the first epoch
    qint64 practiceKeyVersion = 0; ///< the practice's current key version; 0 when it has none
    QByteArray practicePublic; ///< that version's public key: new epoch keys are sealed to it
    qint64 practiceKeyIdentityVersion = 0; ///< the identity version that signed the practice key; 0 for none
    QByteArray practiceKeySignature; ///< over IdentityStatement::practiceKey; empty for none
    QList<EpochInfo> epochs; ///< newest first
    QString practiceId;
    std::optional<IdentityChain> identity; ///< the practice identity as listed; none before the practice has one
    IdentityTrust trust; ///< a patient's verdict on identity (staff: always Legacy; they hold the identity)

    /// Every epoch listed, newest first; base64 fields that are not strict base64 read as empty. practiceId is the
    /// conversation's practice as this device knows it ("" when it does not): an identity listed for another
    /// practice is dropped, and an unknown practice is taken from the identity. trust is left Legacy for the caller.
    static ConversationKeyState fromJson(const QJsonObject &body, const QString &practiceId);
};

/// A patient's new device waiting for a conversation's keys (GET /v1/key-requests), as a staff device reads it.
struct PendingKeyRequest {
    QString conversationId;
    QString deviceId;
    QString userId;

    /// The "requests" of the answer, one per item, in order; fields that are not strings read as "".
    static QList<PendingKeyRequest> listFromJson(const QJsonObject &body);
};

/// GET /v1/me/key-backup as a device reads it; what it holds stays sealed until RecoveryKey opens it.
struct StoredKeyBackup {
    bool exists = false; ///< "backup" is a string that is not empty
    QByteArray backup; ///< RecoveryKey::encryptBackup's bytes
    QByteArray entryKeyId; ///< names the entry key of the recovery key that made the backup
    QList<QByteArray> entries; ///< RecoveryKey::sealEntry's bytes, one per item, oldest first

    /// Base64 is read leniently (characters outside the alphabet are skipped): what does not open is refused by
    /// RecoveryKey, not here.
    static StoredKeyBackup fromJson(const QJsonObject &body);
};

} // namespace larch
