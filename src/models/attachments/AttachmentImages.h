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

/// Decrypted picture bytes in memory, found by message or client id: QML sees ids, never keys or paths.
/// Thread-safe, because Image elements with asynchronous: true ask for pictures from the engine's loader thread.
class AttachmentImages {
public:
    /// The image provider's name: URLs read image://attachment/<id>.
    static constexpr auto ProviderName = "attachment";

    /// Thumbnail id of a confirmed message.
    static QString messageKey(const QString &messageId);
    /// Thumbnail id of a local echo (a message still in the outbox).
    static QString pendingKey(const QString &clientId);
    /// image://attachment/thumb/<key>
    static QString thumbnailUrl(const QString &key);
    /// image://attachment/full/<messageId>: the opened photo of a message.
    static QString fullUrl(const QString &messageId);

    /// Keeps a JPEG thumbnail made on the sending device; empty bytes remove it.
    void setThumbnail(const QString &key, const QByteArray &jpeg);
    bool hasThumbnail(const QString &key) const;
    /// Copies a thumbnail to another key (a local echo confirmed by the server keeps its picture).
    void copyThumbnail(const QString &from, const QString &to);
    /// Drops every thumbnail (another conversation opened).
    void clearThumbnails();

    /// Keeps an opened photo's decrypted bytes until removeFull (the viewer closed).
    void setFull(const QString &messageId, const QByteArray &bytes);
    QByteArray full(const QString &messageId) const;
    void removeFull(const QString &messageId);

    /// Decodes "thumb/<key>" or "full/<messageId>", scaled down to fit requestedSize when one is given (EXIF
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
