// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/PhotoMetadata.h"

#include <cstring>
#include <QtEndian>

namespace larch {

namespace {

enum Phase {
    JpegSoi, // need FF D8
    JpegMarker, // need FF xx
    JpegLength, // need FF xx LL LL
    JpegIdent, // need FF xx LL LL + the identifier of an APP0/APP1/APP2/APP14 segment
    JpegExif, // need the whole first APP1 EXIF segment, for its orientation
    JpegScan, // entropy-coded data until the next marker
    PngSignature, // need the 8-byte signature
    PngChunk, // need length + type
    PngExif, // need length + type + the first eXIf chunk's data and CRC
    WebpRiff, // need RIFF size WEBP
    WebpChunk, // need fourcc + size
    WebpVp8x, // need fourcc + size + the 10-byte VP8X payload
    WebpExif, // need fourcc + size + the first EXIF chunk's padded payload
    Done, // after EOI / IEND / the RIFF's end: trailing bytes are dropped
};

constexpr unsigned char PngSig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
const QByteArrayView ExifIdent("Exif\0\0", 6);

quint8 byteAt(const QByteArray &b, qsizetype i) { return static_cast<quint8>(b[i]); }

// APP segments kept for how the picture looks, each only when it says what it is.
QByteArrayView keptAppIdentifier(quint8 marker)
{
    switch (marker) {
    case 0xE0: return QByteArrayView("JFIF\0", 5); // APP0: JFIF (not JFXX thumbnails)
    case 0xE1: return ExifIdent; // APP1: EXIF, for its orientation alone (not XMP)
    case 0xE2: return QByteArrayView("ICC_PROFILE\0", 12); // APP2: colour profile (not MPF, FlashPix)
    case 0xEE: return QByteArrayView("Adobe", 5); // APP14: Adobe colour transform
    default: return {};
    }
}

bool isMetadataPngChunk(QByteArrayView type)
{
    return type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "tIME";
}

bool isPngChunkType(QByteArrayView type)
{
    for (char c : type)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    return true;
}

// An APP1 EXIF segment that says nothing but the orientation.
QByteArray jpegOrientationSegment(ExifOrientation orientation)
{
    const QByteArray payload = ExifIdent.toByteArray() + exifWithOnlyOrientation(orientation);
    QByteArray segment("\xFF\xE1", 2);
    segment.resize(4);
    qToBigEndian<quint16>(quint16(payload.size() + 2), segment.data() + 2);
    return segment + payload;
}

} // namespace

void PhotoMetadataStripper::readOrientation(QByteArrayView tiff)
{
    if (m_exifRead)
        return;
    m_exifRead = true;
    m_orientation = readExifOrientation(tiff);
}

PhotoMetadataStripper::PhotoMetadataStripper(const QString &mime) : m_mime(mime)
{
    if (mime == QLatin1String("image/jpeg")) {
        m_format = Format::Jpeg;
        m_phase = JpegSoi;
        m_need = 2;
    } else if (mime == QLatin1String("image/png")) {
        m_format = Format::Png;
        m_phase = PngSignature;
        m_need = 8;
    } else if (mime == QLatin1String("image/webp")) {
        m_format = Format::Webp;
        m_phase = WebpRiff;
        m_need = 12;
    }
}

bool PhotoMetadataStripper::feed(QByteArrayView in, QByteArray &out)
{
    if (m_failed)
        return false;
    if (m_format == Format::PassThrough) {
        out.append(in);
        return true;
    }
    const qsizetype outStart = out.size();
    qsizetype pos = 0;
    bool ok = true;
    // Every turn consumes at least one input byte or completes a header, so the loop ends on any input.
    while (ok && pos < in.size()) {
        const qsizetype avail = in.size() - pos;
        if (m_copy > 0) {
            const qsizetype n = qsizetype(qMin<qint64>(m_copy, avail));
            out.append(in.sliced(pos, n));
            pos += n;
            m_copy -= n;
        } else if (m_skip > 0) {
            const qsizetype n = qsizetype(qMin<qint64>(m_skip, avail));
            pos += n;
            m_skip -= n;
        } else if (m_zero > 0) {
            const qsizetype n = qsizetype(qMin<qint64>(m_zero, avail));
            out.append(n, '\0');
            pos += n;
            m_zero -= n;
        } else if (m_phase == Done) {
            pos = in.size(); // trailing bytes after the image may hold anything; they are not sent
        } else if (m_phase == JpegScan) {
            ok = scanJpeg(in, pos, out);
        } else {
            const qsizetype n = qMin(m_need - m_held.size(), avail);
            m_held.append(in.sliced(pos, n));
            pos += n;
            if (m_held.size() == m_need)
                ok = step(out);
        }
    }
    if (!ok) {
        m_failed = true;
        out.truncate(outStart);
        m_held.clear();
        return false;
    }
    return true;
}

bool PhotoMetadataStripper::finish(QByteArray &out)
{
    Q_UNUSED(out); // nothing is ever held back that could be sent on its own
    if (m_failed)
        return false;
    if (m_format == Format::PassThrough)
        return true;
    const bool complete = m_phase == Done && m_copy == 0 && m_skip == 0 && m_zero == 0;
    if (!complete)
        m_failed = true;
    return complete;
}

bool PhotoMetadataStripper::step(QByteArray &out)
{
    switch (m_format) {
    case Format::Jpeg: return stepJpeg(out);
    case Format::Png: return stepPng(out);
    case Format::Webp: return stepWebp(out);
    case Format::PassThrough: break;
    }
    return false;
}

bool PhotoMetadataStripper::stepJpeg(QByteArray &out)
{
    switch (m_phase) {
    case JpegSoi:
        if (byteAt(m_held, 0) != 0xFF || byteAt(m_held, 1) != 0xD8)
            return false;
        out.append(m_held);
        m_held.clear();
        m_phase = JpegMarker;
        m_need = 2;
        return true;
    case JpegMarker: {
        if (byteAt(m_held, 0) != 0xFF)
            return false;
        const quint8 marker = byteAt(m_held, 1);
        if (marker == 0xFF) { // fill byte before a marker: dropped
            m_held.remove(0, 1);
            return true;
        }
        if (marker == 0x00 || marker == 0xD8)
            return false;
        if (marker == 0xD9) { // EOI: the image ends here
            out.append(m_held);
            m_held.clear();
            m_phase = Done;
            return true;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length follows
            out.append(m_held);
            m_held.clear();
            return true;
        }
        m_phase = JpegLength;
        m_need = 4;
        return true;
    }
    case JpegLength: {
        const quint8 marker = byteAt(m_held, 1);
        const qint64 length = qFromBigEndian<quint16>(m_held.constData() + 2);
        if (length < 2)
            return false;
        const bool app = marker >= 0xE0 && marker <= 0xEF;
        if (app || marker == 0xFE) {
            const QByteArrayView ident = keptAppIdentifier(marker);
            if (!ident.isEmpty() && length - 2 >= ident.size()) {
                m_phase = JpegIdent;
                m_need = 4 + ident.size();
                return true;
            }
            // APP1 (EXIF, XMP), APP13 (IPTC), COM and the other application segments go.
            m_skip = length - 2;
        } else {
            out.append(m_held);
            m_copy = length - 2;
        }
        m_held.clear();
        m_phase = marker == 0xDA ? JpegScan : JpegMarker;
        m_need = 2;
        return true;
    }
    case JpegIdent: {
        const quint8 marker = byteAt(m_held, 1);
        const QByteArrayView ident = keptAppIdentifier(marker);
        const qint64 rest = qFromBigEndian<quint16>(m_held.constData() + 2) - 2 - ident.size();
        const bool genuine = QByteArrayView(m_held).sliced(4) == ident;
        if (genuine && marker == 0xE1 && !m_exifRead && rest > 0) {
            m_phase = JpegExif; // at most 64 KiB: a segment's length is 16 bits
            m_need = m_held.size() + rest;
            return true;
        }
        if (genuine && marker != 0xE1) {
            out.append(m_held);
            m_copy = rest;
        } else {
            m_skip = rest;
        }
        m_held.clear();
        m_phase = JpegMarker;
        m_need = 2;
        return true;
    }
    case JpegExif:
        readOrientation(QByteArrayView(m_held).sliced(4 + ExifIdent.size()));
        if (turnsPixels(m_orientation))
            out.append(jpegOrientationSegment(m_orientation));
        m_held.clear();
        m_phase = JpegMarker;
        m_need = 2;
        return true;
    default: return false;
    }
}

bool PhotoMetadataStripper::scanJpeg(QByteArrayView in, qsizetype &pos, QByteArray &out)
{
    if (m_held.isEmpty()) {
        // Plain entropy-coded bytes up to the next 0xFF go out as they are.
        const void *ff = memchr(in.data() + pos, 0xFF, size_t(in.size() - pos));
        const qsizetype end = ff ? static_cast<const char *>(ff) - in.data() : in.size();
        out.append(in.sliced(pos, end - pos));
        pos = end;
        if (ff) {
            m_held.append('\xFF');
            ++pos;
        }
        return true;
    }
    const auto b = static_cast<quint8>(in[pos++]);
    if (b == 0x00 || (b >= 0xD0 && b <= 0xD7)) { // stuffed 0xFF or a restart marker: still the scan
        out.append(m_held);
        out.append(char(b));
        m_held.clear();
        return true;
    }
    if (b == 0xFF) // fill byte: the previous 0xFF is dropped, this one may start a marker
        return true;
    // A real marker ends the scan (DHT, another SOS, EOI, ...).
    m_held.append(char(b));
    m_phase = JpegMarker;
    m_need = 2;
    return stepJpeg(out);
}

bool PhotoMetadataStripper::stepPng(QByteArray &out)
{
    if (m_phase == PngSignature) {
        if (memcmp(m_held.constData(), PngSig, sizeof PngSig) != 0)
            return false;
        out.append(m_held);
        m_held.clear();
        m_phase = PngChunk;
        m_need = 8;
        return true;
    }
    if (m_phase == PngExif) {
        readOrientation(QByteArrayView(m_held).sliced(8, m_held.size() - 12));
        m_held.clear(); // the chunk goes, CRC and all: the app turns the pixels instead
        m_phase = PngChunk;
        m_need = 8;
        return true;
    }
    if (m_phase != PngChunk)
        return false;
    const quint32 length = qFromBigEndian<quint32>(m_held.constData());
    const QByteArrayView type = QByteArrayView(m_held).sliced(4, 4);
    if (length > 0x7FFFFFFFu || !isPngChunkType(type) || (m_first && type != "IHDR"))
        return false;
    m_first = false;
    if (type == "eXIf" && !m_exifRead && length > 0 && length <= MaxExifBytes) {
        m_phase = PngExif;
        m_need = 8 + qsizetype(length) + 4;
        return true;
    }
    if (isMetadataPngChunk(type)) {
        m_skip = qint64(length) + 4; // data and CRC
    } else {
        out.append(m_held);
        m_copy = qint64(length) + 4;
        if (type == "IEND")
            m_phase = Done;
    }
    m_held.clear();
    return true;
}

bool PhotoMetadataStripper::nextWebpChunk()
{
    m_held.clear();
    if (m_riffLeft == 0) {
        m_phase = Done;
        return true;
    }
    m_phase = WebpChunk;
    m_need = 8;
    return m_riffLeft >= 8; // a RIFF that claims room too small for a chunk is malformed
}

bool PhotoMetadataStripper::stepWebp(QByteArray &out)
{
    if (m_phase == WebpRiff) {
        const QByteArrayView h(m_held);
        if (h.first(4) != "RIFF" || h.sliced(8, 4) != "WEBP")
            return false;
        const quint32 riffSize = qFromLittleEndian<quint32>(m_held.constData() + 4);
        if (riffSize < 4 + 8 + 1)
            return false;
        out.append(m_held);
        m_riffLeft = qint64(riffSize) - 4;
        return nextWebpChunk();
    }
    const QByteArrayView fourcc = QByteArrayView(m_held).first(4);
    const quint32 size = qFromLittleEndian<quint32>(m_held.constData() + 4);
    qint64 padded = qint64(size) + (size & 1);
    if (8 + padded > m_riffLeft) {
        if (8 + qint64(size) != m_riffLeft) // only the very last chunk may lack its pad byte
            return false;
        padded = size;
    }
    if (m_phase == WebpExif) {
        // Gathered whole (size ≤ MaxExifBytes), then replaced like any other EXIF chunk.
        readOrientation(QByteArrayView(m_held).sliced(8, size));
        out.append("JUNK", 4);
        out.append(m_held.sliced(4, 4));
        out.append(qsizetype(padded), '\0');
        m_riffLeft -= 8 + padded;
        return nextWebpChunk();
    }
    if (m_phase == WebpVp8x) {
        // Clear the EXIF (0x08) and XMP (0x04) flags: those chunks become JUNK below.
        m_held[8] = char(byteAt(m_held, 8) & ~0x0C);
        out.append(m_held);
        m_copy = padded - 10;
        m_riffLeft -= 8 + padded;
        return nextWebpChunk();
    }
    if (m_first) {
        m_first = false;
        if (fourcc == "VP8X") {
            if (size < 10)
                return false;
            m_phase = WebpVp8x;
            m_need = 18;
            return true;
        }
        if (fourcc != "VP8 " && fourcc != "VP8L")
            return false;
    }
    if (fourcc == "EXIF" && !m_exifRead && size > 0 && size <= MaxExifBytes) {
        m_phase = WebpExif;
        m_need = 8 + qsizetype(padded);
        return true;
    }
    if (fourcc == "EXIF" || fourcc == "XMP ") {
        // Same size, nothing left of the content, so every offset in the file stays valid.
        out.append("JUNK", 4);
        out.append(m_held.sliced(4, 4));
        m_zero = padded;
    } else {
        out.append(m_held);
        m_copy = padded;
    }
    m_riffLeft -= 8 + padded;
    return nextWebpChunk();
}

} // namespace larch
