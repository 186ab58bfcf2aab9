// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The attachment routes of ApiRouter (docs/protocol.md, "Attachments"): limits, resumable uploads, download
// tokens and the blob content, which is streamed from its file (HttpSession sends ApiResponse::file).
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <QUrl>
#include <QUrlQuery>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// What a Range header asks of a blob of size bytes.
struct ByteRange {
    enum class Kind { Whole, Part, Unsatisfiable };
    Kind kind = Kind::Whole;
    qint64 first = 0;
    qint64 last = 0; ///< inclusive
};

/// A whole number of digits only (no sign, no spaces); nullopt otherwise.
std::optional<qint64> digits(std::string_view text)
{
    qint64 v = 0;
    if (text.empty())
        return std::nullopt;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        return std::nullopt;
    return v;
}

/// A position of a range: digits only (no sign, no spaces); a number too large for qint64 is the largest one,
/// which is past the end of any blob. nullopt when not digits.
std::optional<qint64> position(std::string_view text)
{
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    qint64 v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range)
        return std::numeric_limits<qint64>::max();
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// A Range header as RFC 9110 (section 14) asks: the unit "bytes" in any case, then one or more comma-separated
/// ranges "N-" (from N to the end, how a download resumes), "N-M" or "-N" (the last N bytes). A header that is
/// malformed, names another unit or holds several ranges is ignored (the whole blob, 200; the server MAY ignore
/// Range and sends no multipart answers); a header whose every range starts at or past the end is unsatisfiable
/// (416).
ByteRange parseRange(std::string_view header, qint64 size)
{
    header = trimmed(header);
    constexpr std::string_view unit = "bytes=";
    if (header.size() < unit.size()
        || QByteArray::fromRawData(header.data(), qsizetype(unit.size())).toLower() != QByteArray(unit.data()))
        return {};
    std::string_view set = header.substr(unit.size());
    std::optional<ByteRange> only;
    int count = 0;
    bool satisfiable = false;
    while (true) {
        const auto comma = set.find(',');
        const std::string_view spec = trimmed(set.substr(0, comma));
        set = comma == std::string_view::npos ? std::string_view() : set.substr(comma + 1);
        // Empty elements of the list ("0-1,,5-9") are allowed by the list syntax and skipped.
        if (!spec.empty()) {
            const auto dash = spec.find('-');
            if (dash == std::string_view::npos)
                return {};
            const std::string_view firstText = spec.substr(0, dash), lastText = spec.substr(dash + 1);
            ByteRange range{ByteRange::Kind::Part};
            if (firstText.empty()) {
                const auto suffix = position(lastText);
                if (!suffix)
                    return {};
                // The last N bytes; "-0" asks for none, which no blob can give.
                if (*suffix == 0 || size == 0)
                    range.kind = ByteRange::Kind::Unsatisfiable;
                range.first = size - std::min(*suffix, size);
                range.last = size - 1;
            } else {
                const auto first = position(firstText);
                const auto last =
                    lastText.empty() ? std::optional<qint64>(std::numeric_limits<qint64>::max()) : position(lastText);
                if (!first || !last || *last < *first)
                    return {};
                if (*first >= size)
                    range.kind = ByteRange::Kind::Unsatisfiable;
                range.first = *first;
                range.last = std::min(*last, size - 1);
            }
            ++count;
            satisfiable = satisfiable || range.kind == ByteRange::Kind::Part;
            only = range;
        }
        if (comma == std::string_view::npos)
            break;
    }
    if (count == 0)
        return {};
    if (!satisfiable)
        return ByteRange{ByteRange::Kind::Unsatisfiable};
    return count == 1 ? *only : ByteRange{};
}

/// Headers of every answer with blob content: never cached, never sniffed into something it is not.
void blobHeaders(ApiResponse &r)
{
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Accept-Ranges", "bytes");
}

bool isOctetStream(const std::string &contentType)
{
    const QByteArray type = QByteArray::fromStdString(contentType.substr(0, contentType.find(';'))).trimmed().toLower();
    return type == "application/octet-stream";
}

