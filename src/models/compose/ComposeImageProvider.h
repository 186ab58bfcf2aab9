// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Thumbnails of the compose bar's chips for QML: image://compose/<key>.
#pragma once

#include <QImage>
#include <QQuickImageProvider>
#include <QString>

namespace larch {

/// The chips' thumbnails by key. Process-wide because the engine owns its provider while the models own their
/// chips; guarded by a mutex since QML may load images on its own threads.
namespace ComposeThumbnails {
/// Keeps an image and returns its new key (never reused, so a changed thumbnail gets a new URL).
QString put(const QImage &image);
void remove(const QString &key);
QImage get(const QString &key);
/// The URL an Image shows the key with; "" for "".
QString url(const QString &key);
} // namespace ComposeThumbnails

/// Serves image://compose/<key> from ComposeThumbnails, scaled down to the Image's sourceSize when one is set.
class ComposeImageProvider : public QQuickImageProvider {
public:
    /// The host part of the URLs ("compose"); register the provider under it.
    static constexpr auto Name = "compose";
    ComposeImageProvider();
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;
};

} // namespace larch
