// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/HttpSession.h"

#include "server/api/RequestError.h"
#include "server/api/RequestHead.h"
#include "server/pages/PageRouter.h"
#include "server/transport/EventStreamSession.h"
#include "server/transport/FileSliceBody.h"
#include "server/transport/Log.h"
#include "server/transport/RequestFraming.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace larch::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

/// A response streamed from part of a file, and the serializer that writes it piece by piece.
struct FileResponse {
    http::response<FileSliceBody> response;
    std::optional<http::response_serializer<FileSliceBody>> serializer;
};

namespace {
constexpr bool isTls(const PlainStream *) { return false; }
constexpr bool isTls(const TlsStream *) { return true; }
/// Over TLS, browsers are told to come back only over TLS for a year (pages and API alike).
constexpr const char *HstsValue = "max-age=31536000";

std::string tooLarge(std::size_t limit)
{
    return "The request body is larger than "
        + (limit >= 1024 * 1024 ? std::to_string(limit / (1024 * 1024)) + " MiB."
                                : std::to_string(limit / 1024) + " KiB.");
}

} // namespace

template<typename Stream>
HttpSession<Stream>::HttpSession(Stream &&stream, ServerContext &context, ConnectionSlot slot, QString remoteAddress,
                                 bool overLimit)
    : m_stream(std::move(stream)), m_context(context), m_slot(std::move(slot)),
      m_remoteAddress(std::move(remoteAddress)), m_overLimit(overLimit)
{ }

template<typename Stream>
HttpSession<Stream>::~HttpSession()
{
    if (m_registered)
        m_context.registry.remove(this);
}

template<typename Stream>
void HttpSession<Stream>::run()
{
    m_context.registry.add(this->shared_from_this());
    m_registered = true;
    net::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] {
        if constexpr (isTls(static_cast<Stream *>(nullptr))) {
            beast::get_lowest_layer(self->m_stream)
                .expires_after(std::chrono::seconds(TransportLimits::TlsHandshakeSeconds));
            self->m_stream.async_handshake(net::ssl::stream_base::server,
                                           [self](beast::error_code ec) { self->onHandshake(ec); });
        } else {
            self->readRequest();
        }
    });
}

template<typename Stream>
void HttpSession<Stream>::stop()
{
    net::post(m_stream.get_executor(), [self = this->shared_from_this()] {
        // A request still being read is not in flight yet; one being answered finishes first (onWrite sees
        // the stopping flag and closes after it).
        if (self->m_reading)
            beast::get_lowest_layer(self->m_stream).cancel();
    });
}

template<typename Stream>
void HttpSession<Stream>::onHandshake(beast::error_code ec)
{
    if (ec) {
        log::debug("tls handshake failed");
        return;
    }
    readRequest();
}

template<typename Stream>
void HttpSession<Stream>::readRequest()
{
    if (m_context.stopping) {
        finish();
        return;
    }
    m_parser.emplace();
    // The headers are read under the largest limit of any route; the route's own limit is set once the
    // target is known (onHeader), before any of the body is read.
    limitHead(*m_parser);
    m_bodyLimit = TransportLimits::LargestBodyBytes;
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::RequestSeconds));
    m_reading = true;
    http::async_read_header(
        m_stream, m_buffer, *m_parser,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
}

template<typename Stream>
bool HttpSession<Stream>::failedRead(beast::error_code ec)
{
    if (!ec)
        return false;
    m_reading = false;
    if (ec == http::error::header_limit) {
        sendError(413, "payload_too_large", "Request headers are larger than 8 KiB.");
    } else if (ec == http::error::body_limit) {
        const std::string message = tooLarge(m_bodyLimit);
        sendError(413, "payload_too_large", message.c_str());
    } else if (isParseError(ec)) {
        // Parse errors of a request that did arrive get an answer; a closed, reset or timed-out
        // connection has nobody to answer.
        sendError(400, "bad_request", "The request is not valid HTTP/1.1.");
    } else {
        finish();
    }
    return true;
}

