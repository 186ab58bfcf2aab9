// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs the real larch-server binary for a test: an ephemeral loopback port, its own data folder, kill and restart.
#pragma once

#include <memory>
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

/// A larch-server process on a loopback port with its own data directory; killed when the object goes.
/// Its log (stderr) goes to a file, never to a pipe, so a test that blocks (a SQLite lock, a synchronous wait)
/// cannot stall a server writing its log.
class TestServer {
public:
    /// dataDir: reuse a directory to restart on the same data; empty makes a fresh temporary one.
    explicit TestServer(const QString &dataDir = {});
    ~TestServer();
    TestServer(const TestServer &) = delete;
    TestServer &operator=(const TestServer &) = delete;

    /// Writes the log to this file (appending) instead of a private one; set before start().
    void setLogFile(const QString &path) { m_logFile = path; }
    /// Tests make their practices with POST /v1/practices, so the server starts with --open-registration unless
    /// this is turned off before start().
    void setOpenRegistration(bool open) { m_openRegistration = open; }
    /// Starts the binary with --port (0: any free port), --data-dir and extraArgs, and waits for its
    /// "larch-server listening on 127.0.0.1:<port>" line. A port just freed by a killed server is tried again for a
    /// while, so a test can restart the server where its apps expect it. false, with error() set and logged, on failure.
    bool start(const QStringList &extraArgs = {}, quint16 port = 0);
    /// SIGTERM and wait; returns the exit code (-1 when it did not exit normally).
    int terminate();
    /// Prints the server's log and thread backtraces (when gdb is installed) after a stop that hangs.
    void reportHang();
    /// SIGKILL and wait: no clean shutdown, no close frames, as when a machine dies.
    void kill();

    quint16 port() const { return m_port; }
    /// The server's process id (0 when not running), for benchmarks that read its CPU time.
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    /// https:// when the server was started with --tls-cert.
    QString baseUrl() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? "https" : "http").arg(m_port); }
    QString dataDir() const { return m_dataDir; }
    /// What the server has written to its log since the last start().
    QByteArray standardError() const;
    QString error() const { return m_error; }
    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    /// The larch-server binary this build made ("" when the server is not built).
    static QString binary();

private:
    bool startOnce(const QStringList &args, bool *portBusy);

    std::unique_ptr<QTemporaryDir> m_tempDir; ///< the data directory when none was given
    QTemporaryDir m_logDir; ///< holds the log when no log file was given
    QString m_dataDir;
    QString m_logFile;
    bool m_openRegistration = true;
    qint64 m_logStart = 0; ///< the log's size when the current run started
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    bool m_tls = false;
    QString m_error;
};
