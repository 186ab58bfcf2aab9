// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "TestServer.h"

#include <csignal>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QtDebug>
#include <QTimer>

TestServer::TestServer(const QString &dataDir) : m_dataDir(dataDir)
{
    if (m_dataDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_dataDir = m_tempDir->path();
    }
}

TestServer::~TestServer()
{
    if (running())
        kill();
}

bool TestServer::start(const QStringList &extraArgs)
{
    m_process = std::make_unique<QProcess>();
    m_stderr.clear();
    QObject::connect(m_process.get(), &QProcess::readyReadStandardError,
                     [this] { m_stderr += m_process->readAllStandardError(); });
    QStringList args{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), m_dataDir};
    args << extraArgs;
    m_tls = extraArgs.contains(QStringLiteral("--tls-cert"));
    m_process->start(QStringLiteral(LARCH_SERVER_BINARY), args);
    if (!m_process->waitForStarted(10000)) {
        qWarning() << "larch-server did not start:" << m_process->errorString();
        return false;
    }
    static const QRegularExpression re(QStringLiteral("^larch-server listening on 127\\.0\\.0\\.1:(\\d+)$"));
    QByteArray out;
    while (m_process->state() == QProcess::Running || m_process->bytesAvailable()) {
        if (!m_process->canReadLine() && !m_process->waitForReadyRead(30000))
            break;
        while (m_process->canReadLine()) {
            const QString line = QString::fromUtf8(m_process->readLine()).trimmed();
            const auto match = re.match(line);
            if (match.hasMatch()) {
                m_port = static_cast<quint16>(match.captured(1).toUInt());
                return true;
            }
            out += line.toUtf8() + '\n';
        }
    }
    qWarning() << "larch-server did not report its port. stdout:" << out << "stderr:" << m_stderr
               << m_process->readAllStandardError();
    return false;
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
    m_stderr += m_process->readAllStandardError();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void TestServer::reportHang()
{
    // What the server said, and where each of its threads waits, so a rare hang can be understood.
    qWarning().noquote() << "larch-server did not stop within 20 s of SIGTERM. stderr:\n"
                         << (m_stderr + m_process->readAllStandardError()).right(4000);
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
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

HttpReply HttpClient::request(const QByteArray &method, const QString &path, const QJsonObject &body,
                              const QString &token)
{
    const bool hasBody = method == "POST" || method == "PUT" || method == "PATCH";
    return raw(method, path, hasBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray(),
               hasBody ? QByteArray("application/json") : QByteArray(), token);
}

HttpReply HttpClient::raw(const QByteArray &method, const QString &path, const QByteArray &body,
                          const QByteArray &contentType, const QString &token)
{
    QNetworkRequest req(QUrl(m_base + path));
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    // Test servers use a self-signed certificate.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply r;
    if (reply->isFinished()) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
    } else {
        reply->abort();
    }
    reply->deleteLater();
    return r;
}

QJsonObject HttpClient::createPractice(const QString &name, const QString &adminEmail, const QString &password)
{
    const HttpReply r = post(QStringLiteral("/v1/practices"),
                             {{"practiceName", name},
                              {"adminName", QStringLiteral("Admin of ") + name},
                              {"adminEmail", adminEmail},
                              {"adminPassword", password}});
    return r.status == 201 ? r.json : QJsonObject();
}

QString HttpClient::signIn(const QString &email, const QString &password)
{
    const HttpReply r = post(QStringLiteral("/v1/sessions"), {{"email", email}, {"password", password}});
    return r.status == 201 ? r.json.value(QLatin1String("token")).toString() : QString();
}
