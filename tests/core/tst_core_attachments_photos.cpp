// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// core_attachments: photo metadata stripping and the EXIF Orientation, checked against exiftool.
#include "tst_core_attachments.h"

void TestCoreAttachments::stripPhotos_data()
{
    QTest::addColumn<QString>("mime");
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("jpeg") << "image/jpeg" << img::jpegWithMetadata();
    QTest::newRow("png") << "image/png" << img::pngWithMetadata();
    QTest::newRow("webp") << "image/webp" << img::webpWithMetadata();
}

void TestCoreAttachments::stripPhotos()
{
    QFETCH(QString, mime);
    QFETCH(QByteArray, input);
    const QByteArray tiff = img::exifTiffWithGps();
    QVERIFY(input.contains(tiff) && input.contains(img::Canary));
    QCOMPARE(QImage::fromData(input).size(), QSize(96, 64));

    const auto out = strip(mime, input);
    QVERIFY(out);
    QVERIFY(!out->contains(tiff));
    QVERIFY(!out->contains(img::Canary));
    QVERIFY(!out->contains("GPSLatitude"));
    QVERIFY(!out->contains(QByteArray("Exif\0\0", 6)));
    const QImage before = QImage::fromData(input);
    const QImage after = QImage::fromData(*out);
    QCOMPARE(after.size(), before.size());
    QCOMPARE(after.convertToFormat(QImage::Format_RGB32), before.convertToFormat(QImage::Format_RGB32));
    if (mime == QLatin1String("image/webp")) {
        QCOMPARE(out->size(), input.size()); // EXIF/XMP became JUNK of the same size
        QCOMPARE(quint8(out->at(20)) & 0x0C, 0); // VP8X flags cleared
    }

    QCOMPARE(strip(mime, *out), out); // idempotent
    for (qsizetype slice : {1, 2, 3, 7, 4096})
        QCOMPARE(strip(mime, input, slice), out);
}

void TestCoreAttachments::stripKeepsCleanFilesAndOtherTypes()
{
    // A JPEG straight from QImage (JFIF APP0, no metadata) and a PNG go through unchanged.
    const QByteArray jpeg = img::encode(img::picture(), "JPEG", 90);
    QCOMPARE(strip(QStringLiteral("image/jpeg"), jpeg), jpeg);
    const QByteArray progressive = img::progressiveJpeg();
    QVERIFY(progressive.count("\xFF\xDA") > 1); // several scans
    QCOMPARE(strip(QStringLiteral("image/jpeg"), progressive, 1), progressive);
    const QByteArray png = img::encode(img::picture(), "PNG");
    QCOMPARE(strip(QStringLiteral("image/png"), png), png);
    const QByteArray webp = img::encode(img::picture(), "WEBP", 80);
    QCOMPARE(strip(QStringLiteral("image/webp"), webp), webp);
    // An ICC profile segment (APP2) stays; trailing bytes after EOI do not.
    const QByteArray icc = img::jpegSegment(0xE2, QByteArray("ICC_PROFILE\0\x01\x01", 14) + QByteArray(64, 'p'));
    const QByteArray withIcc = jpeg.first(2) + icc + jpeg.sliced(2);
    QCOMPARE(strip(QStringLiteral("image/jpeg"), withIcc + img::Canary), withIcc);
    // Anything else passes untouched, malformed or not.
    const QByteArray pdf("%PDF-1.4\nnot really\n");
    QCOMPARE(strip(QStringLiteral("application/pdf"), pdf, 1), pdf);
    QCOMPARE(strip(QStringLiteral("video/mp4"), QByteArray()), QByteArray());
}

