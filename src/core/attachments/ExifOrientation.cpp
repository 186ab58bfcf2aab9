// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/ExifOrientation.h"

#include <cstring>
#include <QtEndian>

namespace larch {

namespace {

constexpr quint16 OrientationTag = 0x0112;
constexpr quint16 TypeShort = 3;
constexpr qsizetype EntryBytes = 12;

// Reads 16 and 32-bit values in the structure's own byte order, refusing anything past its end.
struct TiffReader {
    QByteArrayView bytes;
    bool bigEndian = false;

    bool u16(qsizetype at, quint16 &value) const
    {
        if (at < 0 || at + 2 > bytes.size())
            return false;
        value = bigEndian ? qFromBigEndian<quint16>(bytes.data() + at) : qFromLittleEndian<quint16>(bytes.data() + at);
        return true;
    }
    bool u32(qsizetype at, quint32 &value) const
    {
        if (at < 0 || at + 4 > bytes.size())
            return false;
        value = bigEndian ? qFromBigEndian<quint32>(bytes.data() + at) : qFromLittleEndian<quint32>(bytes.data() + at);
        return true;
    }
};

} // namespace

ExifOrientation readExifOrientation(QByteArrayView tiff)
{
    if (tiff.size() < 8)
        return ExifOrientation::None;
    TiffReader reader{tiff, false};
    if (tiff.first(4) == QByteArrayView("MM\0*", 4))
        reader.bigEndian = true;
    else if (tiff.first(4) != QByteArrayView("II*\0", 4))
        return ExifOrientation::None;
    quint32 ifd = 0;
    quint16 count = 0;
    if (!reader.u32(4, ifd) || ifd > quint32(tiff.size()) || !reader.u16(qsizetype(ifd), count))
        return ExifOrientation::None;
    // IFD0's entries are sorted by tag in a well-formed file, but a reader must not count on it.
    for (quint16 i = 0; i < count; ++i) {
        const qsizetype entry = qsizetype(ifd) + 2 + qsizetype(i) * EntryBytes;
        quint16 tag = 0;
        quint16 type = 0;
        quint32 n = 0;
        quint16 value = 0;
        if (!reader.u16(entry, tag) || !reader.u16(entry + 2, type) || !reader.u32(entry + 4, n))
            return ExifOrientation::None;
        if (tag != OrientationTag)
            continue;
        if (type != TypeShort || n != 1 || !reader.u16(entry + 8, value) || value < 1 || value > 8)
            return ExifOrientation::None;
        return ExifOrientation(value);
    }
    return ExifOrientation::None;
}

QByteArray exifWithOnlyOrientation(ExifOrientation orientation)
{
    QByteArray tiff(26, '\0');
    char *p = tiff.data();
    memcpy(p, "MM\0*", 4);
    qToBigEndian<quint32>(8, p + 4); // IFD0 right after the header
    qToBigEndian<quint16>(1, p + 8); // one entry
    qToBigEndian<quint16>(OrientationTag, p + 10);
    qToBigEndian<quint16>(TypeShort, p + 12);
    qToBigEndian<quint32>(1, p + 14); // one value, held in the entry itself
    qToBigEndian<quint16>(quint16(orientation), p + 18);
    // p + 20: the value field's unused half, then p + 22: no next IFD (no thumbnail IFD1).
    return tiff;
}

} // namespace larch
