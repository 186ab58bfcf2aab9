#include "HttpSession.h"

#include "ApiError.h"
#include "EventStreamSession.h"
#include "Log.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <QUrl>
#include <QUrlQuery>

namespace larch::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
constexpr bool isTls(const PlainStream *) { return false; }
constexpr bool isTls(const TlsStream *) { return true; }

/// True for errors of the HTTP parser (malformed request), as opposed to transport errors.
bool isParseError(const beast::error_code &ec)
{
    return ec.category() == make_error_code(http::error::bad_target).category() && ec != http::error::end_of_stream
        && ec != http::error::partial_message;
}
} // namespace

template <typename Stream>
HttpSession<Stream>::HttpSession(Stream &&stream, ServerContext &context, ConnectionSlot slot, QString remoteAddress,
                                 bool overLimit)
    : m_stream(std::move(stream)), m_context(context), m_slot(std::move(slot)),
      m_remoteAddress(std::move(remoteAddress)), m_overLimit(overLimit)
{
}

template <typename Stream>
HttpSession<Stream>::~HttpSession()
{
    if (m_registered)
        m_context.registry.remove(this);
}

template <typename Stream>
void HttpSession<Stream>::run()
{
    m_context.registry.add(this->shared_from_this());
    m_registered = true;
    net::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] {
        if constexpr (isTls(static_cast<Stream *>(nullptr))) {
            beast::get_lowest_layer(self->m_stream).expires_after(std::chrono::seconds(TransportLimits::TlsHandshakeSeconds));
            self->m_stream.async_handshake(net::ssl::stream_base::server,
                                           [self](beast::error_code ec) { self->onHandshake(ec); });
        } else {
            self->readRequest();
        }
    });
}

template <typename Stream>
void HttpSession<Stream>::stop()
{
    net::post(m_stream.get_executor(), [self = this->shared_from_this()] {
        // A request still being read is not in flight yet; one being answered finishes first (onWrite sees
        // the stopping flag and closes after it).
        if (self->m_reading)
            beast::get_lowest_layer(self->m_stream).cancel();
    });
}

template <typename Stream>
void HttpSession<Stream>::onHandshake(beast::error_code ec)
{
    if (ec) {
        log::debug("tls handshake failed");
        return;
    }
    readRequest();
}

template <typename Stream>
void HttpSession<Stream>::readRequest()
{
    if (m_context.stopping) {
        finish();
        return;
    }
    m_parser.emplace();
    m_parser->header_limit(TransportLimits::HeaderBytes);
    m_parser->body_limit(TransportLimits::BodyBytes);
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::RequestSeconds));
    m_reading = true;
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
}

template <typename Stream>
void HttpSession<Stream>::onRead(beast::error_code ec)
{
    m_reading = false;
    if (ec == http::error::header_limit) {
        sendError(413, "payload_too_large", "Request headers are larger than 8 KiB.");
        return;
    }
    if (ec == http::error::body_limit) {
        sendError(413, "payload_too_large", "The request body is larger than 64 KiB.");
        return;
    }
    if (ec) {
        // Parse errors of a request that did arrive get an answer; a closed, reset or timed-out
        // connection has nobody to answer.
        if (isParseError(ec))
            sendError(400, "bad_request", "The request is not valid HTTP/1.1.");
        else
            finish();
        return;
    }
    Request request = m_parser->release();
    if (m_overLimit) {
        sendError(503, "too_many_connections", "The server is busy; try again shortly.");
        return;
    }
    if (beast::websocket::is_upgrade(request)) {
        upgrade(std::move(request));
        return;
    }
    handle(std::move(request));
}

template <typename Stream>
void HttpSession<Stream>::handle(Request &&request)
{
    ApiRequest api;
    api.method = std::string(request.method_string());
    api.target = std::string(request.target());
    api.contentType = std::string(request[http::field::content_type]);
    api.authorization = std::string(request[http::field::authorization]);
    api.hasLength = request.has_content_length() || request.chunked();
    api.body = std::move(request.body());
    api.remoteAddress = m_remoteAddress;
    ApiResponse r = m_context.router.handle(api);
    if (log::enabled(log::Level::Debug)) {
        // The path only: queries and bodies may carry ids and cursors but never content; still keep logs lean.
        const auto target = api.target.substr(0, api.target.find('?'));
        log::debug(api.method + " " + target + " -> " + std::to_string(r.status));
    }
    send(r.status, std::move(r.body), request.keep_alive(), r.allow);
}

