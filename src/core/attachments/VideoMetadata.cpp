// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/VideoMetadata.h"

#include <limits>
#include <QtEndian>

namespace larch {

namespace {

// A container that runs to the end of the file (size 0) has no end offset we know yet.
constexpr qint64 FileEnd = std::numeric_limits<qint64>::max();

// The usertype of the uuid box Adobe's XMP specification puts in ISO base media files.
constexpr unsigned char XmpUuid[16] = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8,
                                       0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC};

// Boxes walked into, because the metadata boxes sit inside them.
bool isWalkedContainer(QByteArrayView type)
{
    return type == "moov" || type == "trak" || type == "mdia" || type == "minf";
}

} // namespace

VideoMetadataStripper::VideoMetadataStripper(const QString &mime)
    : m_active(mime == QLatin1String("video/mp4") || mime == QLatin1String("video/quicktime"))
{ }

bool VideoMetadataStripper::feed(QByteArrayView in, QByteArray &out)
{
    if (m_failed)
        return false;
    if (!m_active) {
        out.append(in);
        return true;
    }
    const qsizetype outStart = out.size();
    qsizetype pos = 0;
    bool ok = true;
    // Every turn consumes at least one input byte, so the loop ends on any input.
    while (ok && pos < in.size()) {
        const qsizetype avail = in.size() - pos;
        qsizetype n = avail;
        if (m_rest == Rest::Copy) {
            out.append(in.sliced(pos));
        } else if (m_rest == Rest::Zero) {
            out.append(n, '\0');
        } else if (m_copy > 0) {
            n = qsizetype(qMin<qint64>(m_copy, avail));
            out.append(in.sliced(pos, n));
            m_copy -= n;
        } else if (m_zero > 0) {
            n = qsizetype(qMin<qint64>(m_zero, avail));
            out.append(n, '\0');
            m_zero -= n;
        } else {
            if (m_held.isEmpty())
                closeEndedContainers();
            n = qMin(m_need - m_held.size(), avail);
            m_held.append(in.sliced(pos, n));
        }
        pos += n;
        m_pos += n;
        if (!m_held.isEmpty() && m_held.size() == m_need) // m_held only fills between boxes
            ok = step(out);
    }
    if (!ok) {
        m_failed = true;
        out.truncate(outStart);
        m_held.clear();
        return false;
    }
    return true;
}

bool VideoMetadataStripper::finish(QByteArray &out)
{
    Q_UNUSED(out); // nothing is ever held back that could be sent on its own
    if (m_failed)
        return false;
    if (!m_active)
        return true;
    if (m_held.isEmpty() && m_copy == 0 && m_zero == 0)
        closeEndedContainers();
    const bool complete =
        m_sawBox && m_held.isEmpty() && m_copy == 0 && m_zero == 0 && (m_depth == 0 || m_ends[m_depth - 1] == FileEnd);
    if (!complete)
        m_failed = true;
    return complete;
}

void VideoMetadataStripper::closeEndedContainers()
{
    while (m_depth > 0 && m_ends[m_depth - 1] == m_pos)
        --m_depth;
}

bool VideoMetadataStripper::step(QByteArray &out)
{
    const quint32 size32 = qFromBigEndian<quint32>(m_held.constData());
    const QByteArrayView type = QByteArrayView(m_held).sliced(4, 4);
    const qsizetype headerSize = 8 + (size32 == 1 ? 8 : 0) + (type == "uuid" ? 16 : 0);
    if (m_held.size() < headerSize) { // a largesize or a usertype follows
        m_need = headerSize;
        return true;
    }
    const qint64 start = m_pos - m_held.size();
    const bool toFileEnd = size32 == 0;
    qint64 end = FileEnd;
    if (!toFileEnd) {
        const quint64 size = size32 == 1 ? qFromBigEndian<quint64>(m_held.constData() + 8) : size32;
        if (size < quint64(headerSize) || size > quint64(FileEnd - start))
            return false;
        end = start + qint64(size);
        if (m_depth > 0 && end > m_ends[m_depth - 1])
            return false; // a child that runs past its parent's end
    } else if (m_depth > 0) {
        return false; // only a box at the top level may run to the end of the file
    }

    const bool xmpUuid =
        type == "uuid" && QByteArrayView(m_held).sliced(headerSize - 16, 16) == QByteArrayView(XmpUuid, sizeof XmpUuid);
    const qint64 bodySize = toFileEnd ? 0 : end - m_pos;
    if (type == "udta" || type == "meta" || xmpUuid) {
        // Same size, nothing left of the content, so every offset in the file stays valid.
        const qsizetype sizeFields = size32 == 1 ? 16 : 8;
        out.append(m_held.constData(), 4);
        out.append("free", 4);
        out.append(m_held.sliced(8, sizeFields - 8));
        out.append(headerSize - sizeFields, '\0');
        m_zero = bodySize;
        if (toFileEnd)
            m_rest = Rest::Zero;
    } else if (isWalkedContainer(type)) {
        if (m_depth == MaxDepth)
            return false;
        out.append(m_held);
        m_ends[m_depth++] = end;
    } else {
        out.append(m_held);
        m_copy = bodySize;
        if (toFileEnd)
            m_rest = Rest::Copy;
    }
    m_sawBox = true;
    m_held.clear();
    m_need = 8;
    return true;
}

} // namespace larch
