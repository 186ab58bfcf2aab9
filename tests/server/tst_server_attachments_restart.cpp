// Attachments across a killed server, and the rules that need their own server flags: the sweep of abandoned
// uploads (--upload-expiry-seconds), the practice quota (--practice-storage-mb) and expired download links
// (--download-token-seconds 0).
#include "AttachmentClient.h"
#include "LoopbackHelpers.h"

#include <QDir>
#include <QFile>
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
        QCOMPARE(client.create(maya.conversationId, 600000, maya.token).status, 201);

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
};

QTEST_GUILESS_MAIN(TestServerAttachmentsRestart)
#include "tst_server_attachments_restart.moc"
