// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Unit tests of video metadata removal: real MP4/MOV files tagged with a location by exiftool, and hand-built box trees.
#include "core/attachments/VideoMetadata.h"

#include <functional>
#include <optional>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace larch;

namespace {

const QString Mp4 = QStringLiteral("video/mp4");
const QString Mov = QStringLiteral("video/quicktime");

const QByteArray XmpUuid = QByteArray::fromHex("BE7ACFCB97A942E89C71999491E3AFAC");
const QByteArray OtherUuid = QByteArray::fromHex("0123456789ABCDEF0123456789ABCDEF");

/// How many bytes the next feed gets, given how many are left.
using Slicer = std::function<qsizetype(qsizetype left)>;

/// The outcome of one run: whether every feed and the finish said yes, and what came out.
struct Run {
    bool ok = true;
    bool finished = false; ///< finish() was reached (no feed refused the file)
    bool keptGoing = false; ///< after refusing, it accepted more or sent more
    QByteArray out;
};

Run run(const QString &mime, const QByteArray &data, const Slicer &slicer)
{
    VideoMetadataStripper s(mime);
    Run r;
    for (qsizetype at = 0; at < data.size();) {
        const qsizetype n = qMin(slicer(data.size() - at), data.size() - at);
        if (!s.feed(QByteArrayView(data).sliced(at, n), r.out)) {
            r.ok = false;
            // A refused file stays refused and sends nothing more.
            const qsizetype before = r.out.size();
            const bool fedAgain = s.feed(QByteArrayView(data).sliced(at), r.out);
            const bool finished = s.finish(r.out);
            r.keptGoing = fedAgain || finished || r.out.size() != before;
            return r;
        }
        at += n;
    }
    r.finished = true;
    r.ok = s.finish(r.out);
    return r;
}

Run runWhole(const QString &mime, const QByteArray &data)
{
    return run(mime, data, [](qsizetype left) { return left; });
}

Run runBytes(const QString &mime, const QByteArray &data)
{
    return run(mime, data, [](qsizetype) { return qsizetype(1); });
}

Run runRandom(const QString &mime, const QByteArray &data, quint32 seed)
{
    auto rng = std::make_shared<QRandomGenerator>(seed);
    return run(mime, data, [rng](qsizetype) {
        switch (rng->bounded(4)) {
        case 0: return qsizetype(1);
        case 1: return qsizetype(rng->bounded(1, 40));
        default: return qsizetype(rng->bounded(1, 5000));
        }
    });
}

/// The stripped file, checked to come out the same in one piece, byte by byte and in random slices.
std::optional<QByteArray> strip(const QString &mime, const QByteArray &data)
{
    const Run whole = runWhole(mime, data);
    if (!whole.ok)
        return std::nullopt;
    const Run bytes = runBytes(mime, data);
    const Run random = runRandom(mime, data, quint32(data.size()));
    if (!bytes.ok || bytes.out != whole.out || !random.ok || random.out != whole.out)
        return QByteArray("slicing changed the output");
    return whole.out;
}

QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    qToBigEndian(v, b.data());
    return b;
}

QByteArray be64(quint64 v)
{
    QByteArray b(8, '\0');
    qToBigEndian(v, b.data());
    return b;
}

QByteArray box(const char *type, const QByteArray &payload)
{
    return be32(quint32(8 + payload.size())) + type + payload;
}

QByteArray largeBox(const char *type, const QByteArray &payload)
{
    return be32(1) + type + be64(quint64(16 + payload.size())) + payload;
}

QByteArray uuidBox(const QByteArray &uuid, const QByteArray &payload)
{
    return be32(quint32(24 + payload.size())) + "uuid" + uuid + payload;
}

/// What a metadata box of this size becomes: a free box with nothing in it.
QByteArray freeBox(qsizetype size) { return be32(quint32(size)) + "free" + QByteArray(size - 8, '\0'); }

QByteArray ftyp() { return box("ftyp", QByteArray("isom") + be32(0x200) + "isomiso2mp41"); }

QByteArray filler(qsizetype n, char seed)
{
    QByteArray b(n, '\0');
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char(seed + i * 7);
    return b;
}

/// A top-level box of the real file: where it is, its type and its size.
struct TopBox {
    qsizetype offset;
    QByteArray type;
    qsizetype size;
};

