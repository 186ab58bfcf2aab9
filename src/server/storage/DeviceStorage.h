// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of devices, practice keys, conversation epochs and key backups.
#pragma once

#include "server/e2ee/KeyRecords.h"
#include "server/storage/StorageRecords.h"

#include <optional>
#include <QList>

namespace larch::server {

/// Outcome of registering a device.
struct RegisterDeviceResult {
    enum class Status { Created, Existing, KeysDiffer, Revoked, SessionHasOtherDevice };
    Status status = Status::KeysDiffer;
    DeviceRecord device; ///< as stored (Created and Existing)
    QList<StoredEvent> events; ///< device.added, and key.requested for a new patient device (Created only)
};

/// Outcome of a write guarded by key rules: applied, or refused with the reason.
struct KeyWriteResult {
    KeyConflict conflict = KeyConflict::None;
    QString detail; ///< the device id or version the conflict is about
    DeviceRecord device; ///< the approved device (approveDevice)
    QStringList fulfilled; ///< devices whose key request is now fulfilled (handOverKeys)
    QList<StoredEvent> events;
};

/// Outcome of revoking devices (one, or all of a deactivated user's).
struct RevokeResult {
    QList<DeviceRecord> revoked; ///< devices this call revoked, in their revoked state
    QList<QByteArray> sessionDigests; ///< sessions that ended with them
    bool rotationFlagged = false; ///< the practice key was newly marked for rotation
    QList<StoredEvent> events;
};

/// Devices and the keys sealed to them (docs/protocol.md, "End-to-end encryption").
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class DeviceStorage {
public:
    virtual ~DeviceStorage() = default;

    // Devices (docs/protocol.md, "End-to-end encryption").
    /// Registers a device and binds the session to it. A staff device is pending when its practice has a
    /// practice key, else active; a patient device is active. On creation stores device.added for
    /// addedRecipients and, for a patient device, a key request (and key.requested for staffIds) for each
    /// of the patient's conversations that already has an epoch.
    virtual RegisterDeviceResult registerDevice(const DeviceRecord &device, const QString &practiceId, bool staff,
                                                const QByteArray &sessionDigest, const QStringList &addedRecipients,
                                                const QStringList &staffIds) = 0;
    virtual std::optional<DeviceRecord> device(const QString &id) = 0;
    /// Every device of a user, revoked ones included, oldest first.
    virtual QList<DeviceRecord> userDevices(const QString &userId) = 0;
    /// Every device of the patient and of the practice's staff (deactivated staff included), oldest first.
    virtual QList<DeviceRecord> conversationDevices(const QString &practiceId, const QString &patientId) = 0;
    /// Makes a pending staff device active with a grant of every practice key version and of every practice identity
    /// version; device.approved to its user.
    virtual KeyWriteResult approveDevice(const QString &deviceId, const QString &practiceId,
                                         const QList<VersionGrant> &grants,
                                         const QList<VersionGrant> &identityGrants) = 0;
    /// Revokes a device and ends its sessions; a revoked active staff device marks the practice key for
    /// rotation. Stores device.revoked for recipients and practice.key.rotation_needed for staffIds.
    virtual RevokeResult revokeDevice(const QString &deviceId, const QString &practiceId, bool staffDevice,
                                      const QStringList &recipients, const QStringList &staffIds) = 0;
    /// Deactivates a staff member: sign-in refused, sessions and devices revoked, practice key marked for
    /// rotation; device.revoked for recipients and practice.key.rotation_needed for staffIds.
    virtual RevokeResult deactivateStaff(const QString &userId, const QString &practiceId, qint64 now,
                                         const QStringList &recipients, const QStringList &staffIds) = 0;

    // Practice keys and conversation epochs.
    virtual PracticeKeyState practiceKeys(const QString &practiceId, const QString &deviceId) = 0;
    /// Adds version current + 1 with grants exactly covering the practice's active staff devices; clears
    /// the rotation mark; practice.key.rotated for staffIds. With key.identity, also adds that identity version, which
    /// must be current + 1 with grants covering the same devices. A key signed by an identity version must be signed
    /// by the current one (after the new one, if any): else StaleIdentity.
    virtual KeyWriteResult createPracticeKey(const NewPracticeKey &key, const QStringList &staffIds) = 0;
    /// Every version of the practice's identity, oldest first; empty before the first.
    virtual QList<PracticeIdentityRecord> practiceIdentity(const QString &practiceId) = 0;
    virtual ConversationKeys conversationKeys(const QString &conversationId, const QString &practiceId,
                                              const QString &deviceId, bool staff) = 0;
    /// Adds epoch current + 1 sealed to the current practice key and exactly the patient's active devices;
    /// conversation.epoch for recipients. An epoch signed by a practice identity version names one that exists
    /// (else StaleIdentity).
    virtual KeyWriteResult createEpoch(const NewEpoch &epoch, const QString &practiceId,
                                       const QStringList &recipients) = 0;
    virtual bool epochExists(const QString &conversationId, qint64 epoch) = 0;
    /// Stores earlier epoch keys for active devices of the patient (a grant already held is kept), and
    /// fulfils the key request of each device that now holds every epoch; conversation.keys to the patient.
    virtual KeyWriteResult handOverKeys(const QString &conversationId, const QString &patientId,
                                        const QList<EpochGrant> &grants, qint64 now) = 0;
    /// Open key requests of a practice's conversations, oldest first.
    virtual QList<KeyRequest> keyRequests(const QString &practiceId) = 0;

    // Key backups.
    /// Replaces the user's backup snapshot and drops the entries appended to the one before.
    virtual void putKeyBackup(const QString &userId, const QString &backup, const QString &entryKeyId, qint64 now) = 0;
    /// Appends an entry to the user's backup, unless there is no backup, its entry key is another, or it
    /// holds maxEntries already.
    virtual BackupAppend appendKeyBackupEntry(const QString &userId, const QString &entryKeyId, const QString &entry,
                                              int maxEntries, qint64 now) = 0;
    virtual std::optional<KeyBackup> keyBackup(const QString &userId) = 0;
};

} // namespace larch::server
