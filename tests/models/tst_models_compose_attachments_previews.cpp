// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// models_compose_attachments: previews and private copies: thumbnails, PDF pages, HEIC, upright photos without EXIF, videos.
#include "tst_models_compose_attachments.h"

void TestComposeAttachments::imageThumbnailIsSmallAndUpright()
{
    Files f;
    Compose c;
    c.model.add(
        {f.orientedJpeg(QStringLiteral("portrait.jpg")), f.noisyPng(QStringLiteral("noise.png"), {1600, 1200})});
    QVERIFY(c.model.preparing());
    QCOMPARE(c.role(0, ComposeAttachmentModel::ReadyRole).toBool(), false);
    QVERIFY(c.waitReady());
    const QList<PendingAttachment> pending = c.model.attachments();
    QCOMPARE(pending.size(), 2);

    const PendingAttachment &portrait = pending.at(0);
    QCOMPARE(QSize(portrait.width, portrait.height), QSize(100, 200)); // EXIF orientation applied
    QVERIFY(portrait.stripMetadata);
    const QImage thumb = QImage::fromData(portrait.thumbnail, "JPEG");
    QCOMPARE(thumb.size(), QSize(100, 200));
    const QColor top = thumb.pixelColor(50, 30), bottom = thumb.pixelColor(50, 170);
    QVERIFY2(top.red() > 200 && top.blue() < 60, "the left (red) half is on top after turning");
    QVERIFY2(bottom.blue() > 200 && bottom.red() < 60, "the right (blue) half is below");

    const PendingAttachment &noise = pending.at(1);
    QCOMPARE(QSize(noise.width, noise.height), QSize(1600, 1200));
    QVERIFY(!noise.thumbnail.isEmpty());
    QVERIFY(noise.thumbnail.size() <= AttachmentRef::ThumbnailMax);
    const QImage noiseThumb = QImage::fromData(noise.thumbnail, "JPEG");
    QVERIFY(noiseThumb.width() <= 320 && noiseThumb.height() <= 320);
    QVERIFY(noiseThumb.width() > noiseThumb.height());

    // The chip shows what will be sent, through the "compose" image provider.
    const QString url = c.role(0, ComposeAttachmentModel::ThumbnailRole).toString();
    QVERIFY(url.startsWith(QLatin1String("image://compose/")));
    ComposeImageProvider provider;
    QSize size;
    QCOMPARE(provider.requestImage(url.mid(int(qstrlen("image://compose/"))), &size, {}).size(), QSize(100, 200));
}

void TestComposeAttachments::pdfShowsItsFirstPageAndPageCount()
{
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.pdf(QStringLiteral("Care plan.pdf"), 3)}), 1);
    QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).value<AttachmentKind::Value>(), AttachmentKind::Pdf);
    QCOMPARE(c.role(0, ComposeAttachmentModel::PagesRole).toInt(), 3);
    QVERIFY(c.waitReady());
    const PendingAttachment pdf = c.model.attachments().constFirst();
    QCOMPARE(pdf.pages, 3);
    QCOMPARE(pdf.type.mime, QStringLiteral("application/pdf"));
    QVERIFY(!pdf.stripMetadata);
    QVERIFY(!pdf.thumbnail.isEmpty() && pdf.thumbnail.size() <= AttachmentRef::ThumbnailMax);
    const QImage page = QImage::fromData(pdf.thumbnail, "JPEG");
    QVERIFY(page.height() > page.width()); // A4, portrait
    QVERIFY(qMax(page.width(), page.height()) <= 320);
    // The teal rectangle drawn on the page is in the picture, and the paper around it is white.
    const QColor paper = page.pixelColor(2, 2);
    QVERIFY(paper.red() > 240 && paper.green() > 240 && paper.blue() > 240);
    const QColor ink = page.pixelColor(page.width() * 3 / 10, page.height() / 5);
    QVERIFY2(ink.red() < 80 && ink.green() > 70, qPrintable(ink.name()));
    QVERIFY(!c.role(0, ComposeAttachmentModel::ThumbnailRole).toString().isEmpty());
}

void TestComposeAttachments::heicNeedsADecoderOnThisDevice()
{
    Files f;
    Compose c;
    const QUrl heic = f.heicHeader(QStringLiteral("IMG_0042.HEIC"));
    if (QImageReader::supportedImageFormats().contains("heic"))
        QSKIP("this Qt reads HEIC; the refusal needs a device whose Qt cannot");
    QCOMPARE(c.model.add({heic}), 0);
    QCOMPARE(c.model.refusal(),
             QStringLiteral("“IMG_0042.HEIC” is a HEIC photo, which can't be read on this "
                            "device. Export it as JPEG and add it again."));
}

