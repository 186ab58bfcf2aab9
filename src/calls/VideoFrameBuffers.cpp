// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/VideoFrameBuffers.h"

#include <gst/gst.h>
#include <gst/video/video.h>

#include <algorithm>
#include <cstring>
#include <QImage>
#include <QVideoFrameFormat>

namespace larch::calls {
namespace {

GstVideoFormat gstFormat(QVideoFrameFormat::PixelFormat format)
{
    switch (format) {
    case QVideoFrameFormat::Format_YUV420P: return GST_VIDEO_FORMAT_I420;
    case QVideoFrameFormat::Format_YV12: return GST_VIDEO_FORMAT_YV12;
    case QVideoFrameFormat::Format_NV12: return GST_VIDEO_FORMAT_NV12;
    case QVideoFrameFormat::Format_NV21: return GST_VIDEO_FORMAT_NV21;
    case QVideoFrameFormat::Format_YUYV: return GST_VIDEO_FORMAT_YUY2;
    case QVideoFrameFormat::Format_UYVY: return GST_VIDEO_FORMAT_UYVY;
    case QVideoFrameFormat::Format_BGRA8888: return GST_VIDEO_FORMAT_BGRA;
    case QVideoFrameFormat::Format_BGRX8888: return GST_VIDEO_FORMAT_BGRx;
    case QVideoFrameFormat::Format_RGBA8888: return GST_VIDEO_FORMAT_RGBA;
    case QVideoFrameFormat::Format_RGBX8888: return GST_VIDEO_FORMAT_RGBx;
    case QVideoFrameFormat::Format_ARGB8888: return GST_VIDEO_FORMAT_ARGB;
    case QVideoFrameFormat::Format_XRGB8888: return GST_VIDEO_FORMAT_xRGB;
    case QVideoFrameFormat::Format_ABGR8888: return GST_VIDEO_FORMAT_ABGR;
    case QVideoFrameFormat::Format_XBGR8888: return GST_VIDEO_FORMAT_xBGR;
    default: return GST_VIDEO_FORMAT_UNKNOWN;
    }
}

// The component whose size gives a plane's rows and row bytes: the luma (or the only) plane, else the first chroma.
int planeComponent(int plane) { return plane == 0 ? 0 : 1; }

void copyPlanes(const uchar *const *sourcePlanes, const int *sourceStrides, int planes, GstVideoFrame *target)
{
    for (int p = 0; p < planes && p < int(GST_VIDEO_FRAME_N_PLANES(target)); ++p) {
        const int c = planeComponent(p);
        const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(target, c);
        const int targetStride = GST_VIDEO_FRAME_PLANE_STRIDE(target, p);
        const int rowBytes = std::min({GST_VIDEO_FRAME_COMP_WIDTH(target, c) * GST_VIDEO_FRAME_COMP_PSTRIDE(target, c),
                                       sourceStrides[p], targetStride});
        auto *out = static_cast<uchar *>(GST_VIDEO_FRAME_PLANE_DATA(target, p));
        for (int y = 0; y < rows; ++y)
            std::memcpy(out + y * targetStride, sourcePlanes[p] + y * sourceStrides[p], size_t(rowBytes));
    }
}

GstVideoInput copyInto(GstVideoFormat format, int width, int height, const uchar *const *planes, const int *strides,
                       int planeCount, int framesPerSecond)
{
    GstVideoInfo info;
    if (width <= 0 || height <= 0 || !gst_video_info_set_format(&info, format, guint(width), guint(height)))
        return {};
    GST_VIDEO_INFO_FPS_N(&info) = qMax(1, framesPerSecond);
    GST_VIDEO_INFO_FPS_D(&info) = 1;
    GstBuffer *buffer = gst_buffer_new_allocate(nullptr, info.size, nullptr);
    GstVideoFrame target;
    if (!gst_video_frame_map(&target, &info, buffer, GST_MAP_WRITE)) {
        gst_buffer_unref(buffer);
        return {};
    }
    copyPlanes(planes, strides, planeCount, &target);
    gst_video_frame_unmap(&target);
    return {buffer, gst_video_info_to_caps(&info)};
}

} // namespace

GstVideoInput gstBufferFromFrame(const QVideoFrame &frame, int framesPerSecond)
{
    QVideoFrame source(frame);
    const GstVideoFormat format = gstFormat(source.pixelFormat());
    if (format == GST_VIDEO_FORMAT_UNKNOWN) {
        const QImage image = source.toImage().convertToFormat(QImage::Format_RGBA8888);
        const uchar *planes[] = {image.constBits()};
        const int strides[] = {int(image.bytesPerLine())};
        return copyInto(GST_VIDEO_FORMAT_RGBA, image.width(), image.height(), planes, strides, 1, framesPerSecond);
    }
    if (!source.map(QVideoFrame::ReadOnly))
        return {};
    const uchar *planes[4] = {};
    int strides[4] = {};
    const int count = qMin(source.planeCount(), 4);
    for (int p = 0; p < count; ++p) {
        planes[p] = source.bits(p);
        strides[p] = source.bytesPerLine(p);
    }
    GstVideoInput input = copyInto(format, source.width(), source.height(), planes, strides, count, framesPerSecond);
    source.unmap();
    return input;
}

QVideoFrame frameFromSample(GstSample *sample)
{
    GstVideoInfo info;
    GstCaps *caps = gst_sample_get_caps(sample);
    GstBuffer *buffer = gst_sample_get_buffer(sample);
    if (!caps || !buffer || !gst_video_info_from_caps(&info, caps)
        || GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420)
        return {};
    GstVideoFrame decoded;
    if (!gst_video_frame_map(&decoded, &info, buffer, GST_MAP_READ))
        return {};
    const int width = GST_VIDEO_INFO_WIDTH(&info);
    const int height = GST_VIDEO_INFO_HEIGHT(&info);
    QVideoFrame frame(QVideoFrameFormat(QSize(width, height), QVideoFrameFormat::Format_YUV420P));
    if (frame.map(QVideoFrame::WriteOnly)) {
        for (int p = 0; p < 3; ++p) {
            const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(&decoded, p);
            const int rowBytes = std::min({GST_VIDEO_FRAME_COMP_WIDTH(&decoded, p), frame.bytesPerLine(p),
                                           GST_VIDEO_FRAME_PLANE_STRIDE(&decoded, p)});
            const auto *in = static_cast<const uchar *>(GST_VIDEO_FRAME_PLANE_DATA(&decoded, p));
            for (int y = 0; y < rows; ++y)
                std::memcpy(frame.bits(p) + y * frame.bytesPerLine(p),
                            in + y * GST_VIDEO_FRAME_PLANE_STRIDE(&decoded, p), size_t(rowBytes));
        }
        frame.unmap();
    }
    gst_video_frame_unmap(&decoded);
    frame.setStartTime(qint64(GST_BUFFER_PTS_IS_VALID(buffer) ? GST_BUFFER_PTS(buffer) / 1000 : -1));
    return frame;
}

} // namespace larch::calls
