// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Two sides of a call in one process, wired to each other directly (the signalling's place), each with a synthetic
// camera and a tone, reading the FrameStamp of every frame the other side's video shows. The call tests and the call
// benchmark share it.
#pragma once

#include "calls/CallMedia.h"
#include "calls/FrameStamp.h"
#include "calls/SyntheticCamera.h"

#include <functional>
#include <memory>
#include <QElapsedTimer>
#include <QVideoSink>
#include <vector>

namespace larch::testkit {

/// One side: its media, camera and the sink that shows the other side, with what arrived.
struct CallSide {
    std::unique_ptr<calls::CallMedia> media;
    std::unique_ptr<calls::SyntheticCamera> camera;
    QVideoSink sink;
    std::vector<calls::FrameStamp> stamps; ///< stamps of frames shown, in order
    std::vector<qint64> latenciesUs; ///< capture (other side) to shown (this side), per stamped frame
    int unstampedFrames = 0; ///< frames shown whose stamp could not be read (camera off: black)
    double lastMeanLuma = 0; ///< of the last frame shown

    CallSide(quint8 sender, calls::CallMediaSettings settings)
        : media(std::make_unique<calls::CallMedia>(settings)),
          camera(std::make_unique<calls::SyntheticCamera>(sender, settings.videoSize, settings.framesPerSecond))
    {
        media->setRemoteVideoSink(&sink);
        QObject::connect(
            camera.get(), &calls::SyntheticCamera::frameCaptured, media.get(),
            [m = media.get()](const QVideoFrame &frame) { m->sendVideoFrame(frame); }, Qt::DirectConnection);
        QObject::connect(&sink, &QVideoSink::videoFrameChanged, &sink, [this](const QVideoFrame &shown) {
            QVideoFrame frame(shown);
            if (!frame.map(QVideoFrame::ReadOnly))
                return;
            const uchar *luma = frame.bits(0);
            const int stride = frame.bytesPerLine(0);
            qint64 sum = 0;
            for (int y = frame.height() / 2; y < frame.height(); y += 8)
                for (int x = 0; x < frame.width(); x += 8)
                    sum += luma[y * stride + x];
            lastMeanLuma = double(sum) / double((frame.height() / 2 / 8 + 1) * (frame.width() / 8));
            const auto stamp = calls::readFrameStamp(luma, stride, frame.width(), frame.height());
            frame.unmap();
            if (!stamp) {
                ++unstampedFrames;
                return;
            }
            stamps.push_back(*stamp);
            latenciesUs.push_back(calls::FrameStamp::nowUs() - stamp->capturedUs);
        });
    }
};

/// Settings both sides of a loopback call use: host candidates on 127.0.0.1 only, a tone of each side's own pitch.
inline calls::CallMediaSettings loopbackSettings(double toneHz, QSize size = {640, 480}, int fps = 30)
{
    calls::CallMediaSettings settings;
    settings.videoSize = size;
    settings.framesPerSecond = fps;
    settings.toneHz = toneHz;
    settings.localAddresses = {QStringLiteral("127.0.0.1")};
    return settings;
}

/// A caller and a callee whose offers, answers and candidates go straight to each other. rewriteOffer lets a test
/// change the offer on its way (a tampered fingerprint).
struct CallPair {
    CallSide caller;
    CallSide callee;
    std::function<QString(QString)> rewriteOffer = [](QString sdp) { return sdp; };

    explicit CallPair(calls::CallMediaSettings callerSettings = loopbackSettings(440),
                      calls::CallMediaSettings calleeSettings = loopbackSettings(660))
        : caller(1, callerSettings), callee(2, calleeSettings)
    {
        calls::CallMedia *a = caller.media.get();
        calls::CallMedia *b = callee.media.get();
        QObject::connect(a, &calls::CallMedia::localDescription, b, [this, b](const QString &type, const QString &sdp) {
            if (type == QLatin1String("offer"))
                b->takeOffer(rewriteOffer(sdp));
        });
        QObject::connect(b, &calls::CallMedia::localDescription, a, [a](const QString &type, const QString &sdp) {
            if (type == QLatin1String("answer"))
                a->takeAnswer(sdp);
        });
        QObject::connect(a, &calls::CallMedia::localCandidate, b, &calls::CallMedia::addRemoteCandidate);
        QObject::connect(b, &calls::CallMedia::localCandidate, a, &calls::CallMedia::addRemoteCandidate);
    }

    /// Starts both sides and their cameras, and the caller's offer.
    bool start()
    {
        if (!caller.media->start() || !callee.media->start())
            return false;
        caller.camera->start();
        callee.camera->start();
        caller.media->makeOffer();
        return true;
    }

    void stop()
    {
        caller.camera->stop();
        callee.camera->stop();
        caller.media->stop();
        callee.media->stop();
    }
};

} // namespace larch::testkit
