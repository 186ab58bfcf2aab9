// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// app_e2ee: keys across devices: the keychain at sign-in, the welcome note's handover, a second device, staff approval and removal, the recovery key.
#include "tst_app_e2ee.h"

void TestAppE2ee::initTestCase()
{
    qunsetenv("LARCH_SERVER_URL");
    qunsetenv("LARCH_CLIENT_DATA_DIR");
    initCrypto();
    m_logPath = m_logDir.filePath("larch-server.log");
    m_server.setLogFile(m_logPath);
    QVERIFY2(m_server.start({"--demo", "--log-level", "debug"}), qPrintable(m_server.error()));
}

void TestAppE2ee::keychainUnavailableAtSignIn()
{
    QTemporaryDir dir;
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(ChildVariable, "1");
    env.insert("LARCH_E2EE_DIR", dir.path());
    env.insert("LARCH_E2EE_SERVER", url());
    env.insert("LARCH_E2EE_EMAIL", "maya@patient.example");
    env.insert("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.filePath("no-such-bus"));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(120000));
    const QJsonObject report = QJsonDocument::fromJson(child.readAllStandardOutput().trimmed()).object();
    QCOMPARE(report.value("deviceState").toString(), QStringLiteral("keychainUnavailable"));
    QCOMPARE(report.value("signInError").toString(), Keystore::noKeychainSentence());
    QCOMPARE(report.value("signedIn").toBool(), false);

    // Nothing was registered, no key was written, and no session was kept.
    QString mayaId;
    const QString token = bareToken(url(), "maya@patient.example", Password, &mayaId);
    const ApiResult devices = call(url(), token, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
        api.fetchUserDevices(mayaId, ctx, done);
    });
    QVERIFY(devices.ok());
    QCOMPARE(devices.body.value("devices").toArray().size(), 0);
    QVERIFY(readKeychain(accountOf(mayaId)).isNotFound());
    LocalStore store(dir.path());
    QVERIFY(store.open());
    QVERIFY(!store.account().hasStoredSession());
}

void TestAppE2ee::welcomeNoteOpensOnThePatientsFirstDevice()
{
    // Ben's is the practice's first staff device: active at once, it makes practice key version 1.
    m_ben = signedInApp(m_benDir.path(), url(), "ben@birch.example");
    QVERIFY(m_ben->session()->signedIn());
    QCOMPARE(m_ben->security()->deviceState(), DeviceState::Active);
    m_practiceId = m_ben->store()->account().session()->user.practiceId;
    const QString benToken = m_ben->api()->token();
    QTRY_VERIFY_WITH_TIMEOUT(call(url(), benToken,
                                  [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                                      api.fetchPracticeKeys(m_practiceId, ctx, done);
                                  })
                                     .body.value("current")
                                     .toObject()
                                     .value("version")
                                     .toInt()
                                 == 1,
                             NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(!conversationTitled(*m_ben, "Maya Chen").isEmpty(), NetworkWait);
    m_mayaConv = conversationTitled(*m_ben, "Maya Chen");
    m_samConv = conversationTitled(*m_ben, "Sam Lee");

    // Maya has no device yet: the welcome note is sealed to the practice key only.
    m_ben->current()->open(m_mayaConv);
    QVERIFY(sendText(*m_ben, m_welcome));
    QTRY_VERIFY_WITH_TIMEOUT(isDelivered(*m_ben->thread(), m_welcome), NetworkWait);
    ServerDatabase db(m_serverDir.path());
    QCOMPARE(db.value("SELECT COUNT(*) FROM conversation_epochs WHERE conversation_id = ?", {m_mayaConv}).toInt(), 1);
    QCOMPARE(db.value("SELECT COUNT(*) FROM epoch_grants WHERE conversation_id = ?", {m_mayaConv}).toInt(), 0);

    // No staff app is online when Maya's first device appears: the note waits for its key.
    m_ben.reset();
    m_maya = signedInApp(m_mayaDir.path(), url(), "maya@patient.example");
    QVERIFY(m_maya->session()->signedIn());
    QCOMPARE(m_maya->security()->deviceState(), DeviceState::Active);
    QTRY_COMPARE_WITH_TIMEOUT(m_maya->conversationList()->rowCount(), 1, NetworkWait);
    m_maya->current()->open(m_mayaConv);
    ThreadModel *thread = m_maya->thread();
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, 0, ThreadModel::VerificationRole), QStringLiteral("keyPending"),
                              NetworkWait);
    QCOMPARE(roleText(*thread, 0, ThreadModel::BodyRole), QString());
    QCOMPARE(roleText(*thread, 0, ThreadModel::VerificationTextRole), ThreadModel::keyPendingText());
    QCOMPARE(db.value("SELECT COUNT(*) FROM key_requests WHERE conversation_id = ?", {m_mayaConv}).toInt(), 1);

    // Ben's app starts again and answers the key request by itself; the note opens in place.
    reopenBen();
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, 0, ThreadModel::BodyRole), m_welcome, NetworkWait);
    QCOMPARE(roleText(*thread, 0, ThreadModel::VerificationRole), QStringLiteral("verified"));
    QCOMPARE(thread->rowCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(
        db.value("SELECT COUNT(*) FROM key_requests WHERE conversation_id = ?", {m_mayaConv}).toInt(), 0, NetworkWait);
}

