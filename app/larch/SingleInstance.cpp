// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SingleInstance: a local socket per data folder; one JSON line of arguments in, "ok" out.
#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>

namespace {
constexpr int ConnectTimeoutMs = 1000;
constexpr int AnswerTimeoutMs = 3000;
constexpr qint64 MaxMessageBytes = 64 * 1024;
} // namespace

SingleInstance::SingleInstance(const QString &key, QObject *parent) : QObject(parent), m_name(serverName(key)) { }

QString SingleInstance::serverName(const QString &key)
{
    // The home folder keeps two users with the same data folder setting apart.
    const QByteArray seed = (QDir::homePath() + QLatin1Char('\n') + QDir::cleanPath(key)).toUtf8();
    return QStringLiteral("larch-")
        + QString::fromLatin1(QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex().left(24));
}

SingleInstance::Role SingleInstance::start(const QStringList &arguments)
{
    // Twice: another app may have begun listening between our first try and our own listen().
    for (int attempt = 0; attempt < 2; ++attempt) {
        switch (sendToRunning(arguments)) {
        case Sent::Taken: return Role::HandedOver;
        case Sent::NoAnswer:
            m_error = QStringLiteral("Larch is already running but does not answer. Close it (or end the larch "
                                     "process), then start Larch again.");
            return Role::Busy;
        case Sent::NobodyListens: break;
        }
        if (listen())
            return Role::Primary;
    }
    // Nobody answered twice, so a socket file left by a crashed app is stale: remove it and listen.
    QLocalServer::removeServer(m_name);
    if (!listen())
        m_error = QStringLiteral("Larch cannot watch for a second start (%1); opening an invitation link while "
                                 "Larch runs may start a second window. Restart Larch to fix this.")
                      .arg(m_server->errorString());
    return Role::Primary;
}

SingleInstance::Sent SingleInstance::sendToRunning(const QStringList &arguments)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(ConnectTimeoutMs))
        return Sent::NobodyListens;
    const QByteArray line = QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact) + '\n';
    socket.write(line);
    if (!socket.waitForBytesWritten(AnswerTimeoutMs))
        return Sent::NoAnswer;
    // The answer says the running app took the arguments.
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(AnswerTimeoutMs))
            return Sent::NoAnswer;
    }
    return socket.readLine().trimmed() == "ok" ? Sent::Taken : Sent::NoAnswer;
}

bool SingleInstance::listen()
{
    if (!m_server) {
        m_server = new QLocalServer(this);
        m_server->setSocketOptions(QLocalServer::UserAccessOption);
        serve();
    }
    return m_server->listen(m_name);
}

void SingleInstance::serve()
{
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *client = m_server->nextPendingConnection()) {
            connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
            connect(client, &QLocalSocket::readyRead, this, [this, client] {
                if (!client->canReadLine()) {
                    if (client->bytesAvailable() > MaxMessageBytes)
                        client->abort();
                    return;
                }
                const QJsonArray array = QJsonDocument::fromJson(client->readLine()).array();
                QStringList arguments;
                for (const QJsonValue &value : array)
                    arguments.append(value.toString());
                client->write("ok\n");
                client->flush();
                client->disconnectFromServer();
                emit activated(arguments);
            });
        }
    });
}
