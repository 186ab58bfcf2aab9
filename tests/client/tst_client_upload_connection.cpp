// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// UploadConnection, the socket an upload's bytes travel on: against the real larch-server (--demo), requests sent
// back to back are answered in order and stored; a damaged body and an ended session are refused as ApiClient
// reports them. Against a listener on loopback that answers with chosen bytes (what a broken proxy or a dying
// server would send): a closed connection, silence, an answer that is not HTTP or has no length, an answer cut
// into single bytes, and a connection closed with a request still waiting.
#include "client/net/ApiClient.h"
#include "client/net/UploadConnection.h"
#include "ClientTestKit.h"
#include "core/crypto/Crc32c.h"
#include "core/crypto/Crypto.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
const QString Password = QStringLiteral("larch-demo-password");

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, '\0');
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

/// A loopback listener that reads whatever comes and answers each connection with the bytes given (nothing: it
/// stays silent), one byte per write when slowly is set; it closes after answering when close is set, and at once,
/// without answering, when hangUp is set.
class ScriptedListener : public QObject {
public:
    QByteArray answer;
    bool close = false;
    bool slowly = false;
    bool hangUp = false;
    QByteArray received;

    ScriptedListener()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    received += socket->readAll();
                    if (hangUp) {
                        socket->disconnectFromHost();
                        return;
                    }
                    if (answer.isEmpty() || !received.contains("\r\n\r\n"))
                        return;
                    if (slowly) {
                        for (const char c : std::as_const(answer)) {
                            socket->write(&c, 1);
                            socket->flush();
                            QTest::qWait(1);
                        }
                    } else {
                        socket->write(answer);
                    }
                    answer.clear();
                    if (close)
                        socket->disconnectFromHost();
                });
            }
        });
    }
    UploadTarget target() const
    {
        return UploadTarget{QUrl(QStringLiteral("http://127.0.0.1:%1/v1/uploads/x").arg(m_server.serverPort())),
                            "Bearer t", 1000};
    }

private:
    QTcpServer m_server;
};
} // namespace

/// UploadConnection against the real server and a scripted loopback listener.
class TestClientUploadConnection : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir;
    TestServer m_server{m_serverDir.path()};
    QString m_token;
    QString m_conv;

    /// A new upload of size bytes in the patient's conversation: its id.
    QString createUpload(qint64 size)
    {
        const ApiResult r =
            call(m_server.baseUrl(), m_token, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.createUpload(m_conv, size, ctx, done);
            });
        return r.body.value("uploadId").toString();
    }

    qint64 receivedBy(const QString &uploadId)
    {
        const ApiResult r =
            call(m_server.baseUrl(), m_token, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.uploadStatus(uploadId, ctx, done);
            });
        return r.body.value("received").toInteger(-1);
    }

    UploadTarget targetOf(const QString &uploadId, const QString &token)
    {
        ApiClient api;
        api.setServerUrl(QUrl(m_server.baseUrl()));
        api.setToken(token);
        return api.uploadTarget(uploadId);
    }