void TestCoreAttachments::stripRefusesMalformed_data()
{
    QTest::addColumn<QString>("mime");
    QTest::addColumn<QByteArray>("input");
    const QString jpeg = QStringLiteral("image/jpeg"), png = QStringLiteral("image/png"),
                  webp = QStringLiteral("image/webp");
    const QByteArray j = img::jpegWithMetadata(), p = img::pngWithMetadata(), w = img::webpWithMetadata();
    QTest::newRow("jpeg empty") << jpeg << QByteArray();
    QTest::newRow("jpeg not jpeg") << jpeg << QByteArray("GIF89a....");
    QTest::newRow("jpeg only soi") << jpeg << QByteArray("\xFF\xD8");
    QTest::newRow("jpeg fill forever") << jpeg << QByteArray("\xFF\xD8") + QByteArray(100000, '\xFF');
    QTest::newRow("jpeg bad length") << jpeg << QByteArray("\xFF\xD8\xFF\xE1\x00\x01xxxx", 10);
    QTest::newRow("jpeg zero marker") << jpeg << QByteArray("\xFF\xD8\xFF\x00\x00\x10", 6);
    QTest::newRow("jpeg no marker") << jpeg << QByteArray("\xFF\xD8\x12\x34", 4);
    QTest::newRow("jpeg second soi") << jpeg << QByteArray("\xFF\xD8\xFF\xD8\xFF\xD9", 6);
    QTest::newRow("jpeg cut in exif") << jpeg << j.first(40);
    QTest::newRow("jpeg cut in scan") << jpeg << j.first(j.size() - 10);
    QTest::newRow("jpeg cut before eoi") << jpeg << j.chopped(2);
    QTest::newRow("png signature only") << png << p.first(8);
    QTest::newRow("png bad signature") << png << QByteArray("\x89PNX\r\n\x1A\n", 8) + p.sliced(8);
    QTest::newRow("png first not ihdr") << png << p.first(8) + img::pngChunk("tEXt", "a\0b") + p.sliced(8);
    QTest::newRow("png huge length") << png << p.first(8) + QByteArray("\xFF\xFF\xFF\xF0IHDR", 8) + p.sliced(16);
    QTest::newRow("png bad type") << png
                                  << p.first(33)
            + QByteArray("\x00\x00\x00\x01"
                         "ab\x01"
                         "d",
                         8)
            + p.sliced(33);
    QTest::newRow("png cut") << png << p.chopped(5);
    QTest::newRow("png no iend") << png << p.chopped(12);
    QTest::newRow("webp riff only") << webp << w.first(12);
    QTest::newRow("webp not webp") << webp << QByteArray("RIFF\x10\x00\x00\x00WAVEfmt ", 16);
    QTest::newRow("webp tiny riff") << webp << QByteArray("RIFF\x04\x00\x00\x00WEBP", 12);
    QTest::newRow("webp chunk too big") << webp << w.first(16) + img::le32(0x7FFFFFF0) + w.sliced(20);
    QTest::newRow("webp first chunk exif") << webp << w.first(12) + img::riffChunk("EXIF", "x") + w.sliced(12);
    QTest::newRow("webp short vp8x") << webp << w.first(16) + img::le32(4) + w.sliced(20);
    QTest::newRow("webp cut") << webp << w.chopped(3);
}

void TestCoreAttachments::stripRefusesMalformed()
{
    QFETCH(QString, mime);
    QFETCH(QByteArray, input);
    QVERIFY(!strip(mime, input));
    QVERIFY(!strip(mime, input, 1));
    // Once refused, it stays refused and sends nothing more.
    PhotoMetadataStripper s(mime);
    QByteArray out;
    if (!s.feed(input, out)) {
        QVERIFY(out.isEmpty());
        QVERIFY(!s.feed(QByteArray("more"), out));
        QVERIFY(out.isEmpty());
    }
    QVERIFY(!s.finish(out));
}

void TestCoreAttachments::stripSurvivesMutations()
{
    // Random damage in random slicing never crashes or hangs, and the answer never depends on the slicing.
    const QList<QPair<QString, QByteArray>> files{{QStringLiteral("image/jpeg"), img::jpegWithMetadata()},
                                                  {QStringLiteral("image/png"), img::pngWithMetadata()},
                                                  {QStringLiteral("image/webp"), img::webpWithMetadata()}};
    QRandomGenerator rng(1234);
    for (const auto &[mime, file] : files) {
        for (int round = 0; round < 150; ++round) {
            QByteArray bad = file;
            const int edits = rng.bounded(1, 6);
            for (int k = 0; k < edits; ++k)
                bad[rng.bounded(qMin<int>(bad.size(), round < 75 ? 200 : int(bad.size())))] = char(rng.bounded(256));
            if (round % 10 == 0)
                bad.truncate(rng.bounded(int(bad.size())));
            const auto whole = strip(mime, bad);
            QCOMPARE(strip(mime, bad, 1 + rng.bounded(9)), whole);
            if (whole)
                QCOMPARE(strip(mime, *whole), whole);
        }
    }
}

