// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/ServerContext.h"

#include <vector>

namespace larch::server {

void ConnectionRegistry::add(const std::shared_ptr<Stoppable> &c)
{
    std::lock_guard lock(m_mutex);
    m_items.emplace(c.get(), c);
}

void ConnectionRegistry::remove(const Stoppable *c)
{
    std::lock_guard lock(m_mutex);
    m_items.erase(c);
}

void ConnectionRegistry::stopAll()
{
    std::vector<std::shared_ptr<Stoppable>> live;
    {
        std::lock_guard lock(m_mutex);
        for (auto &[key, weak] : m_items)
            if (auto c = weak.lock())
                live.push_back(std::move(c));
    }
    // Called outside the lock: a connection that ends here unregisters itself.
    for (auto &c : live)
        c->stop();
}

} // namespace larch::server
