// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// QR codes of Practice Links: on screen through the "qr" image provider, and as PNG files for flyers.
#pragma once

#include <QImage>
#include <QQuickImageProvider>
#include <QString>

namespace larch {

/// Draws text as a QR code (libqrencode): black modules on white, a quiet zone of four modules all round, every
/// module the same whole number of pixels so scanners read it sharply.
class QrCode {
public:
    static constexpr int QuietZoneModules = 4;
    /// The side of a saved flyer image is at least this many pixels.
    static constexpr int FlyerPixels = 1024;

    /// The code's side in modules, quiet zone included; 0 when text cannot be encoded.
    static int sideInModules(const QString &text);
    /// The code with each module moduleSize × moduleSize pixels (moduleSize ≥ 1); a null image when text cannot be
    /// encoded (empty, or too long for a QR code).
    static QImage image(const QString &text, int moduleSize);
    /// The largest whole-module image that fits in maxPixels (at least one pixel a module).
    static QImage imageWithin(const QString &text, int maxPixels);
    /// The smallest whole-module image at least minPixels wide.
    static QImage imageAtLeast(const QString &text, int minPixels);
    /// Writes the code as a PNG of at least FlyerPixels a side; "" on success, else a sentence on what went wrong.
    static QString savePng(const QString &text, const QString &path);
};

/// Serves image://qr/<percent-encoded text>: the text's QR code, as large as the Image's sourceSize allows in
/// whole modules (four pixels a module without one).
class QrImageProvider : public QQuickImageProvider {
public:
    QrImageProvider();
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;
};

} // namespace larch
