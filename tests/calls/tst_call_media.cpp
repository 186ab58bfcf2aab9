// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Two real webrtcbin peers on loopback, with synthetic cameras and tones: the call connects and verifies each other's
// certificate, frames flow both ways with the right content, mute and camera off reach the other side, and a peer
// whose certificate is not the one its description named is refused.
#include "CallPairKit.h"
#include "calls/CallAudio.h"
#include "calls/IceServers.h"
#include "calls/SdpFingerprint.h"

#include <cmath>
#include <QDateTime>
#include <QMediaDevices>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using namespace larch;
using larch::calls::CallMedia;
using larch::calls::CallMediaFailure;

class CallMediaTest : public QObject {
    Q_OBJECT

private slots:
    void connectsAndFramesFlowBothWays();
    void muteAndCameraOffReachTheOtherSide();
    void aPeerWithAnotherCertificateIsRefused();
    void aDescriptionWithoutAFingerprintIsRefused();
    void candidatesBeforeTheDescriptionAreKept();
    void anOversizedDescriptionIsRefused();
    void aCallThroughTheRelayOnly();
    void theMicrophonesSamplesReachTheOtherSide();
};

void CallMediaTest::connectsAndFramesFlowBothWays()
{
    testkit::CallPair pair;
    QSignalSpy callerVerified(pair.caller.media.get(), &CallMedia::verified);
    QSignalSpy calleeVerified(pair.callee.media.get(), &CallMedia::verified);
    QVERIFY(pair.start());
    QTRY_COMPARE_WITH_TIMEOUT(pair.caller.media->state(), CallMedia::State::Connected, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(pair.callee.media->state(), CallMedia::State::Connected, 15000);
    QCOMPARE(callerVerified.count(), 1);
    QCOMPARE(calleeVerified.count(), 1);
    QCOMPARE(pair.caller.media->peerFingerprint().size(), 32);

    // Frames arrive on each side carrying the other side's stamp, in order, numbers going up.
    QTRY_VERIFY_WITH_TIMEOUT(pair.caller.stamps.size() >= 60 && pair.callee.stamps.size() >= 60, 15000);
    for (const testkit::CallSide *side : {&pair.caller, &pair.callee}) {
        const quint8 other = side == &pair.caller ? 2 : 1;
        quint32 previous = 0;
        for (size_t i = 0; i < side->stamps.size(); ++i) {
            QCOMPARE(side->stamps[i].sender, other);
            if (i > 0)
                QVERIFY2(side->stamps[i].frame > previous, "frames shown out of order");
            previous = side->stamps[i].frame;
        }
    }
    // And sound: each side hears the other's tone.
    QTRY_VERIFY_WITH_TIMEOUT(pair.caller.media->remoteAudioLevel() > 0.05, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.media->remoteAudioLevel() > 0.05, 5000);

    pair.stop();
    QCOMPARE(pair.caller.media->state(), CallMedia::State::Ended);
}

void CallMediaTest::muteAndCameraOffReachTheOtherSide()
{
    testkit::CallPair pair;
    QVERIFY(pair.start());
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.stamps.size() >= 10, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.media->remoteAudioLevel() > 0.05, 5000);

    pair.caller.media->setMicrophoneMuted(true);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.media->remoteAudioLevel() < 0.005, 5000);
    pair.caller.media->setMicrophoneMuted(false);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.media->remoteAudioLevel() > 0.05, 5000);

    // Camera off: the other side sees black frames with no stamp, not the caller's picture.
    pair.caller.media->setCameraEnabled(false);
    const int unstampedBefore = pair.callee.unstampedFrames;
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.unstampedFrames >= unstampedBefore + 10, 5000);
    QVERIFY2(pair.callee.lastMeanLuma < 40, qPrintable(QString::number(pair.callee.lastMeanLuma)));
    const size_t stampedWhileOff = pair.callee.stamps.size();
    QTest::qWait(500);
    QVERIFY(pair.callee.stamps.size() <= stampedWhileOff + 1); // at most one frame already on its way
    pair.caller.media->setCameraEnabled(true);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.stamps.size() >= stampedWhileOff + 10, 5000);
    QVERIFY(pair.callee.lastMeanLuma > 60);
    pair.stop();
}

