// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Accepts TCP connections on the listening address and starts an HttpSession (plain or TLS) for each.
#pragma once

#include "server/transport/ServerContext.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace larch::server {

/// The listening socket. Counts open connections against --max-connections: past the limit a connection
/// gets 503 too_many_connections; past twice the limit it is closed at once, so a flood cannot use up
/// memory or descriptors.
class Listener : public std::enable_shared_from_this<Listener> {
public:
    /// tls is null for plain HTTP. Throws boost::system::system_error when the address cannot be bound.
    Listener(boost::asio::io_context &io, const boost::asio::ip::tcp::endpoint &endpoint, ServerContext &context,
             boost::asio::ssl::context *tls);

    boost::asio::ip::tcp::endpoint localEndpoint() const { return m_acceptor.local_endpoint(); }
    void start();
    /// Stops accepting; safe from any thread.
    void stop();

private:
    void accept();
    void onAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context &m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry;
    ServerContext &m_context;
    boost::asio::ssl::context *m_tls;
};

} // namespace larch::server
