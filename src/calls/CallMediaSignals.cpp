// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// CallMedia's side of GStreamer's threads: candidates found, pads added, states changed, frames and sound decoded,
// and camera and microphone input pushed in. Everything that reaches CallMedia's own state goes through postTo.
#include "calls/CallMedia.h"

#include "calls/CallMediaPipeline.h"
#include "calls/VideoFrameBuffers.h"
#include "core/threads/PostTo.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/webrtc/webrtc.h>

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcCallMedia)

namespace larch::calls {
namespace {

void onIceCandidate(GstElement *, guint mediaLine, gchar *candidate, gpointer data)
{
    auto *p = static_cast<CallMedia::Pipeline *>(data);
    CallMedia *media = p->media;
    const QString text = QString::fromUtf8(candidate);
    postTo(media, [media, mediaLine, text] { emit media->localCandidate(int(mediaLine), text); });
}

GstFlowReturn onRemoteVideo(GstAppSink *sink, gpointer data)
{
    auto *p = static_cast<CallMedia::Pipeline *>(data);
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_OK;
    p->deliverRemoteFrame(frameFromSample(sample));
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

GstFlowReturn onRemoteAudio(GstAppSink *sink, gpointer data)
{
    auto *p = static_cast<CallMedia::Pipeline *>(data);
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_OK;
    GstMapInfo map;
    GstBuffer *buffer = gst_sample_get_buffer(sample);
    if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
        p->deliverRemoteAudio(reinterpret_cast<const qint16 *>(map.data), qsizetype(map.size / 2));
        gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

void onPadAdded(GstElement *webrtc, GstPad *pad, gpointer data)
{
    if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
        return;
    auto *p = static_cast<CallMedia::Pipeline *>(data);
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, nullptr);
    const GstStructure *structure = caps && gst_caps_get_size(caps) > 0 ? gst_caps_get_structure(caps, 0) : nullptr;
    const QByteArray media = structure ? QByteArray(gst_structure_get_string(structure, "media")) : QByteArray();
    if (caps)
        gst_caps_unref(caps);
    if (media != "video" && media != "audio")
        return;
    GError *error = nullptr;
    GstElement *branch = gst_parse_bin_from_description(receiveBranchDescription(media).constData(), TRUE, &error);
    if (!branch) {
        qCWarning(lcCallMedia) << "receive branch not built:" << (error ? error->message : "");
        g_clear_error(&error);
        return;
    }
    GstElement *sink = gst_bin_get_by_name(GST_BIN(branch), media == "video" ? "remote-video" : "remote-audio");
    GstAppSinkCallbacks callbacks{};
    callbacks.new_sample = media == "video" ? onRemoteVideo : onRemoteAudio;
    gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, p, nullptr);
    gst_object_unref(sink);
    gst_bin_add(GST_BIN(GST_ELEMENT_PARENT(webrtc)), branch);
    gst_element_sync_state_with_parent(branch);
    GstPad *input = gst_element_get_static_pad(branch, "sink");
    if (gst_pad_link(pad, input) != GST_PAD_LINK_OK)
        qCWarning(lcCallMedia) << "receive branch not linked for" << media;
    gst_object_unref(input);
}

void onConnectionState(GstElement *webrtc, GParamSpec *, gpointer data)
{
    auto *p = static_cast<CallMedia::Pipeline *>(data);
    GstWebRTCPeerConnectionState state;
    g_object_get(webrtc, "connection-state", &state, nullptr);
    p->reportConnectionState(int(state));
}

GstBusSyncReply onBusMessage(GstBus *, GstMessage *message, gpointer data)
{
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
        GError *error = nullptr;
        gst_message_parse_error(message, &error, nullptr);
        qCWarning(lcCallMedia) << "pipeline error from" << GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) << ":"
                               << (error ? error->message : "");
        g_clear_error(&error);
        static_cast<CallMedia::Pipeline *>(data)->reportError();
    }
    return GST_BUS_PASS;
}

} // namespace

void CallMedia::Pipeline::deliverRemoteFrame(const QVideoFrame &frame)
{
    // The newest frame wins: while one waits for the GUI thread, later ones are dropped rather than queued.
    if (!frame.isValid() || !media->m_verified.load() || media->m_framePending.exchange(true))
        return;
    CallMedia *target = media;
    postTo(target, [target, frame] { target->showRemoteFrame(frame); });
}

void CallMedia::Pipeline::deliverRemoteAudio(const qint16 *samples, qsizetype count)
{
    if (!media->m_verified.load())
        return;
    media->m_remoteAudioLevel = audioLevel(samples, count);
    emit media->remoteAudio(QByteArray(reinterpret_cast<const char *>(samples), count * 2));
}

void CallMedia::Pipeline::reportConnectionState(int state)
{
    CallMedia *target = media;
    postTo(target, [target, state] { target->takeConnectionState(state); });
}

void CallMedia::Pipeline::reportError()
{
    CallMedia *target = media;
    postTo(target, [target] { target->fail(CallMediaFailure::ConnectionFailed); });
}

void CallMedia::connectPipelineSignals()
{
    Pipeline &p = *m_pipeline;
    g_signal_connect(p.webrtc, "on-ice-candidate", G_CALLBACK(onIceCandidate), &p);
    g_signal_connect(p.webrtc, "pad-added", G_CALLBACK(onPadAdded), &p);
    g_signal_connect(p.webrtc, "notify::connection-state", G_CALLBACK(onConnectionState), &p);
    GstBus *bus = gst_element_get_bus(p.pipeline);
    gst_bus_set_sync_handler(bus, onBusMessage, &p, nullptr);
    gst_object_unref(bus);
}

void CallMedia::takeConnectionState(int state)
{
    switch (GstWebRTCPeerConnectionState(state)) {
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTING:
        if (m_state == State::Negotiating)
            setState(State::Connecting);
        break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED:
        checkPeerCertificate();
        if (m_verified)
            setState(State::Connected);
        break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED:
        if (m_state == State::Connected)
            setState(State::Disconnected);
        break;
    case GST_WEBRTC_PEER_CONNECTION_STATE_FAILED: fail(CallMediaFailure::ConnectionFailed); break;
    default: break;
    }
}

void CallMedia::pushVideo(const QVideoFrame &frame)
{
    GstVideoInput input = gstBufferFromFrame(frame, m_settings.framesPerSecond);
    if (!input.buffer)
        return;
    std::lock_guard lock(m_inputLock);
    Pipeline *pipeline = m_pipeline.get();
    if (pipeline && pipeline->videoIn) {
        Pipeline &p = *pipeline;
        if (!p.videoInCaps || !gst_caps_is_equal(p.videoInCaps, input.caps)) {
            gst_app_src_set_caps(GST_APP_SRC(p.videoIn), input.caps);
            gst_caps_replace(&p.videoInCaps, input.caps);
        }
        gst_app_src_push_buffer(GST_APP_SRC(p.videoIn), input.buffer); // takes the buffer
        input.buffer = nullptr;
    }
    if (input.buffer)
        gst_buffer_unref(input.buffer);
    gst_caps_unref(input.caps);
}

void CallMedia::sendAudioSamples(const QByteArray &pcm)
{
    if (pcm.isEmpty())
        return;
    std::lock_guard lock(m_inputLock);
    if (!m_pipeline || !m_pipeline->audioIn)
        return;
    gst_app_src_push_buffer(GST_APP_SRC(m_pipeline->audioIn),
                            gst_buffer_new_memdup(pcm.constData(), gsize(pcm.size())));
}

} // namespace larch::calls
