// Sends the messages written on this device, in order, exactly once, however long the connection is away.
#pragma once

#include "LocalStore.h"

#include <QObject>
#include <QTimer>

namespace larch {

class ApiClient;

/// The durable send queue: entries live in LocalStore until the server confirms or refuses them.
class Outbox : public QObject {
    Q_OBJECT
public:
    Outbox(LocalStore *store, ApiClient *api, QObject *parent = nullptr);

    /// Stores the message as pending and tries to send it; returns the entry for the local echo.
    OutboxEntry enqueue(const QString &conversationId, const QString &body);
    /// Tries the next pending entry now (called when the connection comes back).
    void flush();
    /// Stops sending (sign-out, session over); entries stay stored.
    void pause();
    void resume();
    /// The server has the message (its event arrived): drop the entry and announce the confirmation.
    bool confirm(const Message &message);
    bool isSending() const { return m_inFlight; }
    /// The signed-in user, so a confirmed message of ours does not count as unread.
    void setUserId(const QString &userId) { m_userId = userId; }

signals:
    void pending(const larch::OutboxEntry &entry);
    /// The server stored the message; the echo with this clientId becomes `message`.
    void confirmed(const QString &clientId, const larch::Message &message);
    /// The server refused the message for good (409 or another 4xx); it stays visible with the reason.
    void failed(const QString &clientId, const QString &reason);

private:
    void sendNext();
    void scheduleRetry();

    LocalStore *m_store;
    ApiClient *m_api;
    QString m_userId;
    QTimer m_retryTimer;
    int m_failures = 0;
    bool m_inFlight = false;
    bool m_paused = true;
};

} // namespace larch
