#include "ComposePreview.h"

#include "AttachmentRef.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QPdfDocument>

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
        flat.fill(Qt::white);  // transparent PNG/PDF areas become white, not JPEG black
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
    reader.setAutoTransform(true);  // EXIF orientation: a portrait photo shows portrait
    const QSize raw = reader.size();
    if (raw.isValid())
        reader.setScaledSize(fitted(raw, ComposePreview::ThumbnailEdge));  // JPEG decodes at a fraction, cheaply
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

ComposePreview convertPhotoToJpeg(const QString &path, const QString &jpegPath)
{
    ComposePreview preview;
    QImageReader reader(path);
    reader.setAutoTransform(true);  // the JPEG carries no EXIF, so the pixels themselves must be upright
    const QImage image = reader.read();
    if (image.isNull()) {
        preview.failed = true;
        return preview;
    }
    // Created owner-only from the first byte: the photo is patient data even before it is sent.
    QFile file(jpegPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        preview.failed = true;
        return preview;
    }
    QImageWriter writer(&file, "JPEG");
    writer.setQuality(90);
    const bool written = writer.write(image.convertToFormat(QImage::Format_RGB32)) && file.flush();
    file.close();
    if (!written || file.error() != QFileDevice::NoError) {
        file.remove();
        preview.failed = true;
        return preview;
    }
    preview.convertedPath = jpegPath;
    preview.width = image.width();
    preview.height = image.height();
    setThumbnail(preview, image.scaled(fitted(image.size(), ComposePreview::ThumbnailEdge), Qt::KeepAspectRatio,
                                       Qt::SmoothTransformation));
    return preview;
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
        return preview;  // the page count still helps; no picture
    const QSize pixels = points.scaled(ComposePreview::ThumbnailEdge, ComposePreview::ThumbnailEdge,
                                       Qt::KeepAspectRatio).toSize().expandedTo(QSize(1, 1));
    setThumbnail(preview, document.render(0, pixels));
    return preview;
}

} // namespace larch
