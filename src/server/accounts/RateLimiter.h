// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Counts events per key over a sliding window, in memory (per server node), for the invitation and code limits.
#pragma once

#include <deque>
#include <mutex>
#include <QHash>
#include <QString>

namespace larch::server {

/// At most `limit` events per key in any window of `windowMs` (docs/invitations.md, "Limits").
class RateLimiter {
public:
    RateLimiter(int limit, qint64 windowMs) : m_limit(limit), m_windowMs(windowMs) { }

    /// Counts one event for key and returns true, or returns false (counting nothing) when the key is at its limit.
    bool take(const QString &key, qint64 nowMs);

private:
    const int m_limit;
    const qint64 m_windowMs;
    std::mutex m_mutex;
    QHash<QString, std::deque<qint64>> m_events;
    qint64 m_lastPrune = 0;
};

} // namespace larch::server
