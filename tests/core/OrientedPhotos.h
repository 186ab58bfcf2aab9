// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Photos stored turned, as cameras store them, in each of the eight EXIF orientations and in JPEG, PNG and WebP:
// the stored pixels are made from an upright scene by the EXIF specification's own words for each orientation, so
// a test can tell whether what a viewer shows is the scene as it was taken.
#pragma once

#include "AttachmentTestImages.h"

#include <QColor>
#include <QImage>
#include <QString>

namespace testimages {

/// The scene as the camera saw it: 128×64, its quarters red, green (top) and blue, yellow (bottom). Flat quarters
/// on 16-pixel boundaries survive JPEG; the wide shape shows a quarter turn.
inline QImage uprightScene()
{
    QImage scene(128, 64, QImage::Format_RGB32);
    for (int y = 0; y < scene.height(); ++y)
        for (int x = 0; x < scene.width(); ++x) {
            const bool right = x >= scene.width() / 2;
            const bool bottom = y >= scene.height() / 2;
            scene.setPixel(x, y,
                           !bottom ? (right ? qRgb(0, 200, 0) : qRgb(220, 0, 0))
                                   : (right ? qRgb(240, 220, 0) : qRgb(0, 0, 220)));
        }
    return scene;
}

/// The pixels a camera stores for `scene` when it writes EXIF orientation n (1–8). The specification says where
/// the stored 0th row and 0th column are in the scene: 2 "top, right side", 3 "bottom, right side", 4 "bottom, left
/// side", 5 "left side, top", 6 "right side, top", 7 "right side, bottom", 8 "left side, bottom".
inline QImage storedAs(const QImage &scene, int n)
{
    const int w = scene.width();
    const int h = scene.height();
    const bool turned = n >= 5;
    QImage stored(turned ? h : w, turned ? w : h, QImage::Format_RGB32);
    for (int y = 0; y < stored.height(); ++y)
        for (int x = 0; x < stored.width(); ++x) {
            // (sx, sy): the scene point that stored row y, column x shows.
            int sx = x;
            int sy = y;
            switch (n) {
            case 2:
                sx = w - 1 - x;
                sy = y;
                break;
            case 3:
                sx = w - 1 - x;
                sy = h - 1 - y;
                break;
            case 4:
                sx = x;
                sy = h - 1 - y;
                break;
            case 5:
                sx = y;
                sy = x;
                break; // row 0 is the left side, column 0 the top
            case 6:
                sx = w - 1 - y;
                sy = x;
                break; // row 0 is the right side, column 0 the top
            case 7:
                sx = w - 1 - y;
                sy = h - 1 - x;
                break; // row 0 is the right side, column 0 the bottom
            case 8:
                sx = y;
                sy = h - 1 - x;
                break; // row 0 is the left side, column 0 the bottom
            default: break;
            }
            stored.setPixel(x, y, scene.pixel(sx, sy));
        }
    return stored;
}

inline QByteArray u16(quint16 v, bool le)
{
    QByteArray b(2, '\0');
    le ? qToLittleEndian(v, b.data()) : qToBigEndian(v, b.data());
    return b;
}
inline QByteArray u32(quint32 v, bool le)
{
    QByteArray b(4, '\0');
    le ? qToLittleEndian(v, b.data()) : qToBigEndian(v, b.data());
    return b;
}

/// EXIF as a camera writes it: IFD0 with Make, Orientation n and a pointer to a GPS IFD holding a latitude, in
/// little-endian ("II") or big-endian ("MM") order. The Make's text is the Canary.
inline QByteArray exifWithOrientation(int n, bool littleEndian)
{
    const bool le = littleEndian;
    const auto entry = [le](quint16 tag, quint16 type, quint32 count, const QByteArray &value) {
        return u16(tag, le) + u16(type, le) + u32(count, le) + value;
    };
    // Header 8, IFD0 at 8: 2 + 3 × 12 + 4 = 42 → GPS IFD at 50: 2 + 2 × 12 + 4 = 30 → data at 80.
    const quint32 gpsIfd = 50;
    const quint32 latitude = 80;
    const quint32 make = latitude + 24;
    QByteArray t = (le ? QByteArrayLiteral("II\x2A\x00") : QByteArrayLiteral("MM\x00\x2A")) + u32(8, le);
    t += u16(3, le);
    t += entry(0x010F, 2, quint32(Canary.size() + 1), u32(make, le));
    t += entry(0x0112, 3, 1, u16(quint16(n), le) + QByteArray(2, '\0'));
    t += entry(0x8825, 4, 1, u32(gpsIfd, le));
    t += u32(0, le);
    t += u16(2, le);
    t += entry(0x0001, 2, 2, QByteArray("N\0\0\0", 4));
    t += entry(0x0002, 5, 3, u32(latitude, le));
    t += u32(0, le);
    for (quint32 part : {38u, 1u, 43u, 1u, 2028u, 100u})
        t += u32(part, le);
    t += Canary + QByteArray(1, '\0');
    return t;
}

/// The scene stored turned for orientation n, as a JPEG whose APP1 EXIF says n (little-endian for odd n).
inline QByteArray orientedJpeg(int n)
{
    const QByteArray plain = encode(storedAs(uprightScene(), n), "JPEG", 95);
    return plain.first(2) + jpegSegment(0xE1, QByteArray("Exif\0\0", 6) + exifWithOrientation(n, n % 2))
        + plain.sliced(2);
}

/// Likewise as a PNG with an eXIf chunk after IHDR.
inline QByteArray orientedPng(int n)
{
    const QByteArray plain = encode(storedAs(uprightScene(), n), "PNG");
    const qsizetype afterIhdr = 8 + 8 + 13 + 4;
    return plain.first(afterIhdr) + pngChunk("eXIf", exifWithOrientation(n, n % 2)) + plain.sliced(afterIhdr);
}

/// Likewise as an extended-format WebP with an EXIF chunk after the image, where libwebp puts it.
inline QByteArray orientedWebp(int n)
{
    const QImage stored = storedAs(uprightScene(), n);
    const QByteArray plain = encode(stored, "WEBP", 95);
    if (plain.size() < 20)
        return {};
    const QByteArray vp8x = QByteArray(1, char(0x08)) + QByteArray(3, '\0') + le24(quint32(stored.width() - 1))
        + le24(quint32(stored.height() - 1));
    const QByteArray body = QByteArrayLiteral("WEBP") + riffChunk("VP8X", vp8x) + plain.sliced(12)
        + riffChunk("EXIF", exifWithOrientation(n, n % 2));
    return QByteArrayLiteral("RIFF") + le32(quint32(body.size())) + body;
}

/// Empty when `shown` is the upright scene (its size, and each quarter's colour within lossy-coding error);
/// otherwise what differs.
inline QString differenceFromScene(const QImage &shown)
{
    const QImage scene = uprightScene();
    if (shown.size() != scene.size())
        return QStringLiteral("shown %1×%2, taken %3×%4")
            .arg(shown.width())
            .arg(shown.height())
            .arg(scene.width())
            .arg(scene.height());
    const auto near = [](QRgb a, QRgb b) {
        return qAbs(qRed(a) - qRed(b)) < 48 && qAbs(qGreen(a) - qGreen(b)) < 48 && qAbs(qBlue(a) - qBlue(b)) < 48;
    };
    for (const QPoint p : {QPoint(32, 16), QPoint(96, 16), QPoint(32, 48), QPoint(96, 48)}) {
        if (!near(shown.pixel(p), scene.pixel(p)))
            return QStringLiteral("at (%1, %2) shown %3, taken %4")
                .arg(p.x())
                .arg(p.y())
                .arg(QColor(shown.pixel(p)).name(), QColor(scene.pixel(p)).name());
    }
    return {};
}

} // namespace testimages
