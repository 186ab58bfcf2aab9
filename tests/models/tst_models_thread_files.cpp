// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A message carrying several files, each shown, opened, downloaded and saved on its own: ThreadModel's rows and
// MessageAttachmentModel over a real LocalStore, and AttachmentViewer decrypting each file's blob with the real
// attachment cipher, the blobs served by larch-test-support's StandInServer through the real ApiClient.
#include "client/attachments/AttachmentTempFiles.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/thread/MessageAttachmentModel.h"
#include "models/thread/ThreadModel.h"
#include "StandInServer.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000002");
const QString Me = QStringLiteral("me");
const QString Them = QStringLiteral("them");
const QString MessageId = QStringLiteral("m-1");
constexpr int NetworkWait = 20000;

QByteArray jpeg(QSize size, QColor colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 80);
    return bytes;
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, '\0');
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

/// One file of the message: what its sender's message says of it, its plaintext and its blob, encrypted as a sending
/// device encrypts it (AttachmentEncryptor, a random key per file).
struct SentFile {
    AttachmentRef ref;
    QByteArray plain;
    QByteArray blob;
};

SentFile encrypted(const QString &kind, const QString &mime, const QString &name, const QByteArray &plain, int n)
{
    SentFile f;
    f.plain = plain;
    AttachmentEncryptor encryptor;
    f.blob = encryptor.header();
    for (qsizetype at = 0;;) {
        const qsizetype size = std::min<qsizetype>(AttachmentFormat::ChunkPlainBytes, plain.size() - at);
        const bool last = at + size == plain.size();
        f.blob += encryptor.push(QByteArrayView(plain.constData() + at, size), last);
        at += size;
        if (last)
            break;
    }
    f.ref.blobId = QStringLiteral("b0000000-0000-4000-8000-00000000000%1").arg(n);
    f.ref.key = encryptor.key().bytes();
    f.ref.blobSha256 = QCryptographicHash::hash(f.blob, QCryptographicHash::Sha256);
    f.ref.size = plain.size();
    f.ref.kind = kind;
    f.ref.mime = mime;
    f.ref.name = name;
    return f;
}

StoredMessage message(qint64 seq, const QString &id, const QString &body, const QList<AttachmentRef> &files = {})
{
    StoredMessage stored;
    stored.verification = Verification::Verified;
    Message &m = stored.message;
    m.id = id;
    m.clientId = QStringLiteral("client-") + id;
    m.conversationId = Conv;
    m.seq = seq;
    m.senderId = Them;
    m.senderName = QStringLiteral("Sam Lee");
    m.body = body;
    m.sentAt = QDateTime::currentMSecsSinceEpoch() - (100 - seq) * 1000;
    stored.attachments = files;
    return stored;
}

/// A thread open on one message from the patient carrying a photo, a PDF and a video, and a text after it; the
/// stand-in server hands out each file's blob under its own id.
struct Fixture {
    QTemporaryDir dir;
    StandInServer server;
    LocalStore store{dir.path()};
    ApiClient api;
    ThreadModel thread{&store, &api};
    std::shared_ptr<AttachmentImages> images = std::make_shared<AttachmentImages>();
    AttachmentImageProvider provider{images};
    AttachmentTempFiles temp{dir.filePath(QStringLiteral("temp"))};
    AttachmentViewer viewer{&store, &api, &thread, images, &temp};
    QList<SentFile> files;
    QHash<QString, QString> refusals; ///< blob id → the sentence its download token is refused with (403)

