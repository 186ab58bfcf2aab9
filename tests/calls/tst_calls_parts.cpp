// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The parts of larch-calls beneath a call: the synthetic camera's frame stamps, the fingerprints a call is verified
// with (from an SDP text, from a PEM certificate), and frames crossing between Qt Multimedia and GStreamer.
#include "calls/FrameStamp.h"
#include "calls/IceServers.h"
#include "calls/SdpFingerprint.h"
#include "calls/SyntheticCamera.h"
#include "calls/VideoFrameBuffers.h"

#include <gst/gst.h>
#include <gst/video/video.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QVideoFrameFormat>
#include <random>
#include <vector>

using namespace larch::calls;

namespace {

// A self-signed P-256 certificate and its SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it.
const char *const TestCertificate = R"(-----BEGIN CERTIFICATE-----
MIIBfTCCASWgAwIBAgIUChFzT44wPk6iDVT1qQa962O4vq8wCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKbGFyY2gtdGVzdDAeFw0yNjEyMDgwMzU3MDZaFw0zNjEyMDUw
MzU3MDZaMBUxEzARBgNVBAMMCmxhcmNoLXRlc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASq6F3/LdT+U2T3F9r+6rz/HCR1IQNuwFZfOlfC3vCKP0vqAS9LGXEp
14vnSygy1oOLdWEhd5whCdFt5G9wS+4do1MwUTAdBgNVHQ4EFgQUt39RHhQMKIBj
v81RyuMYZoD2M6EwHwYDVR0jBBgwFoAUt39RHhQMKIBjv81RyuMYZoD2M6EwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNGADBDAh8Esi/dOHJBm4adAjF9WyhT
cG7xkubajtfv5zxJNd15AiBlObUHLR/frTYP7A69Ek18Q32jJo7JewpwYNJbGMBX
Cw==
-----END CERTIFICATE-----
)";
const char *const TestFingerprint =
    "F8:AB:AD:4A:F1:27:B8:77:BD:20:66:C8:EF:2A:4D:EC:FF:96:D1:A2:B8:71:8E:C1:D9:8C:49:4E:EC:E5:D1:51";

QString sdpWith(const QStringList &fingerprintLines)
{
    QString sdp = QStringLiteral("v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
    for (const QString &line : fingerprintLines)
        sdp += QStringLiteral("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n") + line + QStringLiteral("\r\n");
    return sdp;
}

} // namespace

class CallsPartsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { gst_init(nullptr, nullptr); }
    void aStampReadsBackExactly();
    void aStampSurvivesNoiseButNotDamage();
    void smallFramesCarryNoStamp();
    void theSyntheticCameraStampsEachFrame();
    void theFingerprintOfAnSdp();
    void sdpsThatPinNoSingleCertificate();
    void theFingerprintOfACertificate();
    void cameraFramesBecomeGstreamerBuffers_data();
    void cameraFramesBecomeGstreamerBuffers();
    void decodedSamplesBecomeFrames();
    void relayAddressesInWebrtcbinsForm();
};

void CallsPartsTest::aStampReadsBackExactly()
{
    const int width = 640, height = 480;
    std::vector<uchar> luma(size_t(width * height), 100);
    const FrameStamp stamp{7, 123456, (qint64(1) << 47) + 99};
    drawFrameStamp(luma.data(), width, width, height, stamp);
    const auto read = readFrameStamp(luma.data(), width, width, height);
    QVERIFY(read);
    QCOMPARE(*read, stamp);
}

void CallsPartsTest::aStampSurvivesNoiseButNotDamage()
{
    const int width = 1280, height = 720, stride = 1300;
    std::vector<uchar> luma(size_t(stride * height), 0);
    const FrameStamp stamp{2, 42, 1234567};
    drawFrameStamp(luma.data(), stride, width, height, stamp);
    std::mt19937 random(5);
    std::uniform_int_distribution<int> noise(-40, 40);
    for (uchar &pixel : luma)
        pixel = uchar(qBound(0, int(pixel) + noise(random), 255));
    QCOMPARE(readFrameStamp(luma.data(), stride, width, height), std::optional<FrameStamp>(stamp));

    // One block flipped: the check no longer matches, and no stamp is read rather than a wrong one.
    const int block = frameStampBlock(width);
    for (int y = 0; y < block; ++y)
        for (int x = 20 * block; x < 21 * block; ++x)
            luma[size_t(y * stride + x)] = uchar(255 - luma[size_t(y * stride + x)]);
    QVERIFY(!readFrameStamp(luma.data(), stride, width, height));
    // A plain picture has none.
    std::vector<uchar> plain(size_t(width * height), 200);
    QVERIFY(!readFrameStamp(plain.data(), width, width, height));
}

