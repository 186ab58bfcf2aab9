// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One HTTP/1.1 connection (plain or TLS): reads bounded requests, answers through the ApiRouter, upgrades
// /v1/events to a WebSocket.
#pragma once

#include "server/transport/RequestFraming.h"
#include "server/transport/ServerContext.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <optional>

namespace larch::server {

struct FileResponse;

/// A keep-alive HTTP connection. Stream is PlainStream or TlsStream. All work runs on the stream's strand.
template<typename Stream>
class HttpSession : public Stoppable, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    /// overLimit: the server is at --max-connections; the session answers 503 to its first request and closes.
    HttpSession(Stream &&stream, ServerContext &context, ConnectionSlot slot, QString remoteAddress, bool overLimit);
    ~HttpSession() override;

    void run();
    void stop() override;

private:
    using Request = HttpRequest;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    void onHandshake(boost::beast::error_code ec);
    void readRequest();
    void onHeader(boost::beast::error_code ec);
    /// Reads a chunked upload's body through the parser piece by piece, asking the kernel to acknowledge each piece
    /// at once.
    void readUploadBody();
    /// Reads the next piece of an upload's body (of known length) straight from the stream into m_upload.
    void readUploadPiece();
    void onRead(boost::beast::error_code ec);
    /// Answers a failed read; true when it did (the caller stops).
    bool failedRead(boost::beast::error_code ec);
    void handle(Request &&request);
    void upgrade(Request &&request);
    void send(int status, std::string body, bool keepAlive, const std::string &allow = {});
    /// Sends a response with its content type and extra headers (pages).
    void send(ApiResponse &&response, bool keepAlive);
    void sendError(int status, const char *code, const char *message);
    /// Sends a response whose body is part of a file (blob downloads), streamed piece by piece.
    void sendFile(ApiResponse &&response, bool keepAlive);
    /// Writes the next piece of the file response; each piece gives the client a fresh idle deadline.
    void writeFile(bool keepAlive);
    void onWrite(bool keepAlive, boost::beast::error_code ec);
    /// Ends the connection after the last response without resetting it, so the client reads that response.
    void finish();
    void drain();

    Stream m_stream;
    ServerContext &m_context;
    ConnectionSlot m_slot;
    QString m_remoteAddress;
    bool m_overLimit;
    boost::beast::flat_buffer m_buffer;
    std::optional<RequestParser> m_parser;
    std::optional<Response> m_response;
    std::unique_ptr<FileResponse> m_file; ///< the file response being written, if any
    std::optional<UploadBody> m_upload; ///< the body of an upload PUT with a Content-Length, while it is read
    bool m_reading = false;
    bool m_registered = false;
    std::size_t m_drained = 0;
    std::size_t m_bodyLimit = 0; ///< the limit of the request being read
    std::array<char, 4096> m_drainBuffer{};
};

} // namespace larch::server
