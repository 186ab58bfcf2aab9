// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Previews of a file chosen for sending, made on the sending device before anything is encrypted: the chip shows
// them, and the thumbnail travels (encrypted) inside the message so the recipient sees it before downloading.
#pragma once

#include "core/attachments/ExifOrientation.h"

#include <QByteArray>
#include <QImage>
#include <QString>

namespace larch {

/// What a preview job found out about one file. Plain data: made on a worker thread, read on the GUI thread.
struct ComposePreview {
    /// Longest edge of a thumbnail, in pixels (a chip shows it at 56 px; the thread card at up to 320).
    static constexpr int ThumbnailEdge = 320;

    bool failed = false; ///< the file could not be decoded (or, converting, written)
    bool malformed = false; ///< a photo or video whose metadata cannot be removed, its structure being broken: it
        ///< could not be sent (AttachmentSource::check)
    bool uprightFailed = false; ///< a PNG or WebP that had to be turned upright (needsUprightCopy) but could not be
    int width = 0; ///< pixels as shown, EXIF orientation applied; 0 for PDFs
    int height = 0;
    int pages = 0; ///< PDFs
    QByteArray thumbnail; ///< JPEG ≤ AttachmentRef::ThumbnailMax; empty when none could be made
    QImage image; ///< the thumbnail as the chip shows it (decoded from `thumbnail`)
    QString convertedPath; ///< convertPhotoToJpeg, uprightPhotoCopy: the private copy it wrote, sent instead
    QString convertedMime; ///< the copy's type (image/jpeg, image/png or image/webp)
};

/// Size and thumbnail of a photo, upright (EXIF orientation applied). Safe on any thread.
ComposePreview previewImage(const QString &path);

/// Decodes a photo Qt can read but the recipient may not (HEIC), writes it upright as a JPEG to jpegPath (owner
/// read/write only; no EXIF is written) and previews the copy. failed when it cannot be read or written. Any
/// thread.
ComposePreview convertPhotoToJpeg(const QString &path, const QString &jpegPath);

/// True when a photo of this type that declares this orientation must have its pixels turned before sending: PNG
/// and WebP lose their EXIF whole (see PhotoMetadataStripper), so only upright pixels show them as taken. A JPEG
/// keeps its orientation tag instead, which spares its pixels a second lossy encoding.
bool needsUprightCopy(const QString &mime, ExifOrientation orientation);

/// Decodes a PNG or WebP photo as stored, turns its pixels as `orientation` says, writes the upright picture in
/// the same format to copyPath (owner read/write only; lossless for PNG) and previews the copy. failed when it
/// cannot be read or written. Any thread.
ComposePreview uprightPhotoCopy(const QString &path, const QString &mime, ExifOrientation orientation,
                                const QString &copyPath);

/// Page count and the first page rendered as the thumbnail (Qt PDF). Any thread.
ComposePreview previewPdf(const QString &path);

/// The thumbnail bytes for an image: fitted into ThumbnailEdge, flattened on white, JPEG at the best quality
/// that fits AttachmentRef::ThumbnailMax (smaller pixels when even low quality does not). Empty for a null image.
QByteArray encodeThumbnail(const QImage &image);

} // namespace larch
