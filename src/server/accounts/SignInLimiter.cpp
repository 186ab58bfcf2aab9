// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/SignInLimiter.h"

#include <iterator>

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

bool SignInLimiter::begin(const QString &email, const QString &address, qint64 nowMs)
{
    std::lock_guard lock(m_mutex);
    if (countRecent(m_byEmail, email, nowMs) >= m_perEmail || countRecent(m_byAddress, address, nowMs) >= m_perAddress)
        return false;
    // Checked and counted under one lock: the next attempt already sees this one.
    m_byEmail[email].push_back(nowMs);
    m_byAddress[address].push_back(nowMs);
    prune(nowMs);
    return true;
}

void SignInLimiter::forget(QHash<QString, Window> &map, const QString &key, qint64 atMs)
{
    auto it = map.find(key);
    if (it == map.end())
        return;
    Window &w = it.value();
    for (auto at = w.rbegin(); at != w.rend(); ++at) {
        if (*at == atMs) {
            w.erase(std::next(at).base());
            return;
        }
    }
}

void SignInLimiter::succeeded(const QString &email, const QString &address, qint64 beganAtMs)
{
    std::lock_guard lock(m_mutex);
    forget(m_byEmail, email, beganAtMs);
    forget(m_byAddress, address, beganAtMs);
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
