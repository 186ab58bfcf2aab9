// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// An in-process stand-in for larch-server on loopback: canned or computed JSON (or raw) answers and a record of each
// request.
#include "StandInServer.h"

#include <QJsonDocument>
#include <QTcpSocket>

QJsonObject StandInServer::Request::json() const { return QJsonDocument::fromJson(body).object(); }

StandInServer::StandInServer()
{
    m_server.listen(QHostAddress::LocalHost);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffer.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

StandInServer::~StandInServer()
{
    // Connections still open close now, while what their handlers use is still here.
    const QList<QTcpSocket *> sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        delete socket;
    }
}

void StandInServer::route(const QByteArray &method, const QByteArray &path, Route answer)
{
    m_routes.insert(method + ' ' + path, std::move(answer));
}

QList<StandInServer::Request> StandInServer::received(const QByteArray &method, const QByteArray &path) const
{
    QList<Request> out;
    for (const Request &r : m_received) {
        if (r.method == method && r.path == path)
            out.append(r);
    }
    return out;
}

void StandInServer::readFrom(QTcpSocket *socket)
{
    QByteArray &data = m_buffer[socket];
    data += socket->readAll();
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QByteArray head = data.left(end);
    qsizetype length = 0;
    for (const QByteArray &line : head.split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    if (data.size() < end + 4 + length)
        return;
    const QByteArray requestLine = head.left(head.indexOf("\r\n"));
    const QList<QByteArray> parts = requestLine.split(' ');
    Request request;
    request.method = parts.value(0);
    const QByteArray target = parts.value(1);
    request.path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    request.query = target.indexOf('?') < 0 ? QByteArray() : target.mid(target.indexOf('?') + 1);
    request.body = data.mid(end + 4, length);
    m_buffer.remove(socket);
    m_received.append(request);
    requests << requestLine + ' ' + request.body;

    Reply reply = unanswered;
    if (const auto route = m_routes.constFind(request.method + ' ' + request.path); route != m_routes.cend())
        reply = (*route)(request);
    else if (!replies.isEmpty())
        reply = Reply{replies.first().first, replies.takeFirst().second};
    const bool raw = !reply.raw.isNull();
    const QByteArray body = raw ? reply.raw : QJsonDocument(reply.body).toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 " + QByteArray::number(reply.status)
                  + " X\r\nContent-Type: " + (raw ? "application/octet-stream" : "application/json")
                  + "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
}
