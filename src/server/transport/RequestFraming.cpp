// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/RequestFraming.h"

#include "core/crypto/Crc32c.h"
#include "server/transport/TransportLimits.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>

namespace larch::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

bool isUploadPut(http::verb method, std::string_view target)
{
    const std::string_view path = target.substr(0, target.find('?'));
    return method == http::verb::put && path.starts_with("/v1/uploads/");
}

std::size_t bodyLimitFor(http::verb method, std::string_view target)
{
    const std::string_view path = target.substr(0, target.find('?'));
    if (isUploadPut(method, target))
        return TransportLimits::UploadBodyBytes;
    if (method == http::verb::put && path == "/v1/me/key-backup")
        return TransportLimits::KeyBackupBodyBytes;
    if (method == http::verb::post && path == "/v1/webhooks/email/inbound")
        return TransportLimits::InboundEmailBodyBytes;
    if (method == http::verb::post
        && ((path.starts_with("/v1/conversations/") && path.ends_with("/messages"))
            || path == "/v1/me/key-backup/entries"))
        return TransportLimits::MessageBodyBytes;
    return TransportLimits::BodyBytes;
}

bool isParseError(const beast::error_code &ec)
{
    return ec.category() == make_error_code(http::error::bad_target).category() && ec != http::error::end_of_stream
        && ec != http::error::partial_message;
}

void limitHead(RequestParser &parser)
{
    parser.header_limit(TransportLimits::HeaderBytes);
    parser.body_limit(TransportLimits::LargestBodyBytes);
}

// GCC 12 with the sanitizers' instrumentation warns that Beast's boost::none return of content_length() "may be used
// uninitialized", a false positive inside Boost's own header; the warning is silenced for this function alone.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
BodyPlan planBody(RequestParser &parser)
{
    const auto &header = parser.get();
    BodyPlan plan;
    plan.limit = bodyLimitFor(header.method(), header.target());
    const auto length = parser.content_length();
    if (length && *length > plan.limit) {
        plan.kind = BodyPlan::Kind::TooLarge;
        return plan;
    }
    parser.body_limit(plan.limit);
    if (!isUploadPut(header.method(), header.target()))
        return plan;
    if (!length || parser.chunked()) {
        plan.kind = BodyPlan::Kind::ChunkedUpload;
        return plan;
    }
    plan.kind = BodyPlan::Kind::Upload;
    plan.length = static_cast<std::size_t>(*length);
    return plan;
}
#pragma GCC diagnostic pop

UploadBody::UploadBody(std::size_t length, beast::flat_buffer &buffer)
    : m_bytes(new char[std::max<std::size_t>(1, length)]), m_length(length)
{
    m_have = net::buffer_copy(net::buffer(m_bytes.get(), m_length), buffer.data());
    buffer.consume(m_have);
    m_crc32c = larch::crc32c(bytes());
}

net::mutable_buffer UploadBody::next(std::size_t maxBytes)
{
    return net::buffer(m_bytes.get() + m_have, std::min(maxBytes, m_length - m_have));
}

void UploadBody::received(std::size_t n)
{
    n = std::min(n, m_length - m_have);
    m_crc32c = larch::crc32c(QByteArrayView(m_bytes.get() + m_have, qsizetype(n)), m_crc32c);
    m_have += n;
}

ApiRequest apiRequestOf(HttpRequest &&request, const QString &remoteAddress, const UploadBody *upload)
{
    ApiRequest api;
    api.method = std::string(request.method_string());
    api.target = std::string(request.target());
    api.contentType = std::string(request[http::field::content_type]);
    api.authorization = std::string(request[http::field::authorization]);
    api.hasLength = request.has_content_length() || request.chunked();
    api.body = std::move(request.body());
    api.remoteAddress = remoteAddress;
    api.signature = std::string(request["X-Twilio-Signature"]);
    api.contentSha256 = std::string(request["X-Content-SHA256"]);
    api.contentCrc32c = std::string(request["X-Content-CRC32C"]);
    api.range = std::string(request[http::field::range]);
    if (upload) {
        api.uploadBytes = upload->bytes();
        api.uploadCrc32c = upload->crc32c();
    }
    return api;
}

} // namespace larch::server
