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
        NewPracticeKey key{sc.practice.id, 1, QStringLiteral("cHVi"), admin.id, {}, 1000, {}, {}, {}};
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::MissingDevice);
        key.grants = {DeviceGrant{admin.id, QStringLiteral("Z3JhbnQ=")}};
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::None);
        QCOMPARE(s.devices().createPracticeKey(key, {}).conflict, KeyConflict::WrongVersion);
        NewEpoch epoch{sc.conversation.id, sc.patient.id, 1, 1, QStringLiteral("cGc="), {}, admin.id, 1000, {}, {}};
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

    void practiceIdentityVersionsComeWithKeyVersions()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        DeviceStorage &d = s.devices();
        const DeviceRecord admin{
            newId(), sc.admin.id, QStringLiteral("Desk"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 1000, {}};
        QCOMPARE(d.registerDevice(admin, sc.practice.id, true, signIn(s, sc.admin.id), {}, {}).status,
                 RegisterDeviceResult::Status::Created);
        const QList<DeviceGrant> grants{DeviceGrant{admin.id, QStringLiteral("Z3JhbnQ=")}};
        QVERIFY(d.practiceIdentity(sc.practice.id).isEmpty());

        // Key version 1 with identity version 1: the key is signed by the identity made with it.
        NewPracticeKey key{sc.practice.id,
                           1,
                           QStringLiteral("cHVi"),
                           admin.id,
                           grants,
                           1000,
                           NewIdentity{1, QStringLiteral("aWQx"), std::nullopt, {}},
                           1,
                           QStringLiteral("c2ln")};
        QCOMPARE(d.createPracticeKey(key, {}).conflict, KeyConflict::MissingDevice); // the identity's grants
        key.identity->grants = grants;
        key.identity->version = 2;
        QCOMPARE(d.createPracticeKey(key, {}).conflict, KeyConflict::WrongIdentityVersion);
        key.identity->version = 1;
        key.identityVersion = 2;
        QCOMPARE(d.createPracticeKey(key, {}).conflict, KeyConflict::StaleIdentity);
        key.identityVersion = 1;
        QCOMPARE(d.createPracticeKey(key, {}).conflict, KeyConflict::None);
        QVERIFY(d.practiceIdentity(sc.practice.id).size() == 1);

        // Once there is an identity, an unsigned key, or one signed by a version that is not current, is refused.
        NewPracticeKey next{sc.practice.id, 2, QStringLiteral("cHVi"), admin.id, grants, 2000, {}, {}, {}};
        QCOMPARE(d.createPracticeKey(next, {}).conflict, KeyConflict::StaleIdentity);
        next.identity = NewIdentity{2, QStringLiteral("aWQy"), QStringLiteral("cm90"), grants};
        next.identityVersion = 1;
        next.signature = QStringLiteral("c2ln");
        QCOMPARE(d.createPracticeKey(next, {}).conflict, KeyConflict::StaleIdentity);
        next.identityVersion = 2;
        QCOMPARE(d.createPracticeKey(next, {}).conflict, KeyConflict::None);

        const QList<PracticeIdentityRecord> identity = d.practiceIdentity(sc.practice.id);
        QCOMPARE(identity.size(), 2);
        QCOMPARE(identity[0].publicKey, QStringLiteral("aWQx"));
        QVERIFY(!identity[0].rotationSignature);
        QCOMPARE(identity[1].rotationSignature.value_or(QString()), QStringLiteral("cm90"));
        const PracticeKeyState state = d.practiceKeys(sc.practice.id, admin.id);
        QCOMPARE(state.current->identityVersion.value_or(0), 2);
        QCOMPARE(state.current->signature.value_or(QString()), QStringLiteral("c2ln"));
        QCOMPARE(state.identity.size(), 2);
        QCOMPARE(state.identityGrants.size(), 2);
        QCOMPARE(state.identityGrants[1].version, 2);

        // Epochs keep who signed them; a practice identity version that does not exist is refused.
        NewEpoch epoch{sc.conversation.id,    sc.patient.id, 1, 2, QStringLiteral("cGc="), {}, admin.id, 3000, 5,
                       QStringLiteral("ZXA=")};
        QCOMPARE(d.createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::StaleIdentity);
        epoch.identityVersion = 2;
        QCOMPARE(d.createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::None);
        const ConversationKeys keys = d.conversationKeys(sc.conversation.id, sc.practice.id, admin.id, true);
        QCOMPARE(keys.identity.size(), 2);
        QCOMPARE(keys.epochs[0].createdByDevice, admin.id);
        QCOMPARE(keys.epochs[0].identityVersion.value_or(0), 2);
        QCOMPARE(keys.epochs[0].signature.value_or(QString()), QStringLiteral("ZXA="));

        // A new staff device is approved with every key version and every identity version.
        const DeviceRecord laptop{newId(),
                                  sc.clinician.id,
                                  QStringLiteral("Laptop"),
                                  QStringLiteral("Ym94"),
                                  QStringLiteral("c2ln"),
                                  {},
                                  4000,
                                  {}};
        QCOMPARE(d.registerDevice(laptop, sc.practice.id, true, signIn(s, sc.clinician.id), {}, {}).device.state,
                 QStringLiteral("pending"));
        const QList<VersionGrant> keyGrants{{1, QStringLiteral("YQ==")}, {2, QStringLiteral("Yg==")}};
        QCOMPARE(d.approveDevice(laptop.id, sc.practice.id, keyGrants, {{1, QStringLiteral("Yw==")}}).conflict,
                 KeyConflict::MissingIdentityVersion);
        QCOMPARE(d.approveDevice(laptop.id, sc.practice.id, keyGrants,
                                 {{1, QStringLiteral("Yw==")}, {3, QStringLiteral("ZA==")}})
                     .conflict,
                 KeyConflict::ExtraIdentityVersion);
        QCOMPARE(d.approveDevice(laptop.id, sc.practice.id, keyGrants,
                                 {{1, QStringLiteral("Yw==")}, {2, QStringLiteral("ZA==")}})
                     .conflict,
                 KeyConflict::None);
        QCOMPARE(d.practiceKeys(sc.practice.id, laptop.id).identityGrants.size(), 2);
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