void CallsPartsTest::smallFramesCarryNoStamp()
{
    std::vector<uchar> luma(size_t(160 * 120), 50);
    drawFrameStamp(luma.data(), 160, 160, 120, FrameStamp{1, 1, 1});
    QVERIFY(std::all_of(luma.begin(), luma.end(), [](uchar pixel) { return pixel == 50; }));
    QVERIFY(!readFrameStamp(luma.data(), 160, 160, 120));
}

void CallsPartsTest::theSyntheticCameraStampsEachFrame()
{
    SyntheticCamera camera(9, QSize(640, 480), 30);
    QSignalSpy frames(&camera, &SyntheticCamera::frameCaptured);
    const qint64 before = FrameStamp::nowUs();
    camera.start();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 15, 5000);
    camera.stop();
    const int count = int(frames.count());
    QTest::qWait(100);
    QCOMPARE(frames.count(), count); // stopped means stopped
    for (int i = 0; i < count; ++i) {
        QVideoFrame frame = frames.at(i).at(0).value<QVideoFrame>();
        QCOMPARE(frame.pixelFormat(), QVideoFrameFormat::Format_YUV420P);
        QCOMPARE(frame.size(), QSize(640, 480));
        QVERIFY(frame.map(QVideoFrame::ReadOnly));
        const auto stamp = readFrameStamp(frame.bits(0), frame.bytesPerLine(0), 640, 480);
        frame.unmap();
        QVERIFY(stamp);
        QCOMPARE(stamp->sender, quint8(9));
        QCOMPARE(stamp->frame, quint32(i));
        QVERIFY(stamp->capturedUs >= before && stamp->capturedUs <= FrameStamp::nowUs());
    }
}

void CallsPartsTest::theFingerprintOfAnSdp()
{
    const QString text = QString::fromLatin1(TestFingerprint);
    const auto fingerprint = sdpFingerprint(sdpWith({QStringLiteral("a=fingerprint:sha-256 ") + text}));
    QVERIFY(fingerprint);
    QCOMPARE(fingerprintText(*fingerprint), text);
    // The same on every media line, in lower case, with the hash name in capitals: one certificate.
    QCOMPARE(sdpFingerprint(sdpWith({QStringLiteral("a=fingerprint:SHA-256 ") + text.toLower(),
                                     QStringLiteral("a=fingerprint:sha-256 ") + text})),
             fingerprint);
}

void CallsPartsTest::sdpsThatPinNoSingleCertificate()
{
    const QString text = QString::fromLatin1(TestFingerprint);
    QString other = text;
    other[0] = u'0';
    const QStringList refused[] = {
        {}, // none at all
        {QStringLiteral("a=fingerprint:sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01")},
        {QStringLiteral("a=fingerprint:sha-256 ") + text, QStringLiteral("a=fingerprint:sha-256 ") + other},
        {QStringLiteral("a=fingerprint:sha-256 ") + text.left(text.size() - 3)}, // too short
        {QStringLiteral("a=fingerprint:sha-256 ") + text + QStringLiteral(":00")}, // too long
        {QStringLiteral("a=fingerprint:sha-256 ") + QString(text).replace(2, 1, u'-')},
        {QStringLiteral("a=fingerprint:sha-256 ") + QString(text).replace(0, 2, QStringLiteral("+1"))},
        {QStringLiteral("a=fingerprint:sha-256 ") + QString(text).replace(0, 2, QStringLiteral("ZZ"))},
        {QStringLiteral("a=fingerprint:sha-256")},
        {QStringLiteral("a=fingerprint:") + text},
    };
    for (const QStringList &lines : refused)
        QVERIFY2(!sdpFingerprint(sdpWith(lines)), qPrintable(lines.join(u'|')));
    QVERIFY(!sdpFingerprint(QString(100000, u'a')));
}

