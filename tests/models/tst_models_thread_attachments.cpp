// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A message's files over a real LocalStore, as a thread row's MessageAttachmentModel shows them: stored messages with
// AttachmentRefs, local echoes with PendingAttachments and their upload progress, downloads, failures, cancelled
// uploads, thumbnails served by the "attachment" image provider; and what AttachmentViewer does without a server.
// Several files in one message: tst_models_thread_files.cpp.
#include "client/attachments/AttachmentTempFiles.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentText.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/thread/MessageAttachmentModel.h"
#include "models/thread/ThreadModel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000001");
const QString Me = QStringLiteral("me");
const QString Them = QStringLiteral("them");

QByteArray jpeg(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor(0x2e, 0x7d, 0x6b));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 80);
    return bytes;
}

AttachmentRef ref(const QString &kind, const QString &mime, const QString &name, qint64 size)
{
    AttachmentRef r;
    r.blobId = QStringLiteral("b0000000-0000-4000-8000-%1").arg(qHash(name) % 1000000000000, 12, 10, QLatin1Char('0'));
    r.key = QByteArray(AttachmentRef::KeyBytes, 'k');
    r.sha256 = QByteArray(32, 's');
    r.size = size;
    r.kind = kind;
    r.mime = mime;
    r.name = name;
    return r;
}

StoredMessage message(qint64 seq, const QString &sender, const QString &body, QList<AttachmentRef> files = {})
{
    StoredMessage stored;
    stored.verification = Verification::Verified;
    Message &m = stored.message;
    m.id = QStringLiteral("m-%1").arg(seq);
    m.clientId = QStringLiteral("client-%1").arg(seq);
    m.conversationId = Conv;
    m.seq = seq;
    m.senderId = sender;
    m.senderName = sender == Me ? QStringLiteral("Dr. Ben Okafor") : QStringLiteral("Sam Lee");
    m.body = body;
    m.sentAt = QDateTime::currentMSecsSinceEpoch() - (100 - seq) * 1000;
    stored.attachments = std::move(files);
    return stored;
}

Conversation conversation(qint64 lastSeq)
{
    Conversation c;
    c.id = Conv;
    c.practiceId = "p";
    c.patientId = Them;
    c.title = "Sam Lee";
    c.lastSeq = lastSeq;
    c.kind = "secure";
    c.members = {Member{Me, "Dr. Ben Okafor", "clinician", lastSeq}, Member{Them, "Sam Lee", "patient", 0}};
    return c;
}

PendingAttachment pendingPhoto(const QString &path)
{
    PendingAttachment p;
    p.sourcePath = path;
    p.type = AttachmentType{QStringLiteral("image/jpeg"), QStringLiteral("image")};
    p.name = QStringLiteral("Rash on forearm.jpg");
    p.sourceSize = 2'516'582; // 2.4 MiB
    p.stripMetadata = true;
    p.width = 1600;
    p.height = 1200;
    p.thumbnail = jpeg(QSize(320, 240));
    return p;
}

struct Fixture {
    QTemporaryDir dir;
    LocalStore store{dir.path()};
    ApiClient api; // no server
    ThreadModel model{&store, &api};
    std::shared_ptr<AttachmentImages> images = std::make_shared<AttachmentImages>();
    AttachmentImageProvider provider{images};
    Fixture()
    {
        QVERIFY(store.open());
        store.setStorageKey(SecretBytes::random(32));
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        api.setToken("t");
        model.setUser(Me, "Dr. Ben Okafor");
        model.setImages(images);
        store.conversations().upsert(conversation(0)); // applyMessage moves lastSeq along
    }
    /// The picture an Image element would get for a role's image:// URL.
    QImage imageAt(const QString &url, QSize requested = {})
    {
        const QString prefix = QStringLiteral("image://%1/").arg(QLatin1String(AttachmentImages::ProviderName));
        if (!url.startsWith(prefix))
            return {};
        QSize size;
        return provider.requestImage(url.mid(prefix.size()), &size, requested);
    }
};

