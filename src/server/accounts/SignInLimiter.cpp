// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/SignInLimiter.h"

namespace larch::server {
namespace {
constexpr qint64 kWindowMs = 60'000;
}

int SignInLimiter::countRecent(QHash<QString, Window> &map, const QString &key, qint64 nowMs)
{
    auto it = map.find(key);
    if (it == map.end())
        return 0;
    Window &w = it.value();
    while (!w.empty() && w.front() <= nowMs - kWindowMs)
        w.pop_front();
    return static_cast<int>(w.size());
}

bool SignInLimiter::allowed(const QString &email, const QString &address, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    return countRecent(m_byEmail, email, nowMs) < m_perEmail && countRecent(m_byAddress, address, nowMs) < m_perAddress;
}

void SignInLimiter::recordFailure(const QString &email, const QString &address, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    m_byEmail[email].push_back(nowMs);
    m_byAddress[address].push_back(nowMs);
    prune(nowMs);
}

void SignInLimiter::prune(qint64 nowMs)
{
    // Keeps memory bounded under a guessing flood from many emails or addresses.
    if (nowMs - m_lastPrune < kWindowMs)
        return;
    m_lastPrune = nowMs;
    for (auto *map : {&m_byEmail, &m_byAddress}) {
        for (auto it = map->begin(); it != map->end();) {
            if (it.value().empty() || it.value().back() <= nowMs - kWindowMs)
                it = map->erase(it);
            else
                ++it;
        }
    }
}

} // namespace larch::server