/// The body's checksum: X-Content-CRC32C (8 hex digits) or X-Content-SHA256 (64); 400 when neither or both are
/// sent, or the one sent is not hex of its length.
BodyCheck bodyCheck(const ApiRequest &request)
{
    const QByteArray crc = QByteArray::fromStdString(request.contentCrc32c).trimmed().toLower();
    const QByteArray sha = QByteArray::fromStdString(request.contentSha256).trimmed().toLower();
    if (crc.isEmpty() == sha.isEmpty())
        throw RequestError(400, crc.isEmpty() ? QStringLiteral("missing_field") : QStringLiteral("invalid_field"),
                           QStringLiteral("Send one checksum of the body: X-Content-CRC32C (8 hex digits) or "
                                          "X-Content-SHA256 (64 hex digits)."));
    const bool isCrc = !crc.isEmpty();
    const QByteArray &hex = isCrc ? crc : sha;
    const int digits = isCrc ? 8 : 64;
    if (hex.size() != digits || !std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(uchar(c)); }))
        throw RequestError(400, QStringLiteral("invalid_field"),
                           isCrc
                               ? QStringLiteral("X-Content-CRC32C must be the CRC-32C of the body as 8 hex digits.")
                               : QStringLiteral("X-Content-SHA256 must be the SHA-256 of the body as 64 hex digits."));
    return BodyCheck{isCrc ? BodyCheck::Kind::Crc32c : BodyCheck::Kind::Sha256, hex};
}

/// The offset query parameter of a PUT; 400 when absent or not a whole number.
qint64 offsetOf(const QUrlQuery &query)
{
    if (!query.hasQueryItem(QStringLiteral("offset")))
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("offset is required: where these bytes go in the blob (?offset=N)."));
    const auto v = digits(query.queryItemValue(QStringLiteral("offset")).toStdString());
    if (!v)
        invalidField(QStringLiteral("offset must be a whole number of 0 or more."));
    return *v;
}

} // namespace

ApiResponse ApiRouter::attachmentRoute(const Match &m, const ApiRequest &request)
{
    const QUrl url(QStringLiteral("http://h") + QString::fromUtf8(request.target));
    const QUrlQuery query(url);
    if (m.route == Route::BlobContent) {
        // No bearer: the token in the link is the permission, so a media player or a download manager can fetch it.
        const BlobContent blob = m_attachments.content(m.id, query.queryItemValue(QStringLiteral("token")));
        const ByteRange range = parseRange(request.range, blob.size);
        if (range.kind == ByteRange::Kind::Unsatisfiable) {
            ApiResponse r = errorResponse(416, QStringLiteral("range_not_satisfiable"),
                                          QStringLiteral("Ask for one range of bytes within the blob, such as "
                                                         "Range: bytes=%1-.")
                                              .arg(blob.size / 2));
            r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(blob.size));
            blobHeaders(r);
            return r;
        }
        const bool part = range.kind == ByteRange::Kind::Part;
        ApiResponse r(part ? 206 : 200);
        r.contentType = "application/octet-stream";
        const qint64 first = part ? range.first : 0;
        const qint64 last = part ? range.last : blob.size - 1;
        r.file = FileSlice{blob.path.toStdString(), std::uint64_t(first), std::uint64_t(last - first + 1)};
        if (part)
            r.headers.emplace_back("Content-Range",
                                   "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/"
                                       + std::to_string(blob.size));
        blobHeaders(r);
        return r;
    }

    const Authenticated session = auth(request);
    const User &caller = session.user;
    switch (m.route) {
    case Route::Limits: return json(200, m_attachments.limits());
    case Route::ConversationUploads: {
        FieldReader r(jsonBody(request));
        const qint64 size = r.integer("size", 0, std::numeric_limits<qint64>::max() / 2);
        checkFields(r);
        return json(201, m_attachments.create(caller, m.id, size));
    }
    case Route::Upload: {
        if (request.method == "GET")
            return json(200, m_attachments.status(caller, m.id));
        if (request.method == "DELETE") {
            m_attachments.cancel(caller, m.id);
            return ApiResponse{204};
        }
        if (!request.hasLength)
            throw RequestError(411, QStringLiteral("length_required"),
                               QStringLiteral("Send the body with a Content-Length."));
        if (!isOctetStream(request.contentType))
            throw RequestError(415, QStringLiteral("unsupported_media_type"),
                               QStringLiteral("Send the bytes as Content-Type: application/octet-stream."));
        const BodyCheck check = bodyCheck(request);
        const qint64 offset = offsetOf(query);
        const QByteArrayView bytes = request.uploadCrc32c ? request.uploadBytes : QByteArrayView(request.body);
        const UploadPutResult result = m_attachments.put(caller, m.id, offset, bytes, check, request.uploadCrc32c);
        if (result.offsetMismatch) {
            QJsonObject body = errorBody(QStringLiteral("offset_mismatch"),
                                         QStringLiteral("The server holds %1 bytes of this upload; continue from "
                                                        "there.")
                                             .arg(result.received));
            QJsonObject error = body.value(QLatin1String("error")).toObject();
            error.insert(QStringLiteral("received"), result.received);
            body.insert(QStringLiteral("error"), error);
            return json(409, body);
        }
        return json(200, {{"received", result.received}, {"complete", result.complete}});
    }
    case Route::BlobDownloadToken: return json(200, m_attachments.downloadToken(session, m.id));
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
