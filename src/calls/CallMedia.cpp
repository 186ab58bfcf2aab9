// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/CallMedia.h"

#include "calls/CallMediaPipeline.h"
#include "calls/SdpFingerprint.h"
#include "calls/VideoFrameBuffers.h"
#include "core/threads/PostTo.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <cstring>
#include <mutex>
#include <QLoggingCategory>
#include <QVideoSink>

Q_LOGGING_CATEGORY(lcCallMedia, "larch.calls.media")

namespace larch::calls {
namespace {

void ensureGstreamer()
{
    static std::once_flag once;
    std::call_once(once, [] { gst_init(nullptr, nullptr); });
}

GstWebRTCSessionDescription *descriptionFromReply(GstPromise *promise, const char *field)
{
    GstWebRTCSessionDescription *description = nullptr;
    const GstStructure *reply = gst_promise_get_reply(promise);
    if (reply)
        gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &description, nullptr);
    return description;
}

QString sdpText(const GstWebRTCSessionDescription *description)
{
    gchar *text = gst_sdp_message_as_text(description->sdp);
    const QString sdp = QString::fromUtf8(text);
    g_free(text);
    return sdp;
}

} // namespace

CallMedia::CallMedia(CallMediaSettings settings, QObject *parent) : QObject(parent), m_settings(std::move(settings))
{
    qRegisterMetaType<CallLinkStats>();
}

CallMedia::~CallMedia() { resetPipeline(); }

void CallMedia::resetPipeline()
{
    std::unique_ptr<Pipeline> ending;
    {
        std::lock_guard lock(m_inputLock);
        ending = std::move(m_pipeline);
    }
    ending.reset(); // stops the pipeline, joining GStreamer's threads, outside the lock
}

bool CallMedia::start()
{
    if (m_pipeline)
        return true;
    ensureGstreamer();
    m_missingElement = missingCallElement();
    if (!m_missingElement.isEmpty()) {
        qCWarning(lcCallMedia) << "missing GStreamer element" << m_missingElement;
        fail(CallMediaFailure::MissingElements);
        return false;
    }
    GError *error = nullptr;
    GstElement *pipeline = gst_parse_launch(sendPipelineDescription(m_settings).constData(), &error);
    if (!pipeline || error) {
        qCWarning(lcCallMedia) << "call pipeline not built:" << (error ? error->message : "");
        g_clear_error(&error);
        if (pipeline)
            gst_object_unref(pipeline);
        fail(CallMediaFailure::MissingElements);
        return false;
    }
    auto built = std::make_unique<Pipeline>();
    Pipeline &p = *built;
    p.media = this;
    p.pipeline = pipeline;
    p.webrtc = gst_bin_get_by_name(GST_BIN(pipeline), "webrtc");
    p.encoder = gst_bin_get_by_name(GST_BIN(pipeline), "video-encoder");
    p.micVolume = gst_bin_get_by_name(GST_BIN(pipeline), "mic-volume");
    p.videoIn = gst_bin_get_by_name(GST_BIN(pipeline), "video-in");
    p.audioIn = gst_bin_get_by_name(GST_BIN(pipeline), "audio-in");

    if (!m_settings.stunServers.isEmpty())
        g_object_set(p.webrtc, "stun-server", m_settings.stunServers.first().toUtf8().constData(), nullptr);
    for (const QString &turn : m_settings.turnServers) {
        gboolean added = FALSE;
        g_signal_emit_by_name(p.webrtc, "add-turn-server", turn.toUtf8().constData(), &added);
        if (!added)
            qCWarning(lcCallMedia) << "a TURN server address was refused";
    }
    if (m_settings.relayOnly)
        g_object_set(p.webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, nullptr);
    if (!m_settings.localAddresses.isEmpty()) {
        GstWebRTCICE *ice = nullptr;
        g_object_get(p.webrtc, "ice-agent", &ice, nullptr);
        for (const QString &address : m_settings.localAddresses) {
            gboolean added = FALSE;
            g_signal_emit_by_name(ice, "add-local-ip-address", address.toUtf8().constData(), &added);
        }
        if (ice)
            gst_object_unref(ice);
    }
    {
        std::lock_guard lock(m_inputLock);
        m_pipeline = std::move(built);
    }
    connectPipelineSignals();
    if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        fail(CallMediaFailure::MissingElements);
        return false;
    }
    setState(State::Negotiating);
    return true;
}

void CallMedia::stop()
{
    resetPipeline();
    m_verified = false;
    if (m_state != State::Failed)
        setState(State::Ended);
}

