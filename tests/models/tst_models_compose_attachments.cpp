// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ComposeAttachmentModel and sending files: types told by content (lying names), refusals and their sentences,
// previews (photo orientation, thumbnail size, PDF pages), chips per conversation, and one message per file.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "core/attachments/AttachmentRef.h"
#include "core/attachments/AttachmentType.h"
#include "models/attachments/AttachmentText.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/compose/ComposePreview.h"
#include "OrientedPhotos.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>
#include <QTest>
#include <unistd.h>

using namespace larch;

namespace {
const QString A = QStringLiteral("a0000000-0000-4000-8000-000000000001");
const QString B = QStringLiteral("b0000000-0000-4000-8000-000000000002");
constexpr int PreviewWaitMs = 20000;

QByteArray bytesOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Sample files written by the test itself, in a folder removed afterwards.
struct Files {
    QTemporaryDir dir;

    QString path(const QString &name) const { return dir.filePath(name); }
    QUrl url(const QString &name) const { return QUrl::fromLocalFile(path(name)); }

    QUrl write(const QString &name, const QByteArray &bytes) const
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write a sample file");
        return url(name);
    }

    QUrl png(const QString &name, QSize size = {64, 48}, QColor colour = Qt::darkGreen) const
    {
        QImage image(size, QImage::Format_RGB32);
        image.fill(colour);
        if (!image.save(path(name), "PNG"))
            qFatal("cannot write a PNG");
        return url(name);
    }

    // A picture no JPEG squeezes: the thumbnail must lose quality and pixels to fit its 16 KiB.
    QUrl noisyPng(const QString &name, QSize size) const
    {
        QImage image(size, QImage::Format_RGB32);
        auto *random = QRandomGenerator::global();
        for (int y = 0; y < size.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
            for (int x = 0; x < size.width(); ++x)
                line[x] = 0xFF000000u | (random->generate() & 0xFFFFFFu);
        }
        if (!image.save(path(name), "PNG"))
            qFatal("cannot write a PNG");
        return url(name);
    }

    // 200×100, left half red and right half blue, with EXIF orientation 6 ("rotate 90° clockwise to show"), as
    // phones store portrait photos.
    QUrl orientedJpeg(const QString &name) const
    {
        QImage image(200, 100, QImage::Format_RGB32);
        image.fill(Qt::blue);
        QPainter(&image).fillRect(0, 0, 100, 100, Qt::red);
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPEG", 95);
        // APP1 "Exif": a big-endian TIFF header and IFD0 with the one Orientation entry (tag 0x0112, SHORT, 6).
        QByteArray tiff = QByteArrayLiteral("MM\x00\x2a\x00\x00\x00\x08"
                                            "\x00\x01"
                                            "\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"
                                            "\x00\x00\x00\x00");
        const QByteArray payload = QByteArrayLiteral("Exif\x00\x00") + tiff;
        QByteArray app1 = QByteArrayLiteral("\xFF\xE1");
        const quint16 length = quint16(payload.size() + 2);
        app1.append(char(length >> 8)).append(char(length & 0xFF)).append(payload);
        return write(name, jpeg.left(2) + app1 + jpeg.mid(2));
    }

    QUrl pdf(const QString &name, int pages) const
    {
        QPdfWriter writer(path(name));
        writer.setPageSize(QPageSize(QPageSize::A4));
        QPainter painter(&writer);
        // A teal band from 10% to 60% across and 10% to 30% down, whatever the writer's resolution.
        const QRect band(writer.width() / 10, writer.height() / 10, writer.width() / 2, writer.height() / 5);
        for (int page = 0; page < pages; ++page) {
            if (page > 0)
                writer.newPage();
            painter.fillRect(band, QColor(15, 110, 110));
        }
        painter.end();
        return url(name);
    }

    // An ISO base media file header (MP4): enough for the type, too little to play.
    QUrl mp4Header(const QString &name) const
    {
        return write(name,
                     QByteArrayLiteral("\x00\x00\x00\x18"
                                       "ftypisom\x00\x00\x02\x00"
                                       "isomiso2")
                         + QByteArray(200, '\0'));
    }

