// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Removes what an MP4 or MOV video says about where and on what it was shot (location, make, model, XMP) as it streams.
#pragma once

#include "core/attachments/MetadataStripper.h"

#include <array>
#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace larch {

/// A streaming filter for one MP4/QuickTime file: feed it the file in any slicing and send what comes out.
/// It walks the box tree through moov, trak, mdia and minf; every udta and meta box met there or at the top
/// level (iPhone keys/ilst location, ©xyz, make, model, software, XMP_) and every uuid box holding XMP becomes
/// a free box of the same size with a zeroed payload. Nothing else changes, so the output is exactly as long
/// as the input, sample offsets (stco/co64) stay valid, and mdat streams through without being held. The
/// output is a function of the input alone, so running it again over the same file gives the same bytes.
/// Other types pass through unchanged.
class VideoMetadataStripper : public MetadataStripper {
public:
    /// mime as from sniffAttachmentType; acts on "video/mp4" and "video/quicktime".
    explicit VideoMetadataStripper(const QString &mime);

    /// Appends the filtered form of the next input bytes to out (a box header is held until it is complete).
    /// Returns false when the file is malformed; then nothing more comes out.
    bool feed(QByteArrayView in, QByteArray &out) override;
    /// The input ended. False when it ended inside a box or its header, or held no box at all.
    bool finish(QByteArray &out) override;
    /// Always: metadata boxes become free boxes of the same size.
    bool keepsSize() const override { return true; }

private:
    /// What happens to the bytes up to the end of a box that runs to the end of the file.
    enum class Rest { None, Copy, Zero };
    /// Deepest nesting of walked containers; real files use four (moov/trak/mdia/minf).
    static constexpr int MaxDepth = 8;

    /// Acts on the box header now in m_held; false for a malformed file.
    bool step(QByteArray &out);
    /// Closes the walked containers that end where the input now is.
    void closeEndedContainers();

    bool m_active = false;
    QByteArray m_held; ///< the box header being gathered (never more than 32 bytes)
    qsizetype m_need = 8; ///< bytes m_held must reach before step()
    qint64 m_pos = 0; ///< input bytes consumed so far
    qint64 m_copy = 0; ///< input bytes to pass through unchanged
    qint64 m_zero = 0; ///< input bytes to replace by zeros (a metadata box's payload)
    Rest m_rest = Rest::None;
    std::array<qint64, MaxDepth> m_ends{}; ///< where each walked container ends, outermost first
    int m_depth = 0;
    bool m_sawBox = false;
    bool m_failed = false;
};

} // namespace larch
