// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The loopback helpers tests run beside larch-server: waiting on the event loop, a free port, the Python fakes of
// tests/support/fakes (an SMS gateway, an SMTP server with AUTH) and aiosmtpd keeping mail in a Maildir.
#pragma once

#include <functional>
#include <QJsonArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace loopback {

/// Debian's Python, which has python3-aiosmtpd (a pyenv python3 on PATH may not).
inline const QString kPython = QStringLiteral("/usr/bin/python3");

/// Runs the event loop until done() or the timeout; returns done().
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000);

/// A free loopback port (closed again; aiosmtpd needs a number up front).
quint16 freePort();

/// A Python fake of tests/support/fakes that prints "listening on <port>" once ready; killed with the object.
class PythonFake {
public:
    ~PythonFake();
    /// Runs fakes/<script> with args and waits for its port; false (with its output logged) when it does not start.
    bool start(const QString &script, const QStringList &args);
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

/// fakes/sms_gateway.py: a gateway in the shape of Twilio's Messages API, and what the server sent through it.
class SmsGateway {
public:
    /// Starts the gateway with the account id and auth token a server must present (and signs callbacks with).
    bool start(const QString &account, const QString &token)
    {
        return m_fake.start(QStringLiteral("sms_gateway.py"), {account, token});
    }
    quint16 port() const { return m_fake.port(); }
    QString url() const { return m_fake.url(); }
    /// Every send attempt, oldest first: {"sid", "status", "auth", "form", "answered"}.
    QJsonArray messages() const;
    /// The bodies texted to a number that contain marker, oldest first.
    QStringList textsTo(const QString &to, const QString &marker = {}) const;
    /// The gateway's sid for the text with this body ("" when none).
    QString sidOf(const QString &body) const;
    /// Has the gateway post a signed status callback, as Twilio does; the server's answer status.
    int report(const QString &sid, const QString &status) const;

private:
    PythonFake m_fake;
};

/// aiosmtpd on a free loopback port, keeping every mail in a Maildir (its Mailbox handler); stopped with the object.
class MailSink {
public:
    ~MailSink();
    /// Starts it, requiring STARTTLS when a certificate and key are given; false when it does not accept connections.
    bool start(const QString &tlsCert = {}, const QString &tlsKey = {});
    quint16 port() const { return m_port; }
    /// smtp://127.0.0.1:<port>, for --smtp-url.
    QString url() const { return QStringLiteral("smtp://127.0.0.1:%1").arg(m_port); }
    /// The Maildir; new mail arrives in its new/ folder.
    QString maildir() const { return m_dir.filePath(QStringLiteral("maildir")); }
    /// The mails received so far, oldest first, each with CRLF made LF.
    QStringList mails() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace loopback
