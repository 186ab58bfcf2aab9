// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments end to end with whole apps against the real larch-server (--demo) and a real keyring
// (tests/support/run-with-keyring.sh): a clinician's upload survives the server being killed mid-transfer and the app being
// restarted mid-upload, and the patient's app decrypts exactly the bytes sent; a downloaded file lives in a private
// temporary file until released; a corrupted blob is refused and leaves no file behind; a non-member gets no
// download token; a photo arrives without its EXIF/GPS; a cancelled upload is gone from the server and the disk.
#include "AppTestKit.h"
#include "AttachmentTestImages.h"
#include "client/attachments/AttachmentDownload.h"
#include "client/attachments/AttachmentTempFiles.h"
#include "client/attachments/AttachmentUpload.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "client/sync/SyncEngine.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "models/app/AppController.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QImage>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
const QString Password = QStringLiteral("larch-demo-password");
// Killing and restarting the server makes every app wait out its reconnect backoff.
constexpr int LongWait = 120000;

QByteArray sha256(const QByteArray &bytes) { return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256); }

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, '\0');
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

PendingAttachment pendingFile(const QString &path, const QString &name, const AttachmentType &type, bool strip = false)
{
    PendingAttachment p;
    p.sourcePath = path;
    p.type = type;
    p.name = name;
    p.sourceSize = QFileInfo(path).size();
    p.stripMetadata = strip;
    return p;
}

const AttachmentType Pdf{QStringLiteral("application/pdf"), QStringLiteral("pdf")};
const AttachmentType Jpeg{QStringLiteral("image/jpeg"), QStringLiteral("image")};

/// What a test sees of the uploads an Outbox starts: request offsets, bytes acknowledged, the hold, retries.
struct UploadWatch {
    QList<qint64> offsets;
    qint64 acked = 0;
    bool held = false;
    int retries = 0;
    QPointer<AttachmentUpload> upload;

    /// Hooks the outbox's next uploads: requests of at most requestBytes, held after holdAfter acknowledgements.
    static std::shared_ptr<UploadWatch> on(Outbox *outbox, qint64 requestBytes, int holdAfter)
    {
        auto watch = std::make_shared<UploadWatch>();
        outbox->setUploadHook([watch, requestBytes, holdAfter](AttachmentUpload &u) {
            watch->upload = &u;
            u.setRequestBytes(requestBytes);
            u.setHoldAfterRequests(holdAfter);
            QObject::connect(&u, &AttachmentUpload::sending,
                             [watch](qint64 offset, qint64) { watch->offsets.append(offset); });
            QObject::connect(&u, &AttachmentUpload::progress, [watch](qint64 done, qint64) { watch->acked = done; });
            QObject::connect(&u, &AttachmentUpload::held, [watch] { watch->held = true; });
            QObject::connect(&u, &AttachmentUpload::retrying, [watch] { ++watch->retries; });
        });
        return watch;
    }
};

/// Downloads into memory with the app's ApiClient; the plaintext, or "" with the failure sentence in *failure.
QByteArray download(ApiClient *api, const AttachmentRef &ref, QString *failure = nullptr)
{
    AttachmentDownload dl(api, ref);
    QSignalSpy finished(&dl, &AttachmentDownload::finished);
    QSignalSpy failed(&dl, &AttachmentDownload::failed);
    dl.startToMemory();
    (void)QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, LongWait);
    if (failure)
        *failure = failed.isEmpty() ? QString() : failed.first().first().toString();
    return dl.data();
}

/// Files and folders left in a temp-files directory (its hidden lock file aside).
QStringList leftIn(const QString &dir)
{
    QStringList left;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        left.append(it.next());
    return left;
}
} // namespace

