// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Frames between Qt Multimedia and GStreamer: a camera's QVideoFrame into the call, a decoded sample out of it.
#pragma once

#include <QVideoFrame>

typedef struct _GstBuffer GstBuffer;
typedef struct _GstCaps GstCaps;
typedef struct _GstSample GstSample;

namespace larch::calls {

/// A camera frame copied into a GStreamer buffer, with the caps that describe it.
struct GstVideoInput {
    GstBuffer *buffer = nullptr; ///< owned by the caller (gst_buffer_unref), null when the frame could not be read
    GstCaps *caps = nullptr; ///< owned by the caller (gst_caps_unref)
};

/// Copies frame into a new buffer in a layout GStreamer knows: planar and packed YUV and 32-bit RGB formats as they
/// are, anything else (a camera's JPEG, 10-bit formats) through QImage as RGBA. The caps name framesPerSecond: the
/// encoder's rate control needs it (without it VP8 spends its whole budget on each frame).
GstVideoInput gstBufferFromFrame(const QVideoFrame &frame, int framesPerSecond);

/// Copies a decoded I420 sample into a QVideoFrame for a QVideoSink; an invalid frame for any other format.
QVideoFrame frameFromSample(GstSample *sample);

} // namespace larch::calls
