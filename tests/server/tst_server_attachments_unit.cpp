// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachment rules checked in-process, where a test can see what the HTTP tests cannot: the commit that completes
// an upload is synced to disk (a power loss cannot take it back), a full disk (ENOSPC, EDQUOT; injected by
// SyscallSpy) is 507 with the upload left at offset, a download token never fails on a blob deleted meanwhile,
// the sweep finds files without a row in batches, and downloads are read from disk 256 KiB at a time.
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "server/api/RequestError.h"
#include "server/attachments/AttachmentService.h"
#include "server/attachments/BlobStore.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/storage/sqlite/SqliteStorage.h"
#include "server/transport/FileSliceBody.h"
#include "SyscallSpy.h"

#include <boost/beast/http/message.hpp>
#include <cerrno>
#include <memory>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace larch;
using namespace larch::server;

namespace {

QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (auto &c : out)
        c = char(QRandomGenerator::global()->bounded(256));
    return out;
}

QByteArray hexOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

/// The status of the RequestError that f throws; 0 when it throws none.
template<typename F>
int statusOf(F &&f, QString *code = nullptr)
{
    try {
        f();
    } catch (const RequestError &e) {
        if (code)
            *code = e.code;
        return e.status;
    }
    return 0;
}

} // namespace

class TestServerAttachmentsUnit : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStorage> m_storage;
    std::unique_ptr<EventHub> m_hub;
    std::unique_ptr<ConversationService> m_conversations;
    std::unique_ptr<FileBlobStore> m_blobs;
    std::unique_ptr<AttachmentService> m_attachments;
    User m_admin, m_patient;
    QString m_conversationId;

    QString blobs() const { return m_dir.filePath(QStringLiteral("blobs")); }
    QString blobFile(const QString &id) const { return blobs() + QLatin1Char('/') + id; }
    QString newUpload(qint64 size)
    {
        return m_attachments->create(m_patient, m_conversationId, size).value("uploadId").toString();
    }
    UploadPutResult put(const QString &id, qint64 offset, const QByteArray &bytes)
    {
        return m_attachments->put(m_patient, id, offset, bytes, BodyCheck{BodyCheck::Kind::Sha256, hexOf(bytes)});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(initCrypto());
        QVERIFY(m_dir.isValid());
        m_storage = std::make_unique<SqliteStorage>(m_dir.filePath(QStringLiteral("larch.sqlite3")));
        m_hub = std::make_unique<EventHub>();
        m_conversations = std::make_unique<ConversationService>(*m_storage, *m_hub);
        m_blobs = std::make_unique<FileBlobStore>(blobs());
        m_attachments =
            std::make_unique<AttachmentService>(*m_storage, *m_blobs, *m_conversations, AttachmentSettings{});
        const PracticeRecord practice{newId(), QStringLiteral("Practice"), 1000};
        const UserRecord admin{User{newId(), QStringLiteral("Admin"), QStringLiteral("admin@example.org"),
                                    QStringLiteral("admin"), practice.id},
                               QByteArray("$argon2id$not-a-real-hash"), 1000};
        QVERIFY(m_storage->accounts().createPractice(practice, admin));
        const UserRecord patient{User{newId(), QStringLiteral("Pat"), QStringLiteral("pat@example.org"),
                                      QStringLiteral("patient"), practice.id},
                                 QByteArray("$argon2id$not-a-real-hash"), 1000};
        const ConversationRecord conversation{
            newId(), practice.id, patient.user.id, QStringLiteral("Pat"), QStringLiteral("secure"), 1000, 1000, 0};
        QList<StoredEvent> stored;
        QVERIFY(m_storage->accounts().createPatient(patient, conversation, {}, &stored));
        m_admin = admin.user;
        m_patient = patient.user;
        m_conversationId = conversation.id;
    }

    void completingCommitIsSynced()
    {
        const QByteArray blob = randomBytes(200000);
        const QString id = newUpload(blob.size());
        const auto walSynced = [] {
            const QStringList paths = spy::syncedPaths();
            return std::any_of(paths.begin(), paths.end(),
                               [](const QString &p) { return p.endsWith(QStringLiteral("larch.sqlite3-wal")); });
        };
        // Pieces before the last are committed like every other write (synchronous=NORMAL: no sync).
        spy::resetSyncs();
        QCOMPARE(put(id, 0, blob.left(100000)).received, 100000);
        QVERIFY2(!walSynced(), qPrintable(spy::syncedPaths().join(u' ')));
        // The completing commit reaches the disk before the answer, after the blob itself.
        spy::resetSyncs();
        QVERIFY(put(id, 100000, blob.mid(100000)).complete);
        const QStringList paths = spy::syncedPaths();
        QVERIFY2(walSynced(), qPrintable(paths.join(u' ')));
        QVERIFY(paths.indexOf(blobFile(id)) >= 0);
        QVERIFY(paths.indexOf(blobFile(id)) < paths.lastIndexOf(m_dir.filePath(QStringLiteral("larch.sqlite3-wal"))));
        // And back to NORMAL for the writes after it.
        const QString next = newUpload(blob.size());
        spy::resetSyncs();
        put(next, 0, blob.left(1000));
        QVERIFY2(!walSynced(), qPrintable(spy::syncedPaths().join(u' ')));
        m_attachments->cancel(m_patient, next);
        m_attachments->cancel(m_patient, id);
    }

    void fullDiskIsInsufficientStorage_data()
    {
        QTest::addColumn<int>("error");
        QTest::newRow("ENOSPC") << ENOSPC;
        QTest::newRow("EDQUOT") << EDQUOT;
    }

    void fullDiskIsInsufficientStorage()
    {
        QFETCH(int, error);
        const QByteArray blob = randomBytes(300000);
        const QString id = newUpload(blob.size());
        QCOMPARE(put(id, 0, blob.left(200000)).received, 200000);
        const QByteArray prefix = QFile::encodeName(blobs());

        // The disk is full while writing: 507, and the upload is as it was.
        spy::failWrites(prefix, error);
        QString code;
        QCOMPARE(statusOf([&] { put(id, 200000, blob.mid(200000)); }, &code), 507);
        QCOMPARE(code, QStringLiteral("insufficient_storage"));
        QCOMPARE(m_attachments->status(m_patient, id).value("received").toInteger(), 200000);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 200000);
        // A resend from further back: the upload holds offset bytes, and its row says no more.
        QCOMPARE(statusOf([&] { put(id, 50000, blob.mid(50000, 100000)); }), 507);
        QCOMPARE(m_storage->attachments().upload(id)->received, 50000);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 50000);
        spy::failWrites({}, 0);

        // The sync of the completing piece fails: not complete, and the piece is cut away again.
        QCOMPARE(put(id, 50000, blob.mid(50000, 150000)).received, 200000);
        spy::failSyncs(prefix, error);
        QCOMPARE(statusOf([&] { put(id, 200000, blob.mid(200000)); }), 507);
        spy::failSyncs({}, 0);
        const QJsonObject status = m_attachments->status(m_patient, id);
        QCOMPARE(status.value("received").toInteger(), 200000);
        QCOMPARE(status.value("complete").toBool(), false);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 200000);
        QVERIFY(put(id, 200000, blob.mid(200000)).complete);

        // Other failures of the blob store stay what they are (500 through the router).
        spy::failWrites(prefix, EIO);
        const QString other = newUpload(blob.size());
        QVERIFY_THROWS_EXCEPTION(BlobStoreError, put(other, 0, blob.left(1000)));
        spy::failWrites({}, 0);
        m_attachments->cancel(m_patient, other);
        m_attachments->cancel(m_patient, id);
    }

    void blobStoreReportsNoSpace()
    {
        spy::failWrites(QFile::encodeName(blobs()), ENOSPC);
        const QString id = newId();
        try {
            m_blobs->write(id, 0, "bytes");
            QFAIL("no error");
        } catch (const BlobStoreError &e) {
            QVERIFY(e.noSpace());
            QVERIFY(!QString::fromUtf8(e.what()).contains(id));
        }
        spy::failWrites({}, 0);
        QCOMPARE(m_blobs->size(id), 0);
        m_blobs->remove(id);
    }

    void downloadTokenOfADeletedBlob()
    {
        const QByteArray blob = randomBytes(1000);
        const QString id = newUpload(blob.size());
        QVERIFY(put(id, 0, blob).complete);
        Authenticated patient;
        patient.user = m_patient;
        QCOMPARE(m_attachments->downloadToken(patient, id).value("size").toInteger(), 1000);
        // A DELETE between the service's look-up and the token's insert: the storage stores nothing and says so
        // (it used to fail on the foreign key, a 500).
        QVERIFY(m_storage->attachments().deleteUpload(id));
        QVERIFY(!m_storage->attachments().putBlobToken(
            QByteArray(32, 'x'), id, QDateTime::currentMSecsSinceEpoch() + 60000, QByteArray(32, 's')));
        QCOMPARE(statusOf([&] { m_attachments->downloadToken(patient, id); }), 404);
        // An incomplete upload gets no token either.
        const QString open = newUpload(5000);
        QVERIFY(!m_storage->attachments().putBlobToken(
            QByteArray(32, 'y'), open, QDateTime::currentMSecsSinceEpoch() + 60000, QByteArray(32, 's')));
        m_attachments->cancel(m_patient, open);
        m_blobs->remove(id);
    }

    void sweepRemovesFilesWithoutRowsInBatches()
    {
        // More orphans than one batch, around files whose uploads exist (complete and in progress).
        const QByteArray blob = randomBytes(1000);
        const QString done = newUpload(blob.size());
        QVERIFY(put(done, 0, blob).complete);
        const QString open = newUpload(blob.size());
        put(open, 0, blob.left(10));
        const int orphans = 2 * AttachmentService::SweepFileBatch + 7;
        for (int i = 0; i < orphans; ++i) {
            QFile f(blobFile(newId()));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QFile notABlob(blobs() + QStringLiteral("/notes.txt"));
        QVERIFY(notABlob.open(QIODevice::WriteOnly));
        notABlob.close();
        QCOMPARE(m_attachments->sweep(), orphans);
        QCOMPARE(QDir(blobs()).entryList(QDir::Files).size(), 3);
        QVERIFY(QFile::exists(blobFile(done)) && QFile::exists(blobFile(open)));
        QCOMPARE(m_storage->attachments().unknownUploads({done, open, newId()}).size(), 1);
        m_attachments->cancel(m_patient, done);
        m_attachments->cancel(m_patient, open);
    }

    void downloadBodyReadsLargePieces()
    {
        const QByteArray bytes = randomBytes(1000000);
        const QString path = m_dir.filePath(QStringLiteral("download"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        // The slice as the writer hands it out (empty on any failure), and the size of each piece.
        const auto read = [&](std::uint64_t offset, std::uint64_t length, QList<qsizetype> *pieces) -> QByteArray {
            boost::beast::http::response<FileSliceBody> response;
            boost::beast::error_code ec;
            response.body().open(QFile::encodeName(path).constData(), offset, length, ec);
            if (ec || FileSliceBody::size(response.body()) != length)
                return {};
            FileSliceBody::writer writer(response.base(), response.body());
            writer.init(ec);
            QByteArray out;
            bool more = true;
            while (more) {
                const auto piece = writer.get(ec);
                if (!piece || ec)
                    break;
                out.append(static_cast<const char *>(piece->first.data()), qsizetype(piece->first.size()));
                pieces->append(qsizetype(piece->first.size()));
                more = piece->second;
            }
            return ec ? QByteArray() : out;
        };
        QList<qsizetype> pieces;
        QCOMPARE(read(0, bytes.size(), &pieces), bytes);
        QCOMPARE(pieces, (QList<qsizetype>{262144, 262144, 262144, 1000000 - 3 * 262144}));
        pieces.clear();
        QCOMPARE(read(123456, 300000, &pieces), bytes.mid(123456, 300000));
        QCOMPARE(pieces, (QList<qsizetype>{262144, 300000 - 262144}));
        pieces.clear();
        QCOMPARE(read(999990, 10, &pieces), bytes.right(10));
        QCOMPARE(pieces, QList<qsizetype>{10});
        // A slice past the file's end is refused when opened.
        boost::beast::http::response<FileSliceBody> response;
        boost::beast::error_code ec;
        response.body().open(QFile::encodeName(path).constData(), 999990, 11, ec);
        QVERIFY(ec);
    }

    void cleanupTestCase()
    {
        m_attachments.reset();
        m_conversations.reset();
        m_storage.reset();
    }
};

QTEST_GUILESS_MAIN(TestServerAttachmentsUnit)
#include "tst_server_attachments_unit.moc"
