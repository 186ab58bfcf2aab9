// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments against the real larch-server binary: limits, resumable uploads (lost acknowledgements, wrong
// offsets, damaged chunks, empty bodies, limits, uploads open at once), who may touch an upload or a blob (an
// admin may delete any of the practice's), download tokens and streamed downloads with Range (RFC 9110).
// Restarts, the sweep, the quota, a full disk and token expiry: tst_server_attachments_restart.cpp; in-process
// rules (durable completion, disk-full mapping, the sweep's batches, the download body): …_unit.cpp.
#include "AttachmentClient.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crc32c.h"
#include "TestServer.h"

#include <memory>
#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>
#include <QtTest>

using namespace attachments;

class TestServerAttachments : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<Client> m_client;
    Person m_admin, m_sam, m_maya; ///< practice A: its admin and two patients with their conversations
    Person m_otherAdmin, m_otherPatient; ///< practice B's admin and one of its patients
    Person m_clinician; ///< practice A's clinician
    QString m_practiceId; ///< practice A

    Client &c() { return *m_client; }
    QString blobFile(const QString &id) const { return m_server.dataDir() + QStringLiteral("/blobs/") + id; }
    static qint64 received(const Reply &r) { return r.json.value("received").toInteger(-1); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_client = std::make_unique<Client>(m_server.baseUrl());
        QVERIFY(c().practice(QStringLiteral("birch"), m_admin, m_sam, m_maya));
        m_practiceId = c().practiceId();
        const HttpReply staff = c().http().post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                                                {{"name", "Dr. Doc"},
                                                 {"email", "doc@birch.example"},
                                                 {"password", "clinician password"},
                                                 {"role", "clinician"}},
                                                m_admin.token);
        QCOMPARE(staff.status, 201);
        m_clinician.token =
            c().http().signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
        QVERIFY(!m_clinician.token.isEmpty());
        Person p2;
        QVERIFY(c().practice(QStringLiteral("cedar"), m_otherAdmin, m_otherPatient, p2));
    }

    /// The status line's code of a request sent byte for byte (Qt may leave out a Content-Length of 0).
    int rawStatus(const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
        if (!socket.waitForConnected(10000))
            return 0;
        socket.write(request);
        QByteArray answer;
        while (!answer.contains("\r\n") && socket.waitForReadyRead(10000))
            answer += socket.readAll();
        const QList<QByteArray> words = answer.left(answer.indexOf("\r\n")).split(' ');
        return words.size() >= 2 ? words[1].toInt() : 0;
    }

    void limits()
    {
        const Reply r = c().call("GET", QStringLiteral("/v1/limits"), {}, m_sam.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("attachmentMaxBytes").toInteger(), 104857600);
        QCOMPARE(r.json.value("uploadRequestMaxBytes").toInteger(), 4194304);
        QCOMPARE(c().call("GET", QStringLiteral("/v1/limits")).status, 401);
    }

    void uploadStatusCompleteDownload()
    {
        const QByteArray blob = randomBytes(2 * 1024 * 1024 + 4321);
        Reply r = c().create(m_sam.conversationId, blob.size(), m_sam.token);
        QCOMPARE(r.status, 201);
        const QString id = r.json.value("uploadId").toString();
        QCOMPARE(r.json.value("size").toInteger(), blob.size());
        QCOMPARE(received(r), 0);
        QVERIFY(r.json.value("expiresAt").toInteger() > QDateTime::currentMSecsSinceEpoch());

        const qsizetype piece = 1024 * 1024;
        for (qsizetype at = 0; at < blob.size(); at += piece) {
            r = c().put(id, at, blob.mid(at, piece), m_sam.token);
            QCOMPARE(r.status, 200);
            QCOMPARE(received(r), std::min<qint64>(at + piece, blob.size()));
            QCOMPARE(r.json.value("complete").toBool(), at + piece >= blob.size());
            if (at == 0) {
                const Reply s = c().status(id, m_sam.token);
                QCOMPARE(s.status, 200);
                QCOMPARE(received(s), piece);
                QCOMPARE(s.json.value("complete").toBool(), false);
            }
        }
        r = c().status(id, m_sam.token);
        QCOMPARE(r.json.value("complete").toBool(), true);
        QVERIFY(r.json.value("expiresAt").isNull());
        // A complete blob is no longer written.
        r = c().put(id, 0, blob.left(10), m_sam.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("complete"));

        // Both members download it: the patient and the practice's staff.
        for (const QString &token : {m_sam.token, m_admin.token}) {
            r = c().downloadToken(id, token);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json.value("size").toInteger(), blob.size());
            const QString url = r.json.value("url").toString();
            QVERIFY(url.startsWith(QStringLiteral("/v1/blobs/%1/content?token=").arg(id)));
            const Reply d = c().fetch(url);
            QCOMPARE(d.status, 200);
            QCOMPARE(d.headers.value("cache-control"), QByteArray("no-store"));
            QCOMPARE(d.headers.value("content-type"), QByteArray("application/octet-stream"));
            QCOMPARE(sha256Hex(d.body), sha256Hex(blob));
        }
    }

    void rangeResumesDownload()
    {
        const QByteArray blob = randomBytes(300000);
        const QString id = c().upload(m_sam.conversationId, blob, m_sam.token, 100000);
        QVERIFY(!id.isEmpty());
        const QString url = c().downloadToken(id, m_sam.token).json.value("url").toString();
        Reply r = c().fetch(url, "bytes=123456-");
        QCOMPARE(r.status, 206);
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes 123456-299999/300000"));
        QCOMPARE(r.body, blob.mid(123456));
        QCOMPARE(r.headers.value("cache-control"), QByteArray("no-store"));
        // The same link serves several requests while it lives (a download resumed after a dropped connection).
        r = c().fetch(url, "bytes=0-99");
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, blob.left(100));
        // The unit is case-insensitive; a last position past the end stops at the end; "-N" is the last N bytes.
        r = c().fetch(url, "Bytes=299990-999999");
        QCOMPARE(r.status, 206);
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes 299990-299999/300000"));
        QCOMPARE(r.body, blob.right(10));
        r = c().fetch(url, "bytes=-5");
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, blob.right(5));
        // Ranges that start at or past the end (every one of them) cannot be satisfied.
        for (const QByteArray &past :
             {QByteArray("bytes=300000-"), QByteArray("bytes=-0"), QByteArray("bytes=300000-300001, 400000-")}) {
            r = c().fetch(url, past);
            QCOMPARE(r.status, 416);
            QCOMPARE(r.errorCode(), QStringLiteral("range_not_satisfiable"));
            QCOMPARE(r.headers.value("content-range"), QByteArray("bytes */300000"));
        }
        // RFC 9110: a malformed header or another unit is ignored, and so (no multipart answers) are several
        // ranges: the whole blob.
        for (const QByteArray &ignored : {QByteArray("bytes=5-2"), QByteArray("lines=1-"), QByteArray("bytes=abc"),
                                          QByteArray("bytes = 0-5"), QByteArray("bytes=-"), QByteArray("bytes=0-1,5-9"),
                                          QByteArray("bytes=300000-, 0-9"), QByteArray("bytes=1-2-3")}) {
            r = c().fetch(url, ignored);
            QCOMPARE(r.status, 200);
            QVERIFY(!r.headers.contains("content-range"));
            QCOMPARE(r.body, blob);
        }
        QCOMPARE(c().fetch(url).body, blob);
    }

    void lostAcknowledgementIsResent()
    {
        const QByteArray blob = randomBytes(3 * 65553 + 24);
        const QString id =
            c().create(m_maya.conversationId, blob.size(), m_maya.token).json.value("uploadId").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(c().put(id, 0, blob.left(65553), m_maya.token).status, 200);
        QCOMPARE(received(c().put(id, 65553, blob.mid(65553, 65553), m_maya.token)), 2 * 65553);
        // The acknowledgement of the second chunk was lost: the client sends it again from its own last offset.
        Reply r = c().put(id, 65553, blob.mid(65553, 65553), m_maya.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(received(r), 2 * 65553);
        // Resending from further back cuts what followed.
        r = c().put(id, 0, blob.left(65553), m_maya.token);
        QCOMPARE(received(r), 65553);
        QCOMPARE(received(c().status(id, m_maya.token)), 65553);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 65553);
        QCOMPARE(c().put(id, 65553, blob.mid(65553), m_maya.token).json.value("complete").toBool(), true);
        QCOMPARE(c().download(id, m_maya.token), blob);
    }

    void offsetPastReceivedIsRefused()
    {
        const QByteArray blob = randomBytes(5000);
        const QString id = c().create(m_sam.conversationId, blob.size(), m_sam.token).json.value("uploadId").toString();
        QCOMPARE(c().put(id, 0, blob.left(1000), m_sam.token).status, 200);
        const Reply r = c().put(id, 2000, blob.mid(2000, 1000), m_sam.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("offset_mismatch"));
        QCOMPARE(r.json.value("error").toObject().value("received").toInteger(), 1000);
        QCOMPARE(received(c().status(id, m_sam.token)), 1000);
        // Bytes past the declared size.
        const Reply past = c().put(id, 1000, randomBytes(4001), m_sam.token);
        QCOMPARE(past.status, 400);
        QCOMPARE(c().put(id, 1000, blob.mid(1000), m_sam.token).json.value("complete").toBool(), true);
    }

    void damagedChunkStoresNothing()
    {
        const QByteArray blob = randomBytes(200000);
        const QString id = c().create(m_sam.conversationId, blob.size(), m_sam.token).json.value("uploadId").toString();
        QCOMPARE(c().put(id, 0, blob.left(100000), m_sam.token).status, 200);
        QByteArray damaged = blob.mid(100000);
        damaged[5000] = char(damaged[5000] ^ 0x01);
        Reply r = c().put(id, 100000, damaged, m_sam.token, sha256Hex(blob.mid(100000)));
        QCOMPARE(r.status, 422);
        QCOMPARE(r.errorCode(), QStringLiteral("chunk_corrupted"));
        QCOMPARE(received(c().status(id, m_sam.token)), 100000);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 100000);
        // Even a damaged resend from further back changes nothing.
        QCOMPARE(c().put(id, 0, damaged, m_sam.token, sha256Hex(blob.left(100000))).status, 422);
        QCOMPARE(QFileInfo(blobFile(id)).size(), 100000);

        r = c().put(id, 100000, blob.mid(100000), m_sam.token, "-");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("missing_field"));
        QCOMPARE(c().put(id, 100000, blob.mid(100000), m_sam.token, "xyz").status, 400);
        r = c().call("PUT", QStringLiteral("/v1/uploads/%1").arg(id), blob.mid(100000), m_sam.token,
                     {{"Content-Type", "application/octet-stream"}, {"X-Content-SHA256", sha256Hex(blob.mid(100000))}});
        QCOMPARE(r.status, 400); // no offset
        r = c().call("PUT", QStringLiteral("/v1/uploads/%1?offset=100000").arg(id), blob.mid(100000), m_sam.token,
                     {{"Content-Type", "application/json"}, {"X-Content-SHA256", sha256Hex(blob.mid(100000))}});
        QCOMPARE(r.status, 415);
        QCOMPARE(received(c().status(id, m_sam.token)), 100000);
        // The right bytes (the header's hex in upper case is the same hash).
        r = c().put(id, 100000, blob.mid(100000), m_sam.token, sha256Hex(blob.mid(100000)).toUpper());
        QCOMPARE(r.status, 200);
        QCOMPARE(c().download(id, m_sam.token), blob);
    }

    void crc32cChecksOnlyWhatIsSent()
    {
        // The app's form: X-Content-CRC32C instead of a SHA-256.
        const QByteArray blob = randomBytes(150000);
        const QString id = c().create(m_sam.conversationId, blob.size(), m_sam.token).json.value("uploadId").toString();
        const auto putCrc = [&](qint64 offset, const QByteArray &bytes, const QByteArray &crcHex,
                                const QByteArray &shaHex = {}) {
            QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/octet-stream"},
                                                         {"X-Content-CRC32C", crcHex}};
            if (!shaHex.isEmpty())
                headers.append({"X-Content-SHA256", shaHex});
            return c().call("PUT", QStringLiteral("/v1/uploads/%1?offset=%2").arg(id).arg(offset), bytes, m_sam.token,
                            headers);
        };
        const QByteArray first = blob.left(80000);
        QCOMPARE(putCrc(0, first, larch::crc32cHex(larch::crc32c(first))).status, 200);
        QByteArray damaged = blob.mid(80000);
        damaged[10] = char(damaged[10] ^ 0x40);
        Reply r = putCrc(80000, damaged, larch::crc32cHex(larch::crc32c(blob.mid(80000))));
        QCOMPARE(r.status, 422);
        QCOMPARE(r.errorCode(), QStringLiteral("chunk_corrupted"));
        QVERIFY(r.json.value("error").toObject().value("message").toString().contains(QLatin1String("CRC-32C")));
        QCOMPARE(QFileInfo(blobFile(id)).size(), 80000);
        // Not hex, the wrong length, or two checksums at once: 400, nothing stored.
        QCOMPARE(putCrc(80000, blob.mid(80000), "zzzzzzzz").status, 400);
        QCOMPARE(putCrc(80000, blob.mid(80000), "123").status, 400);
        r = putCrc(80000, blob.mid(80000), larch::crc32cHex(larch::crc32c(blob.mid(80000))),
                   sha256Hex(blob.mid(80000)));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(received(c().status(id, m_sam.token)), 80000);
        // Upper-case hex is the same checksum.
        r = putCrc(80000, blob.mid(80000), larch::crc32cHex(larch::crc32c(blob.mid(80000))).toUpper());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("complete").toBool(), true);
        QCOMPARE(c().download(id, m_sam.token), blob);
    }

    void sizeLimits()
    {
        const qint64 largest = larch::AttachmentFormat::cipherSize(100LL * 1024 * 1024);
        Reply r = c().create(m_sam.conversationId, largest + 1, m_sam.token);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.errorCode(), QStringLiteral("attachment_too_large"));
        r = c().create(m_sam.conversationId, largest, m_sam.token);
        QCOMPARE(r.status, 201);
        const QString id = r.json.value("uploadId").toString();
        QCOMPARE(c().create(m_sam.conversationId, 40, m_sam.token).status, 400);
        QCOMPARE(c().create(m_sam.conversationId, 41, m_sam.token).status, 201);
        QCOMPARE(c().json("POST", QStringLiteral("/v1/conversations/%1/uploads").arg(m_sam.conversationId),
                          {{"size", "big"}}, m_sam.token)
                     .status,
                 400);

        // One request carries at most 4 MiB.
        const QByteArray four = randomBytes(4 * 1024 * 1024);
        QCOMPARE(c().put(id, 0, four, m_sam.token).status, 200);
        r = c().put(id, 4 * 1024 * 1024, four + "x", m_sam.token);
        QCOMPARE(r.status, 413);
        QCOMPARE(received(c().status(id, m_sam.token)), 4 * 1024 * 1024);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(id), {}, m_sam.token).status, 204);
    }

    void outsidersGetNotFound()
    {
        const QByteArray blob = randomBytes(1000);
        const QString done = c().upload(m_sam.conversationId, blob, m_sam.token);
        QVERIFY(!done.isEmpty());
        const QString open = c().create(m_sam.conversationId, 5000, m_sam.token).json.value("uploadId").toString();
        QVERIFY(!open.isEmpty());
        // Another practice's staff, and a patient of another conversation.
        for (const Person *outsider : {&m_otherAdmin, &m_maya}) {
            Reply r = c().create(m_sam.conversationId, 1000, outsider->token);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
            QCOMPARE(c().status(open, outsider->token).status, 404);
            QCOMPARE(c().put(open, 0, blob, outsider->token).status, 404);
            QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(open), {}, outsider->token).status, 404);
            QCOMPARE(c().downloadToken(done, outsider->token).status, 404);
        }
        // An upload is its uploader's alone, even for the practice's staff; the blob is every member's.
        QCOMPARE(c().status(open, m_admin.token).status, 404);
        QCOMPARE(c().downloadToken(done, m_admin.token).status, 200);
        QCOMPARE(c().create(QStringLiteral("00000000-0000-4000-8000-000000000000"), 1000, m_sam.token).status, 404);
        QCOMPARE(c().status(QStringLiteral("not-an-id"), m_sam.token).status, 404);
        QCOMPARE(c().create(m_sam.conversationId, 1000, QString()).status, 401);
        // An incomplete upload is no blob yet.
        const Reply r = c().downloadToken(open, m_sam.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("incomplete"));
    }

    void tokensOpenOnlyTheirBlob()
    {
        const QByteArray a = randomBytes(1000), b = randomBytes(2000);
        const QString idA = c().upload(m_sam.conversationId, a, m_sam.token);
        const QString idB = c().upload(m_sam.conversationId, b, m_sam.token);
        QVERIFY(!idA.isEmpty() && !idB.isEmpty());
        const QString urlA = c().downloadToken(idA, m_sam.token).json.value("url").toString();
        const QString tokenA = urlA.mid(urlA.indexOf(QStringLiteral("token=")) + 6);
        const QStringList refused{
            QStringLiteral("/v1/blobs/%1/content?token=%2").arg(idB, tokenA), // another blob's token
            QStringLiteral("/v1/blobs/%1/content?token=%2").arg(idA, tokenA.left(20)), // cut short
            QStringLiteral("/v1/blobs/%1/content?token=garbage").arg(idA),
            QStringLiteral("/v1/blobs/%1/content").arg(idA),
            QStringLiteral("/v1/blobs/not-an-id/content?token=%1").arg(tokenA),
        };
        for (const QString &url : refused) {
            const Reply r = c().fetch(url);
            QCOMPARE(r.status, 403);
            QCOMPARE(r.errorCode(), QStringLiteral("invalid_token"));
        }
        // A bearer token is no download token.
        QCOMPARE(c().call("GET", QStringLiteral("/v1/blobs/%1/content").arg(idA), {}, m_sam.token).status, 403);
        QCOMPARE(c().fetch(urlA).body, a);
    }

    // A link opens its blob only while the session that asked for it stands: signing out, or an administrator
    // deactivating the staff member, ends it at once rather than when it expires.
    void tokensEndWithTheirSession()
    {
        const QByteArray bytes = randomBytes(3000);
        const QString id = c().upload(m_sam.conversationId, bytes, m_sam.token);
        QVERIFY(!id.isEmpty());
        const auto urlFor = [&](const QString &token) {
            return c().downloadToken(id, token).json.value("url").toString();
        };
        const auto refused = [&](const QString &url) {
            const Reply r = c().fetch(url);
            return r.status == 403 && r.errorCode() == QLatin1String("invalid_token");
        };

        const QString laptop =
            c().http().signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
        QVERIFY(!laptop.isEmpty());
        const QString signedOutUrl = urlFor(laptop);
        const QString stayingUrl = urlFor(m_clinician.token); // the same person's other session
        QCOMPARE(c().fetch(signedOutUrl).body, bytes);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/sessions/current"), {}, laptop).status, 204);
        QVERIFY(refused(signedOutUrl));
        QCOMPARE(c().fetch(stayingUrl).body, bytes);

        const HttpReply nurse = c().http().post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                                                {{"name", "Nurse Ash"},
                                                 {"email", "ash@birch.example"},
                                                 {"password", "nurse password"},
                                                 {"role", "clinician"}},
                                                m_admin.token);
        QCOMPARE(nurse.status, 201);
        const QString nurseToken =
            c().http().signIn(QStringLiteral("ash@birch.example"), QStringLiteral("nurse password"));
        const QString nurseUrl = urlFor(nurseToken);
        QCOMPARE(c().fetch(nurseUrl).body, bytes);
        const QString nurseId = nurse.json.value("id").toString();
        QVERIFY(!nurseId.isEmpty());
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/practices/%1/staff/%2").arg(m_practiceId, nurseId), {},
                          m_admin.token)
                     .status,
                 204);
        QVERIFY(refused(nurseUrl));
        QCOMPARE(c().fetch(stayingUrl).body, bytes);
    }

    void standardConversationIsNotSecure()
    {
        const HttpReply standard =
            c().http().post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(m_practiceId),
                            {{"channel", "email"}, {"email", "contact@example.org"}}, m_admin.token);
        QCOMPARE(standard.status, 201);
        const Reply r = c().create(standard.json.value("id").toString(), 1000, m_admin.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("not_secure"));
    }

    void deleteCancelsAndRemoves()
    {
        const QByteArray blob = randomBytes(3000);
        const QString open =
            c().create(m_sam.conversationId, blob.size(), m_sam.token).json.value("uploadId").toString();
        QCOMPARE(c().put(open, 0, blob.left(1000), m_sam.token).status, 200);
        QVERIFY(QFile::exists(blobFile(open)));
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(open), {}, m_sam.token).status, 204);
        QCOMPARE(c().status(open, m_sam.token).status, 404);
        QCOMPARE(c().put(open, 1000, blob.mid(1000), m_sam.token).status, 404);
        QVERIFY(!QFile::exists(blobFile(open)));

        // A complete blob: its links stop working with it.
        const QString done = c().upload(m_sam.conversationId, blob, m_sam.token);
        const QString url = c().downloadToken(done, m_sam.token).json.value("url").toString();
        QCOMPARE(c().fetch(url).status, 200);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(done), {}, m_sam.token).status, 204);
        QCOMPARE(c().fetch(url).status, 403);
        QCOMPARE(c().downloadToken(done, m_sam.token).status, 404);
        QVERIFY(!QFile::exists(blobFile(done)));
    }

    void emptyPutIsRefused()
    {
        const QString id = c().create(m_sam.conversationId, 5000, m_sam.token).json.value("uploadId").toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(c().put(id, 0, randomBytes(100), m_sam.token).status, 200);
        // An empty body would store nothing but keep the upload (and the quota it holds) from expiring.
        const QByteArray request = QStringLiteral("PUT /v1/uploads/%1?offset=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                  "Authorization: Bearer %2\r\n"
                                                  "Content-Type: application/octet-stream\r\n"
                                                  "X-Content-SHA256: %3\r\nContent-Length: 0\r\n\r\n")
                                       .arg(id, m_sam.token, QString::fromLatin1(sha256Hex({})))
                                       .toLatin1();
        QCOMPARE(rawStatus(request), 400);
        const Reply r = c().status(id, m_sam.token);
        QCOMPARE(received(r), 100);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(id), {}, m_sam.token).status, 204);
    }

    void tooManyUploadsAtOnce()
    {
        // A patient of practice B alone: the uploads of other tests do not count against them.
        const Person &p = m_otherPatient;
        QStringList open;
        for (int i = 0; i < 10; ++i) {
            const Reply r = c().create(p.conversationId, 1000, p.token);
            QCOMPARE(r.status, 201);
            open.append(r.json.value("uploadId").toString());
        }
        Reply r = c().create(p.conversationId, 1000, p.token);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("too_many_uploads"));
        QVERIFY(r.json.value("error").toObject().value("message").toString().contains(QStringLiteral("10")));
        // The limit is per uploader: the practice's admin may still upload into the same conversation.
        r = c().create(p.conversationId, 1000, m_otherAdmin.token);
        QCOMPARE(r.status, 201);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(r.json.value("uploadId").toString()), {},
                          m_otherAdmin.token)
                     .status,
                 204);
        // A finished upload no longer counts, and neither does a cancelled one.
        QCOMPARE(c().put(open.takeFirst(), 0, randomBytes(1000), p.token).json.value("complete").toBool(), true);
        QCOMPARE(c().create(p.conversationId, 1000, p.token).status, 201);
        QCOMPARE(c().create(p.conversationId, 1000, p.token).errorCode(), QStringLiteral("too_many_uploads"));
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(open.takeFirst()), {}, p.token).status, 204);
        QCOMPARE(c().create(p.conversationId, 1000, p.token).status, 201);
    }

    void adminDeletesAnyUploadOfThePractice()
    {
        const QByteArray blob = randomBytes(3000);
        const QString open =
            c().create(m_sam.conversationId, blob.size(), m_sam.token).json.value("uploadId").toString();
        QCOMPARE(c().put(open, 0, blob.left(1000), m_sam.token).status, 200);
        const QString done = c().upload(m_sam.conversationId, blob, m_sam.token);
        QVERIFY(!open.isEmpty() && !done.isEmpty());
        const QString url = c().downloadToken(done, m_sam.token).json.value("url").toString();
        // A clinician, another patient and another practice's admin may not; the practice's admin may.
        for (const Person *refused : {&m_clinician, &m_maya, &m_otherAdmin})
            for (const QString &id : {open, done})
                QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(id), {}, refused->token).status, 404);
        for (const QString &id : {open, done})
            QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(id), {}, m_admin.token).status, 204);
        QCOMPARE(c().status(open, m_sam.token).status, 404);
        QCOMPARE(c().downloadToken(done, m_sam.token).status, 404);
        QCOMPARE(c().fetch(url).status, 403);
        QVERIFY(!QFile::exists(blobFile(open)) && !QFile::exists(blobFile(done)));
        // Deleting is all an admin may do with another person's upload: reading and writing stay the uploader's.
        const QString other = c().create(m_sam.conversationId, 5000, m_sam.token).json.value("uploadId").toString();
        QCOMPARE(c().status(other, m_admin.token).status, 404);
        QCOMPARE(c().put(other, 0, blob, m_admin.token).status, 404);
        QCOMPARE(c().call("DELETE", QStringLiteral("/v1/uploads/%1").arg(other), {}, m_sam.token).status, 204);
    }

    void cleanupTestCase() { QCOMPARE(m_server.terminate(), 0); }
};

QTEST_GUILESS_MAIN(TestServerAttachments)
#include "tst_server_attachments.moc"