void TestCoreAttachments::readsExifOrientation()
{
    using O = ExifOrientation;
    for (int n = 1; n <= 8; ++n) {
        QCOMPARE(readExifOrientation(img::exifWithOrientation(n, true)), O(n));
        QCOMPARE(readExifOrientation(img::exifWithOrientation(n, false)), O(n));
        QCOMPARE(readExifOrientation(exifWithOnlyOrientation(O(n))), O(n));
    }
    QCOMPARE(exifWithOnlyOrientation(O::Rotated90).size(), 26);
    QCOMPARE(readExifOrientation(img::exifTiffWithGps()), O::None); // no Orientation entry
    // Out of range, the wrong type or count, and structures that point outside themselves say nothing.
    const QByteArray six = img::exifWithOrientation(6, false);
    const qsizetype entry = 8 + 2 + 12; // the second IFD0 entry is Orientation
    const auto withByte = [&six](qsizetype at, char value) {
        QByteArray changed = six;
        changed[at] = value;
        return changed;
    };
    QCOMPARE(readExifOrientation(withByte(entry + 9, 0)), O::None); // orientation 0
    QCOMPARE(readExifOrientation(withByte(entry + 9, 9)), O::None); // orientation 9
    QCOMPARE(readExifOrientation(withByte(entry + 3, 4)), O::None); // a LONG, not a SHORT
    QCOMPARE(readExifOrientation(withByte(entry + 7, 2)), O::None); // two values
    QCOMPARE(readExifOrientation(withByte(4, '\x7F')), O::None); // IFD0 far past the end
    QByteArray manyEntries = withByte(8, '\xFF');
    manyEntries[9] = '\xFF';
    QCOMPARE(readExifOrientation(manyEntries.first(entry)), O::None); // cut before the entry
    QCOMPARE(readExifOrientation(six.first(entry + 9)), O::None); // cut inside the value
    QCOMPARE(readExifOrientation(QByteArray("MM\0*")), O::None);
    QCOMPARE(readExifOrientation(QByteArray("XX\0*\0\0\0\x08\0\0", 10)), O::None);
    QCOMPARE(readExifOrientation(QByteArray()), O::None);
}

void TestCoreAttachments::orientationReachesTheRecipient_data()
{
    QTest::addColumn<QString>("mime");
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QByteArray>("input");
    for (int n = 1; n <= 8; ++n) {
        QTest::addRow("jpeg %d", n) << "image/jpeg" << n << img::orientedJpeg(n);
        QTest::addRow("png %d", n) << "image/png" << n << img::orientedPng(n);
        QTest::addRow("webp %d", n) << "image/webp" << n << img::orientedWebp(n);
    }
}

void TestCoreAttachments::orientationReachesTheRecipient()
{
    QFETCH(QString, mime);
    QFETCH(int, orientation);
    QFETCH(QByteArray, input);
    QVERIFY(input.contains(img::Canary));
    ExifOrientation read = ExifOrientation::None;
    const auto out = strip(mime, input, 0, &read);
    QVERIFY(out);
    QCOMPARE(read, ExifOrientation(orientation));
    QVERIFY(!out->contains(img::Canary)); // the camera's make and the place go; only the orientation may stay
    QVERIFY(!out->contains(QByteArray("N\0\0\0", 4)));
    for (qsizetype slice : {1, 5, 4096}) {
        ExifOrientation sliced = ExifOrientation::None;
        QCOMPARE(strip(mime, input, slice, &sliced), out);
        QCOMPARE(sliced, read);
    }
    if (mime == QLatin1String("image/jpeg")) {
        // A JPEG keeps exactly one EXIF segment holding the one Orientation entry, when it turns anything.
        const QByteArray kept = QByteArray("Exif\0\0", 6) + exifWithOnlyOrientation(ExifOrientation(orientation));
        QCOMPARE(out->count(QByteArray("Exif\0\0", 6)), orientation == 1 ? 0 : 1);
        QCOMPARE(out->contains(kept), orientation != 1);
        // Every viewer that honours EXIF (Qt here, like browsers and phones) shows the scene as it was taken.
        QBuffer buffer(const_cast<QByteArray *>(&*out));
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        reader.setAutoTransform(true);
        const QString difference = img::differenceFromScene(reader.read());
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        QCOMPARE(strip(mime, *out), out); // idempotent: the kept segment is read and kept again
    } else {
        // PNG and WebP lose their EXIF whole; the app turns their pixels upright before sending (models tests).
        QVERIFY(!out->contains(QByteArray("MM\0*", 4)) && !out->contains(QByteArray("II*\0", 4)));
        ExifOrientation again = ExifOrientation::Upright;
        QCOMPARE(strip(mime, *out, 0, &again), out);
        QCOMPARE(again, ExifOrientation::None);
    }
}

