// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposeVideoProbe.h"

#include "core/threads/PostTo.h"

#include <QMediaMetaData>
#include <QUrl>
#include <QVideoFrame>

namespace larch {

ComposeVideoProbe::ComposeVideoProbe(const QString &path, QObject *parent) : QObject(parent)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(TimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, &ComposeVideoProbe::finish);
    connect(&m_player, &QMediaPlayer::mediaStatusChanged, this, &ComposeVideoProbe::onStatus);
    connect(&m_player, &QMediaPlayer::errorOccurred, this, &ComposeVideoProbe::finish);
    connect(&m_sink, &QVideoSink::videoFrameChanged, this, &ComposeVideoProbe::onFrame);
    // Backends learn the length at different moments (GStreamer: before LoadedMedia); keep the latest.
    connect(&m_player, &QMediaPlayer::durationChanged, this, [this](qint64 ms) {
        if (ms > 0)
            m_durationMs = ms;
    });
    // No audio output is set, so nothing is heard while the first frame is fetched.
    m_player.setVideoSink(&m_sink);
    m_timeout.start();
    // Reported from the event loop even when the backend fails at once, so the caller has connected by then.
    postTo(this, [this, path] { m_player.setSource(QUrl::fromLocalFile(path)); });
}

void ComposeVideoProbe::onStatus(QMediaPlayer::MediaStatus status)
{
    if (m_done)
        return;
    if (status == QMediaPlayer::InvalidMedia) {
        finish();
    } else if (status == QMediaPlayer::LoadedMedia) {
        m_durationMs = std::max(m_durationMs, m_player.duration());
        m_size = m_player.metaData().value(QMediaMetaData::Resolution).toSize();
        if (!m_player.hasVideo()) {
            finish();
            return;
        }
        m_player.play(); // the first decoded frame becomes the thumbnail
    } else if (status == QMediaPlayer::EndOfMedia) {
        finish();
    }
}

void ComposeVideoProbe::onFrame(const QVideoFrame &frame)
{
    if (m_done || !frame.isValid())
        return;
    m_frame = frame.toImage();
    if (m_frame.isNull())
        return;
    if (!m_size.isValid())
        m_size = m_frame.size();
    finish();
}

void ComposeVideoProbe::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_player.stop();
    emit finished(m_durationMs, m_size, m_frame);
}

} // namespace larch
