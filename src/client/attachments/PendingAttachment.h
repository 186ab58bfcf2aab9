// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A file the person chose to send, as the outbox keeps it until its upload is done and the message is sent.
#pragma once

#include "core/attachments/AttachmentType.h"

#include <optional>
#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace larch {

/// Everything the sending device knows about a file before it is uploaded (kept sealed in the outbox).
struct PendingAttachment {
    QString sourcePath; ///< the local file to read (absolute path)
    bool ownsSource =
        false; ///< sourcePath is the app's private copy (a converted HEIC photo): removed once sent or cancelled
    AttachmentType type; ///< detected from the content
    QString name; ///< sanitised (sanitizeAttachmentName)
    qint64 sourceSize = 0; ///< bytes of sourcePath when it was chosen
    qint64 sourceModifiedMs = 0; ///< its last change then (ms since the epoch); 0: unknown, not checked
    bool stripMetadata = false; ///< photos lose EXIF/GPS/XMP, MP4/MOV videos their metadata boxes, as the file streams
    int width = 0;
    int height = 0;
    qint64 durationMs = 0;
    int pages = 0;
    QByteArray thumbnail; ///< JPEG ≤ AttachmentRef::ThumbnailMax, made on this device; may be empty

    QJsonObject toJson() const;
    static std::optional<PendingAttachment> fromJson(const QJsonObject &o);
    bool operator==(const PendingAttachment &) const = default;
};

} // namespace larch
