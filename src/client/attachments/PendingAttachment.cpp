// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/PendingAttachment.h"

#include "core/attachments/AttachmentRef.h"
#include "core/protocol/JsonRead.h"

#include <QDir>

namespace larch {

QJsonObject PendingAttachment::toJson() const
{
    return QJsonObject{
        {QStringLiteral("sourcePath"), sourcePath},
        {QStringLiteral("ownsSource"), ownsSource},
        {QStringLiteral("mime"), type.mime},
        {QStringLiteral("kind"), type.kind},
        {QStringLiteral("name"), name},
        {QStringLiteral("sourceSize"), sourceSize},
        {QStringLiteral("sourceModifiedMs"), sourceModifiedMs},
        {QStringLiteral("stripMetadata"), stripMetadata},
        {QStringLiteral("width"), width},
        {QStringLiteral("height"), height},
        {QStringLiteral("durationMs"), durationMs},
        {QStringLiteral("pages"), pages},
        {QStringLiteral("thumbnail"), QString::fromLatin1(thumbnail.toBase64())},
    };
}

std::optional<PendingAttachment> PendingAttachment::fromJson(const QJsonObject &o)
{
    PendingAttachment p;
    qint64 width = 0, height = 0, pages = 0;
    QString thumbnail;
    if (!json::readString(o, "sourcePath", p.sourcePath) || !QDir::isAbsolutePath(p.sourcePath)
        || !json::readString(o, "mime", p.type.mime) || !json::readString(o, "kind", p.type.kind)
        || !json::readString(o, "name", p.name) || p.name.isEmpty() || !json::readInt(o, "sourceSize", p.sourceSize)
        || p.sourceSize < 0 || !json::readInt(o, "width", width) || !json::readInt(o, "height", height)
        || !json::readInt(o, "durationMs", p.durationMs) || !json::readInt(o, "pages", pages)
        || !json::readString(o, "thumbnail", thumbnail))
        return std::nullopt;
    // Entries stored before the field existed have none: read as unknown.
    if (o.contains(QLatin1String("sourceModifiedMs"))
        && (!json::readInt(o, "sourceModifiedMs", p.sourceModifiedMs) || p.sourceModifiedMs < 0))
        return std::nullopt;
    const QJsonValue owns = o.value(QLatin1String("ownsSource"));
    const QJsonValue strip = o.value(QLatin1String("stripMetadata"));
    if (!owns.isBool() || !strip.isBool())
        return std::nullopt;
    p.ownsSource = owns.toBool();
    p.stripMetadata = strip.toBool();
    p.width = int(width);
    p.height = int(height);
    p.pages = int(pages);
    auto decoded = QByteArray::fromBase64Encoding(thumbnail.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok
        || decoded.decoded.size() > AttachmentRef::ThumbnailMax)
        return std::nullopt;
    p.thumbnail = decoded.decoded;
    return p;
}

} // namespace larch
