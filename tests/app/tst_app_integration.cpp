// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Whole clients (AppController and everything under it) against the real larch-server on loopback, with their
// device keys in a real keychain (tests/support/run-with-keyring.sh).
#include "AppTestKit.h"
#include "client/net/ApiClient.h"
#include "models/app/AppController.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/thread/ThreadModel.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
const QString DemoPassword = QStringLiteral("larch-demo-password");
constexpr int ReconnectWait = 60000; // the backoff may be at a few seconds when the server returns

int rowsWithBody(const ThreadModel &thread, const QString &body)
{
    return countRows(thread, ThreadModel::BodyRole, body);
}

QString stateOf(const ThreadModel &thread, const QString &body)
{
    const int row = rowOfBody(thread, body);
    return row < 0 ? QString() : thread.index(row).data(ThreadModel::DeliveryStateRole).toString();
}

QString clientIdOf(const ThreadModel &thread, const QString &body)
{
    const int row = rowOfBody(thread, body);
    return row < 0 ? QString() : thread.index(row).data(ThreadModel::ClientIdRole).toString();
}

// Asks the server directly how many stored messages carry this client id (the server sees no text).
int serverCount(const QString &url, const QString &token, const QString &conversationId, const QString &clientId)
{
    ApiClient api;
    api.setServerUrl(QUrl(url));
    api.setToken(token);
    int count = -1;
    bool done = false;
    api.fetchMessages(conversationId, 0, 200, &api, [&](const ApiResult &result) {
        done = true;
        if (!result.ok())
            return;
        count = 0;
        for (const QJsonValue &v : result.body.value("messages").toArray())
            count += v.toObject().value("clientId").toString() == clientId;
    });
    if (!QTest::qWaitFor([&] { return done; }, NetworkWait))
        return -1;
    return count;
}
} // namespace

