// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server tests with loopback helper processes share: waiting on the event loop, a free port, and a
// Python helper (sms_gateway.py, aiosmtpd) that reports its port once it listens.
#pragma once

#include <functional>
#include <QByteArray>
#include <QDebug>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QtTest>

namespace loopback {

/// Debian's Python, which has python3-aiosmtpd (a pyenv python3 on PATH may not).
inline const QString kPython = QStringLiteral("/usr/bin/python3");

/// Runs the event loop until done() or the timeout; returns done().
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QTest::qWait(50);
    }
    return true;
}

/// A free loopback port (closed again; aiosmtpd needs a number up front).
inline quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

/// A Python helper process that prints "listening on <port>" once ready; killed with the object.
struct Helper {
    QProcess process;
    quint16 port = 0;
    bool start(const QStringList &args)
    {
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start(kPython, args);
        if (!process.waitForStarted(10000))
            return false;
        static const QRegularExpression re(QStringLiteral("listening on (\\d+)"));
        QByteArray out;
        while (process.waitForReadyRead(15000)) {
            out += process.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                port = quint16(m.captured(1).toUInt());
                return true;
            }
        }
        qWarning() << "helper did not start:" << out << process.readAllStandardError();
        return false;
    }
    ~Helper()
    {
        process.kill();
        process.waitForFinished(5000);
    }
};

} // namespace loopback
