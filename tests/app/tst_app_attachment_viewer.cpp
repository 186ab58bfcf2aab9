// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The thread's cards and the attachment viewer between two whole apps, the real larch-server (--demo) and a real
// keyring (tests/support/run-with-keyring.sh): a clinician's photo and PDF arrive as cards with their thumbnails; the
// patient opens them (a photo decrypted into memory and served by the image provider, a PDF into a private
// temporary file that goes on release), saves a copy identical to what was sent; uploads show progress and can be
// cancelled from the thread; a damaged file says so on its card; photos stored turned (all eight EXIF orientations,
// JPEG, PNG and WebP) show as they were taken on the card, in the viewer and in the saved copy; a message carrying
// three files shows three cards, and each opens (downloaded and decrypted with its own key) on its own.
#include "AppTestKit.h"
#include "client/attachments/AttachmentDownload.h"
#include "client/attachments/AttachmentUpload.h"
#include "client/e2ee/SecureSync.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "client/sync/SyncEngine.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "models/app/AppController.h"
#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/thread/MessageAttachmentModel.h"
#include "models/thread/ThreadModel.h"
#include "OrientedPhotos.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QPdfDocument>
#include <QPdfWriter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
constexpr int LongWait = 60000;

QByteArray sha256(const QByteArray &bytes) { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256); }

QByteArray jpeg(QSize size, QColor colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QPainter(&image).fillRect(QRect(QPoint(0, 0), size / 2), Qt::white); // not one flat colour
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 85);
    return bytes;
}

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

QString writePdf(const QString &path, int pages)
{
    QPdfWriter writer(path);
    writer.setResolution(72);
    QPainter painter(&writer);
    for (int page = 0; page < pages; ++page) {
        if (page > 0)
            writer.newPage();
        painter.drawText(QPointF(60, 100), QStringLiteral("Referral letter, page %1").arg(page + 1));
    }
    painter.end();
    return path;
}

PendingAttachment pending(const QString &path, const QString &name, const QString &mime, const QString &kind)
{
    PendingAttachment p;
    p.sourcePath = path;
    p.type = AttachmentType{mime, kind};
    p.name = name;
    p.sourceSize = QFileInfo(path).size();
    return p;
}

/// The row of the thread whose client id this is; -1 when it is not there.
int rowOfClient(const ThreadModel &thread, const QString &clientId)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        if (thread.index(row).data(ThreadModel::ClientIdRole).toString() == clientId)
            return row;
    }
    return -1;
}

QString roleOf(const ThreadModel &thread, const QString &clientId, int role)
{
    const int row = rowOfClient(thread, clientId);
    return row < 0 ? QString() : thread.index(row).data(role).toString();
}

/// A role of the first file of the message with this client id, as its bubble's MessageAttachmentModel shows it;
/// "" when the thread does not show the message or it carries no file.
QString fileRoleOf(ThreadModel &thread, const QString &clientId, int role)
{
    MessageAttachmentModel files;
    files.setThread(&thread);
    files.setClientId(clientId);
    return files.index(0).data(role).toString();
}

/// The row of the thread whose first file has this name; -1 when none has.
int rowOfAttachment(ThreadModel &thread, const QString &name)
{
    for (int row = 0; row < thread.rowCount(); ++row) {
        const QString clientId = thread.index(row).data(ThreadModel::ClientIdRole).toString();
        if (fileRoleOf(thread, clientId, MessageAttachmentModel::NameRole) == name)
            return row;
    }
    return -1;
}

/// A saved file as a photo viewer outside Larch shows it: EXIF orientation applied.
QImage shownByAnotherViewer(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    return reader.read();
}

/// What an Image element gets for an image://attachment/… URL from the app's provider.
QImage providedImage(const AppController &app, const QString &url)
{
    const QString prefix = QStringLiteral("image://attachment/");
    if (!url.startsWith(prefix))
        return {};
    AttachmentImageProvider provider(app.attachmentImages());
    QSize size;
    return provider.requestImage(url.mid(prefix.size()), &size, {});
}
} // namespace

