// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// DeviceStorage in SQLite.
#pragma once

#include "server/storage/DeviceStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// DeviceStorage of the SQLite backend: devices (SqliteDeviceStorage.cpp), practice keys, epochs and key backups (SqliteDeviceKeys.cpp).
class SqliteDeviceStorage final : public DeviceStorage, private SqliteFeature {
public:
    explicit SqliteDeviceStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    RegisterDeviceResult registerDevice(const DeviceRecord &device, const QString &practiceId, bool staff,
                                        const QByteArray &sessionDigest, const QStringList &addedRecipients,
                                        const QStringList &staffIds) override;
    std::optional<DeviceRecord> device(const QString &id) override;
    QList<DeviceRecord> userDevices(const QString &userId) override;
    QList<DeviceRecord> conversationDevices(const QString &practiceId, const QString &patientId) override;
    KeyWriteResult approveDevice(const QString &deviceId, const QString &practiceId, const QList<VersionGrant> &grants,
                                 const QList<VersionGrant> &identityGrants) override;
    RevokeResult revokeDevice(const QString &deviceId, const QString &practiceId, bool staffDevice,
                              const QStringList &recipients, const QStringList &staffIds) override;
    RevokeResult deactivateStaff(const QString &userId, const QString &practiceId, qint64 now,
                                 const QStringList &recipients, const QStringList &staffIds) override;
    PracticeKeyState practiceKeys(const QString &practiceId, const QString &deviceId) override;
    KeyWriteResult createPracticeKey(const NewPracticeKey &key, const QStringList &staffIds) override;
    QList<PracticeIdentityRecord> practiceIdentity(const QString &practiceId) override;
    ConversationKeys conversationKeys(const QString &conversationId, const QString &practiceId, const QString &deviceId,
                                      bool staff) override;
    KeyWriteResult createEpoch(const NewEpoch &epoch, const QString &practiceId,
                               const QStringList &recipients) override;
    bool epochExists(const QString &conversationId, qint64 epoch) override;
    KeyWriteResult handOverKeys(const QString &conversationId, const QString &patientId,
                                const QList<EpochGrant> &grants, qint64 now) override;
    QList<KeyRequest> keyRequests(const QString &practiceId) override;
    void putKeyBackup(const QString &userId, const QString &backup, const QString &entryKeyId, qint64 now) override;
    BackupAppend appendKeyBackupEntry(const QString &userId, const QString &entryKeyId, const QString &entry,
                                      int maxEntries, qint64 now) override;
    std::optional<KeyBackup> keyBackup(const QString &userId) override;

private:
    // Helpers of both files; each expects the lock held and, for writes, a transaction open.
    std::optional<PracticeKeyVersion> currentPracticeKeyLocked(const QString &practiceId);
    QList<PracticeIdentityRecord> practiceIdentityLocked(const QString &practiceId);
    QStringList activeStaffDeviceIdsLocked(const QString &practiceId);
    QStringList activePatientDeviceIdsLocked(const QString &patientId);
    /// Marks the practice key for rotation; true when it was not marked already and a key exists.
    bool flagRotationLocked(const QString &practiceId);
    /// Revokes one device and its sessions, collecting them into result.
    void revokeDeviceLocked(const DeviceRecord &device, qint64 now, RevokeResult &result);
};

} // namespace larch::server
