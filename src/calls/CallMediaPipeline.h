// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Inside CallMedia: the GStreamer elements of one call and the helpers that build them (not for other files).
#pragma once

#include "calls/CallMedia.h"

#include <gst/gst.h>

namespace larch::calls {

/// The elements CallMedia drives. GStreamer's threads read `media` only until the pipeline is stopped, which joins
/// them. Cameras and microphones push into the inputs from their own threads, under CallMedia::m_inputLock.
struct CallMedia::Pipeline {
    CallMedia *media = nullptr;
    GstElement *pipeline = nullptr;
    GstElement *webrtc = nullptr;
    GstElement *encoder = nullptr;
    GstElement *micVolume = nullptr;
    GstElement *videoIn = nullptr;
    GstCaps *videoInCaps = nullptr;
    GstElement *audioIn = nullptr; ///< null when a tone stands in for the microphone

    ~Pipeline();
    // From GStreamer's threads to CallMedia's (through postTo, or atomics for what is read often).
    void deliverRemoteFrame(const QVideoFrame &frame);
    void deliverRemoteAudio(const qint16 *samples, qsizetype count);
    void reportConnectionState(int state);
    void reportError();
};

/// The first element a call needs that this GStreamer lacks, with the Debian package that brings it; empty when
/// every element is there.
QString missingCallElement();
/// The send side and webrtcbin as one gst-launch description, from the settings.
QByteArray sendPipelineDescription(const CallMediaSettings &settings);
/// A receive branch for a pad of webrtcbin carrying `media` ("video" or "audio"): depayload, decode, appsink.
QByteArray receiveBranchDescription(const QByteArray &media);
/// Reads webrtcbin's statistics (a get-stats reply) into what the quality indicator shows.
CallLinkStats linkStatsFrom(const GstStructure *reply);
/// Loudness (RMS, 0 to 1) of 16-bit samples.
double audioLevel(const qint16 *samples, qsizetype count);

} // namespace larch::calls
