// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Which files Larch accepts as attachments, told by their content, never by their name.
#pragma once

#include <optional>
#include <QByteArrayView>
#include <QString>

namespace larch {

/// A recognised file type.
struct AttachmentType {
    QString mime; ///< application/pdf, image/jpeg, image/png, image/heic, image/webp, image/gif,
        ///< video/mp4, video/quicktime or video/webm
    QString kind; ///< "pdf", "image" or "video"
    bool operator==(const AttachmentType &) const = default;
};

/// Bytes of a file's start that sniffAttachmentType needs to decide.
inline constexpr qsizetype AttachmentSniffBytes = 64;

/// The type of a file from its first bytes (at least AttachmentSniffBytes when the file has them): PDF (%PDF-),
/// JPEG (FF D8 FF), PNG (its 8-byte signature), GIF (GIF87a/GIF89a), WebP (RIFF….WEBP), HEIC/HEIF, MP4, MOV (ISO
/// base media "ftyp" brands: heic/heix/mif1/msf1 → image/heic; qt → video/quicktime; other brands → video/mp4; a
/// QuickTime file that starts with a moov/mdat/wide/free atom → video/quicktime), WebM (EBML header with DocType
/// "webm"). nullopt for anything else.
std::optional<AttachmentType> sniffAttachmentType(QByteArrayView head);

/// The sentence that lists what is accepted, for refusals: "Larch takes PDFs, photos (JPEG, PNG, HEIC, WebP,
/// GIF) and videos (MP4, MOV, WebM)."
QString acceptedAttachmentTypes();

/// A file name safe to send and to save: the last path component only (both / and \ count), control and
/// reserved characters (< > : " | ? * and NUL) replaced by "_", leading dots and surrounding spaces removed,
/// at most AttachmentRef::NameMax characters keeping the extension; "attachment" plus an extension for the
/// type when nothing is left.
QString sanitizeAttachmentName(const QString &name, const AttachmentType &type);

} // namespace larch
