// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Live fan-out of stored events to the WebSocket sessions of each user, in per-user seq order.
#pragma once

#include "server/storage/Storage.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <QHash>
#include <QString>
#include <string>
#include <vector>

namespace larch::server {

/// The close code of a socket whose session is over: signed out, revoked, expired or its user deactivated. The app
/// stops its stream on it and asks to sign in again (client/net/EventStream).
inline constexpr std::uint16_t SessionEndedCloseCode = 4001;
/// The WebSocket close code for "your practice now requires two-factor sign-in; enrol, then reconnect".
inline constexpr std::uint16_t TwoFactorRequiredCloseCode = 4003;

/// A live receiver of one user's events (a WebSocket session). Both calls must return at once: they only
/// hand work to the receiver's own strand.
class EventSink {
public:
    virtual ~EventSink() = default;
    /// frame is the serialized event, shared by every sink of the same user.
    virtual void deliver(qint64 seq, std::shared_ptr<const std::string> frame) = 0;
    /// Closes the sink with a WebSocket close code (SessionEndedCloseCode, or 1001 shutting down).
    virtual void closeWith(std::uint16_t code) = 0;
    /// The SHA-256 of the token the sink was opened with, so one device's sockets can be closed alone.
    virtual QByteArray sessionDigest() const = 0;
};

/// Keeps the live sinks of each user. Writes that create events run through commit(), which holds one
/// lock across "store" and "publish": events are therefore published in the order the storage numbered
/// them, and a sink subscribed before a commit sees that commit's events live while one subscribed after
/// it finds them in storage. This is what lets a reconnecting client replay and go live without gap or
/// duplicate.
class EventHub {
public:
    /// Runs write (which stores a change and returns its events) and publishes the events, atomically
    /// with respect to subscribe().
    template<typename Write>
    auto commit(Write &&write)
    {
        std::lock_guard lock(m_mutex);
        auto result = write();
        publishLocked(eventsOf(result));
        return result;
    }

    void subscribe(const QString &userId, const std::shared_ptr<EventSink> &sink);
    void unsubscribe(const QString &userId, const EventSink *sink);
    /// Closes every live sink of a user (their sessions were revoked).
    void closeUser(const QString &userId, std::uint16_t code);
    /// Closes the live sinks of a user opened with one of the given sessions (a revoked device's, a signed-out one).
    void closeSessions(const QString &userId, const QList<QByteArray> &sessionDigests, std::uint16_t code);
    /// Closes every live sink (shutdown).
    void closeAll(std::uint16_t code);
    std::size_t sinkCount() const;
    /// The live sinks of one user: how many of their apps are connected now (a call rings on each).
    std::size_t sinkCountOf(const QString &userId) const;

private:
    static const QList<StoredEvent> &eventsOf(const QList<StoredEvent> &events) { return events; }
    static const QList<StoredEvent> &eventsOf(const std::pair<bool, QList<StoredEvent>> &r) { return r.second; }
    template<typename T>
    static const QList<StoredEvent> &eventsOf(const T &result)
    {
        return result.events;
    }
    void publishLocked(const QList<StoredEvent> &events);
    std::vector<std::shared_ptr<EventSink>> sinksLocked(const QString &userId);

    mutable std::mutex m_mutex;
    QHash<QString, std::vector<std::weak_ptr<EventSink>>> m_sinks;
};

} // namespace larch::server