    Fixture()
    {
        QVERIFY(initCrypto());
        QVERIFY(store.open());
        store.setStorageKey(SecretBytes::random(32));
        QVERIFY(api.setServerUrl(server.url()).isNone());
        api.setToken(QStringLiteral("t"));
        thread.setUser(Me, QStringLiteral("Dr. Ben Okafor"));
        thread.setImages(images);
        Conversation c;
        c.id = Conv;
        c.practiceId = "p";
        c.patientId = Them;
        c.title = "Sam Lee";
        c.kind = "secure";
        c.members = {Member{Me, "Dr. Ben Okafor", "clinician", 0}, Member{Them, "Sam Lee", "patient", 0}};
        store.conversations().upsert(c);

        SentFile photo = encrypted("image", "image/jpeg", "Forearm, day 3.jpg", jpeg(QSize(64, 48), Qt::red), 0);
        photo.ref.width = 64;
        photo.ref.height = 48;
        photo.ref.thumbnail = jpeg(QSize(32, 24), Qt::red);
        SentFile pdf = encrypted("pdf", "application/pdf", "Lab results.pdf", "%PDF-1.4\n" + randomBytes(3000), 1);
        pdf.ref.pages = 3;
        pdf.ref.thumbnail = jpeg(QSize(21, 30), Qt::white);
        // Several chunks, so its download moves.
        SentFile video = encrypted("video", "video/webm", "Wrist, day 3.webm", randomBytes(200 * 1024), 2);
        video.ref.durationMs = 3000;
        files = {photo, pdf, video};
        for (const SentFile &f : std::as_const(files)) {
            const QByteArray path = "/v1/blobs/" + f.ref.blobId.toLatin1();
            server.route("POST", path + "/download-token", [this, f, path](const StandInServer::Request &) {
                if (refusals.contains(f.ref.blobId))
                    return StandInServer::Reply{
                        403,
                        {{"error", QJsonObject{{"code", "forbidden"}, {"message", refusals.value(f.ref.blobId)}}}}};
                return StandInServer::Reply{200,
                                            {{"url", QString::fromLatin1(path + "/content?token=x")},
                                             {"expiresAt", QDateTime::currentMSecsSinceEpoch() + 300000},
                                             {"size", f.blob.size()}}};
            });
            server.route("GET", path + "/content", [f](const StandInServer::Request &) {
                return StandInServer::Reply{200, {}, f.blob};
            });
        }
        store.messages().applyMessage(
            message(1, MessageId, "Today's photo, my results and the wrist", {photo.ref, pdf.ref, video.ref}), Me);
        store.messages().applyMessage(message(2, QStringLiteral("m-2"), "Just words"), Me);
        thread.open(Conv);
    }

    /// Token requests for a file's blob so far.
    int tokenRequests(int file) const
    {
        return server.count("POST", "/v1/blobs/" + files.at(file).ref.blobId.toLatin1() + "/download-token");
    }
    QImage imageAt(const QString &url)
    {
        const QString prefix = QStringLiteral("image://attachment/");
        QSize size;
        return url.startsWith(prefix) ? provider.requestImage(url.mid(prefix.size()), &size, {}) : QImage();
    }
};

/// The files of the message, as its bubble shows them.
struct Bubble {
    MessageAttachmentModel files;
    QAbstractItemModelTester tester{&files, QAbstractItemModelTester::FailureReportingMode::Fatal};
    Bubble(ThreadModel &thread, const QString &messageId, const QString &clientId = {})
    {
        files.setThread(&thread);
        files.setMessageId(messageId);
        files.setClientId(clientId);
    }
    QVariant at(int file, int role) const { return files.index(file).data(role); }
    AttachmentState::Value state(int file) const
    {
        return at(file, MessageAttachmentModel::StateRole).value<AttachmentState::Value>();
    }
    double progress(int file) const { return at(file, MessageAttachmentModel::ProgressRole).toDouble(); }
    QString error(int file) const { return at(file, MessageAttachmentModel::ErrorRole).toString(); }
};

/// The rows each dataChanged of a spy named, in order.
QList<int> changedRows(const QSignalSpy &spy)
{
    QList<int> rows;
    for (const QList<QVariant> &signal : spy) {
        const int first = signal.at(0).toModelIndex().row();
        const int last = signal.at(1).toModelIndex().row();
        for (int row = first; row <= last; ++row)
            rows << row;
    }
    return rows;
}
} // namespace

