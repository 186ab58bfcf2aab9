// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/RequestHead.h"

#include "server/api/ApiRoutes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <QUrl>

namespace larch::server {
namespace {

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

QUrl urlOf(const std::string &target) { return QUrl(QStringLiteral("http://h") + QString::fromUtf8(target)); }

} // namespace

RequestTarget readTarget(const std::string &target)
{
    const QUrl url = urlOf(target);
    RequestTarget t;
    t.valid = url.isValid() && target.starts_with('/');
    t.path = url.path();
    t.segments = t.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    t.query = QUrlQuery(url);
    return t;
}

qint64 queryInt(const QUrlQuery &query, const char *key, qint64 min, qint64 max, qint64 fallback)
{
    const QString name = QLatin1String(key);
    if (!query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 v = query.queryItemValue(name).toLongLong(&ok);
    if (!ok || v < min || v > max)
        invalidField(QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
    return v;
}

QByteArray mediaType(const std::string &contentType)
{
    return QByteArray::fromStdString(contentType.substr(0, contentType.find(';'))).trimmed().toLower();
}

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

BodyCheck readBodyCheck(const std::string &crc32cHeader, const std::string &sha256Header)
{
    const QByteArray crc = QByteArray::fromStdString(crc32cHeader).trimmed().toLower();
    const QByteArray sha = QByteArray::fromStdString(sha256Header).trimmed().toLower();
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

qint64 uploadOffset(const QUrlQuery &query)
{
    if (!query.hasQueryItem(QStringLiteral("offset")))
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("offset is required: where these bytes go in the blob (?offset=N)."));
    const auto v = digits(query.queryItemValue(QStringLiteral("offset")).toStdString());
    if (!v)
        invalidField(QStringLiteral("offset must be a whole number of 0 or more."));
    return *v;
}

EventStreamTarget readEventStreamTarget(const std::string &target)
{
    const QUrl url = urlOf(target);
    if (url.path() != QLatin1String("/v1/events"))
        return {};
    EventStreamTarget t{EventStreamTarget::Kind::Events};
    const QString since = QUrlQuery(url).queryItemValue(QStringLiteral("since"));
    if (!since.isEmpty()) {
        bool ok = false;
        t.since = since.toLongLong(&ok);
        if (!ok || t.since < 0)
            return EventStreamTarget{EventStreamTarget::Kind::BadSince};
    }
    return t;
}

} // namespace larch::server