void CallMediaTest::aPeerWithAnotherCertificateIsRefused()
{
    // The offer the callee receives names another certificate than the one the caller presents. (Every webrtcbin of
    // a process shares one certificate, and webrtcbin itself accepts any: this check is Larch's own.)
    const QByteArray otherFingerprint = QByteArray::fromHex(
        "F8ABAD4AF127B877BD2066C8EF2A4DECFF96D1A2B8718EC1D98C494EECE5D151"); // tst_calls_parts' test certificate
    testkit::CallPair pair;
    bool rewritten = false;
    pair.rewriteOffer = [&](QString sdp) -> QString {
        static const QRegularExpression line(QStringLiteral("a=fingerprint:sha-256 [0-9A-F:]+"));
        rewritten = sdp.contains(line);
        return sdp.replace(line, QStringLiteral("a=fingerprint:sha-256 ") + calls::fingerprintText(otherFingerprint));
    };
    QSignalSpy calleeFailed(pair.callee.media.get(), &CallMedia::failed);
    QVERIFY(pair.start());
    QTRY_COMPARE_WITH_TIMEOUT(calleeFailed.count(), 1, 15000);
    QVERIFY2(rewritten, "the offer had no fingerprint to replace");
    QCOMPARE(calleeFailed.first().at(0).value<CallMediaFailure>(), CallMediaFailure::NotVerified);
    QCOMPARE(pair.callee.media->failureText(), QStringLiteral("This call could not be verified."));
    QCOMPARE(pair.callee.media->remoteFramesShown(), quint64(0));
    QVERIFY(pair.callee.stamps.empty());
    QCOMPARE(pair.callee.media->remoteAudioLevel(), 0.0);
    pair.stop();
}

void CallMediaTest::aDescriptionWithoutAFingerprintIsRefused()
{
    testkit::CallPair pair;
    pair.rewriteOffer = [](QString sdp) {
        static const QRegularExpression line(QStringLiteral("a=fingerprint:[^\r\n]*\r?\n"));
        return sdp.remove(line);
    };
    QSignalSpy calleeFailed(pair.callee.media.get(), &CallMedia::failed);
    QVERIFY(pair.start());
    QTRY_COMPARE_WITH_TIMEOUT(calleeFailed.count(), 1, 10000);
    QCOMPARE(pair.callee.media->failure(), CallMediaFailure::NotVerified);
    QCOMPARE(pair.callee.media->state(), CallMedia::State::Failed);
    pair.stop();
}

void CallMediaTest::candidatesBeforeTheDescriptionAreKept()
{
    // Trickled candidates may overtake the offer on the way; the callee keeps them until the offer is in.
    testkit::CallPair pair;
    QList<QPair<int, QString>> early;
    QString offer;
    QObject::disconnect(pair.caller.media.get(), nullptr, pair.callee.media.get(), nullptr);
    connect(pair.caller.media.get(), &CallMedia::localCandidate, this, [&](int line, const QString &candidate) {
        early.append({line, candidate});
    });
    connect(pair.caller.media.get(), &CallMedia::localDescription, this,
            [&](const QString &, const QString &sdp) { offer = sdp; });
    QVERIFY(pair.start());
    QTRY_VERIFY_WITH_TIMEOUT(!offer.isEmpty() && !early.isEmpty(), 10000);
    QTest::qWait(300);
    for (const auto &[line, candidate] : std::as_const(early))
        pair.callee.media->addRemoteCandidate(line, candidate);
    connect(pair.caller.media.get(), &CallMedia::localCandidate, pair.callee.media.get(),
            &CallMedia::addRemoteCandidate);
    pair.callee.media->takeOffer(offer);
    QTRY_COMPARE_WITH_TIMEOUT(pair.callee.media->state(), CallMedia::State::Connected, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.stamps.size() >= 10, 10000);
    pair.stop();
}

void CallMediaTest::anOversizedDescriptionIsRefused()
{
    calls::CallMedia callee(testkit::loopbackSettings(660));
    QVERIFY(callee.start());
    QString sdp = QStringLiteral("v=0\r\na=fingerprint:sha-256 ") + calls::fingerprintText(QByteArray(32, 'x'));
    sdp += QStringLiteral("\r\na=x:") + QString(CallMedia::MaxDescriptionLength, u'y');
    callee.takeOffer(sdp);
    QCOMPARE(callee.failure(), CallMediaFailure::BadDescription);
    QCOMPARE(callee.state(), CallMedia::State::Failed);
    QVERIFY(!callee.failureText().isEmpty());
}

