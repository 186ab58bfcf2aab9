// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What every connection of a running server shares: services, limits, the connection count, shutdown state.
#pragma once

#include "server/accounts/AccountService.h"
#include "server/api/ApiRouter.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"
#include "server/transport/TransportLimits.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace larch::server {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// A connection that can be asked to finish: close when idle, or after the response in progress.
class Stoppable {
public:
    virtual ~Stoppable() = default;
    virtual void stop() = 0;
};

/// HTTP connections alive now, so shutdown can end idle keep-alive connections at once.
class ConnectionRegistry {
public:
    void add(const std::shared_ptr<Stoppable> &c);
    void remove(const Stoppable *c);
    void stopAll();

private:
    std::mutex m_mutex;
    std::unordered_map<const Stoppable *, std::weak_ptr<Stoppable>> m_items;
};

/// The open-connection count, held by a connection for its life and passed on at a WebSocket upgrade.
class ConnectionSlot {
public:
    explicit ConnectionSlot(std::atomic<int> *counter = nullptr) : m_counter(counter) { }
    ConnectionSlot(ConnectionSlot &&o) noexcept : m_counter(std::exchange(o.m_counter, nullptr)) { }
    ConnectionSlot &operator=(ConnectionSlot &&o) noexcept
    {
        std::swap(m_counter, o.m_counter);
        return *this;
    }
    ~ConnectionSlot()
    {
        if (m_counter)
            m_counter->fetch_sub(1);
    }

private:
    std::atomic<int> *m_counter;
};

class PageRouter;

/// Shared by all sessions; outlives them (the server joins its threads before destroying it).
struct ServerContext {
    ServerContext(Storage &s, EventHub &h, AccountService &a, ApiRouter &r, int limit)
        : storage(s), hub(h), accounts(a), router(r), maxConnections(limit)
    { }
    Storage &storage;
    EventHub &hub;
    AccountService &accounts;
    ApiRouter &router;
    PageRouter *pages = nullptr; ///< pages and webhooks (PageRouter::owns); set by Server before serving
    const int maxConnections;
    std::atomic<int> connections{0};
    std::atomic<bool> stopping{false};
    ConnectionRegistry registry;
};

} // namespace larch::server
