// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/EventStreamSession.h"

#include "server/transport/Log.h"

#include <boost/asio/post.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace larch::server {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {
constexpr int kReplayPage = 200;

std::shared_ptr<const std::string> pongFrame()
{
    static const auto frame = std::make_shared<const std::string>(R"({"type":"pong"})");
    return frame;
}
} // namespace

template<typename Stream>
EventStreamSession<Stream>::EventStreamSession(Stream &&stream, ServerContext &context, ConnectionSlot slot, User user,
                                               qint64 expiresAt, QByteArray sessionDigest, qint64 since)
    : m_ws(std::move(stream)), m_context(context), m_slot(std::move(slot)), m_user(std::move(user)),
      m_expiresAt(expiresAt), m_sessionDigest(std::move(sessionDigest)), m_lastSent(since),
      m_expiry(m_ws.get_executor())
{ }

template<typename Stream>
EventStreamSession<Stream>::~EventStreamSession() = default;

template<typename Stream>
void EventStreamSession<Stream>::run(beast::http::request<beast::http::string_body> &&upgrade)
{
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    // Pings an idle client every 30 s and drops one that does not answer within 60 s.
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;
    m_ws.set_option(timeouts);
    m_ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type &res) { res.set(beast::http::field::server, "larch-server"); }));
    m_ws.read_message_max(TransportLimits::WebSocketInboundBytes);
    m_ws.async_accept(upgrade, [self = this->shared_from_this()](beast::error_code ec) { self->onAccept(ec); });
}

template<typename Stream>
void EventStreamSession<Stream>::onAccept(beast::error_code ec)
{
    if (ec)
        return;
    m_accepted = true;
    if (m_context.stopping) {
        startClose(websocket::close_code::going_away);
        return;
    }
    m_ws.text(true);
    // Subscribing before reading storage is what closes the race with concurrent commits (EventHub).
    m_context.hub.subscribe(m_user.id, this->shared_from_this());
    m_subscribed = true;
    qint64 latest = 0;
    try {
        latest = m_context.storage.conversations().latestEventSeq(m_user.id);
    } catch (const std::exception &e) {
        log::error(std::string("event stream: storage failure: ") + e.what());
        abort();
        return;
    }
    // A since beyond the newest event (a client that kept a seq from a reset server) would hide every new
    // event; the stream starts after the newest one instead.
    m_lastSent = std::min(m_lastSent, latest);
    const QByteArray hello =
        QJsonDocument(QJsonObject{{"type", "hello"}, {"latestSeq", latest}}).toJson(QJsonDocument::Compact);
    enqueue(std::make_shared<const std::string>(hello.toStdString()));

    const qint64 left = m_expiresAt - QDateTime::currentMSecsSinceEpoch();
    m_expiry.expires_after(std::chrono::milliseconds(std::max<qint64>(left, 0)));
    m_expiry.async_wait([self = this->shared_from_this()](beast::error_code e) {
        if (!e)
            self->startClose(SessionEndedCloseCode);
    });
    readNext();
    replayPage();
}

template<typename Stream>
void EventStreamSession<Stream>::replayPage()
{
    if (m_closing)
        return;
    QList<StoredEvent> page;
    try {
        page = m_context.storage.conversations().eventsAfter(m_user.id, m_lastSent, kReplayPage);
    } catch (const std::exception &e) {
        log::error(std::string("event stream: storage failure: ") + e.what());
        abort();
        return;
    }
    for (const StoredEvent &e : page) {
        const QByteArray wire = e.wire();
        m_lastSent = e.seq;
        enqueue(std::make_shared<const std::string>(wire.constData(), static_cast<std::size_t>(wire.size())));
        if (m_closing)
            return;
    }
    if (page.size() == kReplayPage)
        return; // the next page is read once this one is written (onWrite)
    m_replaying = false;
    auto held = std::move(m_heldBack);
    m_heldBack.clear();
    for (auto &[seq, frame] : held)
        onLive(seq, std::move(frame));
}

template<typename Stream>
void EventStreamSession<Stream>::deliver(qint64 seq, std::shared_ptr<const std::string> frame)
{
    net::post(m_ws.get_executor(), [self = this->shared_from_this(), seq, frame = std::move(frame)]() mutable {
        self->onLive(seq, std::move(frame));
    });
}