QList<TopBox> topLevelBoxes(const QByteArray &file)
{
    QList<TopBox> boxes;
    for (qsizetype at = 0; at + 8 <= file.size();) {
        qint64 size = qFromBigEndian<quint32>(file.constData() + at);
        if (size == 1)
            size = qFromBigEndian<qint64>(file.constData() + at + 8);
        else if (size == 0)
            size = file.size() - at;
        if (size < 8)
            break;
        boxes.append({at, file.mid(at + 4, 4), qsizetype(size)});
        at += size;
    }
    return boxes;
}

bool tool(const char *name) { return !QStandardPaths::findExecutable(QLatin1String(name)).isEmpty(); }

/// Runs a program to its end; its standard output, or nullopt when it failed.
std::optional<QByteArray> runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning().noquote() << program << args.join(QLatin1Char(' ')) << "failed:" << p.readAllStandardError();
        return std::nullopt;
    }
    return p.readAllStandardOutput();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// exiftool's "[Group] Tag : value" lines for every tag it finds in the file.
QStringList exiftoolTags(const QString &path)
{
    const auto out =
        runTool(QStringLiteral("exiftool"), {QStringLiteral("-a"), QStringLiteral("-G1"), QStringLiteral("-s"), path});
    return out ? QString::fromUtf8(*out).split(QLatin1Char('\n'), Qt::SkipEmptyParts) : QStringList{};
}

/// The tags that say where or on what a video was shot, as "Group:Tag".
QStringList revealingTags(const QStringList &tags)
{
    static const QRegularExpression line(QStringLiteral(R"(^\[([^\]]+)\]\s+(\S+)\s*:)"));
    QStringList found;
    for (const QString &t : tags) {
        const auto m = line.match(t);
        if (!m.hasMatch())
            continue;
        const QString group = m.captured(1), name = m.captured(2);
        if (name.startsWith(QLatin1String("GPS")) || name == QLatin1String("Make") || name == QLatin1String("Model")
            || name == QLatin1String("Software") || group.startsWith(QLatin1String("XMP"))
            || group == QLatin1String("Keys") || group == QLatin1String("UserData")
            || group == QLatin1String("ItemList"))
            found.append(group + QLatin1Char(':') + name);
    }
    return found;
}

/// The first value exiftool gives for a tag ("-s3" form), e.g. "160".
QString exiftoolValue(const QString &path, const char *tag)
{
    const auto out =
        runTool(QStringLiteral("exiftool"), {QStringLiteral("-s3"), QStringLiteral("-") + QLatin1String(tag), path});
    return out ? QString::fromUtf8(*out).section(QLatin1Char('\n'), 0, 0).trimmed() : QString();
}

/// What a full decode of the file gives: the frame size, how many frames and where the last one ends.
struct Decoded {
    QString caps;
    int frames = 0;
    QString lastPts;
    QString lastDuration;
};

std::optional<Decoded> decode(const QString &path)
{
    const auto out =
        runTool(QStringLiteral("gst-launch-1.0"),
                {QStringLiteral("-v"), QStringLiteral("filesrc"), QStringLiteral("location=") + path,
                 QStringLiteral("!"), QStringLiteral("decodebin"), QStringLiteral("!"), QStringLiteral("video/x-raw"),
                 QStringLiteral("!"), QStringLiteral("fakesink"), QStringLiteral("silent=false")});
    if (!out)
        return std::nullopt;
    static const QRegularExpression caps(
        QStringLiteral(R"(fakesink0\.GstPad:sink: caps = .*width=\(int\)(\d+), height=\(int\)(\d+))"));
    static const QRegularExpression chain(
        QStringLiteral(R"(fakesink0: last-message = chain .*pts: ([0-9:.]+|none), duration: ([0-9:.]+|none))"));
    Decoded d;
    for (const QString &l : QString::fromUtf8(*out).split(QLatin1Char('\n'))) {
        if (const auto m = caps.match(l); m.hasMatch())
            d.caps = m.captured(1) + QLatin1Char('x') + m.captured(2);
        if (const auto m = chain.match(l); m.hasMatch()) {
            ++d.frames;
            d.lastPts = m.captured(1);
            d.lastDuration = m.captured(2);
        }
    }
    return d;
}

} // namespace

class TestCoreVideoMetadata : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();

    void realFile_data();
    void realFile();

    void synthetic_data();
    void synthetic();
    void malformed_data();
    void malformed();

    void otherTypesPassThrough();

