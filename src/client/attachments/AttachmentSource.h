// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The bytes of a file as they are sent: read in 64 KiB pieces, through the metadata stripper when asked.
#pragma once

#include "client/attachments/PendingAttachment.h"
#include "core/attachments/MetadataStripper.h"

#include <functional>
#include <memory>
#include <optional>
#include <QByteArray>
#include <QFile>

namespace larch {

/// Reads a PendingAttachment's plaintext (what gets encrypted) sequentially, never the whole file at once.
/// The stripper's output depends on the input alone, so reading again from the start gives the same bytes: that
/// is how an upload measures the size before reserving it and skips to where it continues after a restart.
class AttachmentSource {
public:
    /// Why the file cannot be sent.
    enum class Problem {
        None,
        Gone, ///< missing, unreadable, or not the size it had when it was chosen
        Malformed, ///< a photo or video the stripper cannot parse
    };

    static constexpr qsizetype ReadBytes = 64 * 1024;

    explicit AttachmentSource(const PendingAttachment &file);

    /// Opens (again) from the start; false with problem() set when the file is not as it was chosen.
    bool open();
    /// Reads through the whole file once and counts the bytes it gives (the file size, without reading, when the
    /// stripper keeps sizes or there is none).
    /// nullopt with problem() set on failure, or with no problem when stopped() said so between pieces. Leaves
    /// the source closed.
    std::optional<qint64> measure(const std::function<bool()> &stopped = {});
    /// Reads the whole file through the stripper once, as sending will, and drops what it gives: false with
    /// problem() set when the file cannot be sent as it is (Malformed: a photo or video the stripper cannot
    /// parse), or with no problem when stopped() said so between pieces. Only opens a file without a stripper.
    /// Leaves the source closed.
    bool check(const std::function<bool()> &stopped = {});
    /// Appends exactly n plaintext bytes to out, fewer only at the end of the file. False on a problem.
    bool read(qint64 n, QByteArray &out);
    /// Reads and drops n plaintext bytes (a restart continuing after what the server has); false on a problem, or
    /// with no problem when stopped() said so between pieces.
    bool skip(qint64 n, const std::function<bool()> &stopped = {});
    /// True once every byte was handed out.
    bool atEnd() const { return m_ended && m_pending.isEmpty(); }
    Problem problem() const { return m_problem; }
    /// The EXIF orientation the photo declared, as far as it was read (after check(), the whole file).
    ExifOrientation orientation() const { return m_stripper ? m_stripper->orientation() : ExifOrientation::None; }

private:
    bool fill(qint64 wanted);
    /// read() of a file passed through unchanged: straight from the file into out, without m_pending between.
    bool readDirect(qint64 n, QByteArray &out);
    /// Reads to the end through the stripper, dropping what it gives; the plaintext byte count, or nullopt.
    std::optional<qint64> readThrough(const std::function<bool()> &stopped);

    PendingAttachment m_file;
    QFile m_in;
    std::unique_ptr<MetadataStripper> m_stripper; ///< photos and videos with metadata (stripMetadata)
    QByteArray m_pending; ///< plaintext produced but not handed out yet
    QByteArray m_raw; ///< the piece of the file being read, kept allocated from piece to piece
    qint64 m_rawRead = 0;
    bool m_ended = false;
    Problem m_problem = Problem::None;
};

} // namespace larch
