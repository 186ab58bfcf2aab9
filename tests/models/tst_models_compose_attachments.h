// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the models_compose_attachments topic files share: the test class, its fixture and helpers.
#pragma once

#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "core/attachments/AttachmentRef.h"
#include "core/attachments/AttachmentType.h"
#include "models/attachments/AttachmentStates.h"
#include "models/attachments/AttachmentText.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/compose/ComposePreview.h"
#include "OrientedPhotos.h"
#include "ServerFiles.h"

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
using testkit::bytesOf;

const QString A = QStringLiteral("a0000000-0000-4000-8000-000000000001");
const QString B = QStringLiteral("b0000000-0000-4000-8000-000000000002");
constexpr int PreviewWaitMs = 20000;

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
inline const SecretBytes &storageKey()
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

inline const QString Accepted() { return acceptedAttachmentTypes(); }

/// ComposeAttachmentModel and sending files: types told by content (lying names), refusals and their sentences,
/// previews (photo orientation, thumbnail size, PDF pages), chips per conversation, and one message per file.
class TestComposeAttachments : public QObject {
    Q_OBJECT
private slots:
    void typeIsToldByContentNotByName();
    void refusalsSayWhy_data();
    void refusalsSayWhy();
    void fileWithoutPermissionIsUnreadable();
    void overTheLimitIsRefused();
    void sizesReadAsPeopleReadThem();
    void severalAtOnceKeepTheGoodOnesAndNameTheOthers();
    void manyRefusalsNameAFewAndCountTheRest();
    void sameFileTwiceIsOneChip();
    void atMostTenChips();
    void imageThumbnailIsSmallAndUpright();
    void pdfShowsItsFirstPageAndPageCount();
    void heicNeedsADecoderOnThisDevice();
    void photoCopiesAreUprightPrivateJpegsWithoutExif();
    void turnedPngAndWebpGoAsUprightPrivateCopies_data();
    void turnedPngAndWebpGoAsUprightPrivateCopies();
    void turnedPngWithoutRoomForItsCopyIsRefused();
    void videoIsSendableOnceItsMetadataCanGo();
    void damagedPhotoOrVideoIsRefusedWhenAdded_data();
    void damagedPhotoOrVideoIsRefusedWhenAdded();
    void videoDurationWhenTheBackendCanTell();
    void chipsStayWithTheirConversation();
    void refusedWhereFilesCannotGo();
    void removeAndClearDropTheAppsOwnCopies();
    void sendMakesOneMessagePerFileWithTheCaptionFirst();
    void filesTheDeviceCannotKeepStayChips();
    void chipsWaitWhileTheConversationIsAway();
};