template<typename Stream>
void HttpSession<Stream>::onHeader(beast::error_code ec)
{
    if (failedRead(ec))
        return;
    const BodyPlan plan = planBody(*m_parser);
    m_bodyLimit = plan.limit;
    if (plan.kind == BodyPlan::Kind::TooLarge) {
        failedRead(http::error::body_limit);
        return;
    }
    // Blob bytes may come from a phone on a slow network: their request gets longer than the others.
    if (plan.kind == BodyPlan::Kind::ChunkedUpload || plan.kind == BodyPlan::Kind::Upload)
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::UploadRequestSeconds));
    if (plan.kind == BodyPlan::Kind::ChunkedUpload) {
        // Beast reads as much as the buffer has room for, and the parser moves body bytes out as they come, so a
        // buffer left at the header's size reads 512 bytes per call: 8,000 reads (and timer resets) per 4 MiB
        // request, 30 ms on loopback. Room for 256 KiB makes it 16 reads.
        m_buffer.reserve(UploadBody::PieceBytes);
        readUploadBody();
        return;
    }
    if (plan.kind == BodyPlan::Kind::Upload) {
        // The length is within the route's limit: the body gets its exact room, uninitialised, and takes the body
        // bytes that arrived with the header.
        m_upload.emplace(plan.length, m_buffer);
        readUploadPiece();
        return;
    }
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = this->shared_from_this()](beast::error_code e, std::size_t) { self->onRead(e); });
}

template<typename Stream>
void HttpSession<Stream>::readUploadBody()
{
    // A sender that writes a body in pieces with Nagle on (Qt's network stack does) holds its last small piece
    // until the previous ones are acknowledged, and Linux delays that acknowledgement by up to 40 ms: 40 ms lost
    // per request, most of the time of a 1 MiB request on loopback. Quick ACKs while the body arrives avoid it;
    // the kernel leaves quick-ACK mode on its own, so it is asked again before every read.
    if (m_parser->is_done()) { // an empty body, or one that came with the header
        onRead({});
        return;
    }
#ifdef TCP_QUICKACK
    const int one = 1;
    ::setsockopt(beast::get_lowest_layer(m_stream).socket().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one,
                 sizeof one);
#endif
    http::async_read_some(m_stream, m_buffer, *m_parser,
                          [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                              if (e || self->m_parser->is_done())
                                  self->onRead(e);
                              else
                                  self->readUploadBody();
                          });
}

template<typename Stream>
void HttpSession<Stream>::readUploadPiece()
{
    if (m_upload->complete()) {
        onRead({});
        return;
    }
#ifdef TCP_QUICKACK
    const int one = 1; // as in readUploadBody
    ::setsockopt(beast::get_lowest_layer(m_stream).socket().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one,
                 sizeof one);
#endif
    m_stream.async_read_some(m_upload->next(UploadBody::PieceBytes),
                             [self = this->shared_from_this()](beast::error_code e, std::size_t n) {
                                 if (e) {
                                     // The client went away mid-body: nobody to answer.
                                     self->m_upload.reset();
                                     self->m_reading = false;
                                     self->finish();
                                     return;
                                 }
                                 self->m_upload->received(n);
                                 self->readUploadPiece();
                             });
}

template<typename Stream>
void HttpSession<Stream>::onRead(beast::error_code ec)
{
    if (failedRead(ec))
        return;
    m_reading = false;
    Request request = m_parser->release();
    if (m_overLimit) {
        m_upload.reset();
        sendError(503, "too_many_connections", "The server is busy; try again shortly.");
        return;
    }
    if (beast::websocket::is_upgrade(request)) {
        upgrade(std::move(request));
        return;
    }
    handle(std::move(request));
}

template<typename Stream>
void HttpSession<Stream>::handle(Request &&request)
{
    const bool keepAlive = request.keep_alive();
    const ApiRequest api = apiRequestOf(std::move(request), m_remoteAddress, m_upload ? &*m_upload : nullptr);
    ApiResponse r =
        m_context.pages && PageRouter::owns(api.target) ? m_context.pages->handle(api) : m_context.router.handle(api);
    m_upload.reset();
    if (log::enabled(log::Level::Debug)) {
        // The path only: queries and bodies may carry ids and cursors but never content; still keep logs lean.
        auto target = api.target.substr(0, api.target.find('?'));
        // An invitation token in the path is a secret: only its place is logged.
        for (const std::string_view secret : {"/by-token/", "/i/"})
            if (const auto at = target.find(secret); at != std::string::npos)
                target = target.substr(0, at + secret.size()) + "<token>";
        log::debug(api.method + " " + target + " -> " + std::to_string(r.status));
    }
    send(std::move(r), keepAlive);
}

template<typename Stream>
void HttpSession<Stream>::upgrade(Request &&request)
{
    const EventStreamTarget target = readEventStreamTarget(std::string(request.target()));
    if (target.kind == EventStreamTarget::Kind::NotFound) {
        sendError(404, "not_found", "No such resource.");
        return;
    }
    if (target.kind == EventStreamTarget::Kind::BadSince) {
        sendError(400, "invalid_field", "since must be a whole number of 0 or more.");
        return;
    }
    const qint64 since = target.since;
    Authenticated who;
    try {
        who = m_context.accounts.authenticate(ApiRouter::bearerToken(std::string(request[http::field::authorization])));
    } catch (const RequestError &e) {
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
                                                 who.expiresAt, who.sessionDigest, since)
        ->run(std::move(request));
}