void CallMedia::makeOffer()
{
    if (!m_pipeline)
        return;
    GstPromise *promise = gst_promise_new_with_change_func(
        [](GstPromise *promise, gpointer data) {
            auto *p = static_cast<Pipeline *>(data);
            GstWebRTCSessionDescription *offer = descriptionFromReply(promise, "offer");
            gst_promise_unref(promise);
            if (!offer)
                return;
            g_signal_emit_by_name(p->webrtc, "set-local-description", offer, nullptr);
            const QString sdp = sdpText(offer);
            gst_webrtc_session_description_free(offer);
            CallMedia *media = p->media;
            postTo(media, [media, sdp] { emit media->localDescription(QStringLiteral("offer"), sdp); });
        },
        m_pipeline.get(), nullptr);
    g_signal_emit_by_name(m_pipeline->webrtc, "create-offer", nullptr, promise);
}

void CallMedia::takeOffer(const QString &sdp) { takeRemoteDescription(QStringLiteral("offer"), sdp); }

void CallMedia::takeAnswer(const QString &sdp) { takeRemoteDescription(QStringLiteral("answer"), sdp); }

void CallMedia::takeRemoteDescription(const QString &type, const QString &sdp)
{
    if (!m_pipeline)
        return;
    if (sdp.size() > MaxDescriptionLength) {
        fail(CallMediaFailure::BadDescription);
        return;
    }
    // The fingerprint the peer's certificate must have, from the description its sealed message carried.
    const std::optional<QByteArray> fingerprint = sdpFingerprint(sdp);
    if (!fingerprint) {
        fail(CallMediaFailure::NotVerified);
        return;
    }
    GstSDPMessage *message = nullptr;
    if (gst_sdp_message_new_from_text(sdp.toUtf8().constData(), &message) != GST_SDP_OK || !message) {
        if (message)
            gst_sdp_message_free(message);
        fail(CallMediaFailure::BadDescription);
        return;
    }
    m_expectedFingerprint = *fingerprint;
    const bool isOffer = type == QLatin1String("offer");
    GstWebRTCSessionDescription *description =
        gst_webrtc_session_description_new(isOffer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
    GstPromise *promise = nullptr;
    if (isOffer)
        promise = gst_promise_new_with_change_func(
            [](GstPromise *promise, gpointer data) {
                gst_promise_unref(promise);
                auto *p = static_cast<Pipeline *>(data);
                GstPromise *answered = gst_promise_new_with_change_func(
                    [](GstPromise *promise, gpointer data) {
                        auto *p = static_cast<Pipeline *>(data);
                        GstWebRTCSessionDescription *answer = descriptionFromReply(promise, "answer");
                        gst_promise_unref(promise);
                        CallMedia *media = p->media;
                        if (!answer) {
                            postTo(media, [media] { media->fail(CallMediaFailure::BadDescription); });
                            return;
                        }
                        g_signal_emit_by_name(p->webrtc, "set-local-description", answer, nullptr);
                        const QString sdp = sdpText(answer);
                        gst_webrtc_session_description_free(answer);
                        postTo(media, [media, sdp] { emit media->localDescription(QStringLiteral("answer"), sdp); });
                    },
                    p, nullptr);
                g_signal_emit_by_name(p->webrtc, "create-answer", nullptr, answered);
            },
            m_pipeline.get(), nullptr);
    g_signal_emit_by_name(m_pipeline->webrtc, "set-remote-description", description, promise);
    gst_webrtc_session_description_free(description);
    m_remoteDescriptionSet = true;
    flushRemoteCandidates();
    if (m_state == State::Negotiating)
        setState(State::Connecting);
}

void CallMedia::addRemoteCandidate(int mediaLine, const QString &candidate)
{
    if (mediaLine < 0 || candidate.size() > 1024)
        return;
    m_pendingCandidates.append({mediaLine, candidate});
    if (m_remoteDescriptionSet)
        flushRemoteCandidates();
}

void CallMedia::flushRemoteCandidates()
{
    if (!m_pipeline)
        return;
    for (const auto &[mediaLine, candidate] : std::as_const(m_pendingCandidates))
        g_signal_emit_by_name(m_pipeline->webrtc, "add-ice-candidate", guint(mediaLine),
                              candidate.toUtf8().constData());
    m_pendingCandidates.clear();
}

void CallMedia::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void CallMedia::fail(CallMediaFailure failure)
{
    if (m_failure != CallMediaFailure::None)
        return;
    m_failure = failure;
    m_verified = false;
    resetPipeline();
    setState(State::Failed);
    emit failed(failure);
}

QString CallMedia::failureText() const
{
    switch (m_failure) {
    case CallMediaFailure::None: return {};
    case CallMediaFailure::MissingElements:
        return tr("Calls need a part of GStreamer this computer lacks: %1. Install it and start Larch again.")
            .arg(m_missingElement.isEmpty() ? tr("a media plugin") : m_missingElement);
    case CallMediaFailure::NotVerified: return tr("This call could not be verified.");
    case CallMediaFailure::BadDescription:
        return tr("The other side's app sent a call setup this app cannot read. Updating both apps may help.");
    case CallMediaFailure::ConnectionFailed:
        return tr("No connection could be made between the two devices. Check the network and try again.");
    }
    return {};
}

void CallMedia::checkPeerCertificate()
{
    if (!m_pipeline || m_verified)
        return;
    GstWebRTCRTPTransceiver *transceiver = nullptr;
    g_signal_emit_by_name(m_pipeline->webrtc, "get-transceiver", 0, &transceiver);
    GstWebRTCRTPReceiver *receiver = nullptr;
    GstWebRTCDTLSTransport *transport = nullptr;
    gchar *pem = nullptr;
    if (transceiver)
        g_object_get(transceiver, "receiver", &receiver, nullptr);
    if (receiver)
        g_object_get(receiver, "transport", &transport, nullptr);
    if (transport)
        g_object_get(transport, "remote-certificate", &pem, nullptr);
    const std::optional<QByteArray> presented = pem ? pemFingerprint(QByteArray(pem)) : std::nullopt;
    g_free(pem);
    for (gpointer object : {gpointer(transport), gpointer(receiver), gpointer(transceiver)})
        if (object)
            gst_object_unref(object);
    if (!presented || *presented != m_expectedFingerprint) {
        qCWarning(lcCallMedia) << "the peer's DTLS certificate is not the one its description named";
        fail(CallMediaFailure::NotVerified);
        return;
    }
    m_peerFingerprint = *presented;
    m_verified = true;
    emit verified();
}

void CallMedia::sendVideoFrame(const QVideoFrame &frame)
{
    if (!m_cameraEnabled.load()) {
        QVideoFrame black(QVideoFrameFormat(m_settings.videoSize, QVideoFrameFormat::Format_YUV420P));
        if (black.map(QVideoFrame::WriteOnly)) {
            std::memset(black.bits(0), 16, size_t(black.mappedBytes(0)));
            std::memset(black.bits(1), 128, size_t(black.mappedBytes(1)));
            std::memset(black.bits(2), 128, size_t(black.mappedBytes(2)));
            black.unmap();
        }
        pushVideo(black);
        return;
    }
    pushVideo(frame);
}

void CallMedia::setRemoteVideoSink(QVideoSink *sink) { m_remoteSink = sink; }

void CallMedia::setMicrophoneMuted(bool muted)
{
    if (m_pipeline && m_pipeline->micVolume)
        g_object_set(m_pipeline->micVolume, "mute", gboolean(muted), nullptr);
}

void CallMedia::setCameraEnabled(bool enabled) { m_cameraEnabled = enabled; }

void CallMedia::setVideoBitrateKbps(int kbps)
{
    if (m_pipeline && m_pipeline->encoder)
        g_object_set(m_pipeline->encoder, "target-bitrate", qBound(50, kbps, 4000) * 1000, nullptr);
}

void CallMedia::requestLinkStats()
{
    if (!m_pipeline)
        return;
    GstPromise *promise = gst_promise_new_with_change_func(
        [](GstPromise *promise, gpointer data) {
            auto *p = static_cast<Pipeline *>(data);
            const CallLinkStats stats = linkStatsFrom(gst_promise_get_reply(promise));
            gst_promise_unref(promise);
            CallMedia *media = p->media;
            postTo(media, [media, stats] { emit media->linkStats(stats); });
        },
        m_pipeline.get(), nullptr);
    g_signal_emit_by_name(m_pipeline->webrtc, "get-stats", nullptr, promise);
}

void CallMedia::showRemoteFrame(const QVideoFrame &frame)
{
    m_framePending = false;
    if (!m_verified)
        return;
    if (m_remoteFramesShown.fetch_add(1) == 0)
        emit firstRemoteFrame();
    if (m_remoteSink)
        m_remoteSink->setVideoFrame(frame);
}

} // namespace larch::calls
