// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The attachment refusals a person must understand, against the real larch-server (--demo) with small limits: a file
// over the server's size limit, a practice out of storage, a file gone or changed before it was sent, a standard
// (SMS/email) conversation; and what the local store keeps of an attachment on its way, down to a final
// acknowledgement that never arrived.
#include "client/attachments/AttachmentSource.h"
#include "client/attachments/AttachmentUpload.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "ClientTestKit.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
const QString Password = QStringLiteral("larch-demo-password");
const AttachmentType Pdf{QStringLiteral("application/pdf"), QStringLiteral("pdf")};

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, '\0');
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

PendingAttachment pendingFile(const QString &path, const QByteArray &bytes, const QString &name)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
    PendingAttachment p;
    p.sourcePath = path;
    p.type = Pdf;
    p.name = name;
    p.sourceSize = bytes.size();
    f.close();
    p.sourceModifiedMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
    return p;
}

/// The outcome of one upload: its reference, or the sentence it failed with.
struct Outcome {
    std::optional<AttachmentRef> ref;
    QString failure;
};
} // namespace

/// The attachment refusals a person must understand, against the real server with small limits.
class TestClientAttachmentRefusals : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_storeDir, m_files;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<LocalStore> m_store;
    ApiClient m_api;
    QString m_conv;

    Outcome upload(const QString &clientId, const PendingAttachment &file)
    {
        AttachmentUpload up(m_store.get(), &m_api, clientId, m_conv, file);
        Outcome outcome;
        QObject::connect(&up, &AttachmentUpload::finished, [&](const AttachmentRef &ref) { outcome.ref = ref; });
        QObject::connect(&up, &AttachmentUpload::failed, [&](const QString &s) { outcome.failure = s; });
        up.start();
        (void)QTest::qWaitFor([&] { return outcome.ref || !outcome.failure.isEmpty(); }, NetworkWait);
        return outcome;
    }

    ApiError statusOf(const QString &uploadId)
    {
        return call(m_server.baseUrl(), m_api.token(),
                    [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                        api.uploadStatus(uploadId, ctx, done);
                    })
            .error;
    }

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        initCrypto();
        QVERIFY2(m_server.start({"--demo", "--attachment-max-mb", "1", "--practice-storage-mb", "3"}),
                 qPrintable(m_server.error()));
        m_store = std::make_unique<LocalStore>(m_storeDir.path());
        QVERIFY(m_store->open());
        m_store->setStorageKey(SecretBytes::random(32));
        m_api.setServerUrl(QUrl(m_server.baseUrl()));
        m_api.setToken(bareToken(m_server.baseUrl(), "ben@birch.example", Password));
        QVERIFY(m_api.hasToken());
        const ApiResult list =
            call(m_server.baseUrl(), m_api.token(), [](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.fetchConversations({}, 50, ctx, done);
            });
        for (const QJsonValue &v : list.body.value("conversations").toArray()) {
            if (v.toObject().value("title").toString() == QLatin1String("Sam Lee"))
                m_conv = v.toObject().value("id").toString();
        }
        QVERIFY(!m_conv.isEmpty());
        const ApiResult limits =
            call(m_server.baseUrl(), m_api.token(),
                 [](ApiClient &api, QObject *ctx, ApiClient::Callback done) { api.attachmentLimits(ctx, done); });
        QCOMPARE(limits.body.value("attachmentMaxBytes").toInteger(), 1024 * 1024);
    }

    void storeKeepsTheFileAndWhereItsUploadStands()
    {
        const PendingAttachment file = pendingFile(m_files.filePath("a.pdf"), "%PDF-1.4 small", "a.pdf");
        const OutboxEntry entry = m_store->outbox().enqueueAttachment(m_conv, QStringLiteral("caption"), file);
        QCOMPARE(entry.state, OutboxEntry::State::Pending);
        auto stored = m_store->outbox().entry(entry.clientId);
        QVERIFY(stored);
        QCOMPARE(stored->body, QStringLiteral("caption"));
        QCOMPARE(stored->attachment, std::optional<PendingAttachment>(file));
        QVERIFY(!stored->attachmentRef);
        // Neither the caption nor the file's path is on the disk in the clear.
        QVERIFY(!containsText(bytesUnder(m_storeDir.path()), file.sourcePath));

        UploadRecord record{entry.clientId, newId(), 1234, SecretBytes::random(200), QByteArray(113, 'h')};
        QVERIFY(m_store->outbox().saveUpload(record));
        QCOMPARE(m_store->outbox().upload(entry.clientId)->ackedBytes, 1234);
        QCOMPARE(m_store->outbox().upload(entry.clientId)->encryptor, record.encryptor);
        QCOMPARE(m_store->outbox().upload(entry.clientId)->blobHash, record.blobHash);
        QVERIFY(!m_store->outbox().entry(entry.clientId)->attachmentRef);
        AttachmentRef ref;
        ref.blobId = record.uploadId;
        ref.key = QByteArray(32, 'k');
        ref.blobSha256 = QByteArray(32, 's');
        ref.size = 14;
        ref.mime = Pdf.mime;
        ref.kind = Pdf.kind;
        ref.name = QStringLiteral("a.pdf");
        record.result = ref;
        QVERIFY(m_store->outbox().saveUpload(record));
        QCOMPARE(m_store->outbox().entry(entry.clientId)->attachmentRef, std::optional<AttachmentRef>(ref));
        QCOMPARE(m_store->outbox().entries(m_conv).first().attachmentRef, std::optional<AttachmentRef>(ref));
        QVERIFY(m_store->outbox().remove(entry.clientId));
        QVERIFY(!m_store->outbox().upload(entry.clientId));

        LocalStore keyless(m_storeDir.filePath("keyless"));
        QVERIFY(keyless.open());
        QCOMPARE(keyless.outbox().enqueueAttachment(m_conv, {}, file).state, OutboxEntry::State::Failed);
        QVERIFY(keyless.outbox().entries().isEmpty());
        QVERIFY(!keyless.outbox().saveUpload(record));
    }

    void tooLargeIsRefusedWithTheServersLimit()
    {
        const Outcome outcome =
            upload(newId(), pendingFile(m_files.filePath("big.pdf"), randomBytes(1024 * 1024 + 1), "big.pdf"));
        QVERIFY(!outcome.ref);
        QCOMPARE(outcome.failure, QStringLiteral("This file is larger than the 1 MB this server accepts."));
        QCOMPARE(outcome.failure, AttachmentUpload::tooLargeText(1024 * 1024));
    }

    void aFileRewrittenAtTheSameSizeIsAnotherFile()
    {
        // An upload that continues after a restart must not join the old file's head to a new file's tail.
        PendingAttachment file = pendingFile(m_files.filePath("rewritten.pdf"), randomBytes(1000), "rewritten.pdf");
        AttachmentSource source(file);
        QVERIFY(source.open());
        QFile f(file.sourcePath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(randomBytes(1000));
        QVERIFY(f.flush());
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        f.close();
        QVERIFY(!source.open());
        QCOMPARE(source.problem(), AttachmentSource::Problem::Gone);
        // A file chosen before the time was recorded (an older outbox entry) is checked by size alone.
        file.sourceModifiedMs = 0;
        QVERIFY(AttachmentSource(file).open());
    }

    void fileGoneOrChangedIsRefused()
    {
        // Removed after it was attached, before the upload began.
        PendingAttachment gone = pendingFile(m_files.filePath("gone.pdf"), randomBytes(1000), "gone.pdf");
        QVERIFY(QFile::remove(gone.sourcePath));
        Outcome outcome = upload(newId(), gone);
        // The sentence names no file: it is kept unsealed in the outbox row.
        QCOMPARE(outcome.failure,
                 QStringLiteral("This file is no longer there or has changed, so it could not be "
                                "sent. Attach it again."));

        // Removed while the app was closed mid-upload: the next start says so, and the server's upload goes.
        const QString clientId = newId();
        const PendingAttachment halfway =
            pendingFile(m_files.filePath("halfway.pdf"), randomBytes(700 * 1024), "halfway.pdf");
        {
            AttachmentUpload up(m_store.get(), &m_api, clientId, m_conv, halfway);
            up.setRequestBytes(128 * 1024);
            up.setHoldAfterRequests(1);
            QSignalSpy held(&up, &AttachmentUpload::held);
            up.start();
            QTRY_COMPARE_WITH_TIMEOUT(held.count(), 1, NetworkWait);
        }
        const QString uploadId = m_store->outbox().upload(clientId)->uploadId;
        QVERIFY(statusOf(uploadId).isNone());
        QVERIFY(QFile::remove(halfway.sourcePath));
        outcome = upload(clientId, halfway);
        QCOMPARE(outcome.failure, AttachmentUpload::fileGoneText());
        QVERIFY(!m_store->outbox().upload(clientId));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(uploadId).kind, ApiError::Kind::NotFound, NetworkWait);

        // Changed (grown) while it was being sent: the reserved size no longer fits, so it is not sent.
        const QString changedId = newId();
        const PendingAttachment changing =
            pendingFile(m_files.filePath("changing.pdf"), randomBytes(700 * 1024), "changing.pdf");
        AttachmentUpload up(m_store.get(), &m_api, changedId, m_conv, changing);
        up.setRequestBytes(128 * 1024);
        up.setHoldAfterRequests(1);
        QSignalSpy held(&up, &AttachmentUpload::held);
        QSignalSpy failed(&up, &AttachmentUpload::failed);
        up.start();
        QTRY_COMPARE_WITH_TIMEOUT(held.count(), 1, NetworkWait);
        const QString changedUpload = m_store->outbox().upload(changedId)->uploadId;
        QFile grow(changing.sourcePath);
        QVERIFY(grow.open(QIODevice::Append));
        grow.write(randomBytes(4096));
        grow.close();
        up.release();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, NetworkWait);
        QCOMPARE(failed.first().first().toString(), AttachmentUpload::fileGoneText());
        // Its reservation is given back (the practice's storage counts it until then).
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(changedUpload).kind, ApiError::Kind::NotFound, NetworkWait);
    }

    void aLostLastAcknowledgementIsMadeGoodFromTheStoredState()
    {
        const QByteArray bytes = randomBytes(300 * 1024);
        const QString clientId = newId();
        const PendingAttachment file = pendingFile(m_files.filePath("last.pdf"), bytes, "last.pdf");
        std::optional<UploadRecord> midway;
        Outcome first;
        {
            AttachmentUpload up(m_store.get(), &m_api, clientId, m_conv, file);
            up.setRequestBytes(AttachmentFormat::HeaderBytes + AttachmentFormat::ChunkCipherBytes);
            up.setHoldAfterRequests(2);
            QSignalSpy held(&up, &AttachmentUpload::held);
            QObject::connect(&up, &AttachmentUpload::finished, [&](const AttachmentRef &ref) { first.ref = ref; });
            QObject::connect(&up, &AttachmentUpload::failed, [&](const QString &s) { first.failure = s; });
            up.start();
            QTRY_COMPARE_WITH_TIMEOUT(held.count(), 1, NetworkWait);
            midway = m_store->outbox().upload(clientId);
            up.release();
            QTRY_VERIFY_WITH_TIMEOUT(first.ref || !first.failure.isEmpty(), NetworkWait);
        }
        QVERIFY2(first.ref, qPrintable(first.failure));
        QVERIFY(midway && midway->ackedBytes > 0 && midway->ackedBytes < AttachmentFormat::cipherSize(bytes.size()));

        // The server stored the rest, but the app went away before it kept the answers: it stands where it did.
        QVERIFY(m_store->outbox().saveUpload(*midway));
        const Outcome again = upload(clientId, file);
        QVERIFY2(again.ref, qPrintable(again.failure));
        QCOMPARE(*again.ref, *first.ref); // the same blob, key and hash, made again from the stored state
        const QString blob = QDir(m_serverDir.filePath("blobs")).filePath(first.ref->blobId);
        QCOMPARE(again.ref->blobSha256, QCryptographicHash::hash(bytesOf(blob), QCryptographicHash::Sha256));

        // The practice's storage is left as it was for the quota case.
        const ApiResult removed =
            call(m_server.baseUrl(), m_api.token(), [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.cancelUpload(first.ref->blobId, ctx, done);
            });
        QVERIFY(removed.ok());
    }

    void practiceOutOfStorageIsRefused()
    {
        // Three files of 0.9 MiB fit the practice's 3 MiB (nothing else is stored or reserved); the fourth does not.
        for (int i = 0; i < 3; ++i) {
            const QByteArray bytes = randomBytes(900 * 1024);
            const QString clientId = newId();
            const Outcome outcome = upload(clientId, pendingFile(m_files.filePath("fits.pdf"), bytes, "fits.pdf"));
            QVERIFY2(outcome.ref, qPrintable(outcome.failure));
            QCOMPARE(outcome.ref->size, 900 * 1024);
            QCOMPARE(outcome.ref->blobSha256.size(), 32); // the blob's hash, signed with the message
            QCOMPARE(m_store->outbox().upload(clientId)->result, outcome.ref);
        }
        const Outcome full =
            upload(newId(), pendingFile(m_files.filePath("more.pdf"), randomBytes(900 * 1024), "more.pdf"));
        QVERIFY(!full.ref);
        QCOMPARE(full.failure, AttachmentUpload::quotaText());
    }

    void standardConversationTakesNoAttachments()
    {
        Conversation sms;
        sms.id = newId();
        sms.practiceId = newId();
        sms.patientId = newId();
        sms.title = QStringLiteral("+1 201 555 0123");
        sms.kind = QStringLiteral("sms");
        QVERIFY(m_store->conversations().upsert(sms));
        Outbox outbox(m_store.get(), &m_api);
        QSignalSpy pending(&outbox, &Outbox::pending);
        const OutboxEntry entry = outbox.enqueueAttachment(sms.id, QStringLiteral("caption"),
                                                           pendingFile(m_files.filePath("x.pdf"), "%PDF-1.4", "x.pdf"));
        QCOMPARE(entry.state, OutboxEntry::State::Failed);
        QCOMPARE(entry.failureReason, AttachmentUpload::notSecureText());
        QVERIFY(m_store->outbox().entries(sms.id).isEmpty());
        QCOMPARE(pending.count(), 0);
    }

    void cleanupTestCase() { m_server.kill(); }
};

QTEST_MAIN(TestClientAttachmentRefusals)
#include "tst_client_attachments_refusals.moc"
