// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments across a killed server, and the rules that need their own server flags or data directory: the sweep
// of abandoned uploads (--upload-expiry-seconds), the practice quota (--practice-storage-mb) and how an admin
// frees it, expired download links (--download-token-seconds 0), and a full disk (blobs/ on a 1 MiB tmpfs; the
// whole data directory on an 8 MiB one for the database).
#include "AttachmentClient.h"
#include "Loopback.h"
#include "SmallDisk.h"
#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QtTest>

using namespace attachments;

class TestServerAttachmentsRestart : public QObject {
    Q_OBJECT

private slots:
    void uploadResumesAfterServerIsKilled()
    {
        TestServer server;
        QVERIFY(server.start());
        auto client = std::make_unique<Client>(server.baseUrl());
        Person admin, sam, maya;
        QVERIFY(client->practice(QStringLiteral("killed"), admin, sam, maya));

        const qsizetype piece = 1024 * 1024;
        const QByteArray blob = randomBytes(3 * piece + 777);
        const QString id = client->create(sam.conversationId, blob.size(), sam.token).json.value("uploadId").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(client->put(id, 0, blob.left(piece), sam.token).status, 200);
        QCOMPARE(client->put(id, piece, blob.mid(piece, piece), sam.token).status, 200);

        // The third request is half sent when the server dies.
        const QByteArray third = blob.mid(2 * piece, piece);
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY(socket.waitForConnected(10000));
        socket.write(QStringLiteral("PUT /v1/uploads/%1?offset=%2 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    "Authorization: Bearer %3\r\nContent-Type: application/octet-stream\r\n"
                                    "X-Content-SHA256: %4\r\nContent-Length: %5\r\n\r\n")
                         .arg(id)
                         .arg(2 * piece)
                         .arg(sam.token, QString::fromLatin1(sha256Hex(third)))
                         .arg(third.size())
                         .toLatin1());
        socket.write(third.left(third.size() / 2));
        while (socket.bytesToWrite() > 0)
            QVERIFY(socket.waitForBytesWritten(10000));
        QTest::qWait(200);
        server.kill();
        socket.abort();

        // Same data directory: the session, the upload and its bytes are still there.
        QVERIFY(server.start());
        client = std::make_unique<Client>(server.baseUrl());
        Reply r = client->status(id, sam.token);
        QCOMPARE(r.status, 200);
        const qint64 received = r.json.value("received").toInteger();
        QCOMPARE(received, 2 * piece);
        QCOMPARE(r.json.value("complete").toBool(), false);
        for (qint64 at = received; at < blob.size(); at += piece) {
            r = client->put(id, at, blob.mid(at, piece), sam.token);
            QCOMPARE(r.status, 200);
        }
        QCOMPARE(r.json.value("complete").toBool(), true);
        const QByteArray fetched = client->download(id, sam.token);
        QCOMPARE(sha256Hex(fetched), sha256Hex(blob));
        QCOMPARE(server.terminate(), 0);
    }

    void sweepRemovesAbandonedUploads()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--upload-expiry-seconds"), QStringLiteral("1")}));
        Client client(server.baseUrl());
        Person admin, sam, maya;
        QVERIFY(client.practice(QStringLiteral("swept"), admin, sam, maya));
        const QString blobs = server.dataDir() + QStringLiteral("/blobs/");

        // A complete blob is never swept. (Created and finished at once; on a busy machine the sweep may take the
        // upload between the two requests, then it is simply made again.)
        const QByteArray kept = randomBytes(5000);
        QString keptId;
        for (int attempt = 0; attempt < 5 && keptId.isEmpty(); ++attempt)
            keptId = client.upload(sam.conversationId, kept, sam.token);
        QVERIFY(!keptId.isEmpty());

