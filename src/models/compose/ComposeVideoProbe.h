// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the compose bar can learn about a video before it is sent: duration, frame size and a first frame.
#pragma once

#include <QImage>
#include <QMediaPlayer>
#include <QObject>
#include <QSize>
#include <QTimer>
#include <QVideoSink>

namespace larch {

/// Opens one video with Qt Multimedia (muted, never shown) and reports once, within TimeoutMs, whatever it
/// learnt; zeros and a null frame when the platform cannot tell (no backend, no decoder, headless renderer).
class ComposeVideoProbe : public QObject {
    Q_OBJECT
public:
    /// A video's details are nice to have, never worth a long wait: the chip is sendable meanwhile.
    static constexpr int TimeoutMs = 5000;

    explicit ComposeVideoProbe(const QString &path, QObject *parent = nullptr);

signals:
    /// Exactly once; durationMs 0 and an invalid size when unknown.
    void finished(qint64 durationMs, QSize size, const QImage &frame);

private:
    void onStatus(QMediaPlayer::MediaStatus status);
    void onFrame(const QVideoFrame &frame);
    void finish();

    QMediaPlayer m_player;
    QVideoSink m_sink;
    QTimer m_timeout;
    qint64 m_durationMs = 0;
    QSize m_size;
    QImage m_frame;
    bool m_done = false;
};

} // namespace larch
