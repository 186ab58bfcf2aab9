// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The loopback helpers tests run beside larch-server: waiting on the event loop, a free port, the Python fakes and
// aiosmtpd keeping mail in a Maildir.
#include "Loopback.h"

#include "HttpClient.h"

#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace loopback {

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
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

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

PythonFake::~PythonFake()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool PythonFake::start(const QString &script, const QStringList &args)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(kPython, QStringList{QStringLiteral(LARCH_TEST_FAKES_DIR "/") + script} + args);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression re(QStringLiteral("listening on (\\d+)"));
    QByteArray out;
    while (m_process.waitForReadyRead(15000)) {
        out += m_process.readAllStandardOutput();
        const auto m = re.match(QString::fromUtf8(out));
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            return true;
        }
    }
    qWarning() << script << "did not start:" << out << m_process.readAllStandardError();
    return false;
}

QJsonArray SmsGateway::messages() const
{
    return HttpClient(url()).get(QStringLiteral("/messages")).json.value(QLatin1String("messages")).toArray();
}

QStringList SmsGateway::textsTo(const QString &to, const QString &marker) const
{
    QStringList out;
    for (const QJsonValue &v : messages()) {
        const QJsonObject form = v[QLatin1String("form")].toObject();
        const QString body = form.value(QLatin1String("Body")).toString();
        if (form.value(QLatin1String("To")).toString() == to && body.contains(marker))
            out.append(body);
    }
    return out;
}

QString SmsGateway::sidOf(const QString &body) const
{
    for (const QJsonValue &v : messages()) {
        if (v[QLatin1String("form")][QLatin1String("Body")].toString() == body)
            return v[QLatin1String("sid")].toString();
    }
    return {};
}

int SmsGateway::report(const QString &sid, const QString &status) const
{
    return HttpClient(url())
        .post(QStringLiteral("/callback"), {{"sid", sid}, {"status", status}})
        .json.value(QLatin1String("status"))
        .toInt();
}

MailSink::~MailSink()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool MailSink::start(const QString &tlsCert, const QString &tlsKey)
{
    m_port = freePort();
    QStringList args{QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"), QStringLiteral("-l"),
                     QStringLiteral("127.0.0.1:%1").arg(m_port)};
    if (!tlsCert.isEmpty())
        args << QStringLiteral("--tlscert") << tlsCert << QStringLiteral("--tlskey") << tlsKey;
    args << QStringLiteral("-c") << QStringLiteral("aiosmtpd.handlers.Mailbox") << maildir();
    m_process.start(kPython, args);
    if (!m_process.waitForStarted(10000)) {
        qWarning("python3 -m aiosmtpd did not start; install python3-aiosmtpd");
        return false;
    }
    return waitUntil([this] {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        return probe.waitForConnected(200);
    });
}

QStringList MailSink::mails() const
{
    QStringList bodies;
    const QDir newMail(maildir() + QStringLiteral("/new"));
    for (const QString &name : newMail.entryList(QDir::Files, QDir::Time | QDir::Reversed)) {
        QFile file(newMail.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray text = file.readAll();
        text.replace("\r\n", "\n");
        bodies.append(QString::fromUtf8(text));
    }
    return bodies;
}

} // namespace loopback
