// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A camera made of arithmetic, for machines without one (tests, benchmarks, a server room's desktop).
#pragma once

#include <memory>
#include <QObject>
#include <QSize>
#include <QVideoFrame>

class QThread;
class QTimer;

namespace larch::calls {

/// Makes moving I420 frames at a steady rate on a thread of its own, each stamped (FrameStamp) with this camera's
/// number, the frame's number and its capture time. Each sender's picture has its own tint, so two peers' frames
/// differ at a glance. frameCaptured is emitted on the camera's thread: connect it directly to what sends frames
/// (CallMedia::sendVideoFrame is safe from any thread) and queued to anything of the GUI.
class SyntheticCamera : public QObject {
    Q_OBJECT
public:
    SyntheticCamera(quint8 sender, QSize size, int framesPerSecond, QObject *parent = nullptr);
    ~SyntheticCamera() override;

    void start();
    void stop();
    quint8 sender() const { return m_sender; }
    QSize size() const { return m_size; }

signals:
    /// A new frame (I420, FrameStamp in its top rows), on the camera's own thread.
    void frameCaptured(const QVideoFrame &frame);

private:
    QVideoFrame makeFrame();

    const quint8 m_sender;
    const QSize m_size;
    const int m_framesPerSecond;
    quint32 m_frame = 0;
    std::unique_ptr<QThread> m_thread;
    QTimer *m_timer = nullptr; // lives on m_thread
};

} // namespace larch::calls