class TestThreadFiles : public QObject {
    Q_OBJECT
private slots:
    void aMessageShowsEachOfItsFiles()
    {
        Fixture f;
        QAbstractItemModelTester tester(&f.thread, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(f.thread.rowCount(), 2);
        QCOMPARE(f.thread.index(1).data(ThreadModel::AttachmentCountRole).toInt(), 3);
        Bubble bubble(f.thread, MessageId);
        QCOMPARE(bubble.files.rowCount(), 3);
        QCOMPARE(bubble.files.count(), 3);
        const QList<AttachmentKind::Value> kinds{AttachmentKind::Image, AttachmentKind::Pdf, AttachmentKind::Video};
        const QStringList names{"Forearm, day 3.jpg", "Lab results.pdf", "Wrist, day 3.webm"};
        for (int file = 0; file < 3; ++file) {
            QCOMPARE(bubble.at(file, MessageAttachmentModel::KindRole).value<AttachmentKind::Value>(), kinds.at(file));
            QCOMPARE(bubble.at(file, MessageAttachmentModel::NameRole).toString(), names.at(file));
            QCOMPARE(bubble.at(file, MessageAttachmentModel::IndexRole).toInt(), file);
            QCOMPARE(bubble.state(file), AttachmentState::Available);
            QCOMPARE(bubble.progress(file), 0.0);
        }
        QCOMPARE(bubble.at(1, MessageAttachmentModel::PagesRole).toInt(), 3);
        QCOMPARE(bubble.at(2, MessageAttachmentModel::DurationTextRole).toString(), QStringLiteral("0:03"));
        QCOMPARE(bubble.at(0, MessageAttachmentModel::WidthRole).toInt(), 64);
        // Each file's own thumbnail, under a key of its own; the video came without one.
        const QString photoThumbnail = bubble.at(0, MessageAttachmentModel::ThumbnailRole).toString();
        const QString pdfThumbnail = bubble.at(1, MessageAttachmentModel::ThumbnailRole).toString();
        QCOMPARE(photoThumbnail, QStringLiteral("image://attachment/thumb/m-m-1"));
        QCOMPARE(pdfThumbnail, QStringLiteral("image://attachment/thumb/m1-m-1"));
        QCOMPARE(bubble.at(2, MessageAttachmentModel::ThumbnailRole).toString(), QString());
        QCOMPARE(f.imageAt(photoThumbnail).size(), QSize(32, 24));
        QCOMPARE(f.imageAt(pdfThumbnail).size(), QSize(21, 30));

        // The text after it carries none, and its bubble has no rows.
        QCOMPARE(f.thread.index(0).data(ThreadModel::AttachmentCountRole).toInt(), 0);
        Bubble text(f.thread, QStringLiteral("m-2"));
        QCOMPARE(text.files.rowCount(), 0);

        // Another conversation: the bubble empties with the thread.
        QSignalSpy removed(&bubble.files, &QAbstractItemModel::rowsRemoved);
        f.thread.close();
        QCOMPARE(bubble.files.rowCount(), 0);
        QCOMPARE(removed.size(), 1);
    }

    void rowsOfTextStayAsSmallAsBefore()
    {
        // Thousands of rows are kept: a message's files are one shared, immutable list, and text alone adds none.
        if (sizeof(void *) == 8)
            QVERIFY2(ThreadModel::rowBytes() <= 232, qPrintable(QString::number(ThreadModel::rowBytes())));
        Fixture f;
        QVERIFY(!f.thread.files(QStringLiteral("m-2"), {}));
        const auto list = f.thread.files(MessageId, {});
        QVERIFY(list);
        QCOMPARE(list->size(), 3);
        QCOMPARE(f.thread.files(MessageId, {}).get(), list.get()); // shared, not copied per look-up
        QVERIFY(!f.thread.files(QStringLiteral("m-404"), {}));
        QVERIFY(!f.thread.files({}, {}));
    }

    void aDownloadMovesOnlyItsFile()
    {
        Fixture f;
        Bubble bubble(f.thread, MessageId);
        QSignalSpy threadChanged(&f.thread, &QAbstractItemModel::dataChanged);
        QSignalSpy changed(&bubble.files, &QAbstractItemModel::dataChanged);
        f.thread.setDownload(MessageId, 1, ThreadModel::Download::Downloading, 0.4);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changedRows(changed), QList<int>{1});
        QCOMPARE(changed.first().at(2).value<QList<int>>(),
                 (QList<int>{MessageAttachmentModel::ProgressRole, MessageAttachmentModel::StateRole}));
        QCOMPARE(bubble.state(1), AttachmentState::Downloading);
        QCOMPARE(bubble.progress(1), 0.4);
        for (int file : {0, 2}) {
            QCOMPARE(bubble.state(file), AttachmentState::Available);
            QCOMPARE(bubble.progress(file), 0.0);
        }
        QCOMPARE(threadChanged.size(), 0); // the thread's own roles stay

        // Through the viewer: the PDF downloads and decrypts; nothing but its card moves.
        f.thread.setDownload(MessageId, 1, ThreadModel::Download::None);
        changed.clear();
        f.viewer.open(MessageId, 1);
        QTRY_COMPARE_WITH_TIMEOUT(f.viewer.stateValue(), AttachmentState::Ready, NetworkWait);
        QVERIFY(!changed.isEmpty());
        for (int row : changedRows(changed))
            QCOMPARE(row, 1);
        QCOMPARE(bubble.state(1), AttachmentState::Ready);
        QCOMPARE(bubble.progress(1), 1.0);
        QCOMPARE(bubble.state(0), AttachmentState::Available);
        QCOMPARE(bubble.state(2), AttachmentState::Available);
        QCOMPARE(f.tokenRequests(0) + f.tokenRequests(2), 0);
        QFile decrypted(f.viewer.filePath());
        QVERIFY(decrypted.open(QIODevice::ReadOnly));
        QCOMPARE(decrypted.readAll(), f.files.at(1).plain);
        f.viewer.release();
        QCOMPARE(bubble.state(1), AttachmentState::Available);
    }

