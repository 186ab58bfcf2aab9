// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/RateLimiter.h"

namespace larch::server {

bool RateLimiter::take(const QString &key, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    const qint64 since = nowMs - m_windowMs;
    if (nowMs - m_lastPrune > m_windowMs) {
        // Forget keys with nothing left in the window, so the table does not grow without bound.
        for (auto it = m_events.begin(); it != m_events.end();) {
            while (!it->empty() && it->front() <= since)
                it->pop_front();
            it = it->empty() ? m_events.erase(it) : std::next(it);
        }
        m_lastPrune = nowMs;
    }
    auto &window = m_events[key];
    while (!window.empty() && window.front() <= since)
        window.pop_front();
    if (static_cast<int>(window.size()) >= m_limit)
        return false;
    window.push_back(nowMs);
    return true;
}

} // namespace larch::server
