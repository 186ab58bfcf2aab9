// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the app_e2ee topic files share: the test class, its fixture and helpers.
#pragma once

#include "AppTestKit.h"
#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/RecoveryBackup.h"
#include "client/e2ee/SecureSync.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/crypto/RecoveryKey.h"
#include "models/app/AppController.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/security/PendingDeviceModel.h"
#include "models/thread/ThreadModel.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

const QString Password = QStringLiteral("larch-demo-password");
const char *const ChildVariable = "LARCH_E2EE_TEST_CHILD";

inline QByteArray fromBase64(const QVariant &v) { return QByteArray::fromBase64(v.toString().toLatin1()); }

inline bool sendText(AppController &app, const QString &text)
{
    app.compose()->setText(text);
    return app.compose()->send();
}

inline bool isDelivered(const ThreadModel &thread, const QString &body)
{
    const QString state = roleText(thread, rowOfBody(thread, body), ThreadModel::DeliveryStateRole);
    return state == QLatin1String("sent") || state == QLatin1String("read");
}

// The child process of keychainUnavailableAtSignIn: signs in with no reachable keychain and reports.
inline int runChild()
{
    AppController app(qEnvironmentVariable("LARCH_E2EE_DIR"));
    app.session()->setServerUrl(qEnvironmentVariable("LARCH_E2EE_SERVER"));
    app.session()->signIn(qEnvironmentVariable("LARCH_E2EE_EMAIL"), Password);
    (void)QTest::qWaitFor(
        [&] {
            return !app.session()->busy() && (app.session()->signedIn() || !app.session()->signInError().isEmpty());
        },
        NetworkWait);
    const QJsonObject report{{"deviceState", DeviceState::name(app.security()->deviceState())},
                             {"signInError", app.session()->signInError()},
                             {"signedIn", app.session()->signedIn()}};
    QTextStream(stdout) << QJsonDocument(report).toJson(QJsonDocument::Compact) << Qt::endl;
    return 0;
}

/// End-to-end encryption with whole apps against the real larch-server and a real keyring (tests/support/run-with-
/// keyring.sh): live exchange, a canary found nowhere, the welcome note handover, a second patient device, tampering by
/// the server, staff approval and removal, recovery keys, a missing keychain.
class TestAppE2ee : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir;
    QTemporaryDir m_logDir;
    TestServer m_server{m_serverDir.path()};
    QString m_logPath;
    QTemporaryDir m_benDir, m_samDir, m_mayaDir, m_anaDir, m_cleoDir, m_sam2Dir, m_samFreshDir, m_mayaFreshDir,
        m_maya2Dir;
    std::unique_ptr<AppController> m_ben, m_sam, m_maya, m_ana, m_sam2;
    QString m_samConv, m_mayaConv, m_practiceId;
    QString m_canary, m_canaryMessageId;
    const QString m_welcome = QStringLiteral("Welcome to Birch Family Medicine. Write to us here any time.");

    QString url() const { return m_server.baseUrl(); }

    QString accountOf(const QString &userId) const { return DeviceIdentity::accountFor(QUrl(url()), userId); }

    // Ben's app again after it was closed: its cached session opens with the keys from the keychain.
    void reopenBen()
    {
        m_ben = std::make_unique<AppController>(m_benDir.path());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->signedIn(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online(), NetworkWait);
    }

private slots:
    void initTestCase();
    void keychainUnavailableAtSignIn();
    void welcomeNoteOpensOnThePatientsFirstDevice();
    void liveExchangeLeavesNoCanaryAnywhere();
    void secondPatientDeviceReadsNewMessagesAndHistory();
    void tamperedMessagesShowAsUnverifiable();
    void pendingStaffDeviceIsApprovedAndRemovedStaffCannotRead();
    void recoveryKeyRestoresHistoryOnANewDevice();
    void cleanupTestCase();
};
