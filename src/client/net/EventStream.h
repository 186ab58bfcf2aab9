// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The live event WebSocket: resumes after the last applied seq, reconnects with backoff, reports online state.
#pragma once

#include "core/protocol/Protocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QWebSocket;

namespace larch {

class ApiClient;

/// Keeps one WebSocket to /v1/events open while running and hands each event over once, in order.
class EventStream : public QObject {
    Q_OBJECT
public:
    static constexpr int BackoffFirstMs = 1000;
    static constexpr int BackoffCapMs = 30000;

    explicit EventStream(ApiClient *api, QObject *parent = nullptr);
    ~EventStream() override;

    /// Connects and resumes after lastAppliedSeq; reconnects on its own until stop().
    void start(qint64 lastAppliedSeq);
    void stop();
    /// Skips the wait of a scheduled reconnect (a "Retry now" button, or a network change).
    void reconnectNow();

    bool isRunning() const { return m_running; }
    /// Connected and every event up to the server's latest at connect time has been applied.
    bool isOnline() const { return m_online; }
    /// Whole seconds until the next attempt; 0 while connecting or connected.
    int secondsUntilRetry() const;
    qint64 lastAppliedSeq() const { return m_lastSeq; }
    /// The delay before the next attempt after `failures` failures in a row, before jitter.
    static int backoffMs(int failures);

signals:
    /// One event, never one already applied; the receiver applies it before returning.
    void eventArrived(const larch::Event &event);
    void onlineChanged(bool online);
    void retryCountdownChanged(int seconds);
    /// The server closed with 4001: the session was revoked or expired. The stream stops.
    void sessionEnded();
    /// An attempt ended before the server said hello (refused, unreachable, or rejected during the upgrade).
    void connectFailed();

private:
    void openSocket();
    void onText(const QString &text);
    void onDisconnected();
    void scheduleRetry();
    void setOnline(bool online);

    ApiClient *m_api;
    QPointer<QWebSocket> m_socket;
    QTimer m_retryTimer;
    QTimer m_countdownTimer;
    QTimer m_keepAliveTimer;
    QElapsedTimer m_sinceLastFrame;
    qint64 m_lastSeq = 0;
    qint64 m_catchUpSeq = 0;
    int m_failures = 0;
    bool m_running = false;
    bool m_online = false;
    bool m_helloReceived = false;
    int m_lastCountdown = 0;
};

} // namespace larch
