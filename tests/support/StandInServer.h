// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// An in-process stand-in for larch-server on loopback: canned or computed JSON (or raw) answers and a record of each
// request.
#pragma once

#include <functional>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

/// Answers HTTP/1.1 requests on 127.0.0.1 from this process's event loop, so a client class can be driven through
/// its real ApiClient with no larch-server: a route answers every request of its method and path, requests no route
/// takes get the queued replies in order, and `unanswered` once none is left. Every answer closes its connection.
class StandInServer : public QObject {
public:
    /// One request as it arrived.
    struct Request {
        QByteArray method;
        QByteArray path; ///< without the query
        QByteArray query;
        QByteArray body;
        QJsonObject json() const;
    };
    struct Reply {
        int status = 200;
        QJsonObject body;
        QByteArray raw = {}; ///< when set, sent as application/octet-stream instead of body (a blob's bytes)
    };
    using Route = std::function<Reply(const Request &request)>;

    StandInServer();
    ~StandInServer() override;
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    /// Answers every request of this method ("GET", "POST"…) and path with answer.
    void route(const QByteArray &method, const QByteArray &path, Route answer);
    /// Requests of this method and path so far, oldest first.
    QList<Request> received(const QByteArray &method, const QByteArray &path) const;
    int count(const QByteArray &method, const QByteArray &path) const { return int(received(method, path).size()); }

    /// Answers for requests no route takes, in order.
    QList<std::pair<int, QJsonObject>> replies;
    /// The answer when neither a route nor a queued reply takes a request.
    Reply unanswered{500, {}};
    /// Every request, oldest first, as its request line and body: "POST /v1/… HTTP/1.1 {…}".
    QList<QByteArray> requests;

private:
    void readFrom(QTcpSocket *socket);

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffer;
    QHash<QByteArray, Route> m_routes; ///< "METHOD path" → answer
    QList<Request> m_received;
};