template<typename Stream>
void HttpSession<Stream>::sendError(int status, const char *code, const char *message)
{
    ApiResponse r = errorResponse(status, QString::fromLatin1(code), QString::fromLatin1(message));
    send(status, std::move(r.body), false);
}

template<typename Stream>
void HttpSession<Stream>::send(int status, std::string body, bool keepAlive, const std::string &allow)
{
    ApiResponse r;
    r.status = status;
    r.body = std::move(body);
    r.allow = allow;
    send(std::move(r), keepAlive);
}

template<typename Stream>
void HttpSession<Stream>::send(ApiResponse &&r, bool keepAlive)
{
    if (r.file) {
        sendFile(std::move(r), keepAlive);
        return;
    }
    const int status = r.status;
    keepAlive = keepAlive && !m_context.stopping && status < 500 && status != 413 && status != 411;
    m_response.emplace(static_cast<http::status>(status), 11);
    m_response->set(http::field::server, "larch-server");
    if (!r.contentType.empty())
        m_response->set(http::field::content_type, r.contentType);
    else if (!r.body.empty())
        m_response->set(http::field::content_type, "application/json");
    if (!r.allow.empty())
        m_response->set(http::field::allow, r.allow);
    for (const auto &[name, value] : r.headers)
        m_response->set(name, value);
    if constexpr (isTls(static_cast<Stream *>(nullptr)))
        m_response->set(http::field::strict_transport_security, HstsValue);
    m_response->body() = std::move(r.body);
    m_response->keep_alive(keepAlive);
    m_response->prepare_payload();
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::RequestSeconds));
    http::async_write(m_stream, *m_response,
                      [self = this->shared_from_this(), keepAlive](beast::error_code ec, std::size_t) {
                          self->onWrite(keepAlive, ec);
                      });
}

template<typename Stream>
void HttpSession<Stream>::sendFile(ApiResponse &&r, bool keepAlive)
{
    beast::error_code ec;
    auto response = std::make_unique<FileResponse>();
    response->response.body().open(r.file->path.c_str(), r.file->offset, r.file->length, ec);
    if (ec) {
        // Removed between the look-up and now (a DELETE), or unreadable: the cause goes to the log, not the client.
        log::warn("a blob file could not be opened for download: " + ec.message());
        sendError(404, "not_found", "No such resource.");
        return;
    }
    keepAlive = keepAlive && !m_context.stopping;
    auto &res = response->response;
    res.result(static_cast<http::status>(r.status));
    res.version(11);
    res.set(http::field::server, "larch-server");
    res.set(http::field::content_type, r.contentType.empty() ? "application/octet-stream" : r.contentType);
    for (const auto &[name, value] : r.headers)
        res.set(name, value);
    if constexpr (isTls(static_cast<Stream *>(nullptr)))
        res.set(http::field::strict_transport_security, HstsValue);
    res.keep_alive(keepAlive);
    res.prepare_payload();
    m_file = std::move(response);
    m_file->serializer.emplace(m_file->response);
    writeFile(keepAlive);
}

template<typename Stream>
void HttpSession<Stream>::writeFile(bool keepAlive)
{
    // The deadline is per piece (at most FileSliceBody::PieceBytes), not per response: a 100 MB blob takes as long
    // as the client needs, but a client that stops reading is dropped after RequestSeconds.
    beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(TransportLimits::RequestSeconds));
    http::async_write_some(m_stream, *m_file->serializer,
                           [self = this->shared_from_this(), keepAlive](beast::error_code ec, std::size_t) {
                               if (!ec && !self->m_file->serializer->is_done()) {
                                   self->writeFile(keepAlive);
                                   return;
                               }
                               self->m_file.reset();
                               self->onWrite(keepAlive, ec);
                           });
}

template<typename Stream>
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

template<typename Stream>
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

template<typename Stream>
void HttpSession<Stream>::drain()
{
    // Reads and drops what the client still sends (e.g. the rest of an oversized body) until it closes,
    // twice the largest body limit has passed or two seconds are up; closing with unread data would
    // reset the connection and the client could lose the response.
    beast::get_lowest_layer(m_stream).async_read_some(
        net::buffer(m_drainBuffer), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->m_drained += n;
            if (ec || self->m_drained > 2 * TransportLimits::LargestBodyBytes) {
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
