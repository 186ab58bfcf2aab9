// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: how the server reads requests from a connection, over any bytes: Beast's request parser under the
// limits HttpSession gives it (limitHead, then planBody once the head is read), an upload's body read straight from
// the stream (UploadBody), the request handed to the routers (apiRequestOf), and Larch's own readers of the head:
// the target and its query, the route, Content-Type, Authorization, an upload's checksum and offset, Range, and the
// event stream's since. Up to 8 requests are read from one connection, as keep-alive allows.
// Input: one control byte (bits 0-5: how many bytes each read of the connection gives, 0 for all it asks; bits 6-7
// with the first body byte: a blob size for Range), then the bytes the client sends.
// Beyond "no crash, no read outside the input" it checks what the server relies on: a body over its route's limit is
// refused before it is read and no body read is over it; an upload's body read straight from the stream is byte for
// byte the body Beast reads from the same bytes, ends where Beast's does, and its running CRC-32C is the body's;
// readers that accept a value keep its bounds.
#include "server/api/ApiRoutes.h"
#include "server/api/RequestHead.h"
#include "server/pages/PageRouter.h"
#include "server/transport/RequestFraming.h"

#include "core/crypto/Crc32c.h"
#include "core/protocol/Validation.h"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using namespace larch::server;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_http_request: %s\n", what);
    std::abort();
}

/// The client's side of a connection: its bytes, handed out at most slice at a time, then end of stream.
struct MemoryStream {
    QByteArrayView data;
    qsizetype slice = 0; ///< 0: as much as each read asks
    qsizetype at = 0;

    template<typename Buffers>
    std::size_t read_some(const Buffers &buffers, beast::error_code &ec)
    {
        ec = {};
        if (at == data.size()) {
            ec = net::error::eof;
            return 0;
        }
        qsizetype left = data.size() - at;
        if (slice > 0)
            left = qMin(left, slice);
        const std::size_t n = net::buffer_copy(buffers, net::buffer(data.data() + at, std::size_t(left)));
        at += qsizetype(n);
        return n;
    }
    template<typename Buffers>
    std::size_t read_some(const Buffers &buffers)
    {
        beast::error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec)
            throw beast::system_error(ec);
        return n;
    }
};

/// Where the next request starts in the connection's bytes: read from the stream, not yet taken from the buffer.
qsizetype position(const MemoryStream &stream, const beast::flat_buffer &buffer)
{
    return stream.at - qsizetype(buffer.size());
}

/// The same request read again from where it starts, all through Beast's parser; its body and where it ended.
std::optional<std::pair<std::string, qsizetype>> readByBeast(QByteArrayView data, qsizetype from)
{
    MemoryStream stream{data.sliced(from)};
    beast::flat_buffer buffer;
    RequestParser parser;
    limitHead(parser);
    beast::error_code ec;
    http::read(stream, buffer, parser, ec);
    if (ec)
        return std::nullopt;
    return std::pair{parser.release().body(), from + position(stream, buffer)};
}

/// Larch's readers of the head, over what this request says.
void readHead(const ApiRequest &api, qint64 blobSize)
{
    (void)PageRouter::owns(api.target);
    const RequestTarget target = readTarget(api.target);
    if (target.valid) {
        for (const QString &segment : target.segments)
            if (segment.isEmpty() || segment.contains(QLatin1Char('/')))
                broken("a path segment is empty or holds a slash");
        const Match m = matchRoute(target.segments);
        if (m.route != Route::None && *m.allow == '\0')
            broken("a route allows no method");
        try {
            const qint64 limit = queryInt(target.query, "limit", 1, larch::Limits::PageMax, 7);
            if (limit < 1 || limit > larch::Limits::PageMax)
                broken("queryInt accepted a number outside its range");
        } catch (const RequestError &) { }
        try {
            if (uploadOffset(target.query) < 0)
                broken("an upload offset below 0 was accepted");
        } catch (const RequestError &) { }
    }
    const QString token = ApiRouter::bearerToken(api.authorization);
    if (token != token.trimmed() || (!token.isEmpty() && !api.authorization.starts_with("Bearer ")))
        broken("a bearer token with surrounding space, or from another scheme");
    const QByteArray type = mediaType(api.contentType);
    if (type != type.trimmed() || type != type.toLower() || type.contains(';'))
        broken("a media type is not trimmed and lower case, or holds a parameter");
    for (const qint64 size : {qint64(0), qint64(1), blobSize}) {
        const ByteRange r = parseRange(api.range, size);
        if (r.kind == ByteRange::Kind::Part && (r.first < 0 || r.first > r.last || r.last >= size))
            broken("a range of bytes outside the blob was accepted");
    }
    try {
        const BodyCheck check = readBodyCheck(api.contentCrc32c, api.contentSha256);
        const qsizetype digits = check.kind == BodyCheck::Kind::Crc32c ? 8 : 64;
        if (check.hex.size() != digits || !std::all_of(check.hex.begin(), check.hex.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            }))
            broken("a body checksum that is not lower-case hex of its length was accepted");
        const QByteArrayView bytes = api.uploadCrc32c ? api.uploadBytes : QByteArrayView(api.body);
        if (AttachmentService::matches(bytes, check, api.uploadCrc32c) != AttachmentService::matches(bytes, check))
            broken("the CRC-32C computed on the way in disagrees with the body's");
    } catch (const RequestError &) { }
}