private slots:
    void initTestCase()
    {
        initCrypto();
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        m_token = bareToken(m_server.baseUrl(), "ben@birch.example", Password);
        QVERIFY(!m_token.isEmpty());
        const ApiResult list =
            call(m_server.baseUrl(), m_token, [](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.fetchConversations({}, 50, ctx, done);
            });
        for (const QJsonValue &v : list.body.value("conversations").toArray()) {
            if (v.toObject().value("kind").toString() == QLatin1String("secure"))
                m_conv = v.toObject().value("id").toString();
        }
        QVERIFY(!m_conv.isEmpty());
    }

    void requestsSentBackToBackAreAnsweredInOrder()
    {
        const QByteArray blob = randomBytes(3 * 100000 + 7);
        const QString id = createUpload(blob.size());
        QVERIFY(!id.isEmpty());
        UploadConnection connection;
        connection.setTarget(targetOf(id, m_token));
        QSignalSpy answered(&connection, &UploadConnection::answered);
        QSignalSpy broken(&connection, &UploadConnection::broken);
        // All four leave before the first is answered.
        for (qint64 at = 0; at < blob.size(); at += 100000) {
            const QByteArray piece = blob.mid(at, 100000);
            connection.put(at, piece, crc32c(piece));
        }
        QCOMPARE(connection.waiting(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 4, NetworkWait);
        QCOMPARE(broken.count(), 0);
        QCOMPARE(connection.waiting(), 0);
        for (int i = 0; i < 4; ++i) {
            const auto result = answered.at(i).at(1).value<ApiResult>();
            QVERIFY2(result.ok(), qPrintable(result.error.sentence));
            QCOMPARE(result.body.value("received").toInteger(), std::min<qint64>((i + 1) * 100000, blob.size()));
            QCOMPARE(result.body.value("complete").toBool(), i == 3);
        }
        QCOMPARE(receivedBy(id), blob.size());
        // The stored blob is exactly the bytes sent.
        QCOMPARE(bytesOf(m_serverDir.filePath("blobs/" + id)), blob);
    }

    void aDamagedBodyIsRefusedAndNothingIsStored()
    {
        const QByteArray blob = randomBytes(5000);
        const QString id = createUpload(blob.size());
        UploadConnection connection;
        connection.setTarget(targetOf(id, m_token));
        QSignalSpy answered(&connection, &UploadConnection::answered);
        QByteArray damaged = blob;
        damaged[1234] = char(damaged[1234] ^ 0x40);
        connection.put(0, damaged, crc32c(blob)); // the checksum of what was meant, not of what arrives
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 1, NetworkWait);
        const auto result = answered.first().at(1).value<ApiResult>();
        QCOMPARE(result.httpStatus, 422);
        QCOMPARE(result.error.code, QStringLiteral("chunk_corrupted"));
        QCOMPARE(receivedBy(id), 0);
        // The same connection carries the good bytes next.
        connection.put(0, blob, crc32c(blob));
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 2, NetworkWait);
        QVERIFY(answered.last().at(1).value<ApiResult>().ok());
        QCOMPARE(receivedBy(id), blob.size());
    }

    void anEndedSessionIsReportedAsSuch()
    {
        const QString id = createUpload(100);
        UploadConnection connection;
        connection.setTarget(targetOf(id, QStringLiteral("not-a-session")));
        QSignalSpy answered(&connection, &UploadConnection::answered);
        const QByteArray bytes(100, 'x');
        connection.put(0, bytes, crc32c(bytes));
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 1, NetworkWait);
        QCOMPARE(answered.first().at(1).value<ApiResult>().error.kind, ApiError::Kind::SessionEnded);
    }

    void aClosedConnectionIsReportedOnce()
    {
        ScriptedListener listener;
        listener.hangUp = true;
        UploadConnection connection;
        connection.setTarget(listener.target());
        QSignalSpy answered(&connection, &UploadConnection::answered);
        QSignalSpy broken(&connection, &UploadConnection::broken);
        connection.put(0, "abc", crc32c("abc"));
        connection.put(3, "def", crc32c("def"));
        // Two requests were waiting: one failure, no answers.
        QTRY_COMPARE_WITH_TIMEOUT(broken.count(), 1, NetworkWait);
        QCOMPARE(broken.first().at(1).value<ApiResult>().error.kind, ApiError::Kind::Unreachable);
        QCOMPARE(answered.count(), 0);
        QCOMPARE(connection.waiting(), 0);
        QTest::qWait(200);
        QCOMPARE(broken.count(), 1);
    }

    void silenceIsATimeout()
    {
        ScriptedListener listener; // reads, never answers
        UploadConnection connection;
        connection.setTarget(listener.target());
        QSignalSpy broken(&connection, &UploadConnection::broken);
        connection.put(0, "abc", crc32c("abc"));
        QTRY_COMPARE_WITH_TIMEOUT(broken.count(), 1, NetworkWait);
        QCOMPARE(broken.first().at(1).value<ApiResult>().error.kind, ApiError::Kind::Timeout);
        QVERIFY(listener.received.startsWith("PUT /v1/uploads/x?offset=0 HTTP/1.1\r\n"));
        QVERIFY(listener.received.contains("\r\nX-Content-CRC32C: " + crc32cHex(crc32c("abc")) + "\r\n"));
        QVERIFY(listener.received.contains("\r\nAuthorization: Bearer t\r\n"));
        QVERIFY(listener.received.endsWith("\r\n\r\nabc"));
    }

    void anAnswerThatIsNotHttpIsABadResponse_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        // The server always sends a length; a chunked answer came from something in between.
        QTest::newRow("no length") << QByteArray(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    }

    void anAnswerThatIsNotHttpIsABadResponse()
    {
        QFETCH(QByteArray, answer);
        ScriptedListener listener;
        listener.answer = answer;
        UploadConnection connection;
        connection.setTarget(listener.target());
        QSignalSpy broken(&connection, &UploadConnection::broken);
        connection.put(0, "abc", crc32c("abc"));
        QTRY_COMPARE_WITH_TIMEOUT(broken.count(), 1, NetworkWait);
        QCOMPARE(broken.first().at(1).value<ApiResult>().error.kind, ApiError::Kind::BadResponse);
    }

    void anAnswerInSingleBytesIsReadWhole()
    {
        ScriptedListener listener;
        listener.answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 30\r\n\r\n"
                          "{\"received\":3,\"complete\":true}";
        listener.slowly = true;
        UploadConnection connection;
        connection.setTarget(listener.target());
        QSignalSpy answered(&connection, &UploadConnection::answered);
        QSignalSpy broken(&connection, &UploadConnection::broken);
        connection.put(0, "abc", crc32c("abc"));
        QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 1, NetworkWait);
        const auto result = answered.first().at(1).value<ApiResult>();
        QVERIFY(result.ok());
        QCOMPARE(result.body.value("received").toInteger(), 3);
        QCOMPARE(broken.count(), 0);
    }

    void aCloseAfterOneAnswerBreaksTheRequestsBehindIt()
    {
        ScriptedListener listener;
        listener.answer = "HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\n{\"received\":3}";
        listener.close = true;
        UploadConnection connection;
        connection.setTarget(listener.target());
        QSignalSpy answered(&connection, &UploadConnection::answered);
        QSignalSpy broken(&connection, &UploadConnection::broken);
        connection.put(0, "abc", crc32c("abc"));
        connection.put(3, "def", crc32c("def"));
        QTRY_COMPARE_WITH_TIMEOUT(broken.count(), 1, NetworkWait);
        QCOMPARE(answered.count(), 1);
        QVERIFY(answered.first().at(1).value<ApiResult>().ok());
        QCOMPARE(broken.first().at(1).value<ApiResult>().error.kind, ApiError::Kind::Unreachable);
        QCOMPARE(connection.waiting(), 0);
    }
};

QTEST_GUILESS_MAIN(TestClientUploadConnection)
#include "tst_client_upload_connection.moc"
