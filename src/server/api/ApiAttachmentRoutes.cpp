// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The attachment routes of ApiRouter (docs/protocol.md, "Attachments"): limits, resumable uploads, download
// tokens and the blob content, which is streamed from its file (HttpSession sends ApiResponse::file).
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"
#include "server/api/RequestHead.h"

#include <limits>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// Headers of every answer with blob content: never cached, never sniffed into something it is not.
void blobHeaders(ApiResponse &r)
{
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Accept-Ranges", "bytes");
}

} // namespace

ApiResponse ApiRouter::attachmentRoute(const Match &m, const ApiRequest &request)
{
    const QUrlQuery query = readTarget(request.target).query;
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
        if (mediaType(request.contentType) != "application/octet-stream")
            throw RequestError(415, QStringLiteral("unsupported_media_type"),
                               QStringLiteral("Send the bytes as Content-Type: application/octet-stream."));
        const BodyCheck check = readBodyCheck(request.contentCrc32c, request.contentSha256);
        const qint64 offset = uploadOffset(query);
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
