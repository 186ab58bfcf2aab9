// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

QString ServerProcess::binary() { return QStringLiteral(LARCH_SERVER_BINARY); }

ServerProcess::~ServerProcess() { kill(); }

bool ServerProcess::start(const QString &dataDir, int port, const QStringList &extraArgs)
{
    if (binary().isEmpty() || !QFileInfo(binary()).isExecutable()) {
        m_error = QStringLiteral("larch-server was not built; build the larch-server target first.");
        return false;
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    if (m_logFile.isEmpty())
        m_process.setStandardErrorFile(QProcess::nullDevice());
    else
        m_process.setStandardErrorFile(m_logFile, QIODevice::Append);
    QStringList args{QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"), dataDir};
    args << extraArgs;
    // A port just freed by a killed server can take a moment to be bindable again.
    for (int attempt = 0; attempt < 20; ++attempt) {
        m_process.start(binary(), args);
        if (!m_process.waitForStarted(10000)) {
            m_error = QStringLiteral("larch-server did not start: %1").arg(m_process.errorString());
            return false;
        }
        QByteArray out;
        QDeadlineTimer deadline(20000);
        static const QRegularExpression listening(QStringLiteral("larch-server listening on ([^\\s]+):(\\d+)"));
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(out));
            if (match.hasMatch()) {
                m_port = match.captured(2).toInt();
                return true;
            }
        }
        m_process.kill();
        m_process.waitForFinished(5000);
        if (port == 0)
            break;
        QThread::msleep(250);
    }
    m_error = QStringLiteral("larch-server did not report its port");
    return false;
}

void ServerProcess::kill()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}