void CallsPartsTest::theFingerprintOfACertificate()
{
    const auto fingerprint = pemFingerprint(QByteArray(TestCertificate));
    QVERIFY(fingerprint);
    QCOMPARE(fingerprintText(*fingerprint), QString::fromLatin1(TestFingerprint));
    QVERIFY(!pemFingerprint(QByteArray()));
    QVERIFY(!pemFingerprint("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
    QVERIFY(!pemFingerprint(QByteArray(TestCertificate).left(200)));
}

void CallsPartsTest::cameraFramesBecomeGstreamerBuffers_data()
{
    QTest::addColumn<int>("qtFormat");
    QTest::addColumn<QString>("gstFormat");
    QTest::newRow("I420") << int(QVideoFrameFormat::Format_YUV420P) << QStringLiteral("I420");
    QTest::newRow("NV12") << int(QVideoFrameFormat::Format_NV12) << QStringLiteral("NV12");
    QTest::newRow("YUYV") << int(QVideoFrameFormat::Format_YUYV) << QStringLiteral("YUY2");
    QTest::newRow("BGRA") << int(QVideoFrameFormat::Format_BGRA8888) << QStringLiteral("BGRA");
    QTest::newRow("RGBX") << int(QVideoFrameFormat::Format_RGBX8888) << QStringLiteral("RGBx");
}

void CallsPartsTest::cameraFramesBecomeGstreamerBuffers()
{
    QFETCH(int, qtFormat);
    QFETCH(QString, gstFormat);
    const QSize size(322, 242); // widths whose rows GStreamer pads to another stride than Qt
    QVideoFrame frame(QVideoFrameFormat(size, QVideoFrameFormat::PixelFormat(qtFormat)));
    QVERIFY(frame.map(QVideoFrame::WriteOnly));
    for (int p = 0; p < frame.planeCount(); ++p)
        for (int i = 0; i < frame.mappedBytes(p); ++i)
            frame.bits(p)[i] = uchar((i * 7 + p * 31) % 251);
    frame.unmap();

    GstVideoInput input = gstBufferFromFrame(frame, 25);
    QVERIFY(input.buffer && input.caps);
    GstVideoInfo info;
    QVERIFY(gst_video_info_from_caps(&info, input.caps));
    QCOMPARE(QString::fromLatin1(gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(&info))), gstFormat);
    QCOMPARE(int(GST_VIDEO_INFO_WIDTH(&info)), size.width());
    QCOMPARE(int(GST_VIDEO_INFO_HEIGHT(&info)), size.height());
    QCOMPARE(int(GST_VIDEO_INFO_FPS_N(&info)), 25);
    GstVideoFrame mapped;
    QVERIFY(gst_video_frame_map(&mapped, &info, input.buffer, GST_MAP_READ));
    QVERIFY(frame.map(QVideoFrame::ReadOnly));
    // Every row of every plane arrives as it was, whatever each side's stride.
    for (int p = 0; p < frame.planeCount(); ++p) {
        const int c = p == 0 ? 0 : 1;
        const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(&mapped, c);
        const int rowBytes = GST_VIDEO_FRAME_COMP_WIDTH(&mapped, c) * GST_VIDEO_FRAME_COMP_PSTRIDE(&mapped, c);
        const auto *out = static_cast<const uchar *>(GST_VIDEO_FRAME_PLANE_DATA(&mapped, p));
        for (int y = 0; y < rows; ++y)
            QVERIFY2(std::memcmp(out + y * GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, p),
                                 frame.bits(p) + y * frame.bytesPerLine(p), size_t(rowBytes))
                         == 0,
                     qPrintable(QStringLiteral("plane %1 row %2").arg(p).arg(y)));
    }
    frame.unmap();
    gst_video_frame_unmap(&mapped);
    gst_buffer_unref(input.buffer);
    gst_caps_unref(input.caps);
}