/// Files opened from the thread between two whole apps and the real server.
class TestAppAttachmentViewer : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_benDir, m_samDir, m_files;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<AppController> m_ben, m_sam;
    QString m_conv;
    QString m_pdfClientId;

    QString url() const { return m_server.baseUrl(); }
    Outbox *benOutbox() const { return m_ben->sync()->outbox(); }
    ThreadModel &benThread() const { return *m_ben->thread(); }
    ThreadModel &samThread() const { return *m_sam->thread(); }
    AttachmentViewer &samViewer() const { return *m_sam->attachments(); }

    /// Ben sends a file; true once the server confirmed it and the patient's thread shows it, opened.
    bool sendAndReceive(const OutboxEntry &entry)
    {
        const bool ok = QTest::qWaitFor(
            [&] {
                return !m_ben->store()->outbox().entry(entry.clientId)
                    && roleOf(samThread(), entry.clientId, ThreadModel::VerificationRole) == QLatin1String("verified")
                    && !fileRoleOf(samThread(), entry.clientId, MessageAttachmentModel::KindRole).isEmpty();
            },
            LongWait);
        if (!ok) {
            const auto stored = m_sam->store()->messages().messageByClientId(entry.clientId);
            const auto benEntry = m_ben->store()->outbox().entry(entry.clientId);
            qWarning("ben's entry: %s %s; check at sam: %s", benEntry ? "pending" : "gone",
                     benEntry ? qPrintable(benEntry->failureReason) : "",
                     stored ? qPrintable(describe(stored->check)) : "");
            qWarning("in ben's outbox: %d; at sam: row %d, verification %s, kind %s; stored %d, attachments %d",
                     int(m_ben->store()->outbox().entry(entry.clientId).has_value()),
                     rowOfClient(samThread(), entry.clientId),
                     qPrintable(roleOf(samThread(), entry.clientId, ThreadModel::VerificationRole)),
                     qPrintable(fileRoleOf(samThread(), entry.clientId, MessageAttachmentModel::KindRole)),
                     int(stored.has_value()), stored ? int(stored->attachments.size()) : -1);
        }
        return ok;
    }

