// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/net/EventStream.h"

#include "client/net/ApiClient.h"

#include <cmath>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QWebSocket>

namespace larch {

namespace {
constexpr int KeepAliveIntervalMs = 20000;
// A connection silent for this long is dead even if TCP has not noticed (e.g. a phone changed networks).
constexpr int DeadAfterMs = 50000;
constexpr int SessionEndedCloseCode = 4001;
} // namespace

EventStream::EventStream(ApiClient *api, QObject *parent) : QObject(parent), m_api(api)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &EventStream::openSocket);
    m_countdownTimer.setInterval(250);
    connect(&m_countdownTimer, &QTimer::timeout, this, [this] {
        const int seconds = secondsUntilRetry();
        if (seconds != m_lastCountdown) {
            m_lastCountdown = seconds;
            emit retryCountdownChanged(seconds);
        }
        if (!m_retryTimer.isActive())
            m_countdownTimer.stop();
    });
    m_keepAliveTimer.setInterval(KeepAliveIntervalMs);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (m_sinceLastFrame.isValid() && m_sinceLastFrame.elapsed() > DeadAfterMs) {
            m_socket->abort();
            return;
        }
        m_socket->sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
    });
}

EventStream::~EventStream()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
    }
}

int EventStream::backoffMs(int failures)
{
    const double delay = BackoffFirstMs * std::pow(2.0, std::max(0, failures - 1));
    return int(std::min<double>(delay, BackoffCapMs));
}

void EventStream::start(qint64 lastAppliedSeq)
{
    stop();
    m_lastSeq = lastAppliedSeq;
    m_running = true;
    m_failures = 0;
    openSocket();
}

void EventStream::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_countdownTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        m_socket = nullptr;
    }
    setOnline(false);
    if (m_lastCountdown != 0) {
        m_lastCountdown = 0;
        emit retryCountdownChanged(0);
    }
}

void EventStream::reconnectNow()
{
    if (!m_running || m_socket)
        return;
    m_retryTimer.stop();
    openSocket();
}

int EventStream::secondsUntilRetry() const
{
    if (!m_retryTimer.isActive())
        return 0;
    return (m_retryTimer.remainingTime() + 999) / 1000;
}

void EventStream::openSocket()
{
    if (!m_running)
        return;
    m_countdownTimer.stop();
    if (m_lastCountdown != 0) {
        m_lastCountdown = 0;
        emit retryCountdownChanged(0);
    }
    m_helloReceived = false;
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::textMessageReceived, this, &EventStream::onText);
    connect(socket, &QWebSocket::disconnected, this, &EventStream::onDisconnected);
    connect(socket, &QWebSocket::pong, this, [this] { m_sinceLastFrame.restart(); });
    socket->open(m_api->authorizedRequest(m_api->eventsUrl(m_lastSeq)));
}

void EventStream::onText(const QString &text)
{
    m_sinceLastFrame.restart();
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = object.value(QLatin1String("type")).toString();
    if (!object.contains(QLatin1String("seq"))) {
        if (type == QLatin1String("hello")) {
            m_helloReceived = true;
            m_failures = 0;
            m_catchUpSeq = object.value(QLatin1String("latestSeq")).toInteger();
            m_keepAliveTimer.start();
            if (m_lastSeq >= m_catchUpSeq)
                setOnline(true);
        }
        return; // "pong" and frames this version does not know
    }
    const auto event = Event::fromJson(object);
    if (!event) {
        qWarning("larch events: ignored a frame that is not a protocol event");
        return;
    }
    if (event->seq <= m_lastSeq)
        return; // already applied before a reconnect
    emit eventArrived(*event);
    m_lastSeq = event->seq;
    if (m_helloReceived && !m_online && m_lastSeq >= m_catchUpSeq)
        setOnline(true);
}

void EventStream::onDisconnected()
{
    QWebSocket *socket = m_socket;
    const bool sessionOver = socket && socket->closeCode() == SessionEndedCloseCode;
    const bool hadHello = m_helloReceived;
    if (socket) {
        socket->disconnect(this);
        socket->deleteLater();
    }
    m_socket = nullptr;
    m_keepAliveTimer.stop();
    setOnline(false);
    if (sessionOver) {
        m_running = false;
        emit sessionEnded();
        return;
    }
    if (!hadHello)
        emit connectFailed();
    if (m_running)
        scheduleRetry();
}

void EventStream::scheduleRetry()
{
    ++m_failures;
    const int base = backoffMs(m_failures);
    // Jitter spreads the reconnects of many devices after a server restart.
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = std::clamp(int(base * factor), BackoffFirstMs / 2, BackoffCapMs);
    m_retryTimer.start(delay);
    m_countdownTimer.start();
    m_lastCountdown = secondsUntilRetry();
    emit retryCountdownChanged(m_lastCountdown);
}

void EventStream::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    emit onlineChanged(online);
}

} // namespace larch
