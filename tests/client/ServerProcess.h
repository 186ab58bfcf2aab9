// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs the real larch-server binary for a test: start on an ephemeral loopback port, kill, restart on the same port.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

/// One larch-server child process and the port it listens on.
class ServerProcess {
public:
    ~ServerProcess();
    /// Starts the server with --port <port> (0 for any) and --data-dir; false with error() set on failure.
    bool start(const QString &dataDir, int port = 0, const QStringList &extraArgs = {});
    /// Where the server's log (its stderr) goes; by default it is discarded. Set before start().
    void setLogFile(const QString &path) { m_logFile = path; }
    /// SIGKILL: no clean shutdown, no close frames, as when a machine dies.
    void kill();
    int port() const { return m_port; }
    /// The server's process id (0 when not running), for benchmarks that read its CPU time.
    qint64 pid() const { return m_process.processId(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString error() const { return m_error; }
    static QString binary();

private:
    QProcess m_process;
    int m_port = 0;
    QString m_error;
    QString m_logFile;
};
