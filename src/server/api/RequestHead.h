// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Larch's own readers of what a request's head says: its target and query, content types, an upload's checksum and
// offset, a Range, the event stream's since.
#pragma once

#include "server/attachments/AttachmentService.h"

#include <optional>
#include <QStringList>
#include <QUrlQuery>
#include <string>
#include <string_view>

namespace larch::server {

/// A request target read as the routers read it: the path's non-empty segments and the query.
struct RequestTarget {
    bool valid = false; ///< false for a target that is no URL path (then every route answers 404)
    QString path; ///< decoded
    QStringList segments; ///< path split at '/', empty segments skipped
    QUrlQuery query;
};
RequestTarget readTarget(const std::string &target);

/// An optional integer query parameter within [min, max]; fallback when absent. Throws RequestError 400
/// (invalid_field) for anything else.
qint64 queryInt(const QUrlQuery &query, const char *key, qint64 min, qint64 max, qint64 fallback);

/// The media type of a Content-Type, parameters dropped, trimmed and lower case ("application/json").
QByteArray mediaType(const std::string &contentType);

/// What a Range header asks of a blob of size bytes.
struct ByteRange {
    enum class Kind { Whole, Part, Unsatisfiable };
    Kind kind = Kind::Whole;
    qint64 first = 0;
    qint64 last = 0; ///< inclusive
};
/// A Range header as RFC 9110 (section 14) asks: the unit "bytes" in any case, then one or more comma-separated
/// ranges "N-" (from N to the end, how a download resumes), "N-M" or "-N" (the last N bytes). A header that is
/// malformed, names another unit or holds several ranges is ignored (the whole blob, 200; the server MAY ignore
/// Range and sends no multipart answers); a header whose every range starts at or past the end is unsatisfiable
/// (416).
ByteRange parseRange(std::string_view header, qint64 size);

/// The body's checksum of an upload PUT: X-Content-CRC32C (8 hex digits) or X-Content-SHA256 (64). Throws
/// RequestError 400 when neither or both are sent, or the one sent is not hex of its length.
BodyCheck readBodyCheck(const std::string &crc32cHeader, const std::string &sha256Header);

/// The offset query parameter of an upload PUT: digits only. Throws RequestError 400 when absent or not a whole
/// number.
qint64 uploadOffset(const QUrlQuery &query);

/// The target of a WebSocket upgrade: the event stream and where it resumes.
struct EventStreamTarget {
    enum class Kind { Events, NotFound, BadSince };
    Kind kind = Kind::NotFound;
    qint64 since = 0; ///< the since query parameter: 0 or more (0 when absent)
};
EventStreamTarget readEventStreamTarget(const std::string &target);

} // namespace larch::server