    QUrl heicHeader(const QString &name) const
    {
        return write(name,
                     QByteArrayLiteral("\x00\x00\x00\x18"
                                       "ftypheic\x00\x00\x00\x00"
                                       "mif1heic")
                         + QByteArray(200, '\0'));
    }
};

// A model as the app sets it up: a conversation open and a private folder for copies.
struct Compose {
    QTemporaryDir privateDir;
    ComposeAttachmentModel model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    Compose()
    {
        model.setPrivateDir(privateDir.filePath(QStringLiteral("outgoing")));
        model.setConversation(A);
    }
    QVariant role(int row, ComposeAttachmentModel::Role role) const { return model.data(model.index(row), role); }
    bool waitReady() const
    {
        return QTest::qWaitFor([this] { return !model.preparing(); }, PreviewWaitMs);
    }
};

// The storage key a device keeps in its keychain.
const SecretBytes &storageKey()
{
    static const SecretBytes key = SecretBytes::random(32);
    return key;
}

// One device's parts without a network: the outbox only stores while it has no session.
struct Device {
    LocalStore store;
    ApiClient api;
    SyncEngine sync{&store, &api};
    ComposeController compose{&store, &sync};
    explicit Device(const QString &dir) : store(dir)
    {
        QVERIFY(store.open());
        store.setStorageKey(storageKey());
    }
};

const QString Accepted() { return acceptedAttachmentTypes(); }
} // namespace

