// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposePreview.h"

#include "core/attachments/AttachmentRef.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QPdfDocument>
#include <QTransform>

namespace larch {

namespace {

// Fits a size into the thumbnail box without enlarging it.
QSize fitted(QSize size, int edge)
{
    if (size.width() <= edge && size.height() <= edge)
        return size;
    return size.scaled(edge, edge, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
}

// Fills the preview's thumbnail bytes and the image the chip shows (what the recipient will see, decoded).
void setThumbnail(ComposePreview &preview, const QImage &image)
{
    preview.thumbnail = encodeThumbnail(image);
    if (!preview.thumbnail.isEmpty())
        preview.image = QImage::fromData(preview.thumbnail, "JPEG");
}

} // namespace

QByteArray encodeThumbnail(const QImage &image)
{
    if (image.isNull())
        return {};
    QImage current = image;
    QSize size = fitted(image.size(), ComposePreview::ThumbnailEdge);
    // Quality first (detail at the same size reads better), then pixels; a 16 KiB JPEG of 320 px is usual.
    for (;;) {
        QImage flat(size, QImage::Format_RGB32);
        flat.fill(Qt::white); // transparent PNG/PDF areas become white, not JPEG black
        {
            QPainter painter(&flat);
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            painter.drawImage(QRect(QPoint(0, 0), size), current);
        }
        for (int quality : {82, 72, 62, 52, 42, 32}) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            QImageWriter writer(&buffer, "JPEG");
            writer.setQuality(quality);
            writer.setOptimizedWrite(true);
            if (!writer.write(flat))
                return {};
            if (bytes.size() <= AttachmentRef::ThumbnailMax)
                return bytes;
        }
        if (size.width() <= 32 || size.height() <= 32)
            return {};
        current = flat;
        size = QSize(size.width() * 3 / 4, size.height() * 3 / 4);
    }
}

ComposePreview previewImage(const QString &path)
{
    ComposePreview preview;
    QImageReader reader(path);
    reader.setAutoTransform(true); // EXIF orientation: a portrait photo shows portrait
    const QSize raw = reader.size();
    if (raw.isValid())
        reader.setScaledSize(fitted(raw, ComposePreview::ThumbnailEdge)); // JPEG decodes at a fraction, cheaply
    const QImage image = reader.read();
    if (image.isNull()) {
        preview.failed = true;
        return preview;
    }
    QSize shown = raw.isValid() ? raw : image.size();
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        shown.transpose();
    preview.width = shown.width();
    preview.height = shown.height();
    setThumbnail(preview, image);
    return preview;
}

namespace {

// Writes a photo to path, created owner-only from the first byte: it is patient data even before it is sent.
// Removes what it wrote when it fails.
bool writePrivateCopy(const QImage &image, const QString &path, const char *format, int quality)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return false;
    QImageWriter writer(&file, format);
    writer.setQuality(quality);
    const bool written = writer.write(image) && file.flush();
    file.close();
    if (!written || file.error() != QFileDevice::NoError) {
        file.remove();
        return false;
    }
    return true;
}

// The preview of a private copy just written from an upright image.
ComposePreview previewCopy(const QImage &image, const QString &path, const QString &mime)
{
    ComposePreview preview;
    preview.convertedPath = path;
    preview.convertedMime = mime;
    preview.width = image.width();
    preview.height = image.height();
    setThumbnail(preview,
                 image.scaled(fitted(image.size(), ComposePreview::ThumbnailEdge), Qt::KeepAspectRatio,
                              Qt::SmoothTransformation));
    return preview;
}

// The stored pixels turned as EXIF says: mirror and/or flip first, then a quarter turn clockwise, which together
// give all eight orientations (5 = flip + turn, 7 = mirror + turn, 8 = mirror + flip + turn).
QImage turnedUpright(const QImage &stored, ExifOrientation orientation)
{
    bool mirror = false;
    bool flip = false;
    bool quarter = false;
    switch (orientation) {
    case ExifOrientation::Mirrored: mirror = true; break;
    case ExifOrientation::Rotated180: mirror = flip = true; break;
    case ExifOrientation::Flipped: flip = true; break;
    case ExifOrientation::Transposed: flip = quarter = true; break;
    case ExifOrientation::Rotated90: quarter = true; break;
    case ExifOrientation::Transversed: mirror = quarter = true; break;
    case ExifOrientation::Rotated270: mirror = flip = quarter = true; break;
    case ExifOrientation::None:
    case ExifOrientation::Upright: return stored;
    }
    QImage image = stored.mirrored(mirror, flip);
    if (quarter)
        image = image.transformed(QTransform().rotate(90));
    return image;
}

} // namespace

ComposePreview convertPhotoToJpeg(const QString &path, const QString &jpegPath)
{
    QImageReader reader(path);
    reader.setAutoTransform(true); // the JPEG carries no EXIF, so the pixels themselves must be upright
    const QImage image = reader.read();
    if (image.isNull() || !writePrivateCopy(image.convertToFormat(QImage::Format_RGB32), jpegPath, "JPEG", 90)) {
        ComposePreview failed;
        failed.failed = true;
        return failed;
    }
    return previewCopy(image, jpegPath, QStringLiteral("image/jpeg"));
}

bool needsUprightCopy(const QString &mime, ExifOrientation orientation)
{
    return turnsPixels(orientation) && (mime == QLatin1String("image/png") || mime == QLatin1String("image/webp"));
}

ComposePreview uprightPhotoCopy(const QString &path, const QString &mime, ExifOrientation orientation,
                                const QString &copyPath)
{
    QImageReader reader(path);
    reader.setAutoTransform(false); // the orientation was read by Larch itself; Qt must not turn it a second time
    const QImage upright = turnedUpright(reader.read(), orientation);
    const bool png = mime == QLatin1String("image/png");
    // PNG stays lossless; a WebP photo was lossy already, and a second encoding at 90 keeps what it had.
    if (upright.isNull() || !writePrivateCopy(upright, copyPath, png ? "PNG" : "WEBP", png ? -1 : 90)) {
        ComposePreview failed;
        failed.failed = true;
        return failed;
    }
    return previewCopy(upright, copyPath, mime);
}

ComposePreview previewPdf(const QString &path)
{
    ComposePreview preview;
    QPdfDocument document;
    if (document.load(path) != QPdfDocument::Error::None || document.pageCount() < 1) {
        preview.failed = true;
        return preview;
    }
    preview.pages = document.pageCount();
    const QSizeF points = document.pagePointSize(0);
    if (points.isEmpty())
        return preview; // the page count still helps; no picture
    const QSize pixels =
        points.scaled(ComposePreview::ThumbnailEdge, ComposePreview::ThumbnailEdge, Qt::KeepAspectRatio)
            .toSize()
            .expandedTo(QSize(1, 1));
    setThumbnail(preview, document.render(0, pixels));
    return preview;
}

} // namespace larch
