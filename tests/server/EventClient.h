// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A test's view of one user's event WebSocket on the real larch-server: everything it receives, kept.
#pragma once

#include "TestKeyring.h"

#include <functional>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QtTest>
#include <QUrl>
#include <QWebSocket>

/// One user's event socket; keeps everything it received.
class EventClient : public QObject {
public:
    EventClient(const QString &baseUrl, const QString &token, qint64 since)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
            if (o.value("type").toString() == QLatin1String("hello"))
                m_hello = o;
            else if (o.value("type").toString() == QLatin1String("pong"))
                ++m_pongs;
            else
                m_events.append(o);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            m_closed = true;
            m_closeCode = m_socket.closeCode();
        });
        connect(&m_socket, &QWebSocket::sslErrors, this, [this] { m_socket.ignoreSslErrors(); });
        QUrl url(baseUrl);
        url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
        url.setPath(QStringLiteral("/v1/events"));
        url.setQuery(QStringLiteral("since=%1").arg(since));
        QNetworkRequest req(url);
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        m_socket.open(req);
    }

    bool waitFor(const std::function<bool()> &done, int timeoutMs = 20000)
    {
        QElapsedTimer t;
        t.start();
        while (!done() && t.elapsed() < timeoutMs)
            QTest::qWait(10);
        return done();
    }
    bool waitForHello()
    {
        return waitFor([this] { return !m_hello.isEmpty(); });
    }
    bool waitForEvents(int count)
    {
        return waitFor([this, count] { return m_events.size() >= count; });
    }

    /// Texts of the message.created events received, in order, decrypted and verified with keyring.
    QStringList bodies(const TestKeyring &keyring) const
    {
        QStringList out;
        for (const auto &e : m_events)
            if (e.value("type").toString() == QLatin1String("message.created"))
                out << keyring.open(e.value("data").toObject());
        return out;
    }
    /// True when the seqs are consecutive from first.
    bool contiguousFrom(qint64 first) const
    {
        for (qsizetype i = 0; i < m_events.size(); ++i)
            if (m_events[i].value("seq").toInteger() != first + i)
                return false;
        return true;
    }
    /// The data of every event of type received so far, in order.
    QList<QJsonObject> dataOf(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const auto &e : m_events)
            if (e.value("type").toString() == type)
                out << e.value("data").toObject();
        return out;
    }
    qint64 lastSeq() const { return m_events.isEmpty() ? 0 : m_events.last().value("seq").toInteger(); }

    QWebSocket m_socket;
    QJsonObject m_hello;
    QList<QJsonObject> m_events;
    int m_pongs = 0;
    bool m_closed = false;
    int m_closeCode = 0;
};