class TestComposeAttachments : public QObject {
    Q_OBJECT
private slots:
    void typeIsToldByContentNotByName()
    {
        Files f;
        Compose c;
        QCOMPARE(c.model.add({f.png(QStringLiteral("report.pdf"))}), 1);
        QCOMPARE(c.model.refusal(), QString());
        QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).toString(), QStringLiteral("image"));
        QCOMPARE(c.role(0, ComposeAttachmentModel::MimeRole).toString(), QStringLiteral("image/png"));
        QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("report.pdf"));

        const QUrl text = f.write(QStringLiteral("photo.jpg"), "Appointment at 3pm, bring your insurance card.\n");
        QCOMPARE(c.model.add({text}), 0);
        QCOMPARE(c.model.refusal(), QStringLiteral("“photo.jpg” isn't a file Larch can send. ") + Accepted());
        QCOMPARE(c.model.count(), 1); // the earlier chip stays
    }

    void refusalsSayWhy_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("empty") << "empty.pdf"
                               << "“empty.pdf” is empty.";
        QTest::newRow("folder") << "Scans"
                                << "“Scans” is a folder. Drop the files themselves.";
        QTest::newRow("dangling link") << "gone.png"
                                       << "“gone.png” can't be read. Check that it still exists and that you may "
                                          "open it.";
        QTest::newRow("missing") << "missing.png"
                                 << "“missing.png” can't be read. Check that it still exists and that you may open "
                                    "it.";
        QTest::newRow("damaged pdf") << "scan.pdf"
                                     << "“scan.pdf” can't be opened as a PDF; it may be damaged. Save a new copy and "
                                        "add that.";
    }

    void refusalsSayWhy()
    {
        QFETCH(QString, name);
        QFETCH(QString, sentence);
        Files f;
        f.write(QStringLiteral("empty.pdf"), {});
        QVERIFY(QDir(f.dir.path()).mkdir(QStringLiteral("Scans")));
        QVERIFY(QFile::link(f.path(QStringLiteral("nowhere.png")), f.path(QStringLiteral("gone.png"))));
        f.write(QStringLiteral("scan.pdf"), QByteArrayLiteral("%PDF-1.7\n") + QByteArray(500, 'x'));
        Compose c;
        QCOMPARE(c.model.add({f.url(name)}), 0);
        QCOMPARE(c.model.refusal(), sentence);
        QCOMPARE(c.model.count(), 0);
        if (name == QLatin1String("Scans")) { // a folder dropped from a file manager may end in a slash
            c.model.dismissRefusal();
            c.model.add({QUrl::fromLocalFile(f.path(name) + u'/')});
            QCOMPARE(c.model.refusal(), sentence);
        }
    }

    void fileWithoutPermissionIsUnreadable()
    {
        if (::geteuid() == 0)
            QSKIP("root reads any file; the dangling link in refusalsSayWhy covers the sentence");
        Files f;
        const QUrl url = f.png(QStringLiteral("private.png"));
        QVERIFY(QFile::setPermissions(url.toLocalFile(), QFileDevice::Permissions()));
        Compose c;
        QCOMPARE(c.model.add({url}), 0);
        QCOMPARE(c.model.refusal(),
                 QStringLiteral("“private.png” can't be read. Check that it still exists and "
                                "that you may open it."));
    }

    void overTheLimitIsRefused()
    {
        Files f;
        Compose c;
        QSignalSpy maxChanged(&c.model, &ComposeAttachmentModel::maxBytesChanged);
        QCOMPARE(c.model.maxBytes(), 100LL * 1024 * 1024);
        QCOMPARE(c.model.maxSizeText(), QStringLiteral("100 MB"));
        c.model.setMaxBytes(2048);
        QCOMPARE(maxChanged.size(), 1);
        const QUrl big = f.noisyPng(QStringLiteral("wound.png"), {64, 64});
        const qint64 size = QFileInfo(big.toLocalFile()).size();
        QVERIFY(size > 2048);
        QCOMPARE(c.model.add({big}), 0);
        QCOMPARE(
            c.model.refusal(),
            QStringLiteral("“wound.png” is %1; attachments can be up to 2 KB.").arg(AttachmentText::sizeText(size)));
        // The words for the server's real limit.
        QCOMPARE(composeRefusalSentence(
                     {{QStringLiteral("clinic.mov"), ComposeRefusal::Reason::TooLarge, 140LL * 1024 * 1024}},
                     ComposeAttachmentModel::DefaultMaxBytes, ComposeAttachmentModel::MaxPending),
                 QStringLiteral("“clinic.mov” is 140 MB; attachments can be up to 100 MB."));
    }

    void sizesReadAsPeopleReadThem()
    {
        QCOMPARE(AttachmentText::sizeText(512), QStringLiteral("512 bytes"));
        QCOMPARE(AttachmentText::sizeText(18 * 1024), QStringLiteral("18 KB"));
        QCOMPARE(AttachmentText::sizeText(qint64(2.4 * 1024 * 1024)), QStringLiteral("2.4 MB"));
        QCOMPARE(AttachmentText::sizeText(140LL * 1024 * 1024), QStringLiteral("140 MB"));
        QCOMPARE(AttachmentText::sizeText(100LL * 1024 * 1024), QStringLiteral("100 MB"));
    }

    void severalAtOnceKeepTheGoodOnesAndNameTheOthers()
    {
        Files f;
        Compose c;
        QCOMPARE(c.model.add({f.png(QStringLiteral("before.png"))}), 1);
        QVERIFY(QDir(f.dir.path()).mkdir(QStringLiteral("Scans")));
        const QList<QUrl> drop{f.pdf(QStringLiteral("referral.pdf"), 1), f.write(QStringLiteral("notes.txt"), "notes"),
                               f.url(QStringLiteral("Scans")), f.orientedJpeg(QStringLiteral("rash.jpg"))};
        QCOMPARE(c.model.add(drop), 2);
        QCOMPARE(c.model.count(), 3);
        QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("before.png"));
        QCOMPARE(c.role(1, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("referral.pdf"));
        QCOMPARE(c.role(2, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("rash.jpg"));
        QCOMPARE(c.model.refusal(),
                 QStringLiteral("2 files were not added: “notes.txt” isn't a file Larch can send; "
                                "“Scans” is a folder. ")
                     + Accepted());

        // The next add that takes a file clears the sentence; dismissing does too.
        QCOMPARE(c.model.add({f.png(QStringLiteral("after.png"))}), 1);
        QCOMPARE(c.model.refusal(), QString());
        c.model.add({f.url(QStringLiteral("Scans"))});
        QVERIFY(!c.model.refusal().isEmpty());
        c.model.dismissRefusal();
        QCOMPARE(c.model.refusal(), QString());
        QVERIFY(c.waitReady());
    }

    void manyRefusalsNameAFewAndCountTheRest()
    {
        QList<ComposeRefusal> refusals;
        for (int i = 1; i <= 6; ++i)
            refusals << ComposeRefusal{QStringLiteral("t%1.txt").arg(i), ComposeRefusal::Reason::Unsupported, 0};
        refusals[1].reason = ComposeRefusal::Reason::Empty;
        QCOMPARE(composeRefusalSentence(refusals, ComposeAttachmentModel::DefaultMaxBytes, 10),
                 QStringLiteral("6 files were not added: “t1.txt” isn't a file Larch can send; “t2.txt” is empty; "
                                "“t3.txt” isn't a file Larch can send; “t4.txt” isn't a file Larch can send; and 2 "
                                "more. ")
                     + Accepted());
    }

    void sameFileTwiceIsOneChip()
    {
        Files f;
        Compose c;
        const QUrl png = f.png(QStringLiteral("a.png"));
        QCOMPARE(c.model.add({png, png}), 1);
        QCOMPARE(c.model.add({png}), 0);
        QCOMPARE(c.model.count(), 1);
        QCOMPARE(c.model.refusal(), QString());
    }

    void atMostTenChips()
    {
        Files f;
        Compose c;
        QList<QUrl> urls;
        for (int i = 1; i <= 12; ++i)
            urls << f.png(QStringLiteral("p%1.png").arg(i), {8, 8}, QColor::fromHsv(i * 25, 200, 200));
        QCOMPARE(c.model.add(urls), ComposeAttachmentModel::MaxPending);
        QCOMPARE(c.model.count(), 10);
        QCOMPARE(c.model.refusal(),
                 QStringLiteral("2 files were not added: “p11.png” would make more than 10 "
                                "attachments; “p12.png” would make more than 10 attachments."));
        QVERIFY(c.waitReady());
    }

    void imageThumbnailIsSmallAndUpright()
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

    void pdfShowsItsFirstPageAndPageCount()
    {
        Files f;
        Compose c;
        QCOMPARE(c.model.add({f.pdf(QStringLiteral("Care plan.pdf"), 3)}), 1);
        QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).toString(), QStringLiteral("pdf"));
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

    void heicNeedsADecoderOnThisDevice()
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

    void photoCopiesAreUprightPrivateJpegsWithoutExif()
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

    void turnedPngAndWebpGoAsUprightPrivateCopies_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<QString>("mime");
        QTest::newRow("png 6") << "scan.png" << testimages::orientedPng(6) << "image/png";
        QTest::newRow("webp 8") << "wound.webp" << testimages::orientedWebp(8) << "image/webp";
        QTest::newRow("png 2") << "mirror.png" << testimages::orientedPng(2) << "image/png";
    }
    void turnedPngAndWebpGoAsUprightPrivateCopies()
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

    void turnedPngWithoutRoomForItsCopyIsRefused()
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

    void videoIsSendableOnceItsMetadataCanGo()
    {
        Files f;
        Compose c;
        QCOMPARE(c.model.add({f.mp4Header(QStringLiteral("knee.mp4"))}), 1);
        QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).toString(), QStringLiteral("video"));
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
    void damagedPhotoOrVideoIsRefusedWhenAdded_data()
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

    void damagedPhotoOrVideoIsRefusedWhenAdded()
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

    void videoDurationWhenTheBackendCanTell()
    {
        const QString gst = QStandardPaths::findExecutable(QStringLiteral("gst-launch-1.0"));
        if (gst.isEmpty())
            QSKIP("gst-launch-1.0 (gstreamer1.0-tools) makes the sample video");
        Files f;
        const QString clip = f.path(QStringLiteral("gait.mov"));
        const int exit = QProcess::execute(
            gst,
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

    void chipsStayWithTheirConversation()
    {
        Files f;
        Compose c;
        QSignalSpy reset(&c.model, &QAbstractItemModel::modelReset);
        c.model.add({f.png(QStringLiteral("for-a.png"))});
        c.model.setConversation(B);
        QCOMPARE(c.model.count(), 0);
        c.model.add({f.png(QStringLiteral("b1.png")), f.png(QStringLiteral("b2.png"))});
        c.model.add({f.write(QStringLiteral("x.txt"), "x")});
        QVERIFY(!c.model.refusal().isEmpty());
        c.model.setConversation(A);
        QCOMPARE(c.model.refusal(), QString()); // a sentence belongs to the drop it answered
        QCOMPARE(c.model.count(), 1);
        QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("for-a.png"));
        c.model.setConversation(QString());
        QCOMPARE(c.model.count(), 0);
        c.model.setConversation(B);
        QCOMPARE(c.model.count(), 2);
        QVERIFY(c.waitReady());
        c.model.setConversation(A);
        QVERIFY(c.waitReady());
        QVERIFY(c.model.attachments().constFirst().width > 0); // its preview arrived while it waited elsewhere
        QCOMPARE(reset.size(), 5);
    }

    void refusedWhereFilesCannotGo()
    {
        Files f;
        ComposeAttachmentModel model;
        QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 0);
        QCOMPARE(model.refusal(), QStringLiteral("Open a conversation to add attachments."));
        const QString sms = QStringLiteral("Attachments can be sent only in secure conversations.");
        model.setAcceptCheck([&](const QString &id) { return id == B ? sms : QString(); });
        model.setConversation(B);
        QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 0);
        QCOMPARE(model.refusal(), sms);
        model.setConversation(A);
        QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 1);
    }

    void removeAndClearDropTheAppsOwnCopies()
    {
        Files f;
        Compose c;
        const QString capture = c.model.capturePath(QStringLiteral("jpg"));
        QVERIFY(capture.startsWith(c.model.privateDir()));
        QVERIFY(capture.endsWith(QLatin1String(".jpg")));
        QFile::copy(f.orientedJpeg(QStringLiteral("cam.jpg")).toLocalFile(), capture);
        const QString picked = f.png(QStringLiteral("picked.png")).toLocalFile();
        QCOMPARE(c.model.add({QUrl::fromLocalFile(capture), QUrl::fromLocalFile(picked)}), 2);
        const QList<PendingAttachment> pending = c.model.attachments();
        QVERIFY(pending.at(0).ownsSource);
        QVERIFY(!pending.at(1).ownsSource);
        c.model.remove(0);
        QVERIFY(!QFile::exists(capture)); // the app's copy goes with its chip
        c.model.remove(5); // no such row: nothing happens
        c.model.clear();
        QCOMPARE(c.model.count(), 0);
        QVERIFY(QFile::exists(picked)); // the person's own file is never touched
        QVERIFY(c.waitReady());
    }

    void sendMakesOneMessagePerFileWithTheCaptionFirst()
    {
        Files f;
        QTemporaryDir dir;
        Device d(dir.path());
        ComposeAttachmentModel *chips = d.compose.attachments();
        QVERIFY(chips);
        d.compose.setConversation(A);
        QVERIFY(!d.compose.canSend());
        chips->add({f.png(QStringLiteral("left.png")), f.pdf(QStringLiteral("results.pdf"), 2)});
        QVERIFY(!d.compose.canSend()); // previews still being made
        QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs); // files and no text: sendable
        d.compose.setText("  Your results, as discussed.  ");
        QSignalSpy pending(&d.sync, &SyncEngine::messagePending);
        QVERIFY(d.compose.send());
        QCOMPARE(pending.size(), 2);
        QCOMPARE(chips->count(), 0);
        QCOMPARE(d.compose.text(), QString());
        QVERIFY(!d.compose.canSend());
        const QList<OutboxEntry> outbox = d.store.outbox(A);
        QCOMPARE(outbox.size(), 2);
        QCOMPARE(outbox.at(0).body, QStringLiteral("Your results, as discussed."));
        QVERIFY(outbox.at(0).attachment);
        QCOMPARE(outbox.at(0).attachment->name, QStringLiteral("left.png"));
        QCOMPARE(outbox.at(1).body, QString());
        QVERIFY(outbox.at(1).attachment);
        QCOMPARE(outbox.at(1).attachment->pages, 2);
        QVERIFY(!outbox.at(1).attachment->thumbnail.isEmpty());
    }

    void filesTheDeviceCannotKeepStayChips()
    {
        Files f;
        QTemporaryDir dir;
        Device d(dir.path());
        ComposeAttachmentModel *chips = d.compose.attachments();
        d.compose.setConversation(A);
        chips->add({f.png(QStringLiteral("one.png")), f.png(QStringLiteral("two.png"), {32, 24}, Qt::darkRed),
                    f.pdf(QStringLiteral("three.pdf"), 1)});
        QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs);
        d.compose.setText(QStringLiteral("Before and after"));
        {
            // The device's database refuses a second outbox row, as it would on a full disk.
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("refuse"));
            db.setDatabaseName(dir.filePath(QStringLiteral("larch-client.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN (SELECT count(*) FROM "
                                          "outbox) >= 1 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("refuse"));
        QSignalSpy pending(&d.sync, &SyncEngine::messagePending);
        QVERIFY(d.compose.send()); // the first file left, with the caption
        QCOMPARE(pending.size(), 1);
        QCOMPARE(d.store.outbox(A).size(), 1);
        QCOMPARE(d.store.outbox(A).first().body, QStringLiteral("Before and after"));
        QCOMPARE(d.store.outbox(A).first().attachment->name, QStringLiteral("one.png"));
        // The other two are still chips, in order, and the sentence says what to do.
        QCOMPARE(chips->count(), 2);
        QCOMPARE(chips->attachments().at(0).name, QStringLiteral("two.png"));
        QCOMPARE(chips->attachments().at(1).name, QStringLiteral("three.pdf"));
        QVERIFY2(d.compose.error().contains(QStringLiteral("could not be saved on this device")),
                 qPrintable(d.compose.error()));
        QCOMPARE(d.compose.text(), QString());

        // Nothing kept at all: the caption stays as well.
        d.compose.setText(QStringLiteral("Second try"));
        QVERIFY(!d.compose.send());
        QCOMPARE(chips->count(), 2);
        QCOMPARE(d.compose.text(), QStringLiteral("Second try"));
        QCOMPARE(pending.size(), 1);
        QCOMPARE(d.store.outbox(A).size(), 1);
    }

    void chipsWaitWhileTheConversationIsAway()
    {
        Files f;
        QTemporaryDir dir;
        Device d(dir.path());
        d.compose.setConversation(A);
        d.compose.attachments()->add({f.png(QStringLiteral("kept.png"))});
        d.compose.setConversation(B);
        QVERIFY(!d.compose.canSend());
        d.compose.setConversation(A);
        QCOMPARE(d.compose.attachments()->count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs);
        // A conversation that stopped taking files keeps the chips and says why it will not send them.
        const QString why = QStringLiteral("Attachments can be sent only in secure conversations.");
        d.compose.attachments()->setAcceptCheck([&](const QString &) { return why; });
        QVERIFY(!d.compose.send());
        QCOMPARE(d.compose.error(), why);
        QCOMPARE(d.compose.attachments()->count(), 1);
        QCOMPARE(d.store.outbox().size(), 0);
    }
};

QTEST_MAIN(TestComposeAttachments)
#include "tst_models_compose_attachments.moc"
