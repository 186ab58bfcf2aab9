// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One app per local store: a second start hands its invitation link to the running one and exits 0, also
// after a crash left a stale socket; the real larch binary does the same.
#include "SingleInstance.h"
#include "StandInServer.h"

#include <QElapsedTimer>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>

namespace {
const QString Link = QStringLiteral("larch://invite/AbCdEfGhIjKlMnOpQrStUv");

// Reads the process's stdout until it holds text; false after timeoutMs.
bool waitForOutput(QProcess &process, QByteArray &seen, const QByteArray &text, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (!seen.contains(text)) {
        if (timer.elapsed() > timeoutMs || process.state() == QProcess::NotRunning)
            return false;
        process.waitForReadyRead(200);
        seen += process.readAllStandardOutput();
    }
    return true;
}

void stop(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished(5000);
    }
}
} // namespace

/// One app per local store: probe processes around SingleInstance, then the real larch binary.
class TestAppSingleInstance : public QObject {
    Q_OBJECT
private slots:
    void secondStartHandsOverTheLink();
    void staleSocketDoesNotBlockStart();
    void runningAppThatDoesNotAnswerIsKept();
    void realAppHandsOverAndExits();
};

void TestAppSingleInstance::secondStartHandsOverTheLink()
{
    QTemporaryDir dataDir;
    QProcess first;
    QByteArray firstOut;
    first.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path()});
    QVERIFY2(waitForOutput(first, firstOut, "listening"), firstOut.constData());

    QProcess second;
    // Handing over answers at once; a second start that waited for the first to time out would not finish here.
    second.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path(), Link});
    QVERIFY(second.waitForFinished(5000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QVERIFY(second.readAllStandardOutput().contains("handed-over"));
    QVERIFY2(waitForOutput(first, firstOut, ("received " + Link).toUtf8()), firstOut.constData());

    // Another data folder is another store: it starts on its own.
    QTemporaryDir otherDir;
    QProcess other;
    QByteArray otherOut;
    other.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {otherDir.path()});
    QVERIFY2(waitForOutput(other, otherOut, "listening"), otherOut.constData());
    stop(other);
    stop(first);
}

void TestAppSingleInstance::staleSocketDoesNotBlockStart()
{
    QTemporaryDir dataDir;
    QProcess crashed;
    QByteArray crashedOut;
    crashed.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path()});
    QVERIFY2(waitForOutput(crashed, crashedOut, "listening"), crashedOut.constData());
    crashed.kill(); // SIGKILL: the socket file stays behind
    QVERIFY(crashed.waitForFinished(5000));

    QProcess next;
    QByteArray nextOut;
    next.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path()});
    QVERIFY2(waitForOutput(next, nextOut, "listening", 5000), nextOut.constData());

    QProcess link;
    link.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path(), Link});
    QVERIFY(link.waitForFinished(5000));
    QCOMPARE(link.exitCode(), 0);
    QVERIFY2(waitForOutput(next, nextOut, ("received " + Link).toUtf8()), nextOut.constData());
    stop(next);
}

void TestAppSingleInstance::runningAppThatDoesNotAnswerIsKept()
{
    QTemporaryDir dataDir;
    QProcess running;
    QByteArray runningOut;
    running.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path()});
    QVERIFY2(waitForOutput(running, runningOut, "listening"), runningOut.constData());
    // Stopped, it still owns the store: a second start must not take the socket over, and says so.
    ::kill(pid_t(running.processId()), SIGSTOP);
    QProcess second;
    second.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path(), Link});
    QVERIFY(second.waitForFinished(15000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAllStandardOutput().contains("busy"));
    ::kill(pid_t(running.processId()), SIGCONT);

    QProcess third;
    third.start(QStringLiteral(SINGLE_INSTANCE_PROBE), {dataDir.path(), Link});
    QVERIFY(third.waitForFinished(5000));
    QCOMPARE(third.exitCode(), 0);
    QVERIFY2(waitForOutput(running, runningOut, ("received " + Link).toUtf8()), runningOut.constData());
    stop(running);
}

void TestAppSingleInstance::realAppHandsOverAndExits()
{
    QTemporaryDir dataDir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LARCH_CLIENT_DATA_DIR"), dataDir.path());
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // A stand-in for larch-server that answers 404 to everything: opening the link asks it about the token.
    StandInServer stand;
    stand.unanswered = {404, {}};
    const QStringList server = {QStringLiteral("--server"), stand.url().toString()};

    QProcess first;
    first.setProcessEnvironment(env);
    first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    first.start(QStringLiteral(LARCH_APP_BINARY), server);
    QVERIFY(first.waitForStarted());
    // The running app listens once its store is claimed.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 QLocalSocket probe;
                                 probe.connectToServer(SingleInstance::serverName(dataDir.path()));
                                 return probe.waitForConnected(200);
                             }()),
                             20000);

    QProcess second;
    second.setProcessEnvironment(env);
    second.start(QStringLiteral(LARCH_APP_BINARY), QStringList(server) << Link);
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    QCOMPARE(first.state(), QProcess::Running);
    // The running app, signed out, opened joining with the link: it looks the token up.
    const QByteArray lookup = "/v1/invitations/by-token/" + Link.section(u'/', -1).toUtf8();
    QTRY_VERIFY_WITH_TIMEOUT(stand.count("GET", lookup) > 0, 10000);
    stop(first);
}

QTEST_GUILESS_MAIN(TestAppSingleInstance)
#include "tst_app_single_instance.moc"
