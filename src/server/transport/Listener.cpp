// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/Listener.h"

#include "server/transport/HttpSession.h"
#include "server/transport/Log.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace larch::server {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context &io, const tcp::endpoint &endpoint, ServerContext &context, net::ssl::context *tls)
    : m_io(io), m_acceptor(net::make_strand(io)), m_retry(m_acceptor.get_executor()), m_context(context), m_tls(tls)
{
    m_acceptor.open(endpoint.protocol());
    m_acceptor.set_option(net::socket_base::reuse_address(true));
    m_acceptor.bind(endpoint);
    m_acceptor.listen(net::socket_base::max_listen_connections);
}

void Listener::start()
{
    net::post(m_acceptor.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void Listener::stop()
{
    net::post(m_acceptor.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->m_acceptor.close(ignored);
        self->m_retry.cancel();
    });
}

void Listener::accept()
{
    if (!m_acceptor.is_open())
        return;
    // Each connection gets its own strand: its handlers never run concurrently, on any of the threads.
    m_acceptor.async_accept(net::make_strand(m_io), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
        self->onAccept(ec, std::move(s));
    });
}

void Listener::onAccept(beast::error_code ec, tcp::socket socket)
{
    if (ec == net::error::operation_aborted || !m_acceptor.is_open())
        return;
    if (ec) {
        // Typically out of descriptors: wait a little instead of spinning, then accept again.
        log::warn("accept failed: " + ec.message());
        m_retry.expires_after(std::chrono::milliseconds(100));
        m_retry.async_wait([self = shared_from_this()](beast::error_code e) {
            if (!e)
                self->accept();
        });
        return;
    }
    const int open = m_context.connections.fetch_add(1) + 1;
    ConnectionSlot slot(&m_context.connections);
    if (open > 2 * m_context.maxConnections) {
        beast::error_code ignored;
        socket.close(ignored);
        accept();
        return;
    }
    const bool overLimit = open > m_context.maxConnections;
    if (overLimit)
        log::warn("connection limit reached");
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ignored);
    const QString address = QString::fromStdString(remote.address().to_string());
    if (m_tls) {
        std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *m_tls), m_context, std::move(slot),
                                                 address, overLimit)
            ->run();
    } else {
        std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), m_context, std::move(slot), address,
                                                   overLimit)
            ->run();
    }
    accept();
}

} // namespace larch::server
