// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/AttachmentSource.h"

#include <QFileInfo>

namespace larch {

AttachmentSource::AttachmentSource(const PendingAttachment &file) : m_file(file) { }

bool AttachmentSource::open()
{
    m_in.close();
    m_pending.clear();
    m_rawRead = 0;
    m_ended = false;
    m_problem = Problem::None;
    m_stripper = m_file.stripMetadata ? metadataStripperFor(m_file.type.mime) : nullptr;
    const QFileInfo info(m_file.sourcePath);
    m_in.setFileName(m_file.sourcePath);
    // A file of another size than when it was chosen is another file: the blob reserved for it would not match.
    // One rewritten at the same size is too: continuing an upload with it would join two versions of the file.
    const bool rewritten =
        m_file.sourceModifiedMs > 0 && info.lastModified().toMSecsSinceEpoch() != m_file.sourceModifiedMs;
    if (!info.isFile() || info.size() != m_file.sourceSize || rewritten
        || !m_in.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        m_problem = Problem::Gone;
        return false;
    }
    return true;
}

bool AttachmentSource::fill(qint64 wanted)
{
    QByteArray &raw = m_raw;
    while (m_pending.size() < wanted && !m_ended) {
        raw.resize(ReadBytes);
        const qint64 got = m_in.read(raw.data(), ReadBytes);
        if (got < 0) {
            m_problem = Problem::Gone;
            return false;
        }
        raw.resize(got);
        m_rawRead += got;
        if (got == 0) {
            m_ended = true;
            if (m_rawRead != m_file.sourceSize) {
                m_problem = Problem::Gone; // it shrank while being read
                return false;
            }
            if (m_stripper && !m_stripper->finish(m_pending)) {
                m_problem = Problem::Malformed;
                return false;
            }
            break;
        }
        if (m_rawRead > m_file.sourceSize) {
            m_problem = Problem::Gone; // it grew while being read
            return false;
        }
        if (!m_stripper)
            m_pending.append(raw);
        else if (!m_stripper->feed(raw, m_pending)) {
            m_problem = Problem::Malformed;
            return false;
        }
    }
    return true;
}

bool AttachmentSource::read(qint64 n, QByteArray &out)
{
    if (m_problem != Problem::None)
        return false;
    if (!m_stripper && m_pending.isEmpty() && !m_ended)
        return readDirect(n, out);
    if (!fill(n))
        return false;
    const qint64 take = std::min<qint64>(n, m_pending.size());
    out.append(m_pending.constData(), take);
    m_pending.remove(0, take);
    return true;
}

bool AttachmentSource::readDirect(qint64 n, QByteArray &out)
{
    const qsizetype at = out.size();
    out.resize(at + n);
    qint64 got = 0;
    while (got < n) {
        const qint64 r = m_in.read(out.data() + at + got, n - got);
        if (r < 0 || m_rawRead + r > m_file.sourceSize) {
            out.truncate(at);
            m_problem = Problem::Gone; // unreadable, or it grew while being read
            return false;
        }
        if (r == 0) {
            m_ended = true;
            if (m_rawRead != m_file.sourceSize) {
                out.truncate(at);
                m_problem = Problem::Gone; // it shrank while being read
                return false;
            }
            break;
        }
        got += r;
        m_rawRead += r;
    }
    out.truncate(at + got);
    return true;
}

bool AttachmentSource::skip(qint64 n, const std::function<bool()> &stopped)
{
    while (n > 0) {
        if (stopped && stopped())
            return false;
        if (m_problem != Problem::None || !fill(std::min<qint64>(n, ReadBytes)))
            return false;
        if (m_pending.isEmpty()) {
            m_problem = Problem::Gone; // shorter than when it was measured
            return false;
        }
        const qint64 take = std::min<qint64>(n, m_pending.size());
        m_pending.remove(0, take);
        n -= take;
    }
    return true;
}

std::optional<qint64> AttachmentSource::measure(const std::function<bool()> &stopped)
{
    if (!open())
        return std::nullopt;
    if (!m_stripper || m_stripper->keepsSize()) {
        m_in.close();
        return m_file.sourceSize;
    }
    return readThrough(stopped);
}

bool AttachmentSource::check(const std::function<bool()> &stopped)
{
    if (!open())
        return false;
    if (!m_stripper) {
        m_in.close();
        return true;
    }
    return readThrough(stopped).has_value();
}

std::optional<qint64> AttachmentSource::readThrough(const std::function<bool()> &stopped)
{
    qint64 total = 0;
    while (!atEnd()) {
        if ((stopped && stopped()) || !fill(ReadBytes)) {
            m_in.close();
            return std::nullopt;
        }
        total += m_pending.size();
        m_pending.truncate(0); // keeps its allocation: freeing and taking it again each piece costs page faults
    }
    m_in.close();
    return total;
}

} // namespace larch
