// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposeImageProvider.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>

namespace larch {

namespace {
struct Registry {
    QMutex mutex;
    QHash<QString, QImage> images;
    quint64 next = 1;
};
Registry &registry()
{
    static Registry r;
    return r;
}
} // namespace

QString ComposeThumbnails::put(const QImage &image)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    const QString key = QString::number(r.next++);
    r.images.insert(key, image);
    return key;
}

void ComposeThumbnails::remove(const QString &key)
{
    if (key.isEmpty())
        return;
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    r.images.remove(key);
}

QImage ComposeThumbnails::get(const QString &key)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    return r.images.value(key);
}

QString ComposeThumbnails::url(const QString &key)
{
    if (key.isEmpty())
        return {};
    return QStringLiteral("image://%1/%2").arg(QLatin1String(ComposeImageProvider::Name), key);
}

ComposeImageProvider::ComposeImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) { }

QImage ComposeImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    QImage image = ComposeThumbnails::get(id);
    if (size)
        *size = image.size();
    if (!image.isNull() && requestedSize.isValid() && !requestedSize.isEmpty()
        && (image.width() > requestedSize.width() || image.height() > requestedSize.height()))
        image = image.scaled(requestedSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

} // namespace larch