template <typename Stream>
void HttpSession<Stream>::upgrade(Request &&request)
{
    const std::string target(request.target());
    const QUrl url(QStringLiteral("http://h") + QString::fromUtf8(target));
    if (url.path() != QLatin1String("/v1/events")) {
        sendError(404, "not_found", "No such resource.");
        return;
    }
    qint64 since = 0;
    const QString sinceText = QUrlQuery(url).queryItemValue(QStringLiteral("since"));
    if (!sinceText.isEmpty()) {
        bool ok = false;
        since = sinceText.toLongLong(&ok);
        if (!ok || since < 0) {
            sendError(400, "invalid_field", "since must be a whole number of 0 or more.");
            return;
        }
    }
    Authenticated who;
    try {
        who = m_context.accounts.authenticate(ApiRouter::bearerToken(std::string(request[http::field::authorization])));
    } catch (const ApiError &e) {
        ApiResponse r = errorResponse(e.status, e.code, e.message);
        send(r.status, std::move(r.body), false);
        return;
    } catch (const std::exception &) {
        sendError(500, "internal", "Something went wrong on the server.");
        return;
    }
    m_context.registry.remove(this);
    m_registered = false;
    beast::get_lowest_layer(m_stream).expires_never();
    std::make_shared<EventStreamSession<Stream>>(std::move(m_stream), m_context, std::move(m_slot), who.user,
                                                 who.expiresAt, since)
        ->run(std::move(request));
}

template <typename Stream>
void HttpSession<Stream>::sendError(int status, const char *code, const char *message)
{
    ApiResponse r = errorResponse(status, QString::fromLatin1(code), QString::fromLatin1(message));
    send(status, std::move(r.body), false);
}

template <typename Stream>
void HttpSession<Stream>::send(int status, std::string body, bool keepAlive, const std::string &allow)
{
    keepAlive = keepAlive && !m_context.stopping && status < 500 && status != 413 && status != 411;
    m_response.emplace(static_cast<http::status>(status), 11);
    m_response->set(http::field::server, "larch-server");
    if (!body.empty())
        m_response->set(http::field::content_type, "application/json");
    if (!allow.empty())
        m_response->set(http::field::allow, allow);
    m_response->body() = std::move(body);
    m_response->keep_alive(keepAlive);
    m_response->prepare_payload();
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::RequestSeconds));
    http::async_write(m_stream, *m_response,
                      [self = this->shared_from_this(), keepAlive](beast::error_code ec, std::size_t) {
                          self->onWrite(keepAlive, ec);
                      });
}

template <typename Stream>
void HttpSession<Stream>::onWrite(bool keepAlive, beast::error_code ec)
{
    m_response.reset();
    if (ec)
        return;
    if (!keepAlive || m_context.stopping) {
        finish();
        return;
    }
    readRequest();
}

template <typename Stream>
void HttpSession<Stream>::finish()
{
    auto &socket = beast::get_lowest_layer(m_stream).socket();
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
    if constexpr (isTls(static_cast<Stream *>(nullptr))) {
        m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_stream).socket().close(ignored);
        });
    } else {
        beast::error_code ignored;
        socket.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
        drain();
    }
}

template <typename Stream>
void HttpSession<Stream>::drain()
{
    // Reads and drops what the client still sends (e.g. the rest of an oversized body) until it closes,
    // a megabyte has passed or two seconds are up; closing with unread data would reset the connection
    // and the client could lose the response.
    beast::get_lowest_layer(m_stream).async_read_some(
        net::buffer(m_drainBuffer), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->m_drained += n;
            if (ec || self->m_drained > 1024 * 1024) {
                beast::error_code ignored;
                beast::get_lowest_layer(self->m_stream).socket().close(ignored);
                return;
            }
            self->drain();
        });
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

} // namespace larch::server
