// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The event WebSocket of the real larch-server: live delivery, replay after since without gap or duplicate,
// revocation, signing out and expiry (4001), and no loss across SIGTERM and SIGKILL restarts.
#include "EventClient.h"
#include "HttpClient.h"
#include "TestKeyring.h"
#include "TestServer.h"

#include <functional>
#include <memory>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <QUuid>
#include <QWebSocket>

namespace {

QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

struct Practice {
    QString practiceId, adminToken, clinicianToken, patientToken, conversationId;
    TestMember admin, clinician, patient; ///< the same sessions with registered devices

    const TestMember &member(const QString &token) const
    {
        return token == patientToken ? patient : (token == clinicianToken ? clinician : admin);
    }
};

/// A practice with an admin, a clinician and a patient, each with a device, and the conversation's first
/// epoch, so that setting up creates no events once the test starts counting.
Practice makePractice(HttpClient &http, TestKeyring &keyring, const QString &tag)
{
    Practice p;
    const QJsonObject created =
        http.createPractice(QStringLiteral("Practice ") + tag, QStringLiteral("admin@%1.example").arg(tag));
    p.practiceId = created.value("practice").toObject().value("id").toString();
    p.adminToken = created.value("session").toObject().value("token").toString();
    http.post(QStringLiteral("/v1/practices/%1/staff").arg(p.practiceId),
              {{"name", "Dr. " + tag},
               {"email", QStringLiteral("doc@%1.example").arg(tag)},
               {"password", "clinician password"},
               {"role", "clinician"}},
              p.adminToken);
    p.clinicianToken = http.signIn(QStringLiteral("doc@%1.example").arg(tag), QStringLiteral("clinician password"));
    const HttpReply patient = http.post(QStringLiteral("/v1/practices/%1/patients").arg(p.practiceId),
                                        {{"name", "Pat " + tag},
                                         {"email", QStringLiteral("pat@%1.example").arg(tag)},
                                         {"password", "patient password"}},
                                        p.clinicianToken);
    p.conversationId = patient.json.value("conversation").toObject().value("id").toString();
    p.patientToken = http.signIn(QStringLiteral("pat@%1.example").arg(tag), QStringLiteral("patient password"));
    p.admin = keyring.enroll(p.adminToken);
    p.clinician = keyring.enroll(p.clinicianToken);
    p.patient = keyring.enroll(p.patientToken);
    if (keyring.ensureEpoch(p.clinician, p.conversationId) != 1)
        qWarning() << "makePractice: no epoch";
    return p;
}

HttpReply sendMessage(TestKeyring &keyring, const Practice &p, const QString &token, const QString &text,
                      const QString &clientId = uuid())
{
    return keyring.send(p.member(token), p.conversationId, text, clientId);
}

/// The JSON body of a send of text, for requests fired without waiting.
QByteArray messageBody(TestKeyring &keyring, const Practice &p, const QString &token, const QString &text,
                       const QString &clientId)
{
    return QJsonDocument(QJsonObject{{"clientId", clientId},
                                     {"envelope", keyring.seal(p.member(token), p.conversationId, clientId, text)}})
        .toJson();
}

} // namespace