void TestCoreAttachments::onlyTheFirstExifTurnsAJpeg()
{
    // A second EXIF segment (as some editors leave) is dropped like any other: only one orientation is kept.
    const QByteArray six = img::orientedJpeg(6);
    const QByteArray withSecond = six.first(2)
        + img::jpegSegment(0xE1, QByteArray("Exif\0\0", 6) + img::exifWithOrientation(3, false)) + six.sliced(2);
    ExifOrientation read = ExifOrientation::None;
    const auto out = strip(QStringLiteral("image/jpeg"), withSecond, 0, &read);
    QVERIFY(out);
    QCOMPARE(read, ExifOrientation::Rotated180); // the first one in the file
    QCOMPARE(out->count(QByteArray("Exif\0\0", 6)), 1);
    // An EXIF segment with nothing after its identifier is dropped without a hang.
    const QByteArray bare = six.first(2) + img::jpegSegment(0xE1, QByteArray("Exif\0\0", 6)) + six.sliced(2);
    const auto outBare = strip(QStringLiteral("image/jpeg"), bare, 1, &read);
    QVERIFY(outBare);
    QCOMPARE(read, ExifOrientation::Rotated90);
    // An EXIF chunk larger than the stripper reads for orientation is dropped unread (PNG).
    const QByteArray png = img::orientedPng(6);
    const QByteArray huge =
        img::exifWithOrientation(8, false) + QByteArray(int(PhotoMetadataStripper::MaxExifBytes), 'x');
    const qsizetype afterIhdr = 8 + 8 + 13 + 4;
    const QByteArray hugeFirst = png.first(afterIhdr) + img::pngChunk("eXIf", huge) + png.sliced(afterIhdr);
    const auto outHuge = strip(QStringLiteral("image/png"), hugeFirst, 65536, &read);
    QVERIFY(outHuge);
    QCOMPARE(read, ExifOrientation::Rotated90);
    QVERIFY(!outHuge->contains("xxxxxxxx"));
}

void TestCoreAttachments::exiftoolSeesOnlyTheOrientation()
{
    if (QStandardPaths::findExecutable(QStringLiteral("exiftool")).isEmpty())
        QSKIP("exiftool is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray jpeg = img::orientedJpeg(6);
    QCOMPARE(exiftoolTag(jpeg, dir.path(), "Make"), QString::fromLatin1(img::Canary));
    const auto out = strip(QStringLiteral("image/jpeg"), jpeg);
    QVERIFY(out);
    QCOMPARE(exiftoolTag(*out, dir.path(), "Orientation"), QStringLiteral("Rotate 90 CW"));
    QCOMPARE(exiftoolTag(*out, dir.path(), "Make"), QString());
    QCOMPARE(exiftoolTag(*out, dir.path(), "GPSLatitude"), QString());
    QCOMPARE(exiftoolTag(*out, dir.path(), "ImageSize"), QStringLiteral("64x128")); // stored; shown 128×64
}

void TestCoreAttachments::exiftoolSeesNoGps()
{
    if (QStandardPaths::findExecutable(QStringLiteral("exiftool")).isEmpty())
        QSKIP("exiftool is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QList<QPair<QString, QByteArray>> files{{QStringLiteral("image/jpeg"), img::jpegWithMetadata()},
                                                  {QStringLiteral("image/png"), img::pngWithMetadata()},
                                                  {QStringLiteral("image/webp"), img::webpWithMetadata()}};
    for (const auto &[mime, file] : files) {
        QVERIFY2(exiftoolTag(file, dir.path(), "GPSLatitude").contains(QLatin1String("38 deg")), qPrintable(mime));
        const auto out = strip(mime, file);
        QVERIFY(out);
        QCOMPARE(exiftoolTag(*out, dir.path(), "GPSLatitude"), QString());
        QCOMPARE(exiftoolTag(*out, dir.path(), "GPSPosition"), QString());
        QCOMPARE(exiftoolTag(*out, dir.path(), "ImageSize"), QStringLiteral("96x64"));
    }
}