QVariant value(const ThreadModel &m, int row, int role) { return m.index(row).data(role); }
QString text(const ThreadModel &m, int row, int role) { return value(m, row, role).toString(); }
/// A role QML compares with an enum, as that enum.
template<typename Enum>
Enum roleValue(const ThreadModel &m, int row, int role)
{
    return value(m, row, role).value<Enum>();
}
/// A role of a thread row's file (the first unless told), as the row's MessageAttachmentModel gives it; an invalid
/// QVariant when the row has no such file.
QVariant fileValue(ThreadModel &m, int row, int role, int file = 0)
{
    MessageAttachmentModel files;
    files.setThread(&m);
    files.setMessageId(text(m, row, ThreadModel::MessageIdRole));
    files.setClientId(text(m, row, ThreadModel::ClientIdRole));
    return files.index(file).data(role);
}
QString fileText(ThreadModel &m, int row, int role) { return fileValue(m, row, role).toString(); }
template<typename Enum>
Enum fileRole(ThreadModel &m, int row, int role)
{
    return fileValue(m, row, role).value<Enum>();
}
} // namespace

class TestThreadAttachments : public QObject {
    Q_OBJECT
private slots:
    void sizeAndDurationTexts()
    {
        QCOMPARE(AttachmentText::sizeText(1), QStringLiteral("1 byte"));
        QCOMPARE(AttachmentText::sizeText(532), QStringLiteral("532 bytes"));
        // Units of 1024, so the server's limit reads as it is configured: 100 MB.
        QCOMPARE(AttachmentText::sizeText(48 * 1024), QStringLiteral("48 KB"));
        QCOMPARE(AttachmentText::sizeText(900 * 1024), QStringLiteral("900 KB"));
        QCOMPARE(AttachmentText::sizeText(2'516'582), QStringLiteral("2.4 MB"));
        QCOMPARE(AttachmentText::sizeText(104'857'600), QStringLiteral("100 MB"));
        QCOMPARE(AttachmentText::sizeText(qint64(1.1 * 1024 * 1024 * 1024)), QStringLiteral("1.1 GB"));
        QCOMPARE(AttachmentText::durationText(0), QString());
        QCOMPARE(AttachmentText::durationText(7'000), QStringLiteral("0:07"));
        QCOMPARE(AttachmentText::durationText(65'000), QStringLiteral("1:05"));
        QCOMPARE(AttachmentText::durationText(3'723'000), QStringLiteral("1:02:03"));
    }

    void storedMessagesShowTheirFiles()
    {
        Fixture f;
        AttachmentRef pdf = ref("pdf", "application/pdf", "Blood results March.pdf", 2'516'582);
        pdf.pages = 12;
        pdf.thumbnail = jpeg(QSize(210, 297));
        AttachmentRef photo = ref("image", "image/jpeg", "IMG_0042.jpg", 1'800'000);
        photo.width = 1600;
        photo.height = 1200;
        photo.thumbnail = jpeg(QSize(320, 240));
        AttachmentRef video = ref("video", "video/mp4", "Knee exercise.mp4", 12'000'000);
        video.width = 1920;
        video.height = 1080;
        video.durationMs = 65'000;
        f.store.messages().applyMessage(message(1, Them, "Here are my results", {pdf, photo}), Me);
        f.store.messages().applyMessage(message(2, Me, "", {video}), Me);
        f.store.messages().applyMessage(message(3, Them, "Just text"), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QCOMPARE(f.model.rowCount(), 3);

        // Row 2: their PDF and a photo, the text as their caption.
        QCOMPARE(text(f.model, 2, ThreadModel::BodyRole), QStringLiteral("Here are my results"));
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 2, MessageAttachmentModel::KindRole), AttachmentKind::Pdf);
        QCOMPARE(value(f.model, 2, ThreadModel::AttachmentCountRole).toInt(), 2);
        QCOMPARE(fileText(f.model, 2, MessageAttachmentModel::NameRole), QStringLiteral("Blood results March.pdf"));
        QCOMPARE(fileText(f.model, 2, MessageAttachmentModel::SizeTextRole), QStringLiteral("2.4 MB"));
        QCOMPARE(fileText(f.model, 2, MessageAttachmentModel::MimeRole), QStringLiteral("application/pdf"));
        QCOMPARE(fileValue(f.model, 2, MessageAttachmentModel::PagesRole).toInt(), 12);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 2, MessageAttachmentModel::StateRole),
                 AttachmentState::Available);
        QCOMPARE(fileValue(f.model, 2, MessageAttachmentModel::ProgressRole).toDouble(), 0.0);
        QCOMPARE(fileText(f.model, 2, MessageAttachmentModel::ErrorRole), QString());
        const QString thumbnail = fileText(f.model, 2, MessageAttachmentModel::ThumbnailRole);
        QCOMPARE(thumbnail, QStringLiteral("image://attachment/thumb/m-m-1"));
        QCOMPARE(f.imageAt(thumbnail).size(), QSize(210, 297));
        // The provider decodes at the size shown.
        QCOMPARE(f.imageAt(thumbnail, QSize(105, 0)).size(), QSize(105, 148));
        // The photo after it, under a key of its own.
        QCOMPARE(fileValue(f.model, 2, MessageAttachmentModel::KindRole, 1).value<AttachmentKind::Value>(),
                 AttachmentKind::Image);
        const QString photoThumbnail = fileValue(f.model, 2, MessageAttachmentModel::ThumbnailRole, 1).toString();
        QCOMPARE(photoThumbnail, QStringLiteral("image://attachment/thumb/m1-m-1"));
        QCOMPARE(f.imageAt(photoThumbnail).size(), QSize(320, 240));
        // No key, hash or blob id ever reaches QML: every role of the row and of its files is free of them.
        MessageAttachmentModel files;
        files.setThread(&f.model);
        files.setMessageId(QStringLiteral("m-1"));
        QCOMPARE(files.rowCount(), 2);
        for (int role : f.model.roleNames().keys()) {
            const QString shown = text(f.model, 2, role);
            QVERIFY(!shown.contains(pdf.blobId));
            QVERIFY(!shown.contains(QString::fromLatin1(pdf.key.toBase64())));
        }
        for (int file = 0; file < files.rowCount(); ++file) {
            for (int role : files.roleNames().keys()) {
                const QString shown = files.index(file).data(role).toString();
                QVERIFY(!shown.contains(pdf.blobId) && !shown.contains(photo.blobId));
                QVERIFY(!shown.contains(QString::fromLatin1(pdf.key.toBase64())));
            }
        }

        // Row 1: my video without a caption or thumbnail.
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 1, MessageAttachmentModel::KindRole), AttachmentKind::Video);
        QCOMPARE(value(f.model, 1, ThreadModel::AttachmentCountRole).toInt(), 1);
        QCOMPARE(fileText(f.model, 1, MessageAttachmentModel::DurationTextRole), QStringLiteral("1:05"));
        QCOMPARE(fileValue(f.model, 1, MessageAttachmentModel::WidthRole).toInt(), 1920);
        QCOMPARE(fileValue(f.model, 1, MessageAttachmentModel::HeightRole).toInt(), 1080);
        QCOMPARE(fileText(f.model, 1, MessageAttachmentModel::ThumbnailRole), QString());
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 1, MessageAttachmentModel::StateRole),
                 AttachmentState::Sent);
        QCOMPARE(fileValue(f.model, 1, MessageAttachmentModel::ProgressRole).toDouble(), 1.0);

        // Row 0: text only.
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 0, MessageAttachmentModel::KindRole), AttachmentKind::None);
        QCOMPARE(value(f.model, 0, ThreadModel::AttachmentCountRole).toInt(), 0);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::None);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole), QString());

        // Another conversation: the thumbnails of this one go.
        f.model.close();
        QVERIFY(f.imageAt(thumbnail).isNull());
    }

    void filesOfAMessageThatDidNotVerifyNeverShow()
    {
        Fixture f;
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        AttachmentRef photo = ref("image", "image/jpeg", "x.jpg", 1000);
        photo.thumbnail = jpeg(QSize(32, 32));
        StoredMessage forged = message(1, Them, "", {photo});
        forged.verification = Verification::Unverifiable;
        forged.check = MessageCheck::BadSignature;
        f.model.addMessage(forged);
        QCOMPARE(f.model.rowCount(), 1);
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 0, MessageAttachmentModel::KindRole), AttachmentKind::None);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole), QString());
        QVERIFY(!f.images->hasThumbnail(AttachmentImages::messageKey("m-1")));

        // A message whose key arrives later shows its file once it opens.
        StoredMessage waiting = message(2, Them, "");
        waiting.verification = Verification::KeyPending;
        f.model.addMessage(waiting);
        MessageAttachmentModel files; // the bubble's, made while the message was still closed
        files.setThread(&f.model);
        files.setMessageId(QStringLiteral("m-2"));
        QCOMPARE(files.rowCount(), 0);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&files, &QAbstractItemModel::rowsInserted);
        StoredMessage opened = message(2, Them, "The photo", {photo});
        f.model.updateMessage(opened);
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 0, MessageAttachmentModel::KindRole), AttachmentKind::Image);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::NameRole), QStringLiteral("x.jpg"));
        QCOMPARE(changed.size(), 1);
        QVERIFY(changed.first().at(2).value<QList<int>>().contains(ThreadModel::AttachmentCountRole));
        QCOMPARE(value(f.model, 0, ThreadModel::AttachmentCountRole).toInt(), 1);
        QCOMPARE(inserted.size(), 1); // the bubble's model follows: its file appears
        QCOMPARE(files.rowCount(), 1);
        QCOMPARE(f.imageAt(fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole)).size(), QSize(32, 32));
    }

    void pendingEchoShowsItsUpload()
    {
        Fixture f;
        f.store.messages().applyMessage(message(1, Them, "Can you send a photo?"), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry entry = f.store.outbox().enqueueAttachment(Conv, QStringLiteral("This morning"),
                                                                     pendingPhoto(f.dir.filePath("photo.jpg")));
        QCOMPARE(entry.state, OutboxEntry::State::Pending);
        f.model.addPending(entry);
        QCOMPARE(f.model.rowCount(), 2);
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QStringLiteral("This morning"));
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 0, MessageAttachmentModel::KindRole), AttachmentKind::Image);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::NameRole), QStringLiteral("Rash on forearm.jpg"));
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::SizeTextRole), QStringLiteral("2.4 MB"));
        QCOMPARE(fileValue(f.model, 0, MessageAttachmentModel::WidthRole).toInt(), 1600);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Uploading);
        QCOMPARE(fileValue(f.model, 0, MessageAttachmentModel::ProgressRole).toDouble(), 0.0);
        const QString thumbnail = fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole);
        QCOMPARE(thumbnail, QStringLiteral("image://attachment/thumb/p-%1").arg(entry.clientId));
        QCOMPARE(f.imageAt(thumbnail).size(), QSize(320, 240));

        // Outbox::uploadProgress moves only the file's progress (the thread's own roles stay).
        MessageAttachmentModel files;
        files.setThread(&f.model);
        files.setClientId(entry.clientId);
        QSignalSpy rowChanged(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy changed(&files, &QAbstractItemModel::dataChanged);
        f.model.setUploadProgress(entry.clientId, 250, 1000);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), (QList<int>{MessageAttachmentModel::ProgressRole}));
        QCOMPARE(rowChanged.size(), 0);
        QCOMPARE(fileValue(f.model, 0, MessageAttachmentModel::ProgressRole).toDouble(), 0.25);
        f.model.setUploadProgress(entry.clientId, 250, 1000);
        QCOMPARE(changed.size(), 1); // nothing new, no signal
        f.model.setUploadProgress(entry.clientId, 1000, 1000);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Sent);
        QCOMPARE(fileValue(f.model, 0, MessageAttachmentModel::ProgressRole).toDouble(), 1.0);

        // The same entry read back from the store (the app restarted) shows the same.
        f.model.open(Conv);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::NameRole), QStringLiteral("Rash on forearm.jpg"));
        QCOMPARE(f.imageAt(fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole)).size(), QSize(320, 240));
    }

    void failedUploadSaysWhy()
    {
        Fixture f;
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry entry =
            f.store.outbox().enqueueAttachment(Conv, QString(), pendingPhoto(f.dir.filePath("p.jpg")));
        f.model.addPending(entry);
        f.model.setUploadProgress(entry.clientId, 100, 1000);
        const QString sentence = QStringLiteral("The practice's storage is full. Ask the practice to make room.");
        MessageAttachmentModel files;
        files.setThread(&f.model);
        files.setClientId(entry.clientId);
        QSignalSpy changed(&files, &QAbstractItemModel::dataChanged);
        f.model.failMessage(entry.clientId, sentence);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(),
                 (QList<int>{MessageAttachmentModel::ProgressRole, MessageAttachmentModel::StateRole,
                             MessageAttachmentModel::ErrorRole}));
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Failed);
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::ErrorRole), sentence);
        QCOMPARE(fileValue(f.model, 0, MessageAttachmentModel::ProgressRole).toDouble(), 0.0);
    }

    void confirmationKeepsTheCard()
    {
        Fixture f;
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry entry =
            f.store.outbox().enqueueAttachment(Conv, QStringLiteral("Photo"), pendingPhoto(f.dir.filePath("p.jpg")));
        f.model.addPending(entry);
        f.model.setUploadProgress(entry.clientId, 1000, 1000);

        // The server's confirmation; this one does not list the file (the card stays under the message's id).
        StoredMessage confirmed = message(4, Me, "Photo");
        confirmed.message.clientId = entry.clientId;
        // The echo's bubble, which learns the message's id only after the thread said so.
        MessageAttachmentModel files;
        files.setThread(&f.model);
        files.setClientId(entry.clientId);
        QSignalSpy changed(&files, &QAbstractItemModel::dataChanged);
        f.model.confirmMessage(entry.clientId, confirmed);
        QCOMPARE(f.model.rowCount(), 1);
        QCOMPARE(text(f.model, 0, ThreadModel::MessageIdRole), QStringLiteral("m-4"));
        QCOMPARE(fileRole<AttachmentKind::Value>(f.model, 0, MessageAttachmentModel::KindRole), AttachmentKind::Image);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Sent);
        const QString thumbnail = fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole);
        QCOMPARE(thumbnail, QStringLiteral("image://attachment/thumb/m-m-4"));
        QCOMPARE(f.imageAt(thumbnail).size(), QSize(320, 240));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), (QList<int>{MessageAttachmentModel::ThumbnailRole}));
        QCOMPARE(files.index(0).data(MessageAttachmentModel::ThumbnailRole).toString(), thumbnail);
        files.setMessageId(QStringLiteral("m-4"));
        QCOMPARE(changed.size(), 1); // the same file, found by its id now

        // One that lists it: the sent reference is what the row shows (its exact size after metadata stripping).
        const OutboxEntry second =
            f.store.outbox().enqueueAttachment(Conv, QString(), pendingPhoto(f.dir.filePath("q.jpg")));
        f.model.addPending(second);
        AttachmentRef sent = ref("image", "image/jpeg", "Rash on forearm.jpg", 2'411'725); // 2.3 MiB
        StoredMessage listed = message(5, Me, "", {sent});
        listed.message.clientId = second.clientId;
        f.model.confirmMessage(second.clientId, listed);
        QCOMPARE(text(f.model, 0, ThreadModel::MessageIdRole), QStringLiteral("m-5"));
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::SizeTextRole), QStringLiteral("2.3 MB"));
        QCOMPARE(fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole), QString()); // the reference carries none
    }

    void downloadStates()
    {
        Fixture f;
        AttachmentRef pdf = ref("pdf", "application/pdf", "Letter.pdf", 48'000);
        f.store.messages().applyMessage(message(1, Them, "", {pdf}), Me);
        f.store.messages().applyMessage(message(2, Them, "after"), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QSignalSpy rowChanged(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy changed(&f.model, &ThreadModel::filesChanged);
        f.model.setDownload("m-1", 0, ThreadModel::Download::Downloading, 0.3);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toString(), QStringLiteral("m-1"));
        QCOMPARE(rowChanged.size(), 0); // the thread's own roles stay; the file's model reads the change
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 1, MessageAttachmentModel::StateRole),
                 AttachmentState::Downloading);
        QCOMPARE(fileValue(f.model, 1, MessageAttachmentModel::ProgressRole).toDouble(), 0.3);
        f.model.setDownload("m-1", 0, ThreadModel::Download::Ready, 1);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 1, MessageAttachmentModel::StateRole),
                 AttachmentState::Ready);
        const QString damaged =
            QStringLiteral("This attachment was damaged on its way; ask the sender to send it again.");
        f.model.setDownload("m-1", 0, ThreadModel::Download::Failed, 0, damaged);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 1, MessageAttachmentModel::StateRole),
                 AttachmentState::Failed);
        QCOMPARE(fileText(f.model, 1, MessageAttachmentModel::ErrorRole), damaged);
        f.model.setDownload("m-1", 0, ThreadModel::Download::None);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 1, MessageAttachmentModel::StateRole),
                 AttachmentState::Available);
        QCOMPARE(fileText(f.model, 1, MessageAttachmentModel::ErrorRole), QString());
        // A message without a file, or one not shown, is left alone; so is a file the message does not carry.
        changed.clear();
        f.model.setDownload("m-2", 0, ThreadModel::Download::Downloading, 0.5);
        f.model.setDownload("m-404", 0, ThreadModel::Download::Downloading, 0.5);
        f.model.setDownload("m-1", 1, ThreadModel::Download::Downloading, 0.5);
        f.model.setDownload("m-1", -1, ThreadModel::Download::Downloading, 0.5);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(rowChanged.size(), 0);
    }

    void cancelledUploadLeavesTheThread()
    {
        // A real Outbox, paused (no session): cancel drops the entry and the echo goes with it.
        Fixture f;
        Outbox outbox(&f.store, &f.api);
        connect(&outbox, &Outbox::cancelled, &f.model, &ThreadModel::removePending);
        AttachmentTempFiles files(f.dir.filePath("temp"));
        AttachmentViewer viewer(&f.store, &f.api, &f.model, f.images, &files);
        viewer.setOutbox(&outbox);
        f.store.messages().applyMessage(message(1, Them, "Send it please"), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry entry = outbox.enqueueAttachment(Conv, QString(), pendingPhoto(f.dir.filePath("p.jpg")));
        f.model.addPending(entry);
        QCOMPARE(f.model.rowCount(), 2);
        const QString thumbnail = fileText(f.model, 0, MessageAttachmentModel::ThumbnailRole);
        viewer.cancelUpload(entry.clientId);
        QCOMPARE(f.model.rowCount(), 1);
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QStringLiteral("Send it please"));
        QVERIFY(!f.store.outbox().entry(entry.clientId));
        QVERIFY(f.imageAt(thumbnail).isNull());
    }

    void viewerWithoutTheFile()
    {
        Fixture f;
        AttachmentTempFiles files(f.dir.filePath("temp"));
        AttachmentViewer viewer(&f.store, &f.api, &f.model, f.images, &files);
        f.store.messages().applyMessage(message(1, Them, "Only words"), Me);
        f.model.open(Conv);
        QSignalSpy state(&viewer, &AttachmentViewer::stateChanged);
        viewer.open("m-1");
        QCOMPARE(viewer.stateValue(), AttachmentState::Failed);
        QCOMPARE(viewer.error(), AttachmentViewer::notHereText());
        QVERIFY(!viewer.canRetry()); // a message without a file has none to fetch, however often it is tried
        viewer.saveCopy("m-1", 0, QUrl::fromLocalFile(f.dir.filePath("copy")));
        QVERIFY(viewer.saveFailed());
        QCOMPARE(viewer.saveMessage(), AttachmentViewer::openFirstText());
        QVERIFY(!QFileInfo::exists(f.dir.filePath("copy")));
        viewer.release();
        QCOMPARE(viewer.stateValue(), AttachmentState::None);
        QCOMPARE(viewer.messageId(), QString());
        QCOMPARE(viewer.index(), -1);
    }

    void viewerDownloadCanBeStopped()
    {
        // No server answers: the card and the viewer say it is on its way until the person stops it.
        Fixture f;
        AttachmentTempFiles files(f.dir.filePath("temp"));
        AttachmentViewer viewer(&f.store, &f.api, &f.model, f.images, &files);
        AttachmentRef pdf = ref("pdf", "application/pdf", "Referral letter.pdf", 48 * 1024);
        pdf.thumbnail = jpeg(QSize(60, 80));
        f.store.messages().applyMessage(message(1, Them, "", {pdf}), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        viewer.open("m-1");
        QCOMPARE(viewer.messageId(), QStringLiteral("m-1"));
        QCOMPARE(viewer.index(), 0);
        QCOMPARE(viewer.kindValue(), AttachmentKind::Pdf);
        QCOMPARE(viewer.name(), QStringLiteral("Referral letter.pdf"));
        QCOMPARE(viewer.sizeText(), QStringLiteral("48 KB"));
        QCOMPARE(viewer.thumbnail(), QStringLiteral("image://attachment/thumb/m-m-1"));
        QCOMPARE(viewer.stateValue(), AttachmentState::Downloading);
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Downloading);
        QCOMPARE(viewer.suggestedSaveUrl("m-1", 0).fileName(), QStringLiteral("Referral letter.pdf"));
        viewer.cancel();
        QCOMPARE(viewer.stateValue(), AttachmentState::None);
        QCOMPARE(viewer.messageId(), QString());
        QCOMPARE(fileRole<AttachmentState::Value>(f.model, 0, MessageAttachmentModel::StateRole),
                 AttachmentState::Available);
        QVERIFY(files.files().isEmpty());
    }
};

QTEST_MAIN(TestThreadAttachments)
#include "tst_models_thread_attachments.moc"