void TestComposeAttachments::photoCopiesAreUprightPrivateJpegsWithoutExif()
{
    // The HEIC path's conversion, run on a JPEG: this Qt has no HEIC decoder, the mechanics are the same.
    Files f;
    const QString source = f.orientedJpeg(QStringLiteral("turned.jpg")).toLocalFile();
    const QString copy = f.path(QStringLiteral("copy.jpg"));
    const ComposePreview preview = convertPhotoToJpeg(source, copy);
    QVERIFY(!preview.failed);
    QCOMPARE(preview.convertedPath, copy);
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFile::permissions(copy) & others, QFileDevice::Permissions()); // owner-only: patient data
    QVERIFY(QFile::permissions(copy).testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QFile file(copy);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY2(!bytes.contains("Exif"), "the copy carries no EXIF block");
    const QImage upright = QImage::fromData(bytes, "JPEG");
    QCOMPARE(upright.size(), QSize(100, 200));
    QVERIFY(upright.pixelColor(50, 30).red() > 200);
    QCOMPARE(QSize(preview.width, preview.height), QSize(100, 200));
    QVERIFY(!preview.thumbnail.isEmpty());
    // An existing file is never overwritten, and a file that is not a picture gives no copy.
    QVERIFY(convertPhotoToJpeg(source, copy).failed);
    QVERIFY(convertPhotoToJpeg(f.write(QStringLiteral("x.heic"), "not a picture").toLocalFile(),
                               f.path(QStringLiteral("x.jpg")))
                .failed);
    QVERIFY(!QFile::exists(f.path(QStringLiteral("x.jpg"))));
}

void TestComposeAttachments::turnedPngAndWebpGoAsUprightPrivateCopies_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QString>("mime");
    QTest::newRow("png 6") << "scan.png" << testimages::orientedPng(6) << "image/png";
    QTest::newRow("webp 8") << "wound.webp" << testimages::orientedWebp(8) << "image/webp";
    QTest::newRow("png 2") << "mirror.png" << testimages::orientedPng(2) << "image/png";
}

void TestComposeAttachments::turnedPngAndWebpGoAsUprightPrivateCopies()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, stored);
    QFETCH(QString, mime);
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.write(name, stored)}), 1);
    QVERIFY(c.waitReady());
    const PendingAttachment sent = c.model.attachments().constFirst();
    // The copy replaces the file: same type and name, in the app's private folder, removed once sent.
    QCOMPARE(sent.type.mime, mime);
    QCOMPARE(sent.name, name);
    QVERIFY(sent.ownsSource);
    QCOMPARE(QFileInfo(sent.sourcePath).absolutePath(), QDir(c.privateDir.filePath("outgoing")).canonicalPath());
    QCOMPARE(sent.sourceSize, QFileInfo(sent.sourcePath).size());
    QCOMPARE(QSize(sent.width, sent.height), QSize(128, 64));
    // Its pixels are upright, without any orientation to honour, and it carries no EXIF at all.
    QImageReader reader(sent.sourcePath);
    reader.setAutoTransform(false);
    const QString difference = testimages::differenceFromScene(reader.read());
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QVERIFY(!bytesOf(sent.sourcePath).contains(testimages::Canary));
    QCOMPARE(QFile(f.path(name)).size(), stored.size()); // the person's own file is untouched
    c.model.clear();
    QVERIFY(!QFile::exists(sent.sourcePath));
}

void TestComposeAttachments::turnedPngWithoutRoomForItsCopyIsRefused()
{
    Files f;
    ComposeAttachmentModel model;
    model.setConversation(A);
    // A private folder that cannot be made (a file stands where it would be): the copy has nowhere to go.
    const QString blocker = f.write(QStringLiteral("blocker"), "x").toLocalFile();
    model.setPrivateDir(blocker + QStringLiteral("/outgoing"));
    QCOMPARE(model.add({f.write(QStringLiteral("scan.png"), testimages::orientedPng(6))}), 1);
    QVERIFY(QTest::qWaitFor([&] { return !model.preparing(); }, PreviewWaitMs));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.refusal(),
             QStringLiteral("“scan.png” is stored turned on its side and couldn't be turned "
                            "upright on this device. Open it in a photo editor, save it upright "
                            "and add it again."));
    // An upright PNG needs no copy and goes as it is.
    QCOMPARE(model.add({f.write(QStringLiteral("flat.png"), testimages::orientedPng(1))}), 1);
    QVERIFY(QTest::qWaitFor([&] { return !model.preparing(); }, PreviewWaitMs));
    QCOMPARE(model.attachments().constFirst().sourcePath,
             QFileInfo(f.path(QStringLiteral("flat.png"))).canonicalFilePath());
}