class TestServerEvents : public QObject {
    Q_OBJECT

private slots:
    void clinicianAndPatientReceiveEachOthersMessages()
    {
        TestServer server;
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        TestKeyring keyring(http);
        const Practice p = makePractice(http, keyring, QStringLiteral("live"));
        QVERIFY(!p.patientToken.isEmpty() && !p.conversationId.isEmpty());

        EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
        EventClient patient(server.baseUrl(), p.patientToken, 0);
        QVERIFY(clinician.waitForHello());
        QVERIFY(patient.waitForHello());
        // Each first gets its stored conversation.created.
        QVERIFY(clinician.waitForEvents(1));
        QVERIFY(patient.waitForEvents(1));
        QCOMPARE(patient.m_events.first().value("type").toString(), QStringLiteral("conversation.created"));

        QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("I have a question")).status, 201);
        QVERIFY(
            clinician.waitFor([&] { return clinician.bodies(keyring).contains(QStringLiteral("I have a question")); }));
        QCOMPARE(sendMessage(keyring, p, p.clinicianToken, QStringLiteral("Go ahead")).status, 201);
        QVERIFY(patient.waitFor([&] {
            return patient.bodies(keyring) == QStringList{"I have a question", "Go ahead"};
        }));
        QVERIFY(clinician.waitFor([&] { return clinician.bodies(keyring).size() == 2; }));
        QCOMPARE(clinician.bodies(keyring), (QStringList{"I have a question", "Go ahead"}));
        QVERIFY(patient.contiguousFrom(1));
        QVERIFY(clinician.contiguousFrom(1));

        // A read marker reaches the other member.
        QCOMPARE(
            http.post(QStringLiteral("/v1/conversations/%1/read").arg(p.conversationId), {{"seq", 2}}, p.patientToken)
                .status,
            200);
        QVERIFY(clinician.waitFor(
            [&] { return clinician.m_events.last().value("type").toString() == QLatin1String("conversation.read"); }));
        QCOMPARE(clinician.m_events.last().value("data").toObject().value("lastReadSeq").toInteger(), 2);

        clinician.m_socket.sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
        QVERIFY(clinician.waitFor([&] { return clinician.m_pongs == 1; }));
        QCOMPARE(server.terminate(), 0);
    }

    void reconnectWithSinceReplaysExactlyTheMissedEvents()
    {
        TestServer server;
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        TestKeyring keyring(http);
        const Practice p = makePractice(http, keyring, QStringLiteral("replay"));
        qint64 since = 0;
        {
            EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
            QVERIFY(clinician.waitForHello());
            QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("before")).status, 201);
            QVERIFY(clinician.waitFor([&] { return clinician.bodies(keyring).contains(QStringLiteral("before")); }));
            since = clinician.lastSeq();
            clinician.m_socket.close();
            QVERIFY(clinician.waitFor([&] { return clinician.m_closed; }));
        }
        for (int i = 0; i < 3; ++i)
            QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("missed %1").arg(i)).status, 201);
        EventClient again(server.baseUrl(), p.clinicianToken, since);
        QVERIFY(again.waitForHello());
        QCOMPARE(again.m_hello.value("latestSeq").toInteger(), since + 3);
        QVERIFY(again.waitForEvents(3));
        QCOMPARE(again.bodies(keyring), (QStringList{"missed 0", "missed 1", "missed 2"}));
        QVERIFY(again.contiguousFrom(since + 1));
        // And live afterwards, continuing the sequence.
        QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("live")).status, 201);
        QVERIFY(again.waitForEvents(4));
        QVERIFY(again.contiguousFrom(since + 1));
        QTest::qWait(100);
        QCOMPARE(again.m_events.size(), 4);
        QCOMPARE(server.terminate(), 0);
    }

    void replayAndLiveEventsDoNotOverlapOrGap()
    {
        TestServer server;
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        TestKeyring keyring(http);
        const Practice p = makePractice(http, keyring, QStringLiteral("race"));
        // Events of the setting up (devices, keys, the epoch) come before the messages.
        const qint64 setup = http.get(QStringLiteral("/v1/events?since=0&limit=1"), p.clinicianToken)
                                 .json.value("latestSeq")
                                 .toInteger();
        for (int i = 0; i < 250; ++i) // more than one replay page
            QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("old %1").arg(i)).status, 201);
        // Fire sends without waiting, and connect while they are being stored.
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 60; ++i) {
            QNetworkRequest req(
                QUrl(server.baseUrl() + QStringLiteral("/v1/conversations/%1/messages").arg(p.conversationId)));
            req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
            req.setRawHeader("Authorization", "Bearer " + p.patientToken.toUtf8());
            replies << nam.post(req, messageBody(keyring, p, p.patientToken, QStringLiteral("new %1").arg(i), uuid()));
        }
        EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
        QVERIFY(clinician.waitFor([&] {
            return std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); });
        }));
        for (auto *r : replies)
            QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        const qint64 latest = http.get(QStringLiteral("/v1/events?since=0&limit=1"), p.clinicianToken)
                                  .json.value("latestSeq")
                                  .toInteger();
        QCOMPARE(latest, setup + 250 + 60);
        QVERIFY(clinician.waitForEvents(static_cast<int>(latest)));
        QTest::qWait(100);
        QCOMPARE(clinician.m_events.size(), latest);
        QVERIFY(clinician.contiguousFrom(1));
        const QStringList bodies = clinician.bodies(keyring);
        QCOMPARE(QSet<QString>(bodies.begin(), bodies.end()).size(), 310);
        qDeleteAll(replies);
        QCOMPARE(server.terminate(), 0);
    }

    void tlsServesHttpsAndWss()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--tls-cert"), QStringLiteral(LARCH_TEST_TLS_DIR "/test-cert.pem"),
                              QStringLiteral("--tls-key"), QStringLiteral(LARCH_TEST_TLS_DIR "/test-key.pem")}));
        QVERIFY(server.baseUrl().startsWith(QLatin1String("https://")));
        HttpClient http(server.baseUrl());
        // Pages and answers over TLS carry HSTS.
        QCOMPARE(http.get(QStringLiteral("/v1/health")).headers.value("strict-transport-security"),
                 QByteArray("max-age=31536000"));
        QCOMPARE(http.get(QStringLiteral("/i/not-a-token")).headers.value("strict-transport-security"),
                 QByteArray("max-age=31536000"));
        TestKeyring keyring(http);
        const Practice p = makePractice(http, keyring, QStringLiteral("tls"));
        QVERIFY(!p.patientToken.isEmpty());
        EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
        QVERIFY(clinician.waitForHello());
        QCOMPARE(sendMessage(keyring, p, p.patientToken, QStringLiteral("over tls")).status, 201);
        QVERIFY(clinician.waitFor([&] { return clinician.bodies(keyring).contains(QStringLiteral("over tls")); }));
        // Plain HTTP on a TLS port gets no answer.
        HttpClient plain(QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
        QCOMPARE(plain.get(QStringLiteral("/v1/health")).status, 0);
        // TLS 1.2 and 1.3 only: a client offering only TLS 1.1 (allowed on its side) is refused by the server.
        auto handshake = [&](const QString &version) {
            QProcess openssl;
            openssl.start(QStringLiteral("openssl"),
                          {QStringLiteral("s_client"), QStringLiteral("-connect"),
                           QStringLiteral("127.0.0.1:%1").arg(server.port()), version, QStringLiteral("-cipher"),
                           QStringLiteral("DEFAULT@SECLEVEL=0")});
            openssl.closeWriteChannel();
            openssl.waitForFinished(30000);
            return std::make_pair(openssl.exitCode(),
                                  QString::fromUtf8(openssl.readAllStandardOutput() + openssl.readAllStandardError()));
        };
        QCOMPARE(handshake(QStringLiteral("-tls1_2")).first, 0);
        const auto old = handshake(QStringLiteral("-tls1_1"));
        QVERIFY2(old.first != 0 && old.second.contains(QStringLiteral("alert protocol version")),
                 qPrintable(old.second));
        QCOMPARE(server.terminate(), 0);
        QVERIFY(clinician.waitFor([&] { return clinician.m_closed; }));
        QCOMPARE(clinician.m_closeCode, 1001);
    }

    void plainHttpOnlyOnLoopback()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(TestServer::binary(),
                {QStringLiteral("--listen"), QStringLiteral("0.0.0.0"), QStringLiteral("--port"), QStringLiteral("0"),
                 QStringLiteral("--data-dir"), dir.path()});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("Refusing to serve plain HTTP")));
    }

    void revokingSessionsClosesSocketsWith4001()
    {
        TestServer server;
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        QVERIFY(!http.get(QStringLiteral("/v1/health")).headers.contains("strict-transport-security")); // plain HTTP
        TestKeyring keyring(http);
        const Practice p = makePractice(http, keyring, QStringLiteral("revoke"));
        EventClient patient(server.baseUrl(), p.patientToken, 0);
        QVERIFY(patient.waitForHello());
        const QString patientId = http.get(QStringLiteral("/v1/me"), p.patientToken).json.value("id").toString();
        QCOMPARE(
            http.request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(patientId), {}, p.adminToken).status,
            204);
        QVERIFY(patient.waitFor([&] { return patient.m_closed; }));
        QCOMPARE(patient.m_closeCode, 4001);
        // A revoked token cannot open a new socket.
        EventClient refused(server.baseUrl(), p.patientToken, 0);
        QVERIFY(refused.waitFor([&] { return refused.m_closed; }));
        QVERIFY(refused.m_hello.isEmpty());
        QCOMPARE(server.terminate(), 0);
    }

    void signingOutClosesOnlyThatSessionsSockets()
    {
        TestServer server;
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        // The admin signed in on two devices: two sessions of one user, a socket on each.
        const QJsonObject created =
            http.createPractice(QStringLiteral("Practice signout"), QStringLiteral("admin@signout.example"));
        const QString practiceId = created.value("practice").toObject().value("id").toString();
        const QString phoneToken = http.signIn(QStringLiteral("admin@signout.example"));
        const QString laptopToken = http.signIn(QStringLiteral("admin@signout.example"));
        QVERIFY(!practiceId.isEmpty() && !phoneToken.isEmpty() && !laptopToken.isEmpty());
        const QString id = http.post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(practiceId),
                                     {{"channel", "email"}, {"email", "robin@patient.example"}}, laptopToken)
                               .json.value("id")
                               .toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(http.post(QStringLiteral("/v1/conversations/%1/consent").arg(id), {{"method", "verbal"}}, laptopToken)
                     .status,
                 200);
        const auto send = [&](const QString &text) {
            return http.post(QStringLiteral("/v1/conversations/%1/messages").arg(id),
                             {{"clientId", uuid()}, {"body", text}}, laptopToken);
        };
        const auto received = [](const EventClient &socket, const QString &text) {
            for (const QJsonObject &m : socket.dataOf("message.created"))
                if (m.value("body").toString() == text)
                    return true;
            return false;
        };
        const qint64 since =
            http.get(QStringLiteral("/v1/events?since=0&limit=1"), laptopToken).json.value("latestSeq").toInteger();
        EventClient phone(server.baseUrl(), phoneToken, since);
        EventClient laptop(server.baseUrl(), laptopToken, since);
        QVERIFY(phone.waitForHello());
        QVERIFY(laptop.waitForHello());
        QCOMPARE(send(QStringLiteral("Before signing out")).status, 201);
        QVERIFY(phone.waitFor([&] { return received(phone, QStringLiteral("Before signing out")); }));

        QCOMPARE(http.request("DELETE", QStringLiteral("/v1/sessions/current"), {}, phoneToken).status, 204);
        QCOMPARE(send(QStringLiteral("After signing out")).status, 201);
        // The other device's socket stays open and gets the new text ...
        QVERIFY(laptop.waitFor([&] { return received(laptop, QStringLiteral("After signing out")); }));
        QVERIFY(!laptop.m_closed);
        // ... and the signed-out one is closed as ended, with nothing made after the sign-out.
        QVERIFY(phone.waitFor([&] { return phone.m_closed; }));
        QCOMPARE(phone.m_closeCode, 4001);
        QVERIFY(!received(phone, QStringLiteral("After signing out")));
        QCOMPARE(server.terminate(), 0);
    }

    void socketOfAnExpiredSessionIsClosed()
    {
        // Sessions of two seconds: the socket is open before its session ends.
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--session-seconds"), QStringLiteral("2")}));
        HttpClient http(server.baseUrl());
        QVERIFY(
            !http.createPractice(QStringLiteral("Practice expiry"), QStringLiteral("admin@expiry.example")).isEmpty());
        const HttpReply session = http.post(QStringLiteral("/v1/sessions"),
                                            {{"email", "admin@expiry.example"}, {"password", "correct horse battery"}});
        QCOMPARE(session.status, 201);
        const QString token = session.json.value("token").toString();
        EventClient socket(server.baseUrl(), token, 0);
        QVERIFY(socket.waitForHello());
        QVERIFY(!socket.m_closed);
        // Once the session is over (server and test share this machine's clock), the socket is closed as ended.
        QVERIFY(socket.waitFor(
            [&] { return QDateTime::currentMSecsSinceEpoch() > session.json.value("expiresAt").toInteger(); }));
        QVERIFY(socket.waitFor([&] { return socket.m_closed; }));
        QCOMPARE(socket.m_closeCode, 4001);
        QCOMPARE(server.terminate(), 0);
    }

    void nothingLostAcrossTerminateAndKill()
    {
        QTemporaryDir dir;
        QStringList acknowledged; // clientIds the server confirmed
        QStringList attempted;
        Practice p;
        // One keyring across restarts: the keys live with the "apps", not with the server.
        std::unique_ptr<TestKeyring> keyringHolder;
        // Like an outbox, a retry sends the very envelope of the first attempt.
        QHash<QString, QJsonObject> outbox;
        const auto bodyOf = [&](const QString &token, const QString &id) {
            if (!outbox.contains(id))
                outbox.insert(
                    id,
                    QJsonObject{{"clientId", id},
                                {"envelope", keyringHolder->seal(p.member(token), p.conversationId, id, id)}});
            return outbox.value(id);
        };
        const auto post = [&](HttpClient &http, const QString &token, const QString &id) {
            return http.post(QStringLiteral("/v1/conversations/%1/messages").arg(p.conversationId), bodyOf(token, id),
                             token);
        };
        for (const bool hardKill : {false, true}) {
            TestServer server(dir.path());
            QVERIFY(server.start());
            HttpClient http(server.baseUrl());
            if (!keyringHolder)
                keyringHolder = std::make_unique<TestKeyring>(http);
            keyringHolder->setClient(http);
            TestKeyring &keyring = *keyringHolder;
            if (p.practiceId.isEmpty())
                p = makePractice(http, keyring, QStringLiteral("crash"));
            EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
            QVERIFY(clinician.waitForHello());
            for (int i = 0; i < 5; ++i) {
                const QString id = uuid();
                attempted << id;
                if (post(http, p.patientToken, id).status == 201)
                    acknowledged << id;
            }
            // Sends in flight while the server goes down.
            QNetworkAccessManager nam;
            QList<QPair<QString, QNetworkReply *>> inFlight;
            for (int i = 0; i < 20; ++i) {
                const QString id = uuid();
                attempted << id;
                QNetworkRequest req(
                    QUrl(server.baseUrl() + QStringLiteral("/v1/conversations/%1/messages").arg(p.conversationId)));
                req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
                req.setRawHeader("Authorization", "Bearer " + p.clinicianToken.toUtf8());
                inFlight.append({id, nam.post(req, QJsonDocument(bodyOf(p.clinicianToken, id)).toJson())});
            }
            QTest::qWait(5);
            if (hardKill) {
                server.kill();
            } else {
                QCOMPARE(server.terminate(), 0);
                // The socket was closed as "going away".
                QVERIFY(clinician.waitFor([&] { return clinician.m_closed; }));
                QCOMPARE(clinician.m_closeCode, 1001);
            }
            QVERIFY(clinician.waitFor([&] {
                return std::all_of(inFlight.begin(), inFlight.end(),
                                   [](const auto &r) { return r.second->isFinished(); });
            }));
            for (const auto &[id, reply] : inFlight) {
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 201)
                    acknowledged << id;
                delete reply;
            }
        }
        QVERIFY(!acknowledged.isEmpty());

        TestServer server(dir.path());
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        keyringHolder->setClient(http);
        TestKeyring &keyring = *keyringHolder;
        const auto stored = [&] {
            QStringList bodies;
            const auto list = http.get(QStringLiteral("/v1/conversations/%1/messages?limit=200").arg(p.conversationId),
                                       p.clinicianToken)
                                  .json.value("messages")
                                  .toArray();
            for (const auto &m : list)
                bodies << keyring.open(m.toObject());
            return bodies;
        };
        const QStringList afterRestart = stored();
        for (const QString &id : acknowledged)
            QVERIFY2(afterRestart.contains(id), "an acknowledged message was lost");
        // The client retries everything it is not sure about, as an outbox would: nothing is duplicated.
        for (qsizetype i = 0; i < attempted.size(); ++i) {
            const QString &id = attempted[i];
            // Each round sent 5 messages as the patient, then 20 as the clinician.
            const QString &sender = i % 25 < 5 ? p.patientToken : p.clinicianToken;
            const int status = post(http, sender, id).status;
            QVERIFY(status == 200 || status == 201);
            if (afterRestart.contains(id))
                QCOMPARE(status, 200);
        }
        const QStringList final = stored();
        QCOMPARE(final.size(), attempted.size());
        QCOMPARE(QSet<QString>(final.begin(), final.end()), QSet<QString>(attempted.begin(), attempted.end()));
        // The event log still numbers every event once, in order.
        EventClient clinician(server.baseUrl(), p.clinicianToken, 0);
        QVERIFY(clinician.waitForHello());
        const qint64 latest = clinician.m_hello.value("latestSeq").toInteger();
        QVERIFY(clinician.waitForEvents(static_cast<int>(latest)));
        QVERIFY(clinician.contiguousFrom(1));
        QCOMPARE(clinician.bodies(keyring).size(), attempted.size());
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerEvents)
#include "tst_server_events.moc"