    void aFailedDownloadSaysWhyOnItsCardAndTriesAgain()
    {
        Fixture f;
        Bubble bubble(f.thread, MessageId);
        const QString sentence = QStringLiteral("Downloads are paused for this practice for a moment.");
        f.refusals.insert(f.files.at(2).ref.blobId, sentence);
        f.viewer.open(MessageId, 2);
        QCOMPARE(f.viewer.index(), 2);
        QCOMPARE(f.viewer.name(), QStringLiteral("Wrist, day 3.webm"));
        QTRY_COMPARE_WITH_TIMEOUT(f.viewer.stateValue(), AttachmentState::Failed, NetworkWait);
        QCOMPARE(f.viewer.error(), sentence);
        QVERIFY(f.viewer.canRetry());
        QCOMPARE(bubble.state(2), AttachmentState::Failed);
        QCOMPARE(bubble.error(2), sentence);
        for (int file : {0, 1}) {
            QCOMPARE(bubble.state(file), AttachmentState::Available);
            QCOMPARE(bubble.error(file), QString());
        }

        // "Try again": the same file, and this time the server hands it out.
        f.refusals.clear();
        QSignalSpy changed(&bubble.files, &QAbstractItemModel::dataChanged);
        f.viewer.open(f.viewer.messageId(), f.viewer.index());
        QTRY_COMPARE_WITH_TIMEOUT(f.viewer.stateValue(), AttachmentState::Ready, NetworkWait);
        QCOMPARE(bubble.state(2), AttachmentState::Ready);
        QCOMPARE(bubble.error(2), QString());
        for (int row : changedRows(changed))
            QCOMPARE(row, 2);
        // Decrypted with its own key: the very bytes the sender's video holds.
        QFile decrypted(f.viewer.filePath());
        QVERIFY(decrypted.open(QIODevice::ReadOnly));
        QCOMPARE(decrypted.readAll(), f.files.at(2).plain);
        QCOMPARE(f.tokenRequests(2), 2);
        QCOMPARE(f.tokenRequests(0) + f.tokenRequests(1), 0);
    }