void TestComposeAttachments::videoIsSendableOnceItsMetadataCanGo()
{
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.mp4Header(QStringLiteral("knee.mp4"))}), 1);
    QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).value<AttachmentKind::Value>(), AttachmentKind::Video);
    // The check reads the file through the stripper; the probe's details are not waited for.
    QVERIFY(c.model.preparing());
    QVERIFY(c.waitReady());
    QCOMPARE(c.role(0, ComposeAttachmentModel::ReadyRole).toBool(), true);
    QCOMPARE(c.model.refusal(), QString());

    // WebM carries no metadata Larch removes: nothing to check, sendable at once.
    QCOMPARE(c.model.add({f.write(QStringLiteral("walk.webm"),
                                  QByteArrayLiteral("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm")
                                      + QByteArray(200, '\0'))}),
             1);
    QCOMPARE(c.role(1, ComposeAttachmentModel::MimeRole).toString(), QStringLiteral("video/webm"));
    QCOMPARE(c.role(1, ComposeAttachmentModel::ReadyRole).toBool(), true);
}

// A photo or video whose structure is broken cannot lose its metadata, so it could not be sent: the compose
// bar says so when it is added (once the check has read it), and the chips already there stay.
void TestComposeAttachments::damagedPhotoOrVideoIsRefusedWhenAdded_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("sentence");
    // A JPEG whose APP1 segment claims more bytes than the file holds.
    QTest::newRow("jpeg") << "rash.jpg"
                          << QByteArrayLiteral("\xFF\xD8\xFF\xE1\x40\x00Exif\x00\x00") + QByteArray(100, 'x')
                          << "“rash.jpg” can't be read as a photo; it may be damaged. Save a new copy and add "
                             "that.";
    // A PNG whose first chunk claims more bytes than the file holds.
    QTest::newRow("png") << "mole.png"
                         << QByteArrayLiteral("\x89PNG\r\n\x1A\n\x00\x10\x00\x00IHDR") + QByteArray(40, '\0')
                         << "“mole.png” can't be read as a photo; it may be damaged. Save a new copy and add "
                            "that.";
    // An MP4 whose second box is 4 bytes long, shorter than its own header.
    QTest::newRow("mp4") << "gait.mp4"
                         << QByteArrayLiteral("\x00\x00\x00\x18"
                                              "ftypisom\x00\x00\x02\x00"
                                              "isomiso2"
                                              "\x00\x00\x00\x04"
                                              "moov")
            + QByteArray(100, 'x')
                         << "“gait.mp4” can't be read as a video; it may be damaged. Save it again from the app "
                            "that made it, then add the new copy.";
}

void TestComposeAttachments::damagedPhotoOrVideoIsRefusedWhenAdded()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, sentence);
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.png(QStringLiteral("earlier.png"))}), 1);
    QVERIFY(c.waitReady());
    QSignalSpy countChanged(&c.model, &ComposeAttachmentModel::countChanged);
    QCOMPARE(c.model.add({f.write(name, bytes)}), 1); // the type is right; the check comes after
    QVERIFY(c.waitReady());
    QCOMPARE(c.model.refusal(), sentence);
    QCOMPARE(c.model.count(), 1);
    QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("earlier.png"));
    QCOMPARE(countChanged.count(), 2); // added, then dropped
}

void TestComposeAttachments::videoDurationWhenTheBackendCanTell()
{
    const QString gst = QStandardPaths::findExecutable(QStringLiteral("gst-launch-1.0"));
    if (gst.isEmpty())
        QSKIP("gst-launch-1.0 (gstreamer1.0-tools) makes the sample video");
    Files f;
    const QString clip = f.path(QStringLiteral("gait.mov"));
    const int exit =
        QProcess::execute(gst,
                          {QStringLiteral("-q"), QStringLiteral("videotestsrc"), QStringLiteral("num-buffers=30"),
                           QStringLiteral("!"), QStringLiteral("video/x-raw,width=160,height=120,framerate=15/1"),
                           QStringLiteral("!"), QStringLiteral("jpegenc"), QStringLiteral("!"), QStringLiteral("qtmux"),
                           QStringLiteral("!"), QStringLiteral("filesink"), QStringLiteral("location=") + clip});
    if (exit != 0 || !QFileInfo(clip).size())
        QSKIP("this GStreamer cannot write a Motion JPEG QuickTime file");
    Compose c;
    QCOMPARE(c.model.add({QUrl::fromLocalFile(clip)}), 1);
    QCOMPARE(c.role(0, ComposeAttachmentModel::MimeRole).toString(), QStringLiteral("video/quicktime"));
    // The probe reports once; its answer (or its giving up) shows as a duration or stays 0.
    QTRY_VERIFY_WITH_TIMEOUT(c.role(0, ComposeAttachmentModel::DurationMsRole).toLongLong() > 0, PreviewWaitMs);
    const PendingAttachment video = c.model.attachments().constFirst();
    QVERIFY2(video.durationMs >= 1500 && video.durationMs <= 2500, qPrintable(QString::number(video.durationMs)));
    QCOMPARE(QSize(video.width, video.height), QSize(160, 120));
    // Its first frame is the thumbnail (decoded on the CPU when, as here, there is no GPU).
    QVERIFY(!video.thumbnail.isEmpty() && video.thumbnail.size() <= AttachmentRef::ThumbnailMax);
    QCOMPARE(QImage::fromData(video.thumbnail, "JPEG").size(), QSize(160, 120));
}