        const QString abandoned = client.create(sam.conversationId, 5000, sam.token).json.value("uploadId").toString();
        QVERIFY(!abandoned.isEmpty());
        client.put(abandoned, 0, randomBytes(1000), sam.token);
        // A file no upload refers to (a crash between removing an upload's row and its file).
        const QString orphan = QStringLiteral("0b5c2a36-3f10-4d7e-9d1e-5d0a7f1e2b3c");
        QFile f(blobs + orphan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("left behind");
        f.close();

        QVERIFY(loopback::waitUntil([&] {
            return client.status(abandoned, sam.token).status == 404 && !QFile::exists(blobs + abandoned)
                && !QFile::exists(blobs + orphan);
        }));
        QCOMPARE(client.download(keptId, sam.token), kept);
        QVERIFY(server.standardError().contains("attachment sweep removed"));
        QCOMPARE(server.terminate(), 0);
    }

    void quotaAndExpiredLinks()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--practice-storage-mb"), QStringLiteral("1"),
                              QStringLiteral("--download-token-seconds"), QStringLiteral("0")}));
        Client client(server.baseUrl());
        Person admin, sam, maya, otherAdmin, p1, p2;
        QVERIFY(client.practice(QStringLiteral("small"), admin, sam, maya));
        QVERIFY(client.practice(QStringLiteral("other"), otherAdmin, p1, p2));

        // 1 MiB per practice: an upload in progress holds its declared size.
        Reply r = client.create(sam.conversationId, 600000, sam.token);
        QCOMPARE(r.status, 201);
        const QString first = r.json.value("uploadId").toString();
        r = client.create(maya.conversationId, 600000, maya.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("storage_quota_exceeded"));
        // Another practice has its own quota.
        QCOMPARE(client.create(p1.conversationId, 600000, p1.token).status, 201);
        // Cancelling gives the room back.
        QCOMPARE(client.call("DELETE", QStringLiteral("/v1/uploads/%1").arg(first), {}, sam.token).status, 204);
        r = client.create(maya.conversationId, 600000, maya.token);
        QCOMPARE(r.status, 201);
        // So does the practice's admin, deleting an upload (or a blob) that someone else holds the room with.
        QCOMPARE(client.create(sam.conversationId, 600000, sam.token).status, 409);
        QCOMPARE(client
                     .call("DELETE", QStringLiteral("/v1/uploads/%1").arg(r.json.value("uploadId").toString()), {},
                           admin.token)
                     .status,
                 204);
        QCOMPARE(client.create(sam.conversationId, 600000, sam.token).status, 201);

        // Links made with a lifetime of 0 s are expired at once.
        const QByteArray blob = randomBytes(1000);
        const QString id = client.upload(p2.conversationId, blob, p2.token);
        QVERIFY(!id.isEmpty());
        r = client.downloadToken(id, p2.token);
        QCOMPARE(r.status, 200);
        r = client.fetch(r.json.value("url").toString());
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_token"));
        QCOMPARE(server.terminate(), 0);
    }

    void fullDiskIsInsufficientStorage()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString blobs = dir.path() + QStringLiteral("/blobs");
        QVERIFY(QDir().mkpath(blobs));
        const SmallDisk disk(blobs, 1);
        if (!disk.mounted())
            QSKIP(qPrintable(QStringLiteral("a full disk is a 1 MiB tmpfs mounted on blobs/, and mounting it failed "
                                            "(%1): this needs root with CAP_SYS_ADMIN. tst_server_attachments_unit "
                                            "checks the same mapping with injected ENOSPC and EDQUOT.")
                                 .arg(disk.error())));

        TestServer server(dir.path());
        QVERIFY(server.start());
        Client client(server.baseUrl());
        Person admin, sam, maya;
        QVERIFY(client.practice(QStringLiteral("full"), admin, sam, maya));
        const QString kept = client.upload(sam.conversationId, randomBytes(500000), sam.token, 250000);
        QVERIFY(!kept.isEmpty());

        const QByteArray blob = randomBytes(800000);
        const QString id =
            client.create(maya.conversationId, blob.size(), maya.token).json.value("uploadId").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(client.put(id, 0, blob.left(400000), maya.token).status, 200);
        // The disk fills during the next piece: 507, and nothing of it is kept.
        Reply r = client.put(id, 400000, blob.mid(400000), maya.token);
        QCOMPARE(r.status, 507);
        QCOMPARE(r.errorCode(), QStringLiteral("insufficient_storage"));
        QVERIFY(!r.json.value("error").toObject().value("message").toString().isEmpty());
        QCOMPARE(client.status(id, maya.token).json.value("received").toInteger(), 400000);
        QCOMPARE(QFileInfo(blobs + QLatin1Char('/') + id).size(), 400000);
        // A resend from further back that does not fit: the upload holds what the cut left, and the row says so
        // (it is lowered before the file is cut, so it never claims more than the file).
        r = client.put(id, 100000, blob.mid(100000), maya.token);
        QCOMPARE(r.status, 507);
        QCOMPARE(client.status(id, maya.token).json.value("received").toInteger(), 100000);
        QCOMPARE(QFileInfo(blobs + QLatin1Char('/') + id).size(), 100000);
        qint64 row = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("full"));
            db.setDatabaseName(dir.path() + QStringLiteral("/larch.sqlite3"));
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("SELECT received FROM uploads WHERE id = ?"));
                q.addBindValue(id);
                if (q.exec() && q.next())
                    row = q.value(0).toLongLong();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("full"));
        QCOMPARE(row, 100000);

        // The admin frees room by deleting a blob; the upload then finishes.
        QCOMPARE(client.call("DELETE", QStringLiteral("/v1/uploads/%1").arg(kept), {}, admin.token).status, 204);
        r = client.put(id, 100000, blob.mid(100000), maya.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("complete").toBool(), true);
        QCOMPARE(sha256Hex(client.download(id, maya.token)), sha256Hex(blob));
        QCOMPARE(server.terminate(), 0);
    }

    // The database's disk full: a write is 507 with a sentence, not 500, and rolled back whole; once there is room
    // again the server goes on with everything it had.
    void fullDatabaseDiskIsInsufficientStorage()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.path() + QStringLiteral("/data");
        QVERIFY(QDir().mkpath(data));
        const SmallDisk disk(data, 8);
        if (!disk.mounted()) // CI runs as root, where this test always runs
            QSKIP(qPrintable(QStringLiteral("a full disk is an 8 MiB tmpfs mounted on the data directory, and "
                                            "mounting it failed (%1): this needs root with CAP_SYS_ADMIN.")
                                 .arg(disk.error())));

        TestServer server(data);
        QVERIFY(server.start());
        Client client(server.baseUrl());
        Person admin, sam, maya;
        QVERIFY(client.practice(QStringLiteral("dbfull"), admin, sam, maya));
        const QByteArray kept = randomBytes(3000);
        const QString keptId = client.upload(sam.conversationId, kept, sam.token);
        QVERIFY(!keptId.isEmpty());

        // Everything left on the disk goes to a filler file.
        const QString filler = data + QStringLiteral("/filler");
        {
            QFile f(filler);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray block(64 * 1024, '\0');
            while (f.write(block) == block.size() && f.flush()) { }
        }
        // The database grows with each new upload's row until a write finds no room: that one is 507.
        Reply r;
        int created = 0;
        for (; created < 5000; ++created) {
            r = client.create(maya.conversationId, 1000, maya.token);
            if (r.status != 201)
                break;
        }
        QCOMPARE(r.status, 507);
        QCOMPARE(r.errorCode(), QStringLiteral("insufficient_storage"));
        QCOMPARE(r.json.value("error").toObject().value("message").toString(),
                 QStringLiteral("The server's disk is full, so nothing was saved. Try again later."));
        // A download link is a row too; reading what is there needs none.
        QCOMPARE(client.downloadToken(keptId, sam.token).status, 507);
        QCOMPARE(client.status(keptId, sam.token).json.value("complete").toBool(), true);

        QVERIFY(QFile::remove(filler));
        r = client.create(maya.conversationId, 1000, maya.token);
        QCOMPARE(r.status, 201);
        QCOMPARE(sha256Hex(client.download(keptId, sam.token)), sha256Hex(kept));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerAttachmentsRestart)
#include "tst_server_attachments_restart.moc"
