// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/SyntheticCamera.h"

#include "calls/FrameStamp.h"
#include "core/threads/PostTo.h"

#include <cstring>
#include <QThread>
#include <QTimer>
#include <QVideoFrameFormat>

namespace larch::calls {

SyntheticCamera::SyntheticCamera(quint8 sender, QSize size, int framesPerSecond, QObject *parent)
    : QObject(parent), m_sender(sender), m_size(size), m_framesPerSecond(qMax(1, framesPerSecond))
{ }

SyntheticCamera::~SyntheticCamera() { stop(); }

void SyntheticCamera::start()
{
    if (m_thread)
        return;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("synthetic-camera"));
    m_timer = new QTimer;
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(1000 / m_framesPerSecond);
    m_timer->moveToThread(m_thread.get());
    connect(m_timer, &QTimer::timeout, m_timer, [this] { emit frameCaptured(makeFrame()); });
    connect(m_thread.get(), &QThread::finished, m_timer, &QObject::deleteLater);
    m_thread->start();
    QMetaObject::invokeMethod(m_timer, qOverload<>(&QTimer::start), Qt::QueuedConnection);
}

void SyntheticCamera::stop()
{
    if (!m_thread)
        return;
    callAndWait(m_timer, [timer = m_timer] { timer->stop(); });
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_timer = nullptr;
}

QVideoFrame SyntheticCamera::makeFrame()
{
    const int width = m_size.width() & ~1;
    const int height = m_size.height() & ~1;
    QVideoFrame frame(QVideoFrameFormat(QSize(width, height), QVideoFrameFormat::Format_YUV420P));
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    const quint32 n = m_frame++;
    // Luma: diagonal bands drifting right, and a bright square bouncing across: motion the encoder has to follow.
    uchar *luma = frame.bits(0);
    const int lumaStride = frame.bytesPerLine(0);
    for (int y = 0; y < height; ++y) {
        uchar *row = luma + y * lumaStride;
        for (int x = 0; x < width; ++x)
            row[x] = uchar(64 + ((x + y / 2 + int(n) * 3) & 0x7F));
    }
    const int side = height / 4;
    const int span = qMax(1, width - side);
    const int phase = int(n * 7 % quint32(2 * span));
    const int left = phase < span ? phase : 2 * span - phase;
    const int top = height / 2 - side / 2 + int((n % 60 < 30 ? n % 30 : 30 - n % 30)) * 2;
    for (int y = qMax(0, top); y < qMin(height, top + side); ++y)
        std::memset(luma + y * lumaStride + left, 235, size_t(qMin(side, width - left)));
    // Chroma: a tint of this sender's own.
    const uchar u = uchar(m_sender % 2 ? 160 : 100);
    const uchar v = uchar(m_sender % 2 ? 100 : 170);
    for (int plane = 1; plane <= 2; ++plane) {
        uchar *bits = frame.bits(plane);
        for (int y = 0; y < height / 2; ++y)
            std::memset(bits + y * frame.bytesPerLine(plane), plane == 1 ? u : v, size_t(width / 2));
    }
    FrameStamp stamp;
    stamp.sender = m_sender;
    stamp.frame = n;
    stamp.capturedUs = FrameStamp::nowUs();
    drawFrameStamp(luma, lumaStride, width, height, stamp);
    frame.unmap();
    return frame;
}

} // namespace larch::calls