void CallMediaTest::aCallThroughTheRelayOnly()
{
    // coturn on loopback with the shared-secret scheme the Larch server signs credentials for.
    QTcpServer probe; // a free port: the relay listens on its UDP twin
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QByteArray secret = "relay test secret";
    QProcess relay;
    relay.setProcessChannelMode(QProcess::MergedChannels);
    relay.start(QStringLiteral("turnserver"),
                {QStringLiteral("-n"), QStringLiteral("--listening-ip=127.0.0.1"),
                 QStringLiteral("--relay-ip=127.0.0.1"), QStringLiteral("--listening-port=%1").arg(port),
                 QStringLiteral("--use-auth-secret"),
                 QStringLiteral("--static-auth-secret=") + QString::fromLatin1(secret),
                 QStringLiteral("--realm=larch.test"), QStringLiteral("--allow-loopback-peers"),
                 QStringLiteral("--no-tls"), QStringLiteral("--no-dtls"), QStringLiteral("--no-cli"),
                 QStringLiteral("-V"), QStringLiteral("--log-file=stdout"), QStringLiteral("--simple-log")});
    QVERIFY2(relay.waitForStarted(5000), "turnserver (Debian package coturn) did not start");
    QTest::qWait(500);
    QCOMPARE(relay.state(), QProcess::Running);
    const QString username = QStringLiteral("%1:test").arg(QDateTime::currentSecsSinceEpoch() + 3600);
    const QString credential = QString::fromLatin1(
        QMessageAuthenticationCode::hash(username.toUtf8(), secret, QCryptographicHash::Sha1).toBase64());
    const QString turn = calls::turnServerUrl(QStringLiteral("turn:127.0.0.1:%1").arg(port), username, credential);

    auto relayed = [&](double tone) {
        calls::CallMediaSettings settings = testkit::loopbackSettings(tone);
        settings.turnServers = {turn};
        settings.relayOnly = true; // host candidates refused: every packet goes through the relay
        return settings;
    };
    testkit::CallPair pair(relayed(440), relayed(660));
    QList<QString> candidates;
    connect(pair.caller.media.get(), &CallMedia::localCandidate, this,
            [&](int, const QString &candidate) { candidates << candidate; });
    QVERIFY(pair.start());
    (void)QTest::qWaitFor([&] { return pair.callee.media->state() == CallMedia::State::Connected; }, 20000);
    QVERIFY2(pair.callee.media->state() == CallMedia::State::Connected,
             qPrintable(candidates.join(u'|') + QLatin1String("\n") + QString::fromUtf8(relay.readAll().right(3000))));
    QTRY_VERIFY_WITH_TIMEOUT(pair.caller.stamps.size() >= 30 && pair.callee.stamps.size() >= 30, 15000);
    QVERIFY(!candidates.isEmpty());
    for (const QString &candidate : std::as_const(candidates))
        QVERIFY2(candidate.contains(QLatin1String(" typ relay")), qPrintable(candidate));
    QSignalSpy stats(pair.caller.media.get(), &CallMedia::linkStats);
    pair.caller.media->requestLinkStats();
    QTRY_COMPARE_WITH_TIMEOUT(stats.count(), 1, 5000);
    const auto link = stats.first().at(0).value<calls::CallLinkStats>();
    QCOMPARE(link.localCandidateType, QStringLiteral("relay"));
    QVERIFY(link.packetsReceived > 60);
    pair.stop();
    // The relay saw the allocation, and only our user name, no name of a person.
    relay.terminate();
    relay.waitForFinished(5000);
    const QByteArray log = relay.readAll();
    QVERIFY2(log.contains("test"), log.right(2000).constData());
}

void CallMediaTest::theMicrophonesSamplesReachTheOtherSide()
{
    // The caller sends what a microphone gives (no tone): first nothing, then a 1 kHz sine pushed as CallAudio would.
    testkit::CallPair pair(testkit::loopbackSettings(0), testkit::loopbackSettings(660));
    calls::CallAudio audio(pair.caller.media.get());
    QVERIFY(pair.start());
    audio.start();
    if (QMediaDevices::audioInputs().isEmpty()) // this machine: the call goes on, and the person is told why
        QVERIFY2(audio.problem().contains(QLatin1String("No microphone")), qPrintable(audio.problem()));
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.stamps.size() >= 10 && pair.caller.stamps.size() >= 10, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pair.caller.media->remoteAudioLevel() > 0.05, 5000); // the callee's tone plays
    QVERIFY(pair.callee.media->remoteAudioLevel() < 0.01);

    QTimer microphone;
    qint64 sample = 0;
    connect(&microphone, &QTimer::timeout, this, [&] {
        QByteArray pcm(960 * 2, '\0'); // 20 ms at 48 kHz
        auto *out = reinterpret_cast<qint16 *>(pcm.data());
        for (int i = 0; i < 960; ++i, ++sample)
            out[i] = qint16(8000 * std::sin(2 * M_PI * 1000 * double(sample) / 48000));
        pair.caller.media->sendAudioSamples(pcm);
    });
    microphone.start(20);
    QTRY_VERIFY_WITH_TIMEOUT(pair.callee.media->remoteAudioLevel() > 0.05, 5000);
    microphone.stop();
    audio.stop();
    pair.stop();
}

QTEST_MAIN(CallMediaTest)
#include "tst_call_media.moc"
