// The bytes of a file as they are sent: read in 64 KiB pieces, through the photo metadata stripper when asked.
#pragma once

#include "PendingAttachment.h"
#include "PhotoMetadata.h"

#include <QByteArray>
#include <QFile>
#include <memory>
#include <optional>

namespace larch {

/// Reads a PendingAttachment's plaintext (what gets encrypted) sequentially, never the whole file at once.
/// The stripper's output depends on the input alone, so reading again from the start gives the same bytes: that
/// is how an upload measures the size before reserving it and skips to where it continues after a restart.
class AttachmentSource {
public:
    /// Why the file cannot be sent.
    enum class Problem {
        None,
        Gone,       ///< missing, unreadable, or not the size it had when it was chosen
        Malformed,  ///< a photo the stripper cannot parse
    };

    static constexpr qsizetype ReadBytes = 64 * 1024;

    explicit AttachmentSource(const PendingAttachment &file);

    /// Opens (again) from the start; false with problem() set when the file is not as it was chosen.
    bool open();
    /// Reads through the whole file once and counts the bytes it gives (the file size when nothing is stripped).
    /// nullopt with problem() set on failure. Leaves the source closed.
    std::optional<qint64> measure();
    /// Appends exactly n plaintext bytes to out, fewer only at the end of the file. False on a problem.
    bool read(qint64 n, QByteArray &out);
    /// Reads and drops n plaintext bytes (a restart continuing after what the server has).
    bool skip(qint64 n);
    /// True once every byte was handed out.
    bool atEnd() const { return m_ended && m_pending.isEmpty(); }
    Problem problem() const { return m_problem; }

private:
    bool fill(qint64 wanted);

    PendingAttachment m_file;
    QFile m_in;
    std::unique_ptr<PhotoMetadataStripper> m_stripper;
    QByteArray m_pending;  ///< plaintext produced but not handed out yet
    qint64 m_rawRead = 0;
    bool m_ended = false;
    Problem m_problem = Problem::None;
};

} // namespace larch
