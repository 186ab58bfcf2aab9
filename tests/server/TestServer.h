// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts the real larch-server binary for integration tests and talks HTTP to it synchronously.
#pragma once

#include <memory>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

/// A larch-server process on an ephemeral loopback port with its own data directory.
class TestServer {
public:
    /// dataDir: reuse a directory to restart on the same data; empty makes a fresh temporary one.
    explicit TestServer(const QString &dataDir = {});
    ~TestServer();

    /// Starts the binary and waits for its "listening on" line; false (with output logged) on failure.
    bool start(const QStringList &extraArgs = {});
    /// SIGTERM and wait; returns the exit code (-1 when it did not exit normally).
    int terminate();
    /// Prints the server's log and thread backtraces (when gdb is installed) after a stop that hangs.
    void reportHang();
    /// SIGKILL and wait.
    void kill();

    quint16 port() const { return m_port; }
    /// https:// when the server was started with --tls-cert.
    QString baseUrl() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? "https" : "http").arg(m_port); }
    QString dataDir() const { return m_dataDir; }
    QByteArray standardError() const { return m_stderr; }
    bool running() const { return m_process && m_process->state() == QProcess::Running; }

private:
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dataDir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    bool m_tls = false;
    QByteArray m_stderr;
};

/// A finished HTTP exchange.
struct HttpReply {
    int status = 0; ///< 0 when no HTTP response arrived
    QByteArray body;
    QJsonObject json; ///< the body when it is a JSON object
    QString errorCode() const
    {
        return json.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
};

/// Blocking HTTP calls against a TestServer, one QNetworkAccessManager per client.
class HttpClient {
public:
    explicit HttpClient(const QString &baseUrl) : m_base(baseUrl) { }

    HttpReply request(const QByteArray &method, const QString &path, const QJsonObject &body = {},
                      const QString &token = {});
    /// Sends body bytes exactly as given, with the given Content-Type (none when empty).
    HttpReply raw(const QByteArray &method, const QString &path, const QByteArray &body, const QByteArray &contentType,
                  const QString &token = {});

    HttpReply get(const QString &path, const QString &token = {}) { return request("GET", path, {}, token); }
    HttpReply post(const QString &path, const QJsonObject &body, const QString &token = {})
    {
        return request("POST", path, body, token);
    }

    // Shortcuts for setting up scenes; each fails the calling test through its return value's status.
    /// Creates a practice; returns the 201 body ({practice, user, session}).
    QJsonObject createPractice(const QString &name, const QString &adminEmail,
                               const QString &password = QStringLiteral("correct horse battery"));
    /// Signs in; returns the token or "" on failure.
    QString signIn(const QString &email, const QString &password = QStringLiteral("correct horse battery"));

private:
    QNetworkAccessManager m_nam;
    QString m_base;
};
