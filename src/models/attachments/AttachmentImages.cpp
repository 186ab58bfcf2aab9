// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/AttachmentImages.h"

#include <QBuffer>
#include <QImageReader>
#include <QMutexLocker>
#include <QUrl>

#include <algorithm>
#include <limits>

namespace larch {

namespace {
const QLatin1String ThumbPrefix("thumb/");
const QLatin1String FullPrefix("full/");
// Ids are server and device UUIDs; encoding keeps any other text from breaking the URL's path.
QString encoded(const QString &text) { return QString::fromLatin1(QUrl::toPercentEncoding(text)); }

constexpr int MaxSide = 6000;

// The size to decode at: natural shrunk to fit requested (either side may be 0, "any"); invalid to keep it.
QSize fitWithin(const QSize &natural, const QSize &requested)
{
    if (!natural.isValid() || natural.isEmpty() || (requested.width() <= 0 && requested.height() <= 0))
        return {};
    const int w = requested.width() > 0 ? requested.width() : std::numeric_limits<int>::max();
    const int h = requested.height() > 0 ? requested.height() : std::numeric_limits<int>::max();
    if (natural.width() <= w && natural.height() <= h)
        return {};
    const double factor = std::min(double(w) / natural.width(), double(h) / natural.height());
    return QSize(std::max(1, int(natural.width() * factor)), std::max(1, int(natural.height() * factor)));
}

// A file's key: a letter for what it belongs to, the file's place in its message when it is not the first, '-',
// then the id ("m-<id>", "m2-<id>"). The place comes before the id and is digits only, so no id, whatever text a
// server sends as one, makes two files' keys meet.
QString fileKey(QLatin1Char letter, const QString &id, int index)
{
    return QString(letter) + (index == 0 ? QString() : QString::number(index)) + QLatin1Char('-') + id;
}
} // namespace

QString AttachmentImages::messageKey(const QString &messageId, int index)
{
    return fileKey(QLatin1Char('m'), messageId, index);
}

QString AttachmentImages::pendingKey(const QString &clientId, int index)
{
    return fileKey(QLatin1Char('p'), clientId, index);
}

QString AttachmentImages::thumbnailUrl(const QString &key)
{
    return QStringLiteral("image://%1/%2%3").arg(QLatin1String(ProviderName), ThumbPrefix, encoded(key));
}

QString AttachmentImages::fullUrl(const QString &messageId, int index)
{
    return QStringLiteral("image://%1/%2%3")
        .arg(QLatin1String(ProviderName), FullPrefix, encoded(fileKey(QLatin1Char('f'), messageId, index)));
}

void AttachmentImages::setThumbnail(const QString &key, const QByteArray &jpeg)
{
    QMutexLocker lock(&m_mutex);
    if (jpeg.isEmpty())
        m_thumbnails.remove(key);
    else
        m_thumbnails.insert(key, jpeg);
}

bool AttachmentImages::hasThumbnail(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    return m_thumbnails.contains(key);
}

void AttachmentImages::copyThumbnail(const QString &from, const QString &to)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_thumbnails.constFind(from);
    if (it != m_thumbnails.cend())
        m_thumbnails.insert(to, *it);
}

void AttachmentImages::clearThumbnails()
{
    QMutexLocker lock(&m_mutex);
    m_thumbnails.clear();
}

void AttachmentImages::setFull(const QString &messageId, int index, const QByteArray &bytes)
{
    QMutexLocker lock(&m_mutex);
    m_full.insert(fileKey(QLatin1Char('f'), messageId, index), bytes);
}

QByteArray AttachmentImages::full(const QString &messageId, int index) const
{
    QMutexLocker lock(&m_mutex);
    return m_full.value(fileKey(QLatin1Char('f'), messageId, index));
}

void AttachmentImages::removeFull(const QString &messageId, int index)
{
    QMutexLocker lock(&m_mutex);
    m_full.remove(fileKey(QLatin1Char('f'), messageId, index));
}

QImage AttachmentImages::image(const QString &id, QSize *size, const QSize &requestedSize) const
{
    // The id arrives partly decoded (QUrl's pretty form); decoding again recovers the exact key.
    const QString decoded = QUrl::fromPercentEncoding(id.toUtf8());
    QByteArray bytes;
    {
        QMutexLocker lock(&m_mutex);
        if (decoded.startsWith(ThumbPrefix))
            bytes = m_thumbnails.value(decoded.mid(ThumbPrefix.size()));
        else if (decoded.startsWith(FullPrefix))
            bytes = m_full.value(decoded.mid(FullPrefix.size()));
    }
    QImage image;
    if (!bytes.isEmpty()) {
        // QByteArray is implicitly shared: the copy above keeps the bytes alive while decoding outside the lock.
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        reader.setAutoTransform(true);
        // Decoding at the size shown keeps a 12-megapixel photo from becoming a 48 MB bitmap for a card; the full
        // photo is kept under Qt's 128 MB image allocation limit (6000 px a side is more than any screen shows).
        QSize wanted =
            requestedSize.width() > 0 || requestedSize.height() > 0 ? requestedSize : QSize(MaxSide, MaxSide);
        // The decoder scales the stored pixels; a photo whose EXIF turns it a quarter is fitted turned back.
        if (reader.transformation() & QImageIOHandler::TransformationRotate90)
            wanted.transpose();
        const QSize scaled = fitWithin(reader.size(), wanted);
        if (scaled.isValid())
            reader.setScaledSize(scaled);
        image = reader.read();
    }
    if (size)
        *size = image.size();
    return image;
}

AttachmentImageProvider::AttachmentImageProvider(std::shared_ptr<const AttachmentImages> images)
    : QQuickImageProvider(QQuickImageProvider::Image), m_images(std::move(images))
{ }

QImage AttachmentImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    return m_images->image(id, size, requestedSize);
}

} // namespace larch