private:
    QTemporaryDir m_dir;
    QString m_toolsMissing; ///< why the real-file tests cannot run, if they cannot
};

void TestCoreVideoMetadata::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!tool("gst-launch-1.0"))
        m_toolsMissing = QStringLiteral("gst-launch-1.0 is not installed (Debian: gstreamer1.0-tools)");
    else if (!tool("exiftool"))
        m_toolsMissing = QStringLiteral("exiftool is not installed (Debian: libimage-exiftool-perl)");
}

void TestCoreVideoMetadata::realFile_data()
{
    QTest::addColumn<QString>("muxer");
    QTest::addColumn<QString>("mime");
    QTest::addRow("mp4") << QStringLiteral("mp4mux") << Mp4;
    QTest::addRow("mov") << QStringLiteral("qtmux") << Mov;
}

void TestCoreVideoMetadata::realFile()
{
    QFETCH(QString, muxer);
    QFETCH(QString, mime);
    if (!m_toolsMissing.isEmpty())
        QSKIP(qPrintable(m_toolsMissing));

    // A short video as a phone would leave it: location in Keys (iPhone) and UserData (Android), make, model, XMP.
    const QString original = m_dir.filePath(QStringLiteral("shot-") + muxer + (mime == Mp4 ? ".mp4" : ".mov"));
    QVERIFY(
        runTool(QStringLiteral("gst-launch-1.0"),
                QStringLiteral("-q videotestsrc num-buffers=30 ! video/x-raw,width=160,height=120 ! avenc_mpeg4 ! %1 "
                               "! filesink location=%2")
                    .arg(muxer, original)
                    .split(QLatin1Char(' '))));
    QVERIFY(runTool(QStringLiteral("exiftool"),
                    {QStringLiteral("-overwrite_original"), QStringLiteral("-Keys:GPSCoordinates=40.7128, -74.0060"),
                     QStringLiteral("-UserData:GPSCoordinates=40.7128, -74.0060"), QStringLiteral("-Make=Pixel"),
                     QStringLiteral("-Model=Pixel 8"), original}));
    const QStringList before = exiftoolTags(original);
    const QStringList revealedBefore = revealingTags(before);
    for (const char *tag :
         {"Keys:GPSCoordinates", "UserData:GPSCoordinates", "UserData:Make", "UserData:Model", "XMP-tiff:Model"})
        QVERIFY2(revealedBefore.contains(QLatin1String(tag)),
                 qPrintable(tag + (QLatin1String(" missing from:\n") + before.join('\n'))));

    const QByteArray in = readFile(original);
    QVERIFY(in.size() > 10000);
    const auto out = strip(mime, in);
    QVERIFY(out);
    QCOMPARE(out->size(), in.size());
    QVERIFY(in.contains("Pixel 8"));
    QVERIFY(in.contains("+40.7128"));
    QVERIFY(!out->contains("Pixel"));
    QVERIFY(!out->contains("+40.7128"));
    QVERIFY(!out->contains(XmpUuid));
    QCOMPARE(strip(mime, *out).value_or("refused"), *out); // nothing left to take: a second run changes nothing

    // The media data is untouched, byte for byte, where it was.
    const QList<TopBox> boxes = topLevelBoxes(in);
    const auto mdat = std::find_if(boxes.begin(), boxes.end(), [](const TopBox &b) { return b.type == "mdat"; });
    QVERIFY(mdat != boxes.end());
    QVERIFY(mdat->size > 10000);
    QCOMPARE(out->mid(mdat->offset, mdat->size), in.mid(mdat->offset, mdat->size));

    const QString stripped = m_dir.filePath(QStringLiteral("stripped-") + QFileInfo(original).fileName());
    QVERIFY(writeFile(stripped, *out));
    const QStringList after = exiftoolTags(stripped);
    QVERIFY2(revealingTags(after).isEmpty(), qPrintable(revealingTags(after).join('\n')));
    QVERIFY2(!after.join('\n').contains(QLatin1String("Warning")), qPrintable(after.join('\n')));
    QCOMPARE(exiftoolValue(stripped, "FileType"), exiftoolValue(original, "FileType"));
    QCOMPARE(exiftoolValue(stripped, "ImageSize"), QStringLiteral("160x120"));
    QCOMPARE(exiftoolValue(stripped, "Duration"), exiftoolValue(original, "Duration"));

    // It still plays: every frame decodes at the same size and times as from the original.
    const auto played = decode(original);
    const auto replayed = decode(stripped);
    QVERIFY(played && replayed);
    QCOMPARE(played->caps, QStringLiteral("160x120"));
    QCOMPARE(played->frames, 30);
    QCOMPARE(replayed->caps, played->caps);
    QCOMPARE(replayed->frames, played->frames);
    QCOMPARE(replayed->lastPts, played->lastPts);
    QCOMPARE(replayed->lastDuration, played->lastDuration);
}