void CallsPartsTest::decodedSamplesBecomeFrames()
{
    GstVideoInfo info;
    QVERIFY(gst_video_info_set_format(&info, GST_VIDEO_FORMAT_I420, 640, 480));
    GstBuffer *buffer = gst_buffer_new_allocate(nullptr, info.size, nullptr);
    GstVideoFrame mapped;
    QVERIFY(gst_video_frame_map(&mapped, &info, buffer, GST_MAP_WRITE));
    auto *luma = static_cast<uchar *>(GST_VIDEO_FRAME_PLANE_DATA(&mapped, 0));
    std::memset(luma, 90, size_t(GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 0) * 480));
    drawFrameStamp(luma, GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 0), 640, 480, FrameStamp{3, 77, 5000});
    std::memset(GST_VIDEO_FRAME_PLANE_DATA(&mapped, 1), 60, size_t(GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 1) * 240));
    std::memset(GST_VIDEO_FRAME_PLANE_DATA(&mapped, 2), 200, size_t(GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 2) * 240));
    gst_video_frame_unmap(&mapped);
    GstCaps *caps = gst_video_info_to_caps(&info);
    GstSample *sample = gst_sample_new(buffer, caps, nullptr, nullptr);

    QVideoFrame frame = frameFromSample(sample);
    QVERIFY(frame.isValid());
    QCOMPARE(frame.size(), QSize(640, 480));
    QVERIFY(frame.map(QVideoFrame::ReadOnly));
    QCOMPARE(readFrameStamp(frame.bits(0), frame.bytesPerLine(0), 640, 480), std::optional(FrameStamp{3, 77, 5000}));
    QCOMPARE(frame.bits(1)[frame.bytesPerLine(1) * 100 + 10], uchar(60));
    QCOMPARE(frame.bits(2)[frame.bytesPerLine(2) * 239 + 319], uchar(200));
    frame.unmap();
    gst_sample_unref(sample);
    gst_caps_unref(caps);
    gst_buffer_unref(buffer);

    // A sample of another format is not shown as garbage.
    QVERIFY(gst_video_info_set_format(&info, GST_VIDEO_FORMAT_RGBA, 64, 64));
    buffer = gst_buffer_new_allocate(nullptr, info.size, nullptr);
    caps = gst_video_info_to_caps(&info);
    sample = gst_sample_new(buffer, caps, nullptr, nullptr);
    QVERIFY(!frameFromSample(sample).isValid());
    gst_sample_unref(sample);
    gst_caps_unref(caps);
    gst_buffer_unref(buffer);
}

void CallsPartsTest::relayAddressesInWebrtcbinsForm()
{
    // The colon of a time-limited user name and the base64 credential's '/', '+' and '=' are escaped: webrtcbin
    // splits name from password at the one colon left.
    QCOMPARE(turnServerUrl(QStringLiteral("turn:relay.example.org:3478"), QStringLiteral("1764007200:0b5c"),
                           QStringLiteral("a/b+c=")),
             QStringLiteral("turn://1764007200%3A0b5c:a%2Fb%2Bc%3D@relay.example.org:3478"));
    QCOMPARE(turnServerUrl(QStringLiteral("turns:[::1]"), QStringLiteral("1:u"), QStringLiteral("p")),
             QStringLiteral("turns://1%3Au:p@[::1]:3478"));
    QVERIFY(
        turnServerUrl(QStringLiteral("stun:relay.example.org"), QStringLiteral("1:u"), QStringLiteral("p")).isEmpty());
    QVERIFY(turnServerUrl(QStringLiteral("http://relay.example.org"), QStringLiteral("1:u"), QStringLiteral("p"))
                .isEmpty());
    QVERIFY(turnServerUrl(QStringLiteral("turn:relay example"), QStringLiteral("1:u"), QStringLiteral("p")).isEmpty());
    QVERIFY(turnServerUrl(QStringLiteral("turn:relay.example.org"), QString(), QStringLiteral("p")).isEmpty());

    const QJsonObject answer = QJsonDocument::fromJson(R"({"iceServers": [
        {"urls": ["stun:stun.example.org:3479"]},
        {"urls": ["turn:relay.example.org:3478", "gopher:nothing"], "username": "9:u", "credential": "c"},
        {"urls": "not a list"}, 7, {"urls": ["turn:relay.example.org"]}],
        "expiresAt": 9000})")
                                   .object();
    const IceServers servers = iceServersFrom(answer);
    QCOMPARE(servers.stun, QStringList{QStringLiteral("stun://stun.example.org:3479")});
    QCOMPARE(servers.turn, QStringList{QStringLiteral("turn://9%3Au:c@relay.example.org:3478")});
    QVERIFY(iceServersFrom(QJsonObject()).turn.isEmpty());
}

QTEST_MAIN(CallsPartsTest)
#include "tst_calls_parts.moc"
