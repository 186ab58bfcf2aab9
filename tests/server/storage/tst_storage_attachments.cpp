// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AttachmentStorage: quotas and open-upload limits, progress, the sweep's queries, download tokens.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// AttachmentStorage conformance, against the interface alone.
class TestAttachmentStorage : public QObject {
    Q_OBJECT

    static UploadRecord upload(const Scene &sc, const User &from, qint64 size, qint64 at = 100)
    {
        return UploadRecord{newId(), sc.conversation.id, sc.practice.id, from.id, size, 0, false, at, at};
    }

private slots:
    void quotaCountsCompleteAndReservedBytes()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        AttachmentStorage &a = s.attachments();
        const UploadRecord first = upload(sc, sc.patient, 600);
        QCOMPARE(a.createUpload(first, 1000, 10), UploadCreateResult::Created);
        // 600 reserved by the upload in progress: 500 more does not fit, 400 does.
        QCOMPARE(a.createUpload(upload(sc, sc.clinician, 500), 1000, 10), UploadCreateResult::QuotaExceeded);
        QVERIFY(a.setUploadReceived(first.id, 600, true, 200));
        QCOMPARE(a.createUpload(upload(sc, sc.clinician, 500), 1000, 10), UploadCreateResult::QuotaExceeded);
        QCOMPARE(a.createUpload(upload(sc, sc.clinician, 400), 1000, 10), UploadCreateResult::Created);
        // Another practice has its own quota.
        const Scene other = makeScene(s, QStringLiteral("b"));
        QCOMPARE(a.createUpload(upload(other, other.patient, 1000), 1000, 10), UploadCreateResult::Created);
    }

    void openUploadsAreLimitedPerUploader()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        AttachmentStorage &a = s.attachments();
        const UploadRecord one = upload(sc, sc.patient, 10);
        QCOMPARE(a.createUpload(one, 1'000'000, 2), UploadCreateResult::Created);
        QCOMPARE(a.createUpload(upload(sc, sc.patient, 10), 1'000'000, 2), UploadCreateResult::Created);
        QCOMPARE(a.createUpload(upload(sc, sc.patient, 10), 1'000'000, 2), UploadCreateResult::TooManyUploads);
        QCOMPARE(a.createUpload(upload(sc, sc.clinician, 10), 1'000'000, 2), UploadCreateResult::Created);
        // A completed upload no longer counts as open.
        QVERIFY(a.setUploadReceived(one.id, 10, true, 300));
        QCOMPARE(a.createUpload(upload(sc, sc.patient, 10), 1'000'000, 2), UploadCreateResult::Created);
    }

    void progressIsStoredAndReadBack()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        AttachmentStorage &a = s.attachments();
        const UploadRecord u = upload(sc, sc.patient, 1000);
        QCOMPARE(a.createUpload(u, 1'000'000, 10), UploadCreateResult::Created);
        QCOMPARE(*a.upload(u.id), u);
        QVERIFY(a.setUploadReceived(u.id, 400, false, 150));
        auto stored = *a.upload(u.id);
        QCOMPARE(stored.received, 400);
        QVERIFY(!stored.complete);
        QCOMPARE(stored.updatedAt, 150);
        QVERIFY(a.setUploadReceived(u.id, 1000, true, 160));
        QVERIFY(a.upload(u.id)->complete);
        QVERIFY(!a.setUploadReceived(newId(), 1, false, 170));
        QVERIFY(a.deleteUpload(u.id));
        QVERIFY(!a.upload(u.id));
        QVERIFY(!a.deleteUpload(u.id));
    }

    void sweepFindsOnlyIdleIncompleteUploads()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        AttachmentStorage &a = s.attachments();
        const UploadRecord old = upload(sc, sc.patient, 10, 100);
        const UploadRecord older = upload(sc, sc.patient, 10, 50);
        const UploadRecord fresh = upload(sc, sc.patient, 10, 900);
        const UploadRecord done = upload(sc, sc.clinician, 10, 10);
        for (const UploadRecord &u : {old, older, fresh, done})
            QCOMPARE(a.createUpload(u, 1'000'000, 10), UploadCreateResult::Created);
        QVERIFY(a.setUploadReceived(done.id, 10, true, 20));
        QCOMPARE(a.staleUploads(500, 10), (QStringList{older.id, old.id}));
        QCOMPARE(a.staleUploads(500, 1), QStringList{older.id});
        // A write since the sweep looked keeps the upload.
        QVERIFY(a.setUploadReceived(old.id, 5, false, 600));
        QVERIFY(!a.deleteStaleUpload(old.id, 500));
        QVERIFY(a.deleteStaleUpload(older.id, 500));
        QVERIFY(!a.deleteStaleUpload(done.id, 500));
        const QString stray = newId();
        QCOMPARE(a.unknownUploads({old.id, stray, done.id, older.id}), (QStringList{stray, older.id}));
        QVERIFY(a.unknownUploads({}).isEmpty());
    }

    void tokensNeedACompleteUploadAndExpire()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        AttachmentStorage &a = s.attachments();
        const UploadRecord u = upload(sc, sc.patient, 10);
        QCOMPARE(a.createUpload(u, 1'000'000, 10), UploadCreateResult::Created);
        const QByteArray session = signIn(s, sc.clinician.id);
        const QByteArray early = tokenDigest(newToken());
        QVERIFY(!a.putBlobToken(early, u.id, 1000, session));
        QVERIFY(!a.blobToken(early));
        QVERIFY(a.setUploadReceived(u.id, 10, true, 200));
        const QByteArray t1 = tokenDigest(newToken()), t2 = tokenDigest(newToken());
        QVERIFY(a.putBlobToken(t1, u.id, 1000, session));
        QVERIFY(a.putBlobToken(t2, u.id, 5000, session));
        QCOMPARE(a.blobToken(t1)->uploadId, u.id);
        QCOMPARE(a.blobToken(t1)->expiresAt, 1000);
        QCOMPARE(a.blobToken(t1)->sessionDigest, session);
        QCOMPARE(a.pruneBlobTokens(1000), 1);
        QVERIFY(!a.blobToken(t1));
        QVERIFY(a.blobToken(t2));
        // Deleting the upload takes its tokens with it.
        QVERIFY(a.deleteUpload(u.id));
        QVERIFY(!a.blobToken(t2));
        QVERIFY(!a.putBlobToken(tokenDigest(newToken()), u.id, 9000, session));
    }
};

LARCH_STORAGE_TEST(TestAttachmentStorage)
#include "tst_storage_attachments.moc"