void TestCoreVideoMetadata::synthetic_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray mvhd = box("mvhd", filler(100, 1));
    const QByteArray tkhd = box("tkhd", filler(84, 2));
    const QByteArray stbl = box("stbl", box("stco", filler(12, 3)));
    const QByteArray meta =
        box("meta", box("hdlr", filler(25, 4)) + box("keys", filler(30, 5)) + box("ilst", filler(40, 6)));
    const QByteArray udta = box("udta", box("\xA9xyz", "+40.7128-074.0060/") + box("\xA9mak", filler(9, 7)));
    const QByteArray mdat = box("mdat", filler(3000, 8));

    {
        // Metadata at every walked level; stbl, mvhd and mdat untouched.
        const auto tree = [&](const QByteArray &md, const QByteArray &ud) {
            const QByteArray minf = box("minf", box("vmhd", filler(12, 9)) + md + stbl);
            const QByteArray mdia = box("mdia", box("mdhd", filler(24, 10)) + ud + minf);
            const QByteArray trak = box("trak", tkhd + mdia + md);
            return ftyp() + box("moov", mvhd + ud + trak + md) + md + mdat;
        };
        QTest::addRow("nested") << tree(meta, udta) << tree(freeBox(meta.size()), freeBox(udta.size()));
    }
    {
        // Not walked: a udta inside stbl (or any other box) is content of that box.
        const QByteArray in = ftyp() + box("moov", box("stbl", udta) + box("edts", meta)) + mdat;
        QTest::addRow("only-walked-containers") << in << in;
    }
    {
        const QByteArray other = uuidBox(OtherUuid, filler(50, 11));
        const QByteArray xmp = uuidBox(XmpUuid, "<x:xmpmeta><tiff:Model>Pixel 8</tiff:Model></x:xmpmeta>");
        QTest::addRow("uuid") << ftyp() + other + xmp + box("moov", mvhd + xmp + other)
                + mdat << ftyp() + other + freeBox(xmp.size()) + box("moov", mvhd + freeBox(xmp.size()) + other) + mdat;
    }
    {
        // 64-bit sizes keep their size fields; the box type becomes free and its content zeros.
        const QByteArray bigMeta = largeBox("meta", filler(70, 12));
        const QByteArray bigMdat = largeBox("mdat", filler(2000, 13));
        const QByteArray bigMoov = largeBox("moov", mvhd + bigMeta);
        const QByteArray freedMeta = be32(1) + "free" + be64(16 + 70) + QByteArray(70, '\0');
        const QByteArray freedMoov = be32(1) + "moov" + be64(bigMoov.size()) + mvhd + freedMeta;
        const QByteArray largeUuid = be32(1) + "uuid" + be64(16 + 16 + 20) + XmpUuid + filler(20, 14);
        const QByteArray freedUuid = be32(1) + "free" + be64(16 + 16 + 20) + QByteArray(36, '\0');
        // The last box runs to the end of the file (size 0).
        const QByteArray openMdat = be32(0) + "mdat" + filler(500, 15);
        QTest::addRow("largesize") << ftyp() + bigMoov + largeUuid + bigMdat + openMdat
                                   << ftyp() + freedMoov + freedUuid + bigMdat + openMdat;
    }
    {
        const QByteArray openUdta = be32(0) + "udta" + udta;
        QTest::addRow("size0-metadata") << ftyp() + mdat + openUdta
                                        << ftyp() + mdat + be32(0) + "free" + QByteArray(udta.size(), '\0');
        const QByteArray openUuid = be32(0) + "uuid" + XmpUuid + filler(40, 16);
        QTest::addRow("size0-xmp-uuid") << ftyp() + mdat + openUuid
                                        << ftyp() + mdat + be32(0) + "free" + QByteArray(56, '\0');
        // A movie box running to the end of the file is still walked.
        QTest::addRow("size0-moov") << ftyp() + mdat + be32(0) + "moov" + mvhd + udta + box("trak", tkhd + meta)
                                    << ftyp() + mdat + be32(0) + "moov" + mvhd + freeBox(udta.size())
                + box("trak", tkhd + freeBox(meta.size()));
    }
    {
        // Boxes that end exactly where their parent does, empty ones, and an old QuickTime file without ftyp.
        const QByteArray in =
            box("wide", {}) + mdat + box("moov", box("trak", box("mdia", box("minf", udta)))) + box("moov", {});
        QTest::addRow("edges") << in
                               << box("wide", {}) + mdat
                + box("moov", box("trak", box("mdia", box("minf", freeBox(udta.size()))))) + box("moov", {});
    }
}