/// Reads one request as HttpSession does; false when the connection ends after it.
bool readRequest(MemoryStream &stream, beast::flat_buffer &buffer, qint64 blobSize)
{
    const qsizetype start = position(stream, buffer);
    RequestParser parser;
    limitHead(parser);
    beast::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (ec) {
        (void)isParseError(ec); // the server answers 400 or 413 to it, or nobody is left to answer
        return false;
    }
    const BodyPlan plan = planBody(parser);
    const auto &head = parser.get();
    const auto length = parser.content_length();
    if (plan.limit != bodyLimitFor(head.method(), head.target()))
        broken("the body limit is not the route's");
    if ((plan.kind == BodyPlan::Kind::TooLarge) != (length && *length > plan.limit))
        broken("a body was refused within its limit, or let through over it");
    if (plan.kind == BodyPlan::Kind::TooLarge)
        return false;
    std::optional<UploadBody> upload;
    if (plan.kind == BodyPlan::Kind::Upload) {
        if (!isUploadPut(head.method(), head.target()) || !length || parser.chunked() || *length != plan.length)
            broken("a request that is no upload PUT of known length was read as one");
        upload.emplace(plan.length, buffer);
        while (!upload->complete()) {
            const auto piece = upload->next(UploadBody::PieceBytes);
            if (piece.size() == 0 || piece.size() > UploadBody::PieceBytes)
                broken("an upload asks for a piece of no bytes or too many");
            const std::size_t n = stream.read_some(piece, ec);
            if (ec)
                return false; // the client went away mid-body
            upload->received(n);
        }
        if (std::size_t(upload->bytes().size()) != plan.length || upload->crc32c() != larch::crc32c(upload->bytes()))
            broken("an upload's body is not its length, or its running CRC-32C is not the body's");
        const auto beast = readByBeast(stream.data, start);
        if (!beast || QByteArrayView(beast->first) != upload->bytes() || beast->second != position(stream, buffer))
            broken("an upload's body read from the stream differs from the body Beast reads");
    } else if (plan.kind == BodyPlan::Kind::ChunkedUpload) {
        while (!ec && !parser.is_done())
            http::read_some(stream, buffer, parser, ec);
    } else {
        http::read(stream, buffer, parser, ec);
    }
    if (ec)
        return false; // 413 (body_limit), 400, or nobody left to answer
    if (parser.get().body().size() > plan.limit)
        broken("a body over its route's limit was read");
    HttpRequest request = parser.release();
    const bool keepAlive = request.keep_alive();
    if (beast::websocket::is_upgrade(request)) {
        const EventStreamTarget events = readEventStreamTarget(std::string(request.target()));
        if (events.kind == EventStreamTarget::Kind::Events && events.since < 0)
            broken("an event stream resumes from below 0");
        (void)ApiRouter::bearerToken(std::string(request[http::field::authorization]));
        return false; // the connection becomes the event stream
    }
    const ApiRequest api = apiRequestOf(std::move(request), QStringLiteral("127.0.0.1"), upload ? &*upload : nullptr);
    readHead(api, blobSize);
    return keepAlive;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    MemoryStream stream{QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)), control & 63};
    const qint64 blobSize = (qint64(control >> 6) << 8 | (size > 1 ? data[1] : 0)) * 97;
    beast::flat_buffer buffer;
    for (int n = 0; n < 8 && readRequest(stream, buffer, blobSize); ++n) { }
    return 0;
}