/// Attachments between two whole apps: resumed uploads, downloads, refusals by role.
class TestAppAttachments : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_benDir, m_samDir, m_files;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<AppController> m_ben, m_sam;
    QString m_conv;
    AttachmentRef m_firstRef;
    QByteArray m_firstSha256; ///< of the bytes sent as m_firstRef

    QString url() const { return m_server.baseUrl(); }
    Outbox *benOutbox() const { return m_ben->sync()->outbox(); }

    /// The patient's app has the message with this client id, opened, with one attachment: its reference.
    std::optional<AttachmentRef> receivedBySam(const QString &clientId)
    {
        std::optional<AttachmentRef> ref;
        (void)QTest::qWaitFor(
            [&] {
                const auto stored = m_sam->store()->messages().messageByClientId(clientId);
                if (stored && stored->verification == Verification::Verified && stored->attachments.size() == 1)
                    ref = stored->attachments.first();
                return ref.has_value();
            },
            LongWait);
        return ref;
    }

    /// Ben's message with this client id is confirmed by the server (it left the outbox).
    bool confirmedAtBen(const QString &clientId)
    {
        if (QTest::qWaitFor(
                [&] {
                    return m_ben && !m_ben->store()->outbox().entry(clientId)
                        && m_ben->store()->messages().messageByClientId(clientId);
                },
                LongWait))
            return true;
        // Where it stands, for the failure message.
        const auto entry = m_ben ? m_ben->store()->outbox().entry(clientId) : std::nullopt;
        const auto record = m_ben ? m_ben->store()->outbox().upload(clientId) : std::nullopt;
        qWarning("not confirmed: entry %s (failed: %s), ref %d, envelope %d, upload acked %lld, result %d",
                 entry ? "stored" : "gone", entry ? qPrintable(entry->failureReason) : "",
                 entry && entry->attachmentRef, entry && !entry->envelope.isEmpty(), record ? record->ackedBytes : -1LL,
                 record && record->result);
        return false;
    }