void TestCoreVideoMetadata::synthetic()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(expected.size(), input.size());
    for (const QString &mime : {Mp4, Mov}) {
        const auto out = strip(mime, input);
        QVERIFY(out);
        QCOMPARE(out->toHex(), expected.toHex());
        QCOMPARE(strip(mime, *out).value_or("refused"), *out);
    }
}

void TestCoreVideoMetadata::malformed_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("refusedWhileFeeding"); // false: only finish() can tell

    const QByteArray mvhd = box("mvhd", filler(100, 1));
    const QByteArray mdat = box("mdat", filler(300, 2));
    QTest::addRow("size-below-header") << ftyp() + be32(7) + "free" + filler(40, 3) << true;
    QTest::addRow("size-4") << ftyp() + be32(4) + "mdat" + filler(40, 3) << true;
    QTest::addRow("largesize-below-header") << ftyp() + be32(1) + "mdat" + be64(15) + filler(40, 3) << true;
    QTest::addRow("largesize-negative") << ftyp() + be32(1) + "mdat" + be64(0x8000000000000000ull) + filler(40, 3)
                                        << true;
    QTest::addRow("uuid-below-header") << ftyp() + be32(20) + "uuid" + XmpUuid + filler(40, 3) << true;
    QTest::addRow("child-past-parent") << ftyp() + be32(8 + 108) + "moov" + be32(120) + "mvhd" + filler(200, 4) << true;
    QTest::addRow("grandchild-past-parent")
        << ftyp() + box("moov", box("trak", be32(40) + "udta" + filler(20, 5)) + filler(40, 6)) << true;
    QTest::addRow("size0-inside-moov") << ftyp() + be32(8 + 108) + "moov" + be32(0) + "mvhd" + filler(100, 7) << true;
    QTest::addRow("header-crosses-parent-end") << ftyp() + be32(8 + 4) + "moov" + be32(8) + "free" + mdat << true;

    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("truncated-in-header") << ftyp() + mdat + be32(100).left(3) << false;
    QTest::addRow("truncated-in-largesize") << ftyp() + be32(1) + "mdat" + be64(100).left(5) << false;
    QTest::addRow("truncated-in-usertype") << ftyp() + be32(40) + "uuid" + XmpUuid.left(9) << false;
    QTest::addRow("truncated-in-moov") << ftyp() + (box("moov", mvhd + box("udta", filler(50, 8))).chopped(30))
                                       << false;
    QTest::addRow("truncated-between-moov-children") << ftyp() + be32(8 + 108 + 50) + "moov" + mvhd << false;
    QTest::addRow("truncated-in-mdat") << ftyp() + mdat.chopped(1) << false;
    QTest::addRow("truncated-in-metadata") << ftyp() + box("udta", filler(50, 9)).chopped(1) << false;
}

void TestCoreVideoMetadata::malformed()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, refusedWhileFeeding);
    for (const Run &r : {runWhole(Mp4, input), runBytes(Mov, input), runRandom(Mp4, input, 5)}) {
        QVERIFY(!r.ok);
        QCOMPARE(r.finished, !refusedWhileFeeding);
        QVERIFY(!r.keptGoing);
    }
}

void TestCoreVideoMetadata::otherTypesPassThrough()
{
    const QByteArray mp4ish = ftyp() + box("udta", filler(40, 1)) + be32(3) + "junk";
    for (const char *mime : {"image/jpeg", "video/webm", "application/pdf", ""}) {
        const Run r = runBytes(QLatin1String(mime), mp4ish);
        QVERIFY(r.ok);
        QCOMPARE(r.out, mp4ish);
    }
}

QTEST_GUILESS_MAIN(TestCoreVideoMetadata)
#include "tst_core_video_metadata.moc"
