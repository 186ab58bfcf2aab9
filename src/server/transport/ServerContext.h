// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What every connection of a running server shares: services, limits, the connection count, shutdown state.
#pragma once

#include "server/accounts/AccountService.h"
#include "server/api/ApiRouter.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

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

/// Transport limits (docs/server.md, "Limits").
namespace TransportLimits {
inline constexpr std::size_t HeaderBytes = 8 * 1024;
inline constexpr std::size_t BodyBytes = 64 * 1024;
/// POST /v1/conversations/{id}/messages: an envelope of the longest plaintext (256 KiB) is about 342 KiB in base64.
inline constexpr std::size_t MessageBodyBytes = 384 * 1024;
/// PUT /v1/me/key-backup, the largest body of any route.
inline constexpr std::size_t KeyBackupBodyBytes = 4 * 1024 * 1024;
/// POST /v1/webhooks/email/inbound: a parsed e-mail with its attachments.
inline constexpr std::size_t InboundEmailBodyBytes = 1024 * 1024;
/// PUT /v1/uploads/{id}: raw blob bytes, uploadRequestMaxBytes of GET /v1/limits.
inline constexpr std::size_t UploadBodyBytes = 4 * 1024 * 1024;
/// The largest body of any route: the limit while headers are read, before the route is known.
inline constexpr std::size_t LargestBodyBytes = std::max(KeyBackupBodyBytes, UploadBodyBytes);
/// A whole request (headers and body), or the idle time between keep-alive requests.
inline constexpr int RequestSeconds = 20;
/// A whole PUT of upload bytes: up to 4 MiB, from a phone on a slow network.
inline constexpr int UploadRequestSeconds = 120;
inline constexpr int TlsHandshakeSeconds = 10;
inline constexpr std::size_t WebSocketInboundBytes = 4 * 1024;
/// Frames a WebSocket client may leave unread before it is disconnected (it resumes with since).
inline constexpr std::size_t WebSocketQueueFrames = 2048;
inline constexpr std::size_t WebSocketQueueBytes = 8 * 1024 * 1024;
} // namespace TransportLimits

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
