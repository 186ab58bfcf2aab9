// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/CallMediaPipeline.h"

#include <gst/webrtc/webrtc.h>

#include <cmath>
#include <QHash>

namespace larch::calls {

CallMedia::Pipeline::~Pipeline()
{
    if (videoInCaps)
        gst_caps_unref(videoInCaps);
    for (GstElement *input : {videoIn, audioIn})
        if (input)
            gst_object_unref(input);
    if (pipeline) {
        gst_element_set_state(pipeline, GST_STATE_NULL); // joins every streaming thread
        gst_object_unref(pipeline);
    }
    for (GstElement *element : {webrtc, encoder, micVolume})
        if (element)
            gst_object_unref(element);
}

QString missingCallElement()
{
    static const std::pair<const char *, const char *> needed[] = {
        {"webrtcbin", "gstreamer1.0-plugins-bad"},
        {"dtlssrtpenc", "gstreamer1.0-plugins-bad"},
        {"nicesrc", "gstreamer1.0-nice"},
        {"vp8enc", "gstreamer1.0-plugins-good"},
        {"vp8dec", "gstreamer1.0-plugins-good"},
        {"rtpvp8pay", "gstreamer1.0-plugins-good"},
        {"rtpvp8depay", "gstreamer1.0-plugins-good"},
        {"rtpopuspay", "gstreamer1.0-plugins-good"},
        {"rtpopusdepay", "gstreamer1.0-plugins-good"},
        {"opusenc", "gstreamer1.0-plugins-base"},
        {"opusdec", "gstreamer1.0-plugins-base"},
        {"appsrc", "gstreamer1.0-plugins-base"},
        {"appsink", "gstreamer1.0-plugins-base"},
        {"videoconvert", "gstreamer1.0-plugins-base"},
        {"videoscale", "gstreamer1.0-plugins-base"},
        {"audioconvert", "gstreamer1.0-plugins-base"},
        {"audioresample", "gstreamer1.0-plugins-base"},
        {"audiotestsrc", "gstreamer1.0-plugins-base"},
        {"volume", "gstreamer1.0-plugins-base"},
    };
    for (const auto &[element, package] : needed) {
        GstElementFactory *factory = gst_element_factory_find(element);
        if (!factory)
            return QStringLiteral("%1 (Debian package %2)").arg(QLatin1String(element), QLatin1String(package));
        gst_object_unref(factory);
    }
    return {};
}

QByteArray sendPipelineDescription(const CallMediaSettings &settings)
{
    const QSize size = settings.videoSize;
    // Real-time VP8: no frames held back, a key frame at least every 2 s so a receiver recovers from loss quickly.
    QByteArray description =
        QStringLiteral(
            "webrtcbin name=webrtc bundle-policy=max-bundle latency=%1 "
            "appsrc name=video-in is-live=true format=time do-timestamp=true min-latency=0 max-bytes=4000000 "
            "! queue max-size-buffers=2 leaky=downstream ! videoconvert ! videoscale "
            "! video/x-raw,format=I420,width=%2,height=%3,pixel-aspect-ratio=1/1 "
            "! vp8enc name=video-encoder deadline=1 cpu-used=8 end-usage=cbr target-bitrate=%4 lag-in-frames=0 "
            "error-resilient=default keyframe-max-dist=%5 threads=1 buffer-size=300 buffer-initial-size=200 "
            "buffer-optimal-size=250 undershoot=95 "
            "! rtpvp8pay picture-id-mode=15-bit mtu=1200 "
            "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! webrtc. ")
            .arg(settings.jitterLatencyMs)
            .arg(size.width() & ~1)
            .arg(size.height() & ~1)
            .arg(settings.videoBitrateKbps * 1000)
            .arg(settings.framesPerSecond * 2)
            .toLatin1();
    // The microphone is a tone for tests and the benchmark; on a device, Microphone feeds audio-in.
    if (settings.toneHz > 0)
        description += QStringLiteral("audiotestsrc is-live=true wave=sine volume=0.3 freq=%1 samplesperbuffer=960 ")
                           .arg(settings.toneHz)
                           .toLatin1();
    else
        description += "appsrc name=audio-in is-live=true format=time do-timestamp=true min-latency=0 "
                       "caps=audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1 ";
    description += "! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 ! volume name=mic-volume "
                   "! opusenc frame-size=20 ! rtpopuspay mtu=1200 "
                   "! application/x-rtp,media=audio,encoding-name=OPUS,payload=97,clock-rate=48000 ! webrtc.";
    return description;
}

QByteArray receiveBranchDescription(const QByteArray &media)
{
    if (media == "video")
        return "queue ! rtpvp8depay ! vp8dec threads=1 ! videoconvert ! video/x-raw,format=I420 "
               "! appsink name=remote-video sync=false max-buffers=2 drop=true";
    return "queue ! rtpopusdepay ! opusdec plc=true ! audioconvert ! audioresample "
           "! audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1 "
           "! appsink name=remote-audio sync=false max-buffers=10 drop=true";
}

double audioLevel(const qint16 *samples, qsizetype count)
{
    if (count <= 0)
        return 0;
    double sum = 0;
    for (qsizetype i = 0; i < count; ++i)
        sum += double(samples[i]) * samples[i];
    return std::sqrt(sum / double(count)) / 32768.0;
}

namespace {

struct StatsScan {
    CallLinkStats stats;
    QHash<QByteArray, QString> candidateTypes; // local candidate id → type
    QByteArray selectedLocalCandidate;
};

gboolean scanStat(GQuark, const GValue *value, gpointer data)
{
    auto *scan = static_cast<StatsScan *>(data);
    if (!GST_VALUE_HOLDS_STRUCTURE(value))
        return TRUE;
    const GstStructure *stat = gst_value_get_structure(value);
    GstWebRTCStatsType type;
    if (!gst_structure_get_enum(stat, "type", GST_TYPE_WEBRTC_STATS_TYPE, reinterpret_cast<gint *>(&type)))
        return TRUE;
    if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP) {
        double seconds = 0;
        if (gst_structure_get_double(stat, "round-trip-time", &seconds) && seconds > 0)
            scan->stats.roundTripMs = qMax(scan->stats.roundTripMs, seconds * 1000);
        double lost = 0;
        if (gst_structure_get_double(stat, "fraction-lost", &lost))
            scan->stats.lossPercent = qMax(scan->stats.lossPercent, lost * 100);
    } else if (type == GST_WEBRTC_STATS_INBOUND_RTP) {
        // Summed over audio and video: webrtcbin 1.22 names every bundled inbound stream's "kind" audio.
        guint64 received = 0;
        gint64 lost = 0;
        if (gst_structure_get_uint64(stat, "packets-received", &received))
            scan->stats.packetsReceived += received;
        if (gst_structure_get_int64(stat, "packets-lost", &lost))
            scan->stats.packetsLost += lost;
    } else if (type == GST_WEBRTC_STATS_LOCAL_CANDIDATE) {
        const char *id = gst_structure_get_string(stat, "id");
        const char *candidateType = gst_structure_get_string(stat, "candidate-type");
        if (id && candidateType)
            scan->candidateTypes.insert(id, QString::fromLatin1(candidateType));
    } else if (type == GST_WEBRTC_STATS_CANDIDATE_PAIR) {
        const char *local = gst_structure_get_string(stat, "local-candidate-id");
        if (local)
            scan->selectedLocalCandidate = local;
    }
    return TRUE;
}

} // namespace

CallLinkStats linkStatsFrom(const GstStructure *reply)
{
    StatsScan scan;
    if (reply)
        gst_structure_foreach(reply, scanStat, &scan);
    scan.stats.localCandidateType = scan.candidateTypes.value(scan.selectedLocalCandidate);
    if (scan.stats.localCandidateType.isEmpty() && !scan.candidateTypes.isEmpty()) {
        // No selected pair reported: every local candidate of the same type (relay only) still says how packets go.
        const QList<QString> types = scan.candidateTypes.values();
        if (std::all_of(types.begin(), types.end(), [&](const QString &t) { return t == types.first(); }))
            scan.stats.localCandidateType = types.first();
    }
    return scan.stats;
}

} // namespace larch::calls
