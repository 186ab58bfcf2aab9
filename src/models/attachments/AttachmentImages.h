// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Pictures of attachments the thread shows (thumbnails, opened photos), served to QML as image://attachment/….
#pragma once

#include <memory>
#include <QByteArray>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QQuickImageProvider>
#include <QString>

namespace larch {

/// Decrypted picture bytes in memory, found by message or client id and the file's place in the message: QML sees
/// ids, never keys or paths.
/// Thread-safe, because Image elements with asynchronous: true ask for pictures from the engine's loader thread.
class AttachmentImages {
public:
    /// The image provider's name: URLs read image://attachment/<id>.
    static constexpr auto ProviderName = "attachment";

    /// Thumbnail id of a confirmed message's file (index: its place in the message, from 0): "m-<id>" for the
    /// first, as for messages with one file, "m2-<id>" for the third.
    static QString messageKey(const QString &messageId, int index = 0);
    /// Thumbnail id of a local echo's file (a message still in the outbox; it carries one, index 0).
    static QString pendingKey(const QString &clientId, int index = 0);
    /// image://attachment/thumb/<key>
    static QString thumbnailUrl(const QString &key);
    /// image://attachment/full/f-<messageId> (f2-<messageId> for the third file): the opened photo of a message.
    /// Each file has its own, so an Image never shows another file of the message from its cache.
    static QString fullUrl(const QString &messageId, int index = 0);

    /// Keeps a JPEG thumbnail made on the sending device; empty bytes remove it.
    void setThumbnail(const QString &key, const QByteArray &jpeg);
    bool hasThumbnail(const QString &key) const;
    /// Copies a thumbnail to another key (a local echo confirmed by the server keeps its picture).
    void copyThumbnail(const QString &from, const QString &to);
    /// Drops every thumbnail (another conversation opened).
    void clearThumbnails();

    /// Keeps an opened photo's decrypted bytes until removeFull (the viewer closed).
    void setFull(const QString &messageId, int index, const QByteArray &bytes);
    QByteArray full(const QString &messageId, int index = 0) const;
    void removeFull(const QString &messageId, int index = 0);

    /// Decodes "thumb/<key>" or "full/<key>", scaled down to fit requestedSize when one is given (EXIF
    /// orientation applied); a null image for an unknown id or bytes that are not a picture.
    QImage image(const QString &id, QSize *size, const QSize &requestedSize) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QByteArray> m_thumbnails;
    QHash<QString, QByteArray> m_full;
};

/// The "attachment" image provider: AttachmentImages for Image elements (the engine owns the provider).
class AttachmentImageProvider : public QQuickImageProvider {
public:
    explicit AttachmentImageProvider(std::shared_ptr<const AttachmentImages> images);
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    std::shared_ptr<const AttachmentImages> m_images;
};

} // namespace larch
