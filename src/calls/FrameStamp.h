// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A synthetic camera's mark in each frame it makes: who sent it, its number and when it was captured.
#pragma once

#include <optional>
#include <QtGlobal>

namespace larch::calls {

/// The mark a synthetic camera draws into each frame, as black and white blocks in the top rows of the luma plane:
/// large enough to survive the video codec, so a test or the call benchmark reads it back from a received frame and
/// knows which peer sent it, which frame it is and how long it took to arrive.
struct FrameStamp {
    quint8 sender = 0; ///< which synthetic camera drew it (tests give each peer its own)
    quint32 frame = 0; ///< counts up from 0 for each camera
    qint64 capturedUs = 0; ///< FrameStamp::nowUs() when the frame was made, modulo 2^48
    /// Microseconds of a monotonic clock every thread of the process shares.
    static qint64 nowUs();
    bool operator==(const FrameStamp &) const = default;
};

/// The side of one block of the stamp, in pixels, for a frame this wide; the stamp takes three rows of blocks.
int frameStampBlock(int width);
/// Draws stamp into an 8-bit luma plane (width × height, stride bytes per row). Frames narrower than 320 or lower
/// than 120 pixels carry no stamp.
void drawFrameStamp(uchar *luma, int stride, int width, int height, const FrameStamp &stamp);
/// Reads a stamp back from a luma plane; nullopt when there is none or it was damaged (its check does not match).
std::optional<FrameStamp> readFrameStamp(const uchar *luma, int stride, int width, int height);

} // namespace larch::calls