private slots:
    void initTestCase()
    {
        initCrypto();
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        signInBenAndSam(url(), m_benDir.path(), m_samDir.path(), m_ben, m_sam, m_conv);
        if (QTest::currentTestFailed())
            return;
        m_ben->current()->open(m_conv);
        QTRY_VERIFY_WITH_TIMEOUT(m_sam->conversationList()->conversation(m_conv), NetworkWait);
        m_sam->current()->open(m_conv);
        QCOMPARE(samThread().conversationId(), m_conv);
        // A text first: the patient's device holds the conversation's key before any file goes.
        const OutboxEntry hello = m_ben->sync()->send(m_conv, QStringLiteral("Your photo and letter follow."));
        QTRY_VERIFY_WITH_TIMEOUT(
            roleOf(samThread(), hello.clientId, ThreadModel::VerificationRole) == QLatin1String("verified"), LongWait);
    }

    void photoOpensFromMemory()
    {
        const QByteArray photo = jpeg(QSize(640, 480), QColor(0xc0, 0x60, 0x50));
        PendingAttachment file =
            pending(writeFile(m_files.filePath("rash.jpg"), photo), "rash.jpg", "image/jpeg", "image");
        file.stripMetadata = true;
        file.width = 640;
        file.height = 480;
        file.thumbnail = jpeg(QSize(160, 120), QColor(0xc0, 0x60, 0x50));
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QStringLiteral("The rash today"), file);
        // The echo shows at once in the sender's thread, with its thumbnail.
        QTRY_VERIFY_WITH_TIMEOUT(rowOfClient(benThread(), entry.clientId) >= 0, NetworkWait);
        QCOMPARE(fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::KindRole), QStringLiteral("image"));
        QCOMPARE(providedImage(*m_ben, fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::ThumbnailRole))
                     .size(),
                 QSize(160, 120));
        QVERIFY(sendAndReceive(entry));
        QTRY_COMPARE_WITH_TIMEOUT(fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::StateRole),
                                  QStringLiteral("sent"), NetworkWait);
        QVERIFY(!roleOf(benThread(), entry.clientId, ThreadModel::MessageIdRole).isEmpty());

        // The patient's card: the photo's details and the sender's thumbnail, nothing downloaded yet.
        ThreadModel &thread = samThread();
        QCOMPARE(roleOf(thread, entry.clientId, ThreadModel::BodyRole), QStringLiteral("The rash today"));
        QCOMPARE(fileRoleOf(thread, entry.clientId, MessageAttachmentModel::NameRole), QStringLiteral("rash.jpg"));
        QCOMPARE(fileRoleOf(thread, entry.clientId, MessageAttachmentModel::WidthRole), QStringLiteral("640"));
        QCOMPARE(fileRoleOf(thread, entry.clientId, MessageAttachmentModel::StateRole), QStringLiteral("available"));
        const QString thumbnail = fileRoleOf(thread, entry.clientId, MessageAttachmentModel::ThumbnailRole);
        QCOMPARE(providedImage(*m_sam, thumbnail).size(), QSize(160, 120));

        const QString messageId = roleOf(thread, entry.clientId, ThreadModel::MessageIdRole);
        const AttachmentRef ref = m_sam->store()->messages().messageById(messageId)->attachments.constFirst();
        samViewer().open(messageId);
        QCOMPARE(samViewer().kind(), QStringLiteral("image"));
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("ready"), NetworkWait);
        QCOMPARE(fileRoleOf(thread, entry.clientId, MessageAttachmentModel::StateRole), QStringLiteral("ready"));
        QCOMPARE(samViewer().progress(), 1.0);
        // In memory, served by id: the photo itself, at full size; no file was written for it.
        QCOMPARE(samViewer().source(), QUrl(AttachmentImages::fullUrl(messageId)));
        QCOMPARE(providedImage(*m_sam, samViewer().source().toString()).size(), QSize(640, 480));
        QCOMPARE(samViewer().filePath(), QString());

        const QString copy = m_files.filePath("saved-rash.jpg");
        QSignalSpy saved(&samViewer(), &AttachmentViewer::saved);
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(copy));
        QVERIFY(saved.wait(NetworkWait)); // written on a worker thread
        QVERIFY(!samViewer().isSaving());
        QVERIFY(!samViewer().saveFailed());
        QVERIFY(samViewer().saveMessage().contains(QStringLiteral("saved-rash.jpg")));
        QCOMPARE(sha256(bytesOf(copy)), sha256(photo)); // Qt's JPEG has no metadata: nothing was stripped

        samViewer().release();
        QCOMPARE(samViewer().state(), QString());
        QVERIFY(m_sam->attachmentImages()->full(messageId).isEmpty());
        QVERIFY(providedImage(*m_sam, AttachmentImages::fullUrl(messageId)).isNull());
        QCOMPARE(fileRoleOf(thread, entry.clientId, MessageAttachmentModel::StateRole), QStringLiteral("available"));
    }

    void photosArriveAsTheyWereTaken_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("orientation");
        for (const char *format : {"jpg", "png", "webp"})
            for (int n = 1; n <= 8; ++n)
                QTest::addRow("%s %d", format, n) << QString::fromLatin1(format) << n;
    }
    void photosArriveAsTheyWereTaken()
    {
        QFETCH(QString, format);
        QFETCH(int, orientation);
        namespace img = testimages;
        const QByteArray stored = format == QLatin1String("jpg") ? img::orientedJpeg(orientation)
            : format == QLatin1String("png")                     ? img::orientedPng(orientation)
                                                                 : img::orientedWebp(orientation);
        const QString name = QStringLiteral("turned-%1.%2").arg(orientation).arg(format);
        // Through the compose bar, as a clinician adds a photo.
        ComposeAttachmentModel *chips = m_ben->compose()->attachments();
        QCOMPARE(chips->add({QUrl::fromLocalFile(writeFile(m_files.filePath(name), stored))}), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!chips->preparing(), LongWait);
        QCOMPARE(chips->rowCount(), 1);
        QVERIFY2(m_ben->compose()->send(), qPrintable(m_ben->compose()->error()));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfAttachment(samThread(), name) >= 0, LongWait);
        const QModelIndex card = samThread().index(rowOfAttachment(samThread(), name));
        QTRY_COMPARE_WITH_TIMEOUT(card.data(ThreadModel::VerificationRole).toString(), QStringLiteral("verified"),
                                  LongWait);

        // The card: the shown size and the sender's thumbnail are the scene as taken.
        const QString clientId = card.data(ThreadModel::ClientIdRole).toString();
        QCOMPARE(fileRoleOf(samThread(), clientId, MessageAttachmentModel::WidthRole).toInt(), 128);
        QCOMPARE(fileRoleOf(samThread(), clientId, MessageAttachmentModel::HeightRole).toInt(), 64);
        QString difference = img::differenceFromScene(
            providedImage(*m_sam, fileRoleOf(samThread(), clientId, MessageAttachmentModel::ThumbnailRole)));
        QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("card: ") + difference));

        // The viewer: the photo itself, decoded by the app.
        const QString messageId = card.data(ThreadModel::MessageIdRole).toString();
        samViewer().open(messageId);
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("ready"), NetworkWait);
        difference = img::differenceFromScene(providedImage(*m_sam, samViewer().source().toString()));
        QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("viewer: ") + difference));

        // The saved copy, in any other viewer: upright too, and with nothing of the camera's EXIF but the turn.
        const QString copy = m_files.filePath(QStringLiteral("saved-") + name);
        QSignalSpy saved(&samViewer(), &AttachmentViewer::saved);
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(copy));
        QVERIFY(saved.wait(NetworkWait));
        difference = img::differenceFromScene(shownByAnotherViewer(copy));
        QVERIFY2(difference.isEmpty(), qPrintable(QStringLiteral("saved copy: ") + difference));
        QVERIFY(!bytesOf(copy).contains(img::Canary));
        samViewer().release();
    }

    void pdfOpensFromAPrivateFileRemovedOnRelease()
    {
        const QString path = writePdf(m_files.filePath("Referral.pdf"), 2);
        PendingAttachment file = pending(path, "Referral.pdf", "application/pdf", "pdf");
        file.pages = 2;
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QString(), file);
        QVERIFY(sendAndReceive(entry));
        m_pdfClientId = entry.clientId;
        QCOMPARE(fileRoleOf(samThread(), entry.clientId, MessageAttachmentModel::PagesRole), QStringLiteral("2"));
        const QString messageId = roleOf(samThread(), entry.clientId, ThreadModel::MessageIdRole);

        samViewer().open(messageId);
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("ready"), NetworkWait);
        const QUrl source = samViewer().source();
        QVERIFY(source.isLocalFile());
        const QString decrypted = source.toLocalFile();
        QCOMPARE(sha256(bytesOf(decrypted)), sha256(bytesOf(path)));
        QCOMPARE(QFileInfo(decrypted).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        // What the in-app viewer reads: a PDF of two pages.
        QPdfDocument pdf;
        QCOMPARE(pdf.load(decrypted), QPdfDocument::Error::None);
        QCOMPARE(pdf.pageCount(), 2);
        pdf.close();

        // A folder that is not there: Larch says so in its own words, with what to do, and writes nothing.
        const QString nowhere = m_files.filePath("no-such-folder/referral.pdf");
        QSignalSpy saving(&samViewer(), &AttachmentViewer::savingChanged);
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(nowhere));
        QVERIFY(QTest::qWaitFor([&] { return saving.count() == 2; }, NetworkWait));
        QVERIFY(samViewer().saveFailed());
        QCOMPARE(samViewer().saveMessage(),
                 QStringLiteral("The copy couldn't be saved: the folder %1 doesn't exist. Choose a folder that "
                                "exists, or make this one, and save again.")
                     .arg(QDir::toNativeSeparators(m_files.filePath("no-such-folder"))));
        QVERIFY(!QFileInfo::exists(nowhere));
        QVERIFY(QFileInfo::exists(decrypted));
        saving.clear();

        // A name that is a folder: the sentence says to type a file name.
        const QString folderName = m_files.filePath("a-folder");
        QVERIFY(QDir().mkpath(folderName));
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(folderName));
        QVERIFY(QTest::qWaitFor([&] { return saving.count() == 2; }, NetworkWait));
        QCOMPARE(samViewer().saveMessage(),
                 QStringLiteral("The copy couldn't be saved: “a-folder” is a folder. Type "
                                "a file name after the folder and save again."));
        saving.clear();

        const QString copy = m_files.filePath("saved-referral.pdf");
        QSignalSpy saved(&samViewer(), &AttachmentViewer::saved);
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(copy));
        QVERIFY(samViewer().isSaving());
        QCOMPARE(samViewer().saveMessage(), QStringLiteral("Saving a copy to %1…").arg(QDir::toNativeSeparators(copy)));
        // One copy at a time: a second asks to wait and changes nothing.
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(m_files.filePath("second.pdf")));
        QVERIFY(samViewer().saveFailed());
        QCOMPARE(samViewer().saveMessage(),
                 QStringLiteral("A copy is still being saved. Wait for it to finish, then save another."));
        // The viewer closing while the copy is written keeps the decrypted file until the copy is done.
        samViewer().release();
        QVERIFY(QFileInfo::exists(decrypted)); // the copy reports through the event loop, not run yet
        QVERIFY(saved.wait(NetworkWait));
        QCOMPARE(saving.count(), 2);
        QVERIFY(!samViewer().saveFailed());
        QCOMPARE(samViewer().saveMessage(), QStringLiteral("Saved a copy to %1.").arg(QDir::toNativeSeparators(copy)));
        QCOMPARE(bytesOf(copy), bytesOf(path));
        QVERIFY(!QFileInfo::exists(m_files.filePath("second.pdf")));
        QVERIFY(!QFileInfo::exists(decrypted));
        QCOMPARE(samViewer().source(), QUrl());
        QCOMPARE(fileRoleOf(samThread(), entry.clientId, MessageAttachmentModel::StateRole),
                 QStringLiteral("available"));
    }

    void aMessageWithThreeFilesOpensEachOnItsOwn()
    {
        // Another app may send several files in one message: Ben's device uploads three and seals them together.
        QByteArray scan(150 * 1024, '\0');
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(scan.data()), scan.size() / 4);
        const QByteArray photo = jpeg(QSize(320, 240), QColor(0x40, 0x80, 0xc0));
        const QList<PendingAttachment> files{
            pending(writeFile(m_files.filePath("three-photo.jpg"), photo), "Photo.jpg", "image/jpeg", "image"),
            pending(writePdf(m_files.filePath("three-letter.pdf"), 1), "Letter.pdf", "application/pdf", "pdf"),
            pending(writeFile(m_files.filePath("three-scan.pdf"), scan), "Scan.pdf", "application/pdf", "pdf")};
        QList<AttachmentRef> refs;
        for (const PendingAttachment &file : files) {
            AttachmentUpload upload(m_ben->store(), m_ben->api(), newId(), m_conv, file);
            std::optional<AttachmentRef> ref;
            connect(&upload, &AttachmentUpload::finished, this, [&](const AttachmentRef &done) { ref = done; });
            upload.start();
            QTRY_VERIFY_WITH_TIMEOUT(ref.has_value(), LongWait);
            refs << *ref;
        }
        const QString clientId = newId();
        std::optional<QJsonObject> envelope;
        bool sealed = false;
        m_ben->sync()->secure()->sealContent(
            m_conv, clientId, MessageContent{QStringLiteral("Three files"), refs},
            [&](const std::optional<QJsonObject> &made, const EpochPlanner::Failure &) {
                envelope = made;
                sealed = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(sealed, NetworkWait);
        QVERIFY(envelope);
        std::optional<ApiResult> posted;
        m_ben->api()->postEnvelope(m_conv, clientId, *envelope, this, [&](const ApiResult &r) { posted = r; });
        QTRY_VERIFY_WITH_TIMEOUT(posted.has_value(), NetworkWait);
        QVERIFY2(posted->ok(), qPrintable(posted->error.sentence));

        // The patient's thread: one message, three cards.
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(samThread(), clientId, ThreadModel::AttachmentCountRole), QStringLiteral("3"),
                                  LongWait);
        const QString messageId = roleOf(samThread(), clientId, ThreadModel::MessageIdRole);
        MessageAttachmentModel bubble;
        bubble.setThread(&samThread());
        bubble.setMessageId(messageId);
        QCOMPARE(bubble.rowCount(), 3);
        const auto fileRole = [&](int file, int role) { return bubble.index(file).data(role).toString(); };
        QCOMPARE(fileRole(2, MessageAttachmentModel::NameRole), QStringLiteral("Scan.pdf"));

        // Opening the third decrypts the third, with its own key; its card alone moves.
        samViewer().open(messageId, 2);
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("ready"), NetworkWait);
        QCOMPARE(bytesOf(samViewer().filePath()), scan);
        QCOMPARE(fileRole(2, MessageAttachmentModel::StateRole), QStringLiteral("ready"));
        QCOMPARE(fileRole(0, MessageAttachmentModel::StateRole), QStringLiteral("available"));
        QCOMPARE(fileRole(1, MessageAttachmentModel::StateRole), QStringLiteral("available"));

        // Then the photo: into memory, the scan's copy let go.
        const QString scanCopy = samViewer().filePath();
        samViewer().open(messageId, 0);
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("ready"), NetworkWait);
        QCOMPARE(m_sam->attachmentImages()->full(messageId, 0), photo);
        QVERIFY(!QFileInfo::exists(scanCopy));
        QCOMPARE(fileRole(2, MessageAttachmentModel::StateRole), QStringLiteral("available"));
        QCOMPARE(fileRole(0, MessageAttachmentModel::StateRole), QStringLiteral("ready"));
        samViewer().release();
    }

    void uploadProgressAndCancelInTheThread()
    {
        QByteArray bytes(2 * 1024 * 1024, '\0');
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        const QString path = writeFile(m_files.filePath("scan.pdf"), bytes);
        bool held = false;
        benOutbox()->setUploadHook([&held](AttachmentUpload &upload) {
            upload.setRequestBytes(256 * 1024);
            upload.setHoldAfterRequests(1);
            QObject::connect(&upload, &AttachmentUpload::held, [&held] { held = true; });
        });
        const OutboxEntry entry =
            benOutbox()->enqueueAttachment(m_conv, QString(), pending(path, "scan.pdf", "application/pdf", "pdf"));
        QTRY_VERIFY_WITH_TIMEOUT(held, NetworkWait);
        // Part of the file is on the server: the card says how much.
        QTRY_VERIFY_WITH_TIMEOUT(
            fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::ProgressRole).toDouble() > 0, NetworkWait);
        QCOMPARE(fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::StateRole),
                 QStringLiteral("uploading"));
        QVERIFY(fileRoleOf(benThread(), entry.clientId, MessageAttachmentModel::ProgressRole).toDouble() < 1);

        // ✕ on the card: the message leaves the thread and the outbox.
        const int rowsBefore = benThread().rowCount();
        m_ben->attachments()->cancelUpload(entry.clientId);
        QCOMPARE(rowOfClient(benThread(), entry.clientId), -1);
        QCOMPARE(benThread().rowCount(), rowsBefore - 1);
        QVERIFY(!m_ben->store()->outbox().entry(entry.clientId));
        benOutbox()->setUploadHook({});
    }

    void damagedFileSaysSoOnItsCard()
    {
        QVERIFY(!m_pdfClientId.isEmpty());
        const QString messageId = roleOf(samThread(), m_pdfClientId, ThreadModel::MessageIdRole);
        const AttachmentRef ref = m_sam->store()->messages().messageById(messageId)->attachments.constFirst();
        QFile blob(QDir(m_serverDir.filePath("blobs")).filePath(ref.blobId));
        QVERIFY2(blob.open(QIODevice::ReadWrite), qPrintable(blob.fileName()));
        const qint64 at = AttachmentFormat::HeaderBytes + 100;
        QVERIFY(blob.seek(at));
        char c = 0;
        QVERIFY(blob.getChar(&c));
        QVERIFY(blob.seek(at));
        QVERIFY(blob.putChar(char(c ^ 0x01)));
        blob.close();

        samViewer().open(messageId);
        QTRY_COMPARE_WITH_TIMEOUT(samViewer().state(), QStringLiteral("failed"), NetworkWait);
        QCOMPARE(samViewer().error(), AttachmentDownload::damagedText());
        QVERIFY(!samViewer().canRetry()); // another download would be refused the same way
        QCOMPARE(samViewer().source(), QUrl());
        QCOMPARE(fileRoleOf(samThread(), m_pdfClientId, MessageAttachmentModel::StateRole), QStringLiteral("failed"));
        QCOMPARE(fileRoleOf(samThread(), m_pdfClientId, MessageAttachmentModel::ErrorRole),
                 AttachmentDownload::damagedText());
        samViewer().saveCopy(messageId, 0, QUrl::fromLocalFile(m_files.filePath("never.pdf")));
        QVERIFY(samViewer().saveFailed());
        QVERIFY(!QFileInfo::exists(m_files.filePath("never.pdf")));
        samViewer().release();
    }

    void cleanupTestCase()
    {
        m_ben.reset();
        m_sam.reset();
        m_server.kill();
    }
};

QTEST_MAIN(TestAppAttachmentViewer)
#include "tst_app_attachment_viewer.moc"
