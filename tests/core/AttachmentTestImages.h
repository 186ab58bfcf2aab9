// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Real photos made with QImage, then given EXIF/GPS, XMP and comments by byte surgery, for the metadata tests.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QImageWriter>
#include <QPainter>
#include <QtEndian>

namespace testimages {

/// Text that stands for a place: it must not survive stripping.
inline const QByteArray Canary = QByteArrayLiteral("LarchCanary-Lisbon-38.7223N");

inline QByteArray be16(quint16 v)
{
    QByteArray b(2, '\0');
    qToBigEndian(v, b.data());
    return b;
}
inline QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    qToBigEndian(v, b.data());
    return b;
}
inline QByteArray le32(quint32 v)
{
    QByteArray b(4, '\0');
    qToLittleEndian(v, b.data());
    return b;
}
inline QByteArray le24(quint32 v) { return le32(v).first(3); }

/// A big-endian TIFF structure as EXIF carries it: IFD0 pointing at a GPS IFD with latitude and longitude.
inline QByteArray exifTiffWithGps()
{
    const auto entry = [](quint16 tag, quint16 type, quint32 count, const QByteArray &value) {
        return be16(tag) + be16(type) + be32(count) + value;
    };
    const auto rational = [](quint32 n, quint32 d) { return be32(n) + be32(d); };
    QByteArray t = QByteArrayLiteral("MM\x00\x2A") + be32(8);
    t += be16(1) + entry(0x8825, 4, 1, be32(26)) + be32(0); // IFD0 → GPS IFD at 26
    t += be16(4); // GPS IFD: 4 entries
    t += entry(0x0001, 2, 2, QByteArray("N\0\0\0", 4));
    t += entry(0x0002, 5, 3, be32(80));
    t += entry(0x0003, 2, 2, QByteArray("W\0\0\0", 4));
    t += entry(0x0004, 5, 3, be32(104));
    t += be32(0);
    t += rational(38, 1) + rational(43, 1) + rational(2028, 100); // 80: latitude
    t += rational(9, 1) + rational(8, 1) + rational(3960, 100); // 104: longitude
    return t;
}

inline QByteArray xmpPacket()
{
    return QByteArrayLiteral("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><exif:GPSLatitude>38,43.338N"
                             "</exif:GPSLatitude>")
        + Canary + QByteArrayLiteral("</rdf:RDF></x:xmpmeta>");
}

/// A picture with some structure, so encoders produce real entropy-coded data.
inline QImage picture(int w = 96, int h = 64)
{
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            img.setPixel(x, y, qRgb((x * 255) / w, (y * 255) / h, ((x ^ y) * 7) & 0xFF));
    return img;
}

inline QByteArray encode(const QImage &img, const char *format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    return img.save(&buf, format, quality) ? bytes : QByteArray();
}

/// A progressive JPEG: several scans with tables between them, to exercise the scan parser.
inline QByteArray progressiveJpeg()
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    QImageWriter w(&buf, "JPEG");
    w.setProgressiveScanWrite(true);
    w.setOptimizedWrite(true);
    return w.write(picture()) ? bytes : QByteArray();
}

inline QByteArray jpegSegment(quint8 marker, const QByteArray &payload)
{
    return QByteArray("\xFF", 1) + char(marker) + be16(quint16(payload.size() + 2)) + payload;
}

/// A JPEG from QImage with EXIF (GPS), XMP, IPTC-like APP13 and a comment put in after its SOI.
inline QByteArray jpegWithMetadata()
{
    const QByteArray plain = encode(picture(), "JPEG", 85);
    QByteArray meta = jpegSegment(0xE1, QByteArray("Exif\0\0", 6) + exifTiffWithGps());
    meta += jpegSegment(0xE1, QByteArray("http://ns.adobe.com/xap/1.0/\0", 29) + xmpPacket());
    meta += jpegSegment(0xED, QByteArray("Photoshop 3.0\0", 14) + Canary);
    meta += jpegSegment(0xFE, Canary);
    return plain.first(2) + meta + plain.sliced(2);
}

inline quint32 crc32(const QByteArray &data)
{
    quint32 c = 0xFFFFFFFFu;
    for (char ch : data) {
        c ^= quint8(ch);
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

inline QByteArray pngChunk(const char *type, const QByteArray &data)
{
    const QByteArray body = QByteArray(type, 4) + data;
    return be32(quint32(data.size())) + body + be32(crc32(body));
}

/// A PNG from QImage with eXIf (GPS), tEXt, iTXt (XMP) and tIME chunks after its IHDR.
inline QByteArray pngWithMetadata()
{
    const QByteArray plain = encode(picture(), "PNG");
    const qsizetype afterIhdr = 8 + 8 + 13 + 4;
    QByteArray meta = pngChunk("eXIf", exifTiffWithGps());
    meta += pngChunk("tEXt", QByteArray("Comment\0", 8) + Canary);
    meta += pngChunk("iTXt", QByteArray("XML:com.adobe.xmp\0\0\0\0\0", 22) + xmpPacket());
    meta += pngChunk("tIME", QByteArray("\x07\xE9\x03\x04\x05\x06\x07", 7));
    return plain.first(afterIhdr) + meta + plain.sliced(afterIhdr);
}

inline QByteArray riffChunk(const char *fourcc, const QByteArray &data)
{
    QByteArray c = QByteArray(fourcc, 4) + le32(quint32(data.size())) + data;
    if (data.size() % 2)
        c += '\0';
    return c;
}

/// A WebP from QImage (simple format) turned into the extended format with EXIF (GPS) and XMP chunks.
inline QByteArray webpWithMetadata(int w = 96, int h = 64)
{
    const QByteArray plain = encode(picture(w, h), "WEBP", 80);
    if (plain.size() < 20)
        return {};
    const QByteArray image = plain.sliced(12); // the VP8/VP8L chunk
    const QByteArray vp8x =
        QByteArray(1, char(0x08 | 0x04)) + QByteArray(3, '\0') + le24(quint32(w - 1)) + le24(quint32(h - 1));
    const QByteArray body = QByteArrayLiteral("WEBP") + riffChunk("VP8X", vp8x) + image
        + riffChunk("EXIF", exifTiffWithGps()) + riffChunk("XMP ", xmpPacket());
    return QByteArrayLiteral("RIFF") + le32(quint32(body.size())) + body;
}

} // namespace testimages
