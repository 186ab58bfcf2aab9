// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/AttachmentRef.h"

#include "core/protocol/JsonRead.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace larch {

namespace {

constexpr qsizetype kSha256Bytes = 32;
constexpr int kDimensionMax = 100000;

const QStringList &knownKinds()
{
    static const QStringList kinds{QStringLiteral("image"), QStringLiteral("video"), QStringLiteral("pdf")};
    return kinds;
}

/// Strict standard base64 of at most maxBytes decoded bytes.
std::optional<QByteArray> base64Field(const QJsonObject &o, const char *key, qsizetype maxBytes)
{
    QString s;
    if (!json::readString(o, key, s) || s.size() > (maxBytes + 2) / 3 * 4)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok || decoded.decoded.size() > maxBytes)
        return std::nullopt;
    return decoded.decoded;
}

/// A whole number in 0..max when present; absent reads as 0.
bool readOptionalCount(const QJsonObject &o, const char *key, qint64 max, qint64 &out)
{
    out = 0;
    if (!o.contains(QLatin1String(key)))
        return true;
    return json::readInt(o, key, out) && out >= 0 && out <= max;
}

bool isSafeName(const QString &name)
{
    if (name.isEmpty() || name.size() > AttachmentRef::NameMax || name == QLatin1String(".")
        || name == QLatin1String(".."))
        return false;
    for (const QChar c : name)
        if (c == u'/' || c == u'\\' || c.category() == QChar::Other_Control)
            return false;
    return true;
}

/// An optional SHA-256 in hex (any case); false when present but not 64 hex digits.
bool readOptionalHash(const QJsonObject &o, const char *field, QByteArray &out)
{
    if (!o.contains(QLatin1String(field)))
        return true;
    QString hex;
    if (!json::readString(o, field, hex))
        return false;
    const QByteArray hash = QByteArray::fromHex(hex.toLatin1());
    if (hex.size() != 2 * kSha256Bytes || hash.size() != kSha256Bytes || hash.toHex() != hex.toLatin1().toLower())
        return false;
    out = hash;
    return true;
}

} // namespace

QJsonObject AttachmentRef::toJson() const
{
    QJsonObject o{
        {QStringLiteral("blobId"), blobId}, {QStringLiteral("key"), QString::fromLatin1(key.toBase64())},
        {QStringLiteral("size"), size},     {QStringLiteral("mime"), mime},
        {QStringLiteral("kind"), kind},     {QStringLiteral("name"), name},
    };
    if (width > 0 && height > 0) {
        o.insert(QStringLiteral("width"), width);
        o.insert(QStringLiteral("height"), height);
    }
    if (durationMs > 0)
        o.insert(QStringLiteral("durationMs"), durationMs);
    if (pages > 0)
        o.insert(QStringLiteral("pages"), pages);
    if (!thumbnail.isEmpty())
        o.insert(QStringLiteral("thumbnail"), QString::fromLatin1(thumbnail.toBase64()));
    if (!blobSha256.isEmpty())
        o.insert(QStringLiteral("blobSha256"), QString::fromLatin1(blobSha256.toHex()));
    if (!sha256.isEmpty())
        o.insert(QStringLiteral("sha256"), QString::fromLatin1(sha256.toHex()));
    return o;
}

std::optional<AttachmentRef> AttachmentRef::fromJson(const QJsonObject &o)
{
    AttachmentRef a;
    if (!json::readString(o, "blobId", a.blobId) || !isValidId(a.blobId) || !json::readInt(o, "size", a.size)
        || a.size < 1 || !json::readString(o, "mime", a.mime) || a.mime.size() > 100
        || !json::readString(o, "kind", a.kind) || !knownKinds().contains(a.kind)
        || !json::readString(o, "name", a.name) || !isSafeName(a.name))
        return std::nullopt;
    const auto key = base64Field(o, "key", KeyBytes);
    if (!key || key->size() != KeyBytes)
        return std::nullopt;
    a.key = *key;
    if (!readOptionalHash(o, "blobSha256", a.blobSha256) || !readOptionalHash(o, "sha256", a.sha256)
        || (a.blobSha256.isEmpty() && a.sha256.isEmpty()))
        return std::nullopt;
    qint64 width = 0, height = 0, pages = 0;
    if (!readOptionalCount(o, "width", kDimensionMax, width) || !readOptionalCount(o, "height", kDimensionMax, height)
        || !readOptionalCount(o, "pages", 1000000, pages)
        || !readOptionalCount(o, "durationMs", qint64(100) * 24 * 3600 * 1000, a.durationMs))
        return std::nullopt;
    // A size is both dimensions or none (toJson writes it so); half of one is a malformed reference.
    if ((width > 0) != (height > 0))
        return std::nullopt;
    a.width = int(width);
    a.height = int(height);
    a.pages = int(pages);
    if (o.contains(QLatin1String("thumbnail"))) {
        const auto thumb = base64Field(o, "thumbnail", ThumbnailMax);
        if (!thumb)
            return std::nullopt;
        a.thumbnail = *thumb;
    }
    return a;
}

QByteArray MessageContent::toBytes() const
{
    QJsonArray list;
    for (const AttachmentRef &a : attachments)
        list.append(a.toJson());
    const QJsonObject o{{QStringLiteral("text"), text}, {QStringLiteral("attachments"), list}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<MessageContent> MessageContent::fromBytes(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    MessageContent c;
    if (!json::readOptionalString(o, "text", c.text) || textLength(c.text) > Limits::MessageBodyMax)
        return std::nullopt;
    const QJsonValue list = o.value(QLatin1String("attachments"));
    if (!list.isUndefined() && !list.isArray())
        return std::nullopt;
    const QJsonArray items = list.toArray();
    if (items.size() > AttachmentsMax)
        return std::nullopt;
    for (const QJsonValue &v : items) {
        if (!v.isObject())
            return std::nullopt;
        auto a = AttachmentRef::fromJson(v.toObject());
        if (!a)
            return std::nullopt;
        c.attachments.append(std::move(*a));
    }
    if (c.text.isEmpty() && c.attachments.isEmpty())
        return std::nullopt;
    return c;
}

} // namespace larch
