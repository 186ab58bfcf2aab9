// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs the real larch-server binary for a test: an ephemeral loopback port, its own data folder, kill and restart.
#include "TestServer.h"

#include <algorithm>
#include <csignal>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtDebug>
#include <QThread>

QString TestServer::binary() { return QStringLiteral(LARCH_SERVER_BINARY); }

TestServer::TestServer(const QString &dataDir) : m_dataDir(dataDir)
{
    if (m_dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path();
    }
}

TestServer::~TestServer() { kill(); }

bool TestServer::start(const QStringList &extraArgs, quint16 port)
{
    m_error.clear();
    if (binary().isEmpty() || !QFileInfo(binary()).isExecutable()) {
        m_error = QStringLiteral("larch-server was not built; build the larch-server target first.");
        qWarning().noquote() << m_error;
        return false;
    }
    QStringList args{QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"), m_dataDir};
    if (m_openRegistration)
        args << QStringLiteral("--open-registration");
    args << extraArgs;
    m_tls = extraArgs.contains(QStringLiteral("--tls-cert"));
    // A port just freed by a killed server can take a moment to be bindable again.
    const int attempts = port == 0 ? 1 : 20;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (attempt > 0)
            QThread::msleep(250);
        bool portBusy = false;
        if (startOnce(args, &portBusy))
            return true;
        if (!portBusy)
            break;
    }
    qWarning().noquote() << m_error;
    return false;
}

bool TestServer::startOnce(const QStringList &args, bool *portBusy)
{
    kill();
    const QString log = m_logFile.isEmpty() ? m_logDir.filePath(QStringLiteral("larch-server.log")) : m_logFile;
    m_logStart = QFileInfo(log).size();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardErrorFile(log, QIODevice::Append);
    m_process->start(binary(), args);
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("larch-server did not start: %1").arg(m_process->errorString());
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("^larch-server listening on \\S+:(\\d+)$"));
    QByteArray out;
    QDeadlineTimer deadline(30000);
    while (true) {
        while (m_process->canReadLine()) {
            const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
            const auto match = listening.match(line);
            if (match.hasMatch()) {
                m_port = static_cast<quint16>(match.captured(1).toUInt());
                return true;
            }
            out += line.toUtf8() + '\n';
        }
        if (deadline.hasExpired())
            break;
        const bool more = m_process->waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 1000)));
        if (!more && m_process->state() != QProcess::Running && !m_process->canReadLine())
            break;
    }
    out += m_process->readAll();
    *portBusy = m_process->state() != QProcess::Running;
    m_error = QStringLiteral("larch-server did not report its port. stdout: %1 log: %2")
                  .arg(QString::fromUtf8(out), QString::fromUtf8(standardError().right(4000)));
    kill();
    return false;
}

QByteArray TestServer::standardError() const
{
    QFile log(m_logFile.isEmpty() ? m_logDir.filePath(QStringLiteral("larch-server.log")) : m_logFile);
    if (!log.open(QIODevice::ReadOnly) || !log.seek(m_logStart))
        return {};
    return log.readAll();
}

int TestServer::terminate()
{
    if (!running())
        return -1;
    ::kill(static_cast<pid_t>(m_process->processId()), SIGTERM);
    // Keeps this process's sockets serviced meanwhile, so WebSocket clients can answer the close handshake.
    QElapsedTimer timer;
    timer.start();
    while (!m_process->waitForFinished(10)) {
        QCoreApplication::processEvents();
        if (timer.elapsed() > 20000) {
            reportHang();
            kill();
            return -1;
        }
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void TestServer::reportHang()
{
    // What the server said, and where each of its threads waits, so a rare hang can be understood.
    qWarning().noquote() << "larch-server did not stop within 20 s of SIGTERM. log:\n" << standardError().right(4000);
    if (QFile::exists(QStringLiteral("/usr/bin/gdb"))) {
        QProcess gdb;
        gdb.start(QStringLiteral("/usr/bin/gdb"),
                  {QStringLiteral("-p"), QString::number(m_process->processId()), QStringLiteral("-batch"),
                   QStringLiteral("-ex"), QStringLiteral("thread apply all bt")});
        gdb.waitForFinished(30000);
        qWarning().noquote() << "threads:\n" << gdb.readAllStandardOutput().right(12000);
    }
}

void TestServer::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}