/// A clinician's and a patient's whole apps against the real server.
class TestAppIntegration : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir;
    TestServer m_server{m_serverDir.path()};
    QTemporaryDir m_benDir;
    QTemporaryDir m_samDir;
    std::unique_ptr<AppController> m_ben;
    std::unique_ptr<AppController> m_sam;
    QString m_conversationId;

    std::unique_ptr<AppController> signedIn(const QString &dir, const QString &email)
    {
        auto app = std::make_unique<AppController>(dir);
        app->session()->setServerUrl(m_server.baseUrl());
        app->session()->signIn(email, DemoPassword);
        const bool ok = QTest::qWaitFor(
            [&] {
                return app->session()->signedIn()
                    || (!app->session()->busy() && !app->session()->signInError().isEmpty());
            },
            NetworkWait);
        if (!ok || !app->session()->signedIn())
            qWarning("sign-in failed: %s", qPrintable(app->session()->signInError()));
        return app;
    }

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        qunsetenv("LARCH_CLIENT_DATA_DIR");
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
    }

    void wrongPasswordUnreachableAndInsecureServer()
    {
        QTemporaryDir dir;
        AppController app(dir.path());
        app.session()->setServerUrl(m_server.baseUrl());
        app.session()->signIn("ben@birch.example", "not-the-password");
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->busy() && !app.session()->signInError().isEmpty(), NetworkWait);
        QCOMPARE(app.session()->signInError(), ErrorText::wrongCredentials());
        QVERIFY(!app.session()->signedIn());

        // Nothing listens on the port of a server that was started and stopped.
        TestServer gone;
        QVERIFY2(gone.start(), qPrintable(gone.error()));
        const QString goneUrl = gone.baseUrl();
        gone.kill();
        app.session()->setServerUrl(goneUrl);
        app.session()->signIn("ben@birch.example", DemoPassword);
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->busy(), NetworkWait);
        QCOMPARE(app.session()->signInError(), ErrorText::unreachable());

        app.session()->setServerUrl("http://larch.example.org");
        app.session()->signIn("ben@birch.example", DemoPassword);
        QVERIFY(!app.session()->busy());
        QCOMPARE(app.session()->signInError(), ErrorText::insecureUrl());
        QVERIFY(!app.session()->signedIn());
    }

    void clinicianAndPatientExchangeInRealTime()
    {
        m_ben = signedIn(m_benDir.path(), "ben@birch.example");
        m_sam = signedIn(m_samDir.path(), "sam@patient.example");
        QVERIFY(m_ben->session()->signedIn());
        QVERIFY(m_sam->session()->signedIn());
        QCOMPARE(m_ben->session()->userRole(), AccountRole::Clinician);
        QCOMPARE(m_sam->session()->userRole(), AccountRole::Patient);
        // Ben's is the practice's first staff device: active at once, and it makes the practice key.
        QCOMPARE(m_ben->security()->deviceState(), DeviceState::Active);
        QCOMPARE(m_sam->security()->deviceState(), DeviceState::Active);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online() && m_sam->session()->online(), NetworkWait);
        QVERIFY(m_ben->session()->offlineText().isEmpty());

        QTRY_VERIFY_WITH_TIMEOUT(!conversationTitled(*m_ben, "Sam Lee").isEmpty(), NetworkWait);
        m_conversationId = conversationTitled(*m_ben, "Sam Lee");
        QTRY_COMPARE_WITH_TIMEOUT(m_sam->conversationList()->rowCount(), 1, NetworkWait);
        QCOMPARE(m_sam->conversationList()->index(0).data(ConversationListModel::ConversationIdRole).toString(),
                 m_conversationId);

        // Sam is not looking at the thread: the message arrives as unread.
        m_sam->current()->setWindowActive(false);
        m_ben->current()->open(m_conversationId);
        QCOMPARE(m_ben->current()->title(), QStringLiteral("Sam Lee"));
        QVERIFY(m_ben->current()->secure());
        ThreadModel *benThread = m_ben->thread();
        const int unreadBefore =
            m_sam->conversationList()->index(0).data(ConversationListModel::UnreadCountRole).toInt();

        const QString hello = QStringLiteral("Your results are in; everything looks normal.");
        m_ben->compose()->setText(hello);
        QVERIFY(m_ben->compose()->send());
        QCOMPARE(benThread->index(0).data(ThreadModel::BodyRole).toString(), hello);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(*benThread, hello) == QStringLiteral("sent"), NetworkWait);

        const QModelIndex samRow = m_sam->conversationList()->index(0);
        QTRY_COMPARE_WITH_TIMEOUT(samRow.data(ConversationListModel::PreviewRole).toString(), hello, NetworkWait);
        QCOMPARE(samRow.data(ConversationListModel::UnreadCountRole).toInt(), unreadBefore + 1);

        // Sam opens it: it is marked read on the server, and Ben sees "read".
        m_sam->current()->setWindowActive(true);
        m_sam->current()->open(m_conversationId);
        ThreadModel *samThread = m_sam->thread();
        QTRY_COMPARE_WITH_TIMEOUT(rowsWithBody(*samThread, hello), 1, NetworkWait);
        QCOMPARE(stateOf(*samThread, hello), QStringLiteral("received"));
        QCOMPARE(samThread->index(rowOfBody(*samThread, hello)).data(ThreadModel::VerificationRole).toString(),
                 QStringLiteral("verified"));
        QCOMPARE(samThread->index(rowOfBody(*samThread, hello)).data(ThreadModel::SenderNameRole).toString(),
                 m_ben->session()->userName());
        QTRY_COMPARE_WITH_TIMEOUT(samRow.data(ConversationListModel::UnreadCountRole).toInt(), 0, NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*benThread, hello), QStringLiteral("read"), NetworkWait);

        // And back: Sam's reply shows in Ben's open thread at once, once.
        const QString reply = QStringLiteral("Thank you, that is a relief.");
        m_sam->compose()->setText(reply);
        QVERIFY(m_sam->compose()->send());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWithBody(*benThread, reply), 1, NetworkWait);
        QCOMPARE(rowOfBody(*benThread, reply), 0);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*samThread, reply), QStringLiteral("read"), NetworkWait);
        QCOMPARE(rowsWithBody(*samThread, reply), 1);
        QCOMPARE(rowsWithBody(*benThread, hello), 1);
    }

    void serverKilledAndRestartedLosesAndDuplicatesNothing()
    {
        QVERIFY(m_ben && m_sam);
        ThreadModel *samThread = m_sam->thread();
        const int samRowsBefore = samThread->rowCount();

        const QString beforeKill = QStringLiteral("Please book a follow-up for next week.");
        m_ben->compose()->setText(beforeKill);
        QVERIFY(m_ben->compose()->send());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWithBody(*samThread, beforeKill), 1, NetworkWait);

        m_server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->session()->online() && !m_sam->session()->online(), NetworkWait);
        QVERIFY(m_ben->session()->signedIn()); // offline is not signed out
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->offlineText().startsWith(QStringLiteral("Offline")), NetworkWait);

        // Written while the server is down: pending, kept through a restart of the app.
        const QString whileDown = QStringLiteral("Written while the server was down.");
        m_ben->compose()->setText(whileDown);
        QVERIFY(m_ben->compose()->send());
        QCOMPARE(stateOf(*m_ben->thread(), whileDown), QStringLiteral("pending"));
        const QString unsentDraft = QStringLiteral("A draft that is not sent yet");
        m_ben->compose()->setText(unsentDraft);

        m_ben.reset(); // the app quits
        m_ben = std::make_unique<AppController>(m_benDir.path()); // and starts again, still offline
        // The cached session is encrypted under the storage key in the keychain: signed in once it is read.
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->signedIn(), NetworkWait);
        QVERIFY(!m_ben->session()->online());
        QVERIFY(!conversationTitled(*m_ben, "Sam Lee").isEmpty()); // the list is there at once from the cache
        m_ben->current()->open(m_conversationId);
        ThreadModel *benThread = m_ben->thread();
        QCOMPARE(stateOf(*benThread, whileDown), QStringLiteral("pending"));
        QCOMPARE(rowsWithBody(*benThread, beforeKill), 1);
        QCOMPARE(m_ben->compose()->text(), unsentDraft);

        QVERIFY2(m_server.start({"--demo"}, m_server.port()), qPrintable(m_server.error()));
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online() && m_sam->session()->online(), ReconnectWait);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(*benThread, whileDown) == QStringLiteral("read")
                                     || stateOf(*benThread, whileDown) == QStringLiteral("sent"),
                                 NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(rowsWithBody(*samThread, whileDown), 1, NetworkWait);
        QCOMPARE(rowsWithBody(*benThread, whileDown), 1);
        QCOMPARE(rowsWithBody(*samThread, beforeKill), 1);
        QCOMPARE(samThread->rowCount(), samRowsBefore + 2);
        QCOMPARE(m_ben->store()->outbox().entries().size(), 0);

        const QString token = m_ben->store()->account().session()->token;
        QCOMPARE(serverCount(m_server.baseUrl(), token, m_conversationId, clientIdOf(*benThread, whileDown)), 1);
        QCOMPARE(serverCount(m_server.baseUrl(), token, m_conversationId, clientIdOf(*benThread, beforeKill)), 1);
    }

    void revokedSessionSignsOut()
    {
        QTemporaryDir dir;
        auto maya = signedIn(dir.path(), "maya@patient.example");
        QVERIFY(maya->session()->signedIn());
        QTRY_VERIFY_WITH_TIMEOUT(maya->session()->online(), ReconnectWait);
        QSignalSpy signedInChanged(maya->session(), &AccountSession::signedInChanged);

        ApiClient admin; // Maya signs out everywhere from another device
        admin.setServerUrl(QUrl(m_server.baseUrl()));
        bool revoked = false;
        admin.signIn("maya@patient.example", DemoPassword, "Phone", &admin, [&](const ApiResult &result) {
            QVERIFY(result.ok());
            admin.setToken(result.body.value("token").toString());
            const QString userId = result.body.value("user").toObject().value("id").toString();
            admin.revokeAllSessions(userId, &admin, [&](const ApiResult &r) { revoked = r.ok(); });
        });
        QTRY_VERIFY_WITH_TIMEOUT(revoked, NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!maya->session()->signedIn(), NetworkWait);
        QCOMPARE(maya->session()->signInError(), ErrorText::sessionEnded());
        QCOMPARE(signedInChanged.size(), 1);
        QCOMPARE(maya->conversationList()->rowCount(), 0);

        // Restarting the app does not bring the ended session back.
        maya.reset();
        AppController again(dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(!again.session()->busy(), NetworkWait);
        QVERIFY(!again.session()->signedIn());
    }

    void expiredSessionSignsOut()
    {
        TestServer shortSessions;
        QVERIFY2(shortSessions.start({"--demo", "--session-seconds", "2"}), qPrintable(shortSessions.error()));
        QTemporaryDir dir;
        AppController app(dir.path());
        app.session()->setServerUrl(shortSessions.baseUrl());
        app.session()->signIn("ana@birch.example", DemoPassword);
        QTRY_VERIFY_WITH_TIMEOUT(app.session()->signedIn(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(app.conversationList()->rowCount() > 0, NetworkWait);
        // Past the expiry (the server and the app share this machine's clock), the next thing the app asks of the
        // server finds the session over: opening the conversation marks it read there.
        const auto session = app.store()->account().session();
        QVERIFY(session);
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() > session->expiresAt, NetworkWait);
        app.current()->open(
            app.conversationList()->index(0).data(ConversationListModel::ConversationIdRole).toString());
        QTRY_VERIFY_WITH_TIMEOUT(!app.session()->signedIn(), NetworkWait);
        QCOMPARE(app.session()->signInError(), ErrorText::sessionEnded());
    }

    void cleanupTestCase()
    {
        m_ben.reset();
        m_sam.reset();
        m_server.kill();
    }
};

QTEST_GUILESS_MAIN(TestAppIntegration)
#include "tst_app_integration.moc"
