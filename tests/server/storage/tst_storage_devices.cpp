// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// DeviceStorage: devices, practice keys and epochs checked inside the write, key requests, revocation.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <limits>
#include <QJsonDocument>
#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// DeviceStorage conformance, against the interface alone.
class TestDeviceStorage : public QObject {
    Q_OBJECT

private slots:
    void keyWritesCheckCoverageInsideTheTransaction()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QByteArray session = tokenDigest(newToken());
        s.accounts().createSession(session, sc.admin.id, 1, 9'999'999'999'999);
        const DeviceRecord admin{
            newId(), sc.admin.id, QStringLiteral("Desk"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 1000, {}};
        const auto registered =
            s.devices().registerDevice(admin, sc.practice.id, true, session, {sc.admin.id}, {sc.admin.id});
        QCOMPARE(registered.status, RegisterDeviceResult::Status::Created);
        QCOMPARE(registered.device.state, QStringLiteral("active"));
        QCOMPARE(s.accounts().session(session)->deviceId, admin.id);
        NewPracticeKey key{sc.practice.id, 1, QStringLiteral("cHVi"), admin.id, {}, 1000};
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::MissingDevice);
        key.grants = {DeviceGrant{admin.id, QStringLiteral("Z3JhbnQ=")}};
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::None);
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::WrongVersion);
        NewEpoch epoch{sc.conversation.id, sc.patient.id, 1, 1, QStringLiteral("cGc="), {}, admin.id, 1000};
        QCOMPARE(s.devices().createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::None);
        QVERIFY(s.devices().epochExists(sc.conversation.id, 1));
        QVERIFY(!s.devices().epochExists(sc.conversation.id, 2));
        // A patient device registered now gets a key request for the conversation that has an epoch.
        const QByteArray patientSession = tokenDigest(newToken());
        s.accounts().createSession(patientSession, sc.patient.id, 1, 9'999'999'999'999);
        const DeviceRecord phone{
            newId(), sc.patient.id, QStringLiteral("Phone"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 2000,
            {}};
        const auto patientDevice =
            s.devices().registerDevice(phone, sc.practice.id, false, patientSession, sc.recipients, {sc.admin.id});
        QCOMPARE(patientDevice.status, RegisterDeviceResult::Status::Created);
        QCOMPARE(s.devices().keyRequests(sc.practice.id).size(), 1);
        epoch.epoch = 2;
        QCOMPARE(s.devices().createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::MissingDevice);
        const auto handed = s.devices().handOverKeys(sc.conversation.id, sc.patient.id,
                                                     {EpochGrant{1, phone.id, QStringLiteral("aw==")}}, 3000);
        QCOMPARE(handed.fulfilled, QStringList{phone.id});
        QVERIFY(s.devices().keyRequests(sc.practice.id).isEmpty());
        // Revoking the staff device ends its session and marks the practice key for rotation.
        const RevokeResult revoked =
            s.devices().revokeDevice(admin.id, sc.practice.id, true, {sc.admin.id}, {sc.admin.id});
        QCOMPARE(revoked.sessionDigests, QList<QByteArray>{session});
        QVERIFY(revoked.rotationFlagged);
        QVERIFY(s.accounts().session(session)->revoked);
        QVERIFY(s.devices().practiceKeys(sc.practice.id, {}).rotationNeeded);
    }

    void keyBackupsTakeEntriesForTheirKeyOnly()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        DeviceStorage &d = s.devices();
        QVERIFY(!d.keyBackup(sc.patient.id));
        QCOMPARE(d.appendKeyBackupEntry(sc.patient.id, QStringLiteral("k1"), QStringLiteral("e0"), 2, 10),
                 BackupAppend::NoBackup);
        d.putKeyBackup(sc.patient.id, QStringLiteral("snapshot-1"), QStringLiteral("k1"), 20);
        QCOMPARE(d.appendKeyBackupEntry(sc.patient.id, QStringLiteral("k1"), QStringLiteral("e1"), 2, 30),
                 BackupAppend::Added);
        QCOMPARE(d.appendKeyBackupEntry(sc.patient.id, QStringLiteral("k0"), QStringLiteral("old"), 2, 31),
                 BackupAppend::Replaced);
        QCOMPARE(d.appendKeyBackupEntry(sc.patient.id, QStringLiteral("k1"), QStringLiteral("e2"), 2, 32),
                 BackupAppend::Added);
        QCOMPARE(d.appendKeyBackupEntry(sc.patient.id, QStringLiteral("k1"), QStringLiteral("e3"), 2, 33),
                 BackupAppend::Full);
        auto backup = *d.keyBackup(sc.patient.id);
        QCOMPARE(backup.backup, QStringLiteral("snapshot-1"));
        QCOMPARE(backup.entries, (QStringList{QStringLiteral("e1"), QStringLiteral("e2")}));
        // A new snapshot drops the entries appended to the one before.
        d.putKeyBackup(sc.patient.id, QStringLiteral("snapshot-2"), QStringLiteral("k2"), 40);
        backup = *d.keyBackup(sc.patient.id);
        QCOMPARE(backup.backup, QStringLiteral("snapshot-2"));
        QCOMPARE(backup.entryKeyId, QStringLiteral("k2"));
        QVERIFY(backup.entries.isEmpty());
    }

    void deactivatingStaffEndsTheirSessionsAndDevices()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QByteArray session = signIn(s, sc.clinician.id);
        const DeviceRecord desk{
            newId(), sc.clinician.id, QStringLiteral("Desk"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 1000,
            {}};
        QCOMPARE(s.devices().registerDevice(desk, sc.practice.id, true, session, {}, {}).status,
                 RegisterDeviceResult::Status::Created);
        QCOMPARE(s.devices().conversationDevices(sc.practice.id, sc.patient.id).size(), 1);
        const RevokeResult result =
            s.devices().deactivateStaff(sc.clinician.id, sc.practice.id, 2000, {sc.admin.id}, {sc.admin.id});
        QCOMPARE(result.revoked.size(), 1);
        QCOMPARE(result.revoked[0].state, QStringLiteral("revoked"));
        QCOMPARE(result.sessionDigests, QList<QByteArray>{session});
        QVERIFY(s.accounts().session(session)->revoked);
        QVERIFY(s.accounts().session(session)->deactivated);
        QVERIFY(s.accounts().userByEmail(sc.clinician.email)->deactivated);
        QCOMPARE(s.accounts().staff(sc.practice.id).size(), 1);
        QCOMPARE(s.devices().device(desk.id)->state, QStringLiteral("revoked"));
        QCOMPARE(*s.devices().device(desk.id)->revokedAt, 2000);
    }
};

LARCH_STORAGE_TEST(TestDeviceStorage)
#include "tst_storage_devices.moc"