private slots:
    void initTestCase()
    {
        initCrypto();
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        signInBenAndSam(url(), m_benDir.path(), m_samDir.path(), m_ben, m_sam, m_conv);
        if (QTest::currentTestFailed())
            return;
        // A text first: the patient's device holds the conversation's key before any file goes.
        const OutboxEntry hello = m_ben->sync()->send(m_conv, QStringLiteral("Your results are coming as files."));
        QTRY_VERIFY_WITH_TIMEOUT(m_sam->store()->messages().messageByClientId(hello.clientId)
                                     && m_sam->store()->messages().messageByClientId(hello.clientId)->verification
                                         == Verification::Verified,
                                 LongWait);
    }

    void uploadContinuesAfterTheServerIsKilled()
    {
        const QByteArray bytes = randomBytes(3 * 1024 * 1024 + 1234);
        const QString path = writeFile(m_files.filePath("results.pdf"), bytes);
        // Requests of three chunks; the uploader holds after two, so the server is killed between requests.
        const auto watch = UploadWatch::on(benOutbox(), 256 * 1024, 2);
        QSignalSpy progress(benOutbox(), &Outbox::uploadProgress);
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QStringLiteral("Your results"),
                                                                 pendingFile(path, "results.pdf", Pdf));
        QCOMPARE(entry.state, OutboxEntry::State::Pending);
        QVERIFY(entry.attachment.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(watch->held, NetworkWait);
        const qint64 acked = AttachmentFormat::HeaderBytes + 6 * AttachmentFormat::ChunkCipherBytes;
        QCOMPARE(watch->acked, acked);
        const auto record = m_ben->store()->outbox().upload(entry.clientId);
        QVERIFY(record && !record->uploadId.isEmpty());
        QCOMPARE(record->ackedBytes, acked);
        QVERIFY(!record->encryptor.isEmpty());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(1).toLongLong(), acked);
        QCOMPARE(progress.last().at(2).toLongLong(), AttachmentFormat::cipherSize(bytes.size()));

        m_server.kill();
        watch->upload->release();
        // The next request meets no server: it waits and asks again, by itself.
        QTRY_VERIFY_WITH_TIMEOUT(watch->retries > 0, NetworkWait);
        watch->offsets.clear();
        QVERIFY2(m_server.start({"--demo"}, m_server.port()), qPrintable(m_server.error()));

        QVERIFY(confirmedAtBen(entry.clientId));
        // It continued from the last acknowledged chunk, not from the start.
        QVERIFY(!watch->offsets.isEmpty());
        QCOMPARE(watch->offsets.first(), acked);
        QVERIFY(!m_ben->store()->outbox().upload(entry.clientId));
        QCOMPARE(progress.last().at(1).toLongLong(), AttachmentFormat::cipherSize(bytes.size()));
        ServerDatabase db(m_serverDir.path());
        QCOMPARE(db.value("SELECT complete FROM uploads WHERE id = ?", {record->uploadId}).toInt(), 1);

        const auto ref = receivedBySam(entry.clientId);
        QVERIFY(ref);
        QCOMPARE(ref->blobId, record->uploadId);
        QCOMPARE(ref->size, qint64(bytes.size()));
        QVERIFY(ref->sha256.isEmpty());
        // The signed message names the very blob the server holds, hashed across the server's restart.
        QCOMPARE(ref->blobSha256, sha256(bytesOf(QDir(m_serverDir.filePath("blobs")).filePath(ref->blobId))));
        QCOMPARE(ref->name, QStringLiteral("results.pdf"));
        QCOMPARE(m_sam->store()->messages().messageByClientId(entry.clientId)->message.body,
                 QStringLiteral("Your results"));
        QString failure;
        const QByteArray received = download(m_sam->api(), *ref, &failure);
        QCOMPARE(failure, QString());
        QCOMPARE(sha256(received), sha256(bytes));
        m_firstRef = *ref;
        m_firstSha256 = sha256(bytes);
        benOutbox()->setUploadHook({});
    }

    void uploadContinuesAfterTheAppRestarts()
    {
        const QByteArray bytes = randomBytes(3 * 1024 * 1024 - 77);
        const QString path = writeFile(m_files.filePath("scan.pdf"), bytes);
        auto watch = UploadWatch::on(benOutbox(), 256 * 1024, 3);
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QString(), pendingFile(path, "scan.pdf", Pdf));
        QTRY_VERIFY_WITH_TIMEOUT(watch->held, NetworkWait);
        const qint64 acked = AttachmentFormat::HeaderBytes + 9 * AttachmentFormat::ChunkCipherBytes;
        QCOMPARE(watch->acked, acked);

        // The app goes away mid-upload (its outbox and uploader with it) and starts again on the same store.
        m_ben.reset();
        m_ben = std::make_unique<AppController>(m_benDir.path());
        watch = UploadWatch::on(benOutbox(), AttachmentUpload::RequestBytes, 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->signedIn(), NetworkWait);
        QVERIFY(confirmedAtBen(entry.clientId));
        QVERIFY(!watch->offsets.isEmpty());
        QCOMPARE(watch->offsets.first(), acked);

        const auto ref = receivedBySam(entry.clientId);
        QVERIFY(ref);
        QCOMPARE(ref->name, QStringLiteral("scan.pdf"));
        // The blob's hash went on from the state stored before the app went away.
        QCOMPARE(ref->blobSha256, sha256(bytesOf(QDir(m_serverDir.filePath("blobs")).filePath(ref->blobId))));
        QCOMPARE(sha256(download(m_sam->api(), *ref)), sha256(bytes));
        benOutbox()->setUploadHook({});
    }

    void downloadIntoAPrivateTemporaryFile()
    {
        QVERIFY(!m_firstRef.blobId.isEmpty());
        QTemporaryDir base;
        // A folder left by an instance that crashed (no live lock) is swept when the next one starts.
        QVERIFY(QDir().mkpath(base.filePath("crashed/1")));
        QVERIFY(!writeFile(base.filePath("crashed/1/results.pdf"), "left behind").isEmpty());
        auto files = std::make_unique<AttachmentTempFiles>(base.path());
        QVERIFY(!files->directory().isEmpty());
        QVERIFY(!QFileInfo::exists(base.filePath("crashed")));
        // A second instance beside it (another app on the same cache) leaves the first one's files alone.
        AttachmentTempFiles other(base.path());

        AttachmentDownload dl(m_sam->api(), m_firstRef);
        QSignalSpy finished(&dl, &AttachmentDownload::finished);
        dl.startToFile(files.get());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, NetworkWait);
        const QString path = dl.filePath();
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("results.pdf"));
        QCOMPARE(sha256(bytesOf(path)), m_firstSha256);
        // Only the owner may read the file or enter the folders it is in.
        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::WriteOther | QFile::ExeOther;
        QCOMPARE(QFileInfo(path).permissions() & ~others,
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
        for (const QString &p : {path, QFileInfo(path).absolutePath(), files->directory(), base.path()})
            QCOMPARE(QFileInfo(p).permissions() & others, QFile::Permissions());
        QVERIFY(files->release(path));
        QVERIFY(!QFileInfo::exists(path));
        QCOMPARE(leftIn(files->directory()), QStringList());

        // Whatever is not released goes when the app does.
        AttachmentDownload again(m_sam->api(), m_firstRef);
        QSignalSpy againFinished(&again, &AttachmentDownload::finished);
        again.startToFile(files.get());
        QTRY_COMPARE_WITH_TIMEOUT(againFinished.count(), 1, NetworkWait);
        const QString dir = files->directory();
        files.reset();
        QVERIFY(!QFileInfo::exists(again.filePath()));
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY(QFileInfo::exists(other.directory()));
    }

    void corruptedBlobIsRefused()
    {
        QVERIFY(!m_firstRef.blobId.isEmpty());
        const QString blob = QDir(m_serverDir.filePath("blobs")).filePath(m_firstRef.blobId);
        QFile f(blob);
        QVERIFY2(f.open(QIODevice::ReadWrite), qPrintable(blob));
        // One bit in the third chunk: the first two decrypt fine and must not be handed out either.
        const qint64 at = AttachmentFormat::HeaderBytes + 2 * AttachmentFormat::ChunkCipherBytes + 1000;
        QVERIFY(f.seek(at));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(at));
        QVERIFY(f.putChar(char(c ^ 0x01)));
        f.close();

        QTemporaryDir base;
        AttachmentTempFiles files(base.path());
        AttachmentDownload dl(m_sam->api(), m_firstRef);
        QSignalSpy failed(&dl, &AttachmentDownload::failed);
        QSignalSpy finished(&dl, &AttachmentDownload::finished);
        dl.startToFile(&files);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, NetworkWait);
        QCOMPARE(failed.first().first().toString(), AttachmentDownload::damagedText());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(dl.filePath(), QString());
        QVERIFY(files.files().isEmpty());
        QCOMPARE(leftIn(files.directory()), QStringList());

        QString failure;
        QCOMPARE(download(m_sam->api(), m_firstRef, &failure), QByteArray());
        QCOMPARE(failure, AttachmentDownload::damagedText());
    }

    void nonMemberGetsNoDownloadToken()
    {
        QVERIFY(!m_firstRef.blobId.isEmpty());
        const QString maya = bareToken(url(), "maya@patient.example", Password);
        QVERIFY(!maya.isEmpty());
        const ApiResult refused = call(url(), maya, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
            api.blobDownloadToken(m_firstRef.blobId, ctx, done);
        });
        QCOMPARE(refused.error.kind, ApiError::Kind::NotFound);
        ApiClient mayaApi;
        mayaApi.setServerUrl(QUrl(url()));
        mayaApi.setToken(maya);
        QString failure;
        QCOMPARE(download(&mayaApi, m_firstRef, &failure), QByteArray());
        QCOMPARE(failure, AttachmentDownload::unavailableText());

        // A member's token works once known, but a guessed one opens nothing.
        const ApiResult token =
            call(url(), m_sam->api()->token(), [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.blobDownloadToken(m_firstRef.blobId, ctx, done);
            });
        QVERIFY2(token.ok(), qPrintable(token.error.sentence));
        QString guessed = token.body.value("url").toString();
        guessed.replace(QRegularExpression("token=.*$"), "token=" + newId());
        std::unique_ptr<QNetworkReply> reply(mayaApi.getBlob(guessed));
        QVERIFY(reply);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), NetworkWait);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
    }

    void photoArrivesWithoutExifOrGps()
    {
        const QByteArray jpeg = testimages::jpegWithMetadata();
        QVERIFY(jpeg.contains(QByteArray("Exif\0\0", 6)));
        const QString path = writeFile(m_files.filePath("IMG_0042.jpg"), jpeg);
        const bool haveExiftool = QFileInfo::exists("/usr/bin/exiftool");
        const auto gpsOf = [](const QString &file) {
            QProcess exiftool;
            exiftool.setProcessChannelMode(QProcess::MergedChannels);
            exiftool.start("/usr/bin/exiftool", {"-gps:all", "-s", file});
            exiftool.waitForFinished(30000);
            return exiftool.readAllStandardOutput().trimmed();
        };
        if (haveExiftool)
            QVERIFY(gpsOf(path).contains("GPS")); // the photo as taken says where it was

        PendingAttachment photo = pendingFile(path, "IMG_0042.jpg", Jpeg, true);
        photo.width = 96;
        photo.height = 64;
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QStringLiteral("The rash today"), photo);
        QVERIFY(confirmedAtBen(entry.clientId));
        const auto ref = receivedBySam(entry.clientId);
        QVERIFY(ref);
        QCOMPARE(ref->mime, QStringLiteral("image/jpeg"));
        QCOMPARE(ref->width, 96);
        QVERIFY(ref->size < jpeg.size());
        const QByteArray received = download(m_sam->api(), *ref);
        QCOMPARE(received.size(), ref->size);
        QVERIFY(received.startsWith("\xFF\xD8"));
        QVERIFY(!received.contains(QByteArray("Exif\0\0", 6)));
        QVERIFY(!received.contains(testimages::Canary));
        QCOMPARE(QImage::fromData(received).size(), QSize(96, 64));
        if (haveExiftool) {
            const QString copy = writeFile(m_files.filePath("received.jpg"), received);
            QCOMPARE(gpsOf(copy), QByteArray());
        }
    }

    void cancelledUploadIsGoneEverywhere()
    {
        const QString copy = writeFile(m_files.filePath("private-copy.jpg"), randomBytes(2 * 1024 * 1024));
        PendingAttachment file = pendingFile(copy, "photo.jpg", Jpeg);
        file.ownsSource = true; // the app's own copy (a converted photo): removed with the upload
        const auto watch = UploadWatch::on(benOutbox(), 256 * 1024, 1);
        QSignalSpy cancelled(benOutbox(), &Outbox::cancelled);
        const OutboxEntry entry = benOutbox()->enqueueAttachment(m_conv, QString(), file);
        QTRY_VERIFY_WITH_TIMEOUT(watch->held, NetworkWait);
        const QString uploadId = m_ben->store()->outbox().upload(entry.clientId)->uploadId;
        QVERIFY(!uploadId.isEmpty());

        QVERIFY(benOutbox()->cancel(entry.clientId));
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!m_ben->store()->outbox().entry(entry.clientId));
        QVERIFY(!m_ben->store()->outbox().upload(entry.clientId));
        QVERIFY(!QFileInfo::exists(copy));
        QVERIFY(!benOutbox()->cancel(entry.clientId));
        QTRY_COMPARE_WITH_TIMEOUT(
            call(url(), m_ben->api()->token(),
                 [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) { api.uploadStatus(uploadId, ctx, done); })
                .error.kind,
            ApiError::Kind::NotFound, NetworkWait);
        QVERIFY(!QFileInfo::exists(QDir(m_serverDir.filePath("blobs")).filePath(uploadId)));
        benOutbox()->setUploadHook({});
        // The queue goes on: a text after it is sent.
        const OutboxEntry after = m_ben->sync()->send(m_conv, QStringLiteral("Never mind that photo."));
        QVERIFY(confirmedAtBen(after.clientId));
    }

    void cleanupTestCase()
    {
        m_ben.reset();
        m_sam.reset();
        m_server.kill();
    }
};

QTEST_MAIN(TestAppAttachments)
#include "tst_app_attachments.moc"