void TestAppE2ee::secondPatientDeviceReadsNewMessagesAndHistory()
{
    QVERIFY(m_ben && m_sam);
    const QString firstDevice = m_sam->identity()->keys().deviceId;
    // No staff app online, so history waits; the second device gets its own keychain entry.
    m_ben.reset();
    QVERIFY(removeFromKeychain(accountOf(m_sam->session()->userId())));
    m_sam2 = signedInApp(m_sam2Dir.path(), url(), "sam@patient.example");
    QVERIFY(m_sam2->session()->signedIn());
    QVERIFY(m_sam2->identity()->keys().deviceId != firstDevice);
    QTRY_COMPARE_WITH_TIMEOUT(m_sam2->conversationList()->rowCount(), 1, NetworkWait);
    m_sam2->current()->open(m_samConv);
    ThreadModel *thread = m_sam2->thread();
    QTRY_COMPARE_WITH_TIMEOUT((loadAll(*thread), countRows(*thread, ThreadModel::KindRole, "message")), 2, NetworkWait);
    QTRY_COMPARE_WITH_TIMEOUT(countRows(*thread, ThreadModel::VerificationRole, "keyPending"), 2, NetworkWait);
    // The first device sees the new device's notice in the thread.
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*m_sam->thread(), "Sam Lee added a new device.") >= 0, NetworkWait);

    // The first device writes: a new epoch is sealed to both devices, so the second reads it at once.
    const QString fresh = QStringLiteral("Written after my second device joined.");
    QVERIFY(sendText(*m_sam, fresh));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, fresh) >= 0, NetworkWait);
    const QString freshId = roleText(*thread, rowOfBody(*thread, fresh), ThreadModel::MessageIdRole);
    const auto stored = m_sam2->store()->messages().messageById(freshId);
    const auto canary = m_sam->store()->messages().messageById(m_canaryMessageId);
    QVERIFY(stored && canary);
    QVERIFY(stored->message.envelope->value("epoch").toInt() > canary->message.envelope->value("epoch").toInt());
    QCOMPARE(roleText(*thread, rowOfMessage(*thread, m_canaryMessageId), ThreadModel::VerificationRole),
             QStringLiteral("keyPending"));

    // Ben comes online: the handover gives the second device every earlier epoch key, and history opens.
    reopenBen();
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, m_canaryMessageId), ThreadModel::BodyRole),
                              m_canary + QStringLiteral(" from Ben"), NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, m_canary + QStringLiteral(" from Sam")) >= 0, NetworkWait);
}

