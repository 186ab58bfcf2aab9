// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One side of a video call's media: camera and microphone out, the other side's video and sound in.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVideoFrame>

class QVideoSink;

namespace larch::calls {

/// What CallMedia needs to know before it starts.
struct CallMediaSettings {
    QSize videoSize{640, 480}; ///< what is sent; camera frames of any other size are scaled
    int framesPerSecond = 30;
    int videoBitrateKbps = 900; ///< VP8's target; the quality indicator lowers it when the link cannot carry it
    double toneHz = 0; ///< > 0: a sine tone of this pitch instead of the microphone (tests, benchmark)
    QStringList stunServers; ///< "stun://host:port"
    QStringList turnServers; ///< "turn://user:password@host:port" (coturn's time-limited credentials)
    bool relayOnly = false; ///< only relayed candidates: every packet goes through the TURN server
    QStringList localAddresses; ///< when set, the only addresses host candidates use (tests pin 127.0.0.1)
    int jitterLatencyMs = 40; ///< the receive jitter buffer: short, for conversation rather than streaming
};

/// The link's health, from the pipeline's statistics, for the connection-quality indicator.
struct CallLinkStats {
    double roundTripMs = -1; ///< -1 until the other side has reported it
    double lossPercent = 0; ///< of the packets sent, as the other side reports them lost
    quint64 packetsReceived = 0; ///< audio and video from the other side, so far
    qint64 packetsLost = 0;
    QString localCandidateType; ///< "host", "srflx" or "relay": how this side's packets leave
};

/// Why media stopped.
enum class CallMediaFailure {
    None,
    MissingElements, ///< GStreamer lacks an element a call needs (a plugin package is not installed)
    NotVerified, ///< the peer's DTLS certificate is not the one its sealed offer or answer named
    BadDescription, ///< the other side's offer or answer could not be read
    ConnectionFailed, ///< no path between the two sides (ICE or DTLS failed)
};

/// One peer connection of a call through GStreamer's webrtcbin: VP8 video and Opus audio over DTLS-SRTP, ICE with
/// STUN and TURN. Camera frames come in through sendVideoFrame (from any thread); the other side's frames go to the
/// QVideoSink set with setRemoteVideoSink, only once the peer's certificate matched the fingerprint of the sealed
/// description it sent. Offers, answers and candidates leave through signals, for the call's end-to-end encrypted
/// signalling to carry. Lives on the GUI thread; GStreamer's threads reach it only through postTo.
class CallMedia : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Negotiating, Connecting, Connected, Disconnected, Failed, Ended };
    Q_ENUM(State)
    /// The longest offer or answer taken, in characters (webrtcbin's are about 1,500).
    static constexpr qsizetype MaxDescriptionLength = 64 * 1024;

    explicit CallMedia(CallMediaSettings settings, QObject *parent = nullptr);
    ~CallMedia() override;

    /// Builds the pipeline and starts sending once connected. False (and failed(MissingElements)) when GStreamer
    /// lacks an element; the sentence for the person names the package.
    bool start();
    /// Stops everything; the state becomes Ended.
    void stop();

    /// Caller: makes an offer, emitted through localDescription("offer", …).
    void makeOffer();
    /// Callee: takes the caller's offer and answers through localDescription("answer", …).
    void takeOffer(const QString &sdp);
    /// Caller: takes the callee's answer.
    void takeAnswer(const QString &sdp);
    /// A candidate the other side found; kept until the other side's description is in.
    void addRemoteCandidate(int mediaLine, const QString &candidate);

    /// A camera frame to send (any thread, any size and common format); black while the camera is off.
    void sendVideoFrame(const QVideoFrame &frame);
    /// Microphone samples to send (any thread): 48 kHz, mono, signed 16-bit little-endian.
    void sendAudioSamples(const QByteArray &pcm);
    void setRemoteVideoSink(QVideoSink *sink);
    void setMicrophoneMuted(bool muted);
    void setCameraEnabled(bool enabled);
    void setVideoBitrateKbps(int kbps);
    /// Asks the pipeline for statistics; the answer comes through linkStats.
    void requestLinkStats();

    State state() const { return m_state; }
    CallMediaFailure failure() const { return m_failure; }
    /// A sentence for the person when failure() is not None.
    QString failureText() const;
    /// SHA-256 fingerprint of the certificate the peer presented, once verified.
    QByteArray peerFingerprint() const { return m_peerFingerprint; }
    /// Loudness of the other side's sound, 0 (silence) to 1, over the last 100 ms.
    double remoteAudioLevel() const { return m_remoteAudioLevel.load(); }
    /// How many of the other side's frames were shown.
    quint64 remoteFramesShown() const { return m_remoteFramesShown.load(); }

signals:
    void localDescription(const QString &type, const QString &sdp);
    void localCandidate(int mediaLine, const QString &candidate);
    void stateChanged(larch::calls::CallMedia::State state);
    /// The peer presented the certificate its sealed description named: media from it is shown from now on.
    void verified();
    void failed(larch::calls::CallMediaFailure failure);
    void linkStats(const larch::calls::CallLinkStats &stats);
    /// The first frame of the other side's video was shown.
    void firstRemoteFrame();
    /// The other side's sound, 48 kHz mono signed 16-bit, about every 20 ms, once verified. Emitted on a GStreamer
    /// thread: connect it queued (CallAudio plays it).
    void remoteAudio(const QByteArray &pcm);

public:
    /// The GStreamer side (CallMediaPipeline.h): named here for the callbacks of CallMedia's own files only.
    struct Pipeline;

private:
    friend struct Pipeline;

    void connectPipelineSignals();
    void pushVideo(const QVideoFrame &frame);
    void takeConnectionState(int state);
    void resetPipeline();
    void setState(State state);
    void fail(CallMediaFailure failure);
    void takeRemoteDescription(const QString &type, const QString &sdp);
    void flushRemoteCandidates();
    void checkPeerCertificate();
    void showRemoteFrame(const QVideoFrame &frame);

    const CallMediaSettings m_settings;
    std::mutex m_inputLock; ///< guards m_pipeline against cameras and microphones pushing from their threads
    std::unique_ptr<Pipeline> m_pipeline;
    State m_state = State::Idle;
    CallMediaFailure m_failure = CallMediaFailure::None;
    QString m_missingElement;
    QByteArray m_expectedFingerprint;
    QByteArray m_peerFingerprint;
    bool m_remoteDescriptionSet = false;
    QList<QPair<int, QString>> m_pendingCandidates;
    QPointer<QVideoSink> m_remoteSink;
    std::atomic<bool> m_verified{false};
    std::atomic<bool> m_cameraEnabled{true};
    std::atomic<double> m_remoteAudioLevel{0};
    std::atomic<quint64> m_remoteFramesShown{0};
    std::atomic<bool> m_framePending{false};
};

} // namespace larch::calls

Q_DECLARE_METATYPE(larch::calls::CallLinkStats)