template<typename Stream>
void EventStreamSession<Stream>::onLive(qint64 seq, Frame frame)
{
    if (m_closing)
        return;
    if (m_replaying) {
        m_heldBack.emplace_back(seq, std::move(frame));
        if (m_heldBack.size() > TransportLimits::WebSocketQueueFrames) {
            log::info("event stream: client too slow during replay, disconnecting");
            abort();
        }
        return;
    }
    if (seq <= m_lastSent)
        return; // already sent by the replay
    m_lastSent = seq;
    enqueue(std::move(frame));
}

template<typename Stream>
void EventStreamSession<Stream>::enqueue(Frame frame)
{
    if (m_queue.size() >= TransportLimits::WebSocketQueueFrames
        || m_queuedBytes > TransportLimits::WebSocketQueueBytes) {
        log::info("event stream: client not reading, disconnecting; it resumes with since");
        abort();
        return;
    }
    m_queuedBytes += frame->size();
    m_queue.push_back(std::move(frame));
    if (!m_writing)
        writeNext();
}

template<typename Stream>
void EventStreamSession<Stream>::writeNext()
{
    if (m_queue.empty())
        return;
    m_writing = true;
    m_ws.async_write(net::buffer(*m_queue.front()),
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
}

template<typename Stream>
void EventStreamSession<Stream>::onWrite(beast::error_code ec)
{
    m_writing = false;
    if (ec) {
        abort();
        return;
    }
    m_queuedBytes -= m_queue.front()->size();
    m_queue.pop_front();
    if (m_closing) {
        if (m_closeCode)
            m_ws.async_close(websocket::close_reason(m_closeCode),
                             [self = this->shared_from_this()](beast::error_code) {});
        return;
    }
    if (!m_queue.empty())
        writeNext();
    else if (m_replaying)
        replayPage();
}

template<typename Stream>
void EventStreamSession<Stream>::readNext()
{
    m_ws.async_read(m_readBuffer,
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
}

template<typename Stream>
void EventStreamSession<Stream>::onRead(beast::error_code ec)
{
    if (ec) {
        detach();
        return;
    }
    const auto data = m_readBuffer.cdata();
    const QByteArray text(static_cast<const char *>(data.data()), static_cast<qsizetype>(data.size()));
    m_readBuffer.consume(m_readBuffer.size());
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (doc.isObject() && doc.object().value(QLatin1String("type")).toString() == QLatin1String("ping") && !m_closing)
        enqueue(pongFrame());
    if (!m_closing)
        readNext();
}

template<typename Stream>
void EventStreamSession<Stream>::closeWith(std::uint16_t code)
{
    net::post(m_ws.get_executor(), [self = this->shared_from_this(), code] { self->startClose(code); });
}

template<typename Stream>
void EventStreamSession<Stream>::startClose(std::uint16_t code)
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeCode = code;
    detach();
    if (!m_accepted) {
        abort();
        return;
    }
    // Frames not yet started are dropped: the client gets them again through since.
    while (m_queue.size() > (m_writing ? 1u : 0u)) {
        m_queuedBytes -= m_queue.back()->size();
        m_queue.pop_back();
    }
    // A client that does not answer the close frame within three seconds is dropped, so shutdown is bounded.
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(3);
    timeouts.idle_timeout = std::chrono::seconds(60);
    timeouts.keep_alive_pings = true;
    m_ws.set_option(timeouts);
    if (!m_writing)
        m_ws.async_close(websocket::close_reason(code), [self = this->shared_from_this()](beast::error_code) {});
}

template<typename Stream>
void EventStreamSession<Stream>::abort()
{
    m_closing = true;
    detach();
    beast::error_code ignored;
    beast::get_lowest_layer(m_ws).socket().close(ignored);
}

template<typename Stream>
void EventStreamSession<Stream>::detach()
{
    m_expiry.cancel();
    if (m_subscribed) {
        m_subscribed = false;
        m_context.hub.unsubscribe(m_user.id, this);
    }
}

template class EventStreamSession<PlainStream>;
template class EventStreamSession<TlsStream>;

} // namespace larch::server
