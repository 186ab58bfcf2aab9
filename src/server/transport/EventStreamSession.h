// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The WebSocket of /v1/events for one signed-in user: hello, replay after since, then live events.
#pragma once

#include "server/transport/ServerContext.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace larch::server {

/// One event WebSocket. Live events arriving while stored ones are replayed are held back and sent after
/// the replay, skipping any seq already sent, so the client sees every seq once and in order. A client
/// that leaves too much unread is disconnected; it reconnects with since and loses nothing.
template<typename Stream>
class EventStreamSession final : public EventSink, public std::enable_shared_from_this<EventStreamSession<Stream>> {
public:
    EventStreamSession(Stream &&stream, ServerContext &context, ConnectionSlot slot, User user, qint64 expiresAt,
                       QByteArray sessionDigest, qint64 since);
    ~EventStreamSession() override;

    void run(boost::beast::http::request<boost::beast::http::string_body> &&upgrade);

    void deliver(qint64 seq, std::shared_ptr<const std::string> frame) override;
    void closeWith(std::uint16_t code) override;
    QByteArray sessionDigest() const override { return m_sessionDigest; }

private:
    using Frame = std::shared_ptr<const std::string>;

    void onAccept(boost::beast::error_code ec);
    void replayPage();
    void onLive(qint64 seq, Frame frame);
    void enqueue(Frame frame);
    void writeNext();
    void onWrite(boost::beast::error_code ec);
    void readNext();
    void onRead(boost::beast::error_code ec);
    void startClose(std::uint16_t code);
    /// Drops the connection without a close handshake (the client is not reading).
    void abort();
    void detach();

    boost::beast::websocket::stream<Stream> m_ws;
    ServerContext &m_context;
    ConnectionSlot m_slot;
    const User m_user;
    const qint64 m_expiresAt;
    const QByteArray m_sessionDigest;
    qint64 m_lastSent; ///< highest event seq queued to this client
    boost::asio::steady_timer m_expiry;
    boost::beast::flat_buffer m_readBuffer;
    std::deque<Frame> m_queue;
    std::size_t m_queuedBytes = 0;
    std::vector<std::pair<qint64, Frame>> m_heldBack; ///< live events that arrived during the replay
    bool m_accepted = false;
    bool m_replaying = true;
    bool m_writing = false;
    bool m_closing = false;
    bool m_subscribed = false;
    std::uint16_t m_closeCode = 0;
};

} // namespace larch::server