void TestAppE2ee::pendingStaffDeviceIsApprovedAndRemovedStaffCannotRead()
{
    QVERIFY(m_ben);
    QAbstractItemModelTester tester(m_ben->security()->pendingDevices(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_ana = signedInApp(m_anaDir.path(), url(), "ana@birch.example");
    QVERIFY(m_ana->session()->signedIn());
    QCOMPARE(m_ana->security()->deviceState(), DeviceState::Pending);
    const QString anaDevice = m_ana->identity()->keys().deviceId;
    PendingDeviceModel *pending = m_ben->security()->pendingDevices();
    QTRY_COMPARE_WITH_TIMEOUT(pending->count(), 1, NetworkWait);
    QCOMPARE(pending->index(0).data(PendingDeviceModel::DeviceIdRole).toString(), anaDevice);
    QCOMPARE(pending->index(0).data(PendingDeviceModel::UserNameRole).toString(), QStringLiteral("Ana Ruiz"));
    QCOMPARE(pending->index(0).data(PendingDeviceModel::DeviceNameRole).toString(),
             DeviceIdentity::defaultDeviceName());
    QVERIFY(!pending->index(0).data(PendingDeviceModel::TimeTextRole).toString().isEmpty());

    // A clinician may not decline; approving seals the practice key to the device.
    m_ben->security()->declineDevice(anaDevice);
    QTRY_VERIFY_WITH_TIMEOUT(m_ben->security()->deviceError().contains("administrator"), NetworkWait);
    QCOMPARE(m_ana->security()->deviceState(), DeviceState::Pending);
    m_ben->security()->approveDevice(anaDevice);
    QTRY_COMPARE_WITH_TIMEOUT(m_ana->security()->deviceState(), DeviceState::Active, NetworkWait);
    // Ana is an administrator: her device, once approved, gives the practice its identity with key version 2.
    QTRY_VERIFY_WITH_TIMEOUT(m_ana->sync()->secure()->keys()->currentIdentity(), NetworkWait);
    QTRY_COMPARE_WITH_TIMEOUT(pending->count(), 0, NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(!conversationTitled(*m_ana, "Sam Lee").isEmpty(), NetworkWait);
    m_ana->current()->open(m_samConv);
    QTRY_VERIFY_WITH_TIMEOUT((loadAll(*m_ana->thread()), rowOfBody(*m_ana->thread(), m_canary + " from Sam") >= 0),
                             NetworkWait);

    // Cleo joins the staff, Ana approves her device, and Cleo reads history.
    const ApiResult added =
        call(url(), m_ana->api()->token(), [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
            api.addStaff(m_practiceId, "Cleo Park", "cleo@birch.example", Password, "clinician", ctx, done);
        });
    QVERIFY2(added.ok(), qPrintable(added.error.sentence));
    const QString cleoId = added.body.value("id").toString();
    auto cleo = signedInApp(m_cleoDir.path(), url(), "cleo@birch.example");
    QVERIFY(cleo->session()->signedIn());
    QCOMPARE(cleo->security()->deviceState(), DeviceState::Pending);
    const QString cleoDevice = cleo->identity()->keys().deviceId;
    QTRY_COMPARE_WITH_TIMEOUT(m_ana->security()->pendingDevices()->count(), 1, NetworkWait);
    m_ana->security()->approveDevice(cleoDevice);
    QTRY_COMPARE_WITH_TIMEOUT(cleo->security()->deviceState(), DeviceState::Active, NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(!conversationTitled(*cleo, "Sam Lee").isEmpty(), NetworkWait);
    cleo->current()->open(m_samConv);
    QTRY_VERIFY_WITH_TIMEOUT((loadAll(*cleo->thread()), rowOfBody(*cleo->thread(), m_canary + " from Ben") >= 0),
                             NetworkWait);

    // Ana removes Cleo: her sessions end, and the staff apps rotate the practice key by themselves. (Ana's device, an
    // administrator's, gave the practice its identity with a key version of its own when it was approved.)
    const auto currentVersion = [&] {
        return call(url(), m_ben->api()->token(),
                    [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                        api.fetchPracticeKeys(m_practiceId, ctx, done);
                    })
            .body.value("current")
            .toObject()
            .value("version")
            .toInt();
    };
    const int beforeRemoval = currentVersion();
    QCOMPARE(beforeRemoval, 2);
    const ApiResult removed =
        call(url(), m_ana->api()->token(), [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
            api.deactivateStaff(m_practiceId, cleoId, ctx, done);
        });
    QVERIFY2(removed.ok(), qPrintable(removed.error.sentence));
    QTRY_VERIFY_WITH_TIMEOUT(!cleo->session()->signedIn(), NetworkWait);
    QTRY_COMPARE_WITH_TIMEOUT(currentVersion(), beforeRemoval + 1, NetworkWait);
    m_ben->current()->open(m_samConv);
    const QString after = QStringLiteral("Sent after Cleo left the practice.");
    QVERIFY(sendText(*m_ben, after));
    QTRY_VERIFY_WITH_TIMEOUT(isDelivered(*m_ben->thread(), after), NetworkWait);
    const QString afterId = roleText(*m_ben->thread(), rowOfBody(*m_ben->thread(), after), ThreadModel::MessageIdRole);

    ServerDatabase db(m_serverDir.path());
    const auto afterEnvelope = MessageEnvelope::fromJson(
        QJsonDocument::fromJson(db.value("SELECT envelope FROM messages WHERE id = ?", {afterId}).toByteArray())
            .object());
    const auto canaryEnvelope = MessageEnvelope::fromJson(
        QJsonDocument::fromJson(
            db.value("SELECT envelope FROM messages WHERE id = ?", {m_canaryMessageId}).toByteArray())
            .object());
    QVERIFY(afterEnvelope && canaryEnvelope);
    QCOMPARE(db.value("SELECT practice_key_version FROM conversation_epochs WHERE conversation_id = ? AND epoch = ?",
                      {m_samConv, afterEnvelope->epoch})
                 .toInt(),
             beforeRemoval + 1);

    // Everything Cleo's device held, taken from its keychain entry, and everything the server has.
    const KeystoreRead entry = readKeychain(accountOf(cleoId));
    QVERIFY(entry.isFound());
    const auto cleoKeys = DeviceKeys::deserialize(entry.secret);
    QVERIFY(cleoKeys);
    QList<PracticeKey> practiceKeys;
    for (const QVariantList &grant :
         db.rows("SELECT version, sealed_key FROM practice_key_grants WHERE device_id = ?", {cleoKeys->deviceId})) {
        QVERIFY(grant.at(0).toInt() <= beforeRemoval); // no grant of the version made after her removal
        auto secret = openSealed(cleoKeys->boxPublic, cleoKeys->boxSecret.bytes(), fromBase64(grant.at(1)));
        QVERIFY(secret);
        practiceKeys.append(*PracticeKey::fromSecret(grant.at(0).toInt(), *secret));
    }
    QCOMPARE(practiceKeys.size(), beforeRemoval);
    QList<QByteArray> epochKeys;
    for (const QVariantList &epoch :
         db.rows("SELECT practice_grant FROM conversation_epochs WHERE conversation_id = ?", {m_samConv})) {
        for (const PracticeKey &k : practiceKeys) {
            if (auto key = openSealed(k.boxPublic, k.boxSecret.bytes(), fromBase64(epoch.at(0))))
                epochKeys.append(*key);
        }
    }
    const QByteArray benSign = m_ben->identity()->keys().signPublic;
    const auto opens = [&](const MessageEnvelope &e, const QString &clientId) {
        for (const QByteArray &key : epochKeys) {
            if (openMessage(key, m_samConv, clientId, benSign, e).check == MessageCheck::Ok)
                return true;
        }
        return false;
    };
    const QString canaryClient =
        db.value("SELECT client_id FROM messages WHERE id = ?", {m_canaryMessageId}).toString();
    const QString afterClient = db.value("SELECT client_id FROM messages WHERE id = ?", {afterId}).toString();
    QVERIFY(opens(*canaryEnvelope, canaryClient)); // what she could read before her removal
    QVERIFY(!opens(*afterEnvelope, afterClient)); // and nothing sent after it
}

void TestAppE2ee::recoveryKeyRestoresHistoryOnANewDevice()
{
    QVERIFY(m_maya);
    const QString welcomeId =
        roleText(*m_maya->thread(), rowOfBody(*m_maya->thread(), m_welcome), ThreadModel::MessageIdRole);
    QVERIFY(!welcomeId.isEmpty());
    const QString text = m_maya->security()->createRecoveryKey();
    QVERIFY(RecoveryKey::parse(text).has_value());
    QTRY_VERIFY_WITH_TIMEOUT(m_maya->security()->hasRecoveryKey(), NetworkWait);
    const QString firstDevice = m_maya->identity()->keys().deviceId;

    // A key learnt after the recovery key was made still reaches the backup. Maya's tablet joins, so
    // Ben's next message starts a new epoch; her phone learns its key and appends it as an entry.
    QString mayaId;
    const QString mayaToken = bareToken(url(), "maya@patient.example", Password, &mayaId);
    auto backupEntries = [&] {
        return call(url(), mayaToken,
                    [](ApiClient &api, QObject *ctx, ApiClient::Callback done) { api.fetchKeyBackup(ctx, done); })
            .body.value("entries")
            .toArray()
            .size();
    };
    QCOMPARE(backupEntries(), 0);
    QTemporaryDir tabletDir;
    QVERIFY(removeFromKeychain(accountOf(m_maya->session()->userId()))); // the tablet gets its own keychain entry
    auto tablet = signedInApp(tabletDir.path(), url(), "maya@patient.example");
    QVERIFY(tablet->session()->signedIn());
    m_ben->current()->open(m_mayaConv);
    QTRY_VERIFY_WITH_TIMEOUT(
        (loadAll(*m_ben->thread()), rowOfBody(*m_ben->thread(), "Maya Chen added a new device.") >= 0), NetworkWait);
    const QString later = QStringLiteral("Your results came back and all is well.");
    QVERIFY(sendText(*m_ben, later));
    QTRY_VERIFY_WITH_TIMEOUT(isDelivered(*m_ben->thread(), later), NetworkWait);
    m_maya->current()->open(m_mayaConv);
    QTRY_COMPARE_WITH_TIMEOUT(
        roleText(*m_maya->thread(), rowOfBody(*m_maya->thread(), later), ThreadModel::VerificationRole),
        QStringLiteral("verified"), NetworkWait);
    QTRY_VERIFY_WITH_TIMEOUT(backupEntries() >= 1, NetworkWait);
    const QString laterId =
        roleText(*m_maya->thread(), rowOfBody(*m_maya->thread(), later), ThreadModel::MessageIdRole);
    tablet.reset();

    // Every staff app is closed, so no handover can help: only the recovery key can.
    m_ben.reset();
    m_ana.reset();
    QVERIFY(removeFromKeychain(accountOf(m_maya->session()->userId())));
    auto maya = signedInApp(m_maya2Dir.path(), url(), "maya@patient.example");
    QVERIFY(maya->session()->signedIn());
    QVERIFY(maya->identity()->keys().deviceId != firstDevice);
    QTRY_VERIFY_WITH_TIMEOUT(maya->security()->hasRecoveryKey(), NetworkWait);
    QTRY_COMPARE_WITH_TIMEOUT(maya->conversationList()->rowCount(), 1, NetworkWait);
    maya->current()->open(m_mayaConv);
    ThreadModel *thread = maya->thread();
    QTRY_VERIFY_WITH_TIMEOUT((loadAll(*thread), rowOfMessage(*thread, welcomeId) >= 0), NetworkWait);
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, welcomeId), ThreadModel::VerificationRole),
                              QStringLiteral("keyPending"), NetworkWait);

    QSignalSpy restored(maya->security(), &DeviceSecurity::recoveryRestored);
    maya->security()->restoreFromRecoveryKey("0000 1111 2222");
    QTRY_COMPARE_WITH_TIMEOUT(maya->security()->deviceError(), RecoveryBackup::wrongKeySentence(), NetworkWait);
    maya->security()->restoreFromRecoveryKey(RecoveryKey::generate().display());
    QTRY_VERIFY_WITH_TIMEOUT(maya->security()->deviceError().contains("does not open"), NetworkWait);
    QCOMPARE(restored.size(), 0);

    maya->security()->restoreFromRecoveryKey(text.toLower());
    QTRY_COMPARE_WITH_TIMEOUT(restored.size(), 1, NetworkWait);
    QCOMPARE(maya->security()->deviceError(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, welcomeId), ThreadModel::BodyRole), m_welcome,
                              NetworkWait);
    QCOMPARE(roleText(*thread, rowOfMessage(*thread, welcomeId), ThreadModel::VerificationRole),
             QStringLiteral("verified"));
    QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfMessage(*thread, laterId), ThreadModel::BodyRole), later,
                              NetworkWait);
}

void TestAppE2ee::cleanupTestCase()
{
    m_ben.reset();
    m_sam.reset();
    m_sam2.reset();
    m_maya.reset();
    m_ana.reset();
    m_server.kill();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ChildVariable))
        return runChild();
    TestAppE2ee test;
    return QTest::qExec(&test, argc, argv);
}