    void eachFileOpensAndSavesOnItsOwn()
    {
        Fixture f;
        Bubble bubble(f.thread, MessageId);
        f.viewer.open(MessageId, 2);
        QTRY_COMPARE_WITH_TIMEOUT(f.viewer.stateValue(), AttachmentState::Ready, NetworkWait);
        const QString videoPath = f.viewer.filePath();

        // Another file of the message is not the open one: saving it asks to open it first, and the video stays.
        f.viewer.saveCopy(MessageId, 0, QUrl::fromLocalFile(f.dir.filePath(QStringLiteral("copy.jpg"))));
        QVERIFY(f.viewer.saveFailed());
        QCOMPARE(f.viewer.saveMessage(), AttachmentViewer::openFirstText());
        QCOMPARE(f.viewer.stateValue(), AttachmentState::Ready);
        QCOMPARE(f.viewer.index(), 2);
        QCOMPARE(f.viewer.suggestedSaveUrl(MessageId, 0).fileName(), QStringLiteral("Forearm, day 3.jpg"));
        QCOMPARE(f.viewer.suggestedSaveUrl(MessageId, 2).fileName(), QStringLiteral("Wrist, day 3.webm"));

        // The video's own copy.
        const QString copy = f.dir.filePath(QStringLiteral("saved.webm"));
        QSignalSpy saved(&f.viewer, &AttachmentViewer::saved);
        f.viewer.saveCopy(MessageId, 2, QUrl::fromLocalFile(copy));
        QVERIFY(saved.wait(NetworkWait));
        QFile written(copy);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), f.files.at(2).plain);

        // Opening the photo lets the video go; the photo is decrypted into memory under its own URL.
        f.viewer.open(MessageId, 0);
        QTRY_COMPARE_WITH_TIMEOUT(f.viewer.stateValue(), AttachmentState::Ready, NetworkWait);
        QVERIFY(!QFile::exists(videoPath));
        QCOMPARE(bubble.state(2), AttachmentState::Available);
        QCOMPARE(bubble.state(0), AttachmentState::Ready);
        QCOMPARE(f.viewer.source(), QUrl(AttachmentImages::fullUrl(MessageId, 0)));
        QVERIFY(AttachmentImages::fullUrl(MessageId, 0) != AttachmentImages::fullUrl(MessageId, 2));
        QCOMPARE(f.images->full(MessageId, 0), f.files.at(0).plain);
        QCOMPARE(f.imageAt(f.viewer.source().toString()).size(), QSize(64, 48));
    }

    void filesThatAreNotThereAreRefusedWithASentence()
    {
        Fixture f;
        Bubble bubble(f.thread, MessageId);
        QSignalSpy changed(&bubble.files, &QAbstractItemModel::dataChanged);
        f.viewer.open(MessageId, 3);
        QCOMPARE(f.viewer.stateValue(), AttachmentState::Failed);
        QCOMPARE(f.viewer.error(), AttachmentViewer::noSuchFileText());
        QVERIFY(!f.viewer.canRetry());
        f.viewer.open(MessageId, -1);
        QCOMPARE(f.viewer.error(), AttachmentViewer::noSuchFileText());
        f.viewer.open(QStringLiteral("m-2"), 0); // a message without files
        QCOMPARE(f.viewer.error(), AttachmentViewer::notHereText());
        f.viewer.open(QStringLiteral("m-404"), 0);
        QCOMPARE(f.viewer.error(), AttachmentViewer::notHereText());
        QCOMPARE(changed.size(), 0); // no card moved
        QCOMPARE(f.server.requests.size(), 0);
        QVERIFY(!f.viewer.suggestedSaveUrl(MessageId, 9).fileName().isEmpty());
        f.viewer.release();
    }

    void aLocalEchoUploadReachesItsOneFile()
    {
        Fixture f;
        PendingAttachment photo;
        photo.sourcePath = f.dir.filePath(QStringLiteral("p.jpg"));
        photo.type = AttachmentType{QStringLiteral("image/jpeg"), QStringLiteral("image")};
        photo.name = QStringLiteral("Rash.jpg");
        photo.sourceSize = 4096;
        photo.thumbnail = jpeg(QSize(40, 30), Qt::blue);
        const OutboxEntry entry = f.store.outbox().enqueueAttachment(Conv, QString(), photo);
        f.thread.addPending(entry);
        Bubble bubble(f.thread, QString(), entry.clientId);
        QCOMPARE(bubble.files.rowCount(), 1);
        QCOMPARE(bubble.state(0), AttachmentState::Uploading);
        QCOMPARE(bubble.at(0, MessageAttachmentModel::ThumbnailRole).toString(),
                 QStringLiteral("image://attachment/thumb/p-%1").arg(entry.clientId));
        QSignalSpy changed(&bubble.files, &QAbstractItemModel::dataChanged);
        f.thread.setUploadProgress(entry.clientId, 500, 1000);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changedRows(changed), QList<int>{0});
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{MessageAttachmentModel::ProgressRole});
        QCOMPARE(bubble.progress(0), 0.5);
        f.thread.setUploadProgress(entry.clientId, 1000, 1000);
        QCOMPARE(bubble.state(0), AttachmentState::Sent);
        QCOMPARE(bubble.files.rowCount(), 1);
        // Another message's bubble hears nothing of it.
        Bubble other(f.thread, MessageId);
        QSignalSpy otherChanged(&other.files, &QAbstractItemModel::dataChanged);
        f.thread.setUploadProgress(entry.clientId, 1000, 2000);
        QCOMPARE(otherChanged.size(), 0);
    }
};

QTEST_MAIN(TestThreadFiles)
#include "tst_models_thread_files.moc"
