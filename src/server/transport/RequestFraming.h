// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How HttpSession reads a request, apart from the socket: the parser's limits, what the head decides about the body,
// an upload's body read into a buffer of its own, and the request handed to the routers.
#pragma once

#include "server/api/ApiRouter.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <memory>
#include <string_view>

namespace larch::server {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

/// True for PUT /v1/uploads/{id}: raw blob bytes.
bool isUploadPut(boost::beast::http::verb method, std::string_view target);
/// The body limit of a route: larger for encrypted messages, key backups, blob bytes and inbound e-mail, 64 KiB for
/// the rest (TransportLimits).
std::size_t bodyLimitFor(boost::beast::http::verb method, std::string_view target);
/// True for errors of the HTTP parser (a malformed request), as opposed to transport errors.
bool isParseError(const boost::beast::error_code &ec);

/// Gives a fresh parser the limits of a request's head: headers up to TransportLimits::HeaderBytes, and the largest
/// body of any route until the head says which route it is.
void limitHead(RequestParser &parser);

/// How to read the body of a request whose head the parser holds.
struct BodyPlan {
    enum class Kind {
        TooLarge, ///< its Content-Length is over the route's limit: 413 before any of it is read
        Parsed, ///< through the parser, into the request's body
        ChunkedUpload, ///< an upload PUT without a Content-Length: through the parser, piece by piece
        Upload, ///< an upload PUT with a Content-Length: straight into an UploadBody of that length
    };
    Kind kind = Kind::Parsed;
    std::size_t limit = 0; ///< the route's body limit, now also the parser's
    std::size_t length = 0; ///< Upload: the body's length (within limit)
};
/// Once the head is read: sets the route's body limit on the parser and says how to read the body.
BodyPlan planBody(RequestParser &parser);

/// The body of an upload PUT with a Content-Length: read from the stream into a buffer of its exact size, bypassing
/// the parser's body (which would zero, then copy, every byte), and checksummed piece by piece while each piece is
/// still in the processor's cache.
class UploadBody {
public:
    /// What one read asks of the stream at most: 16 reads for a 4 MiB request.
    static constexpr std::size_t PieceBytes = 256 * 1024;

    /// Room for length bytes, uninitialised. The body bytes that arrived with the head are taken from buffer; bytes
    /// past the body belong to the next request and stay there.
    UploadBody(std::size_t length, boost::beast::flat_buffer &buffer);

    bool complete() const { return m_have == m_length; }
    /// Where the next piece goes: at most maxBytes, never past the body's end.
    boost::asio::mutable_buffer next(std::size_t maxBytes);
    /// n bytes were read into next().
    void received(std::size_t n);
    /// The bytes received so far (all of them once complete).
    QByteArrayView bytes() const { return QByteArrayView(m_bytes.get(), qsizetype(m_have)); }
    /// CRC-32C of bytes().
    quint32 crc32c() const { return m_crc32c; }

private:
    std::unique_ptr<char[]> m_bytes;
    std::size_t m_length = 0;
    std::size_t m_have = 0;
    quint32 m_crc32c = 0;
};

/// The request as the routers read it: method, target, the headers Larch uses and the body. An upload's body, when
/// given, is referred to (uploadBytes), not copied: it must outlive the ApiRequest.
ApiRequest apiRequestOf(HttpRequest &&request, const QString &remoteAddress, const UploadBody *upload);

} // namespace larch::server
