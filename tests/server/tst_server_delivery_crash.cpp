// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_delivery_crash: staff send SMS messages while the server is killed (SIGKILL) at random moments; after the
// last start, every acknowledged message is sent exactly once and none is stuck "queued".
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <algorithm>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSet>
#include <QtTest>
#include <QUuid>

using namespace testkit;

class TestServerDeliveryCrash : public QObject {
    Q_OBJECT

    QTemporaryDir m_data;
    TestServer m_server{m_data.path()};
    QString m_token;
    QString m_conversationId;

    /// Posts each message at once, one connection each, and returns the replies.
    QList<QNetworkReply *> post(QNetworkAccessManager &net, const QStringList &clientIds)
    {
        QList<QNetworkReply *> replies;
        for (const QString &clientId : clientIds) {
            QNetworkRequest request(
                QUrl(m_server.baseUrl() + QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationId)));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
            request.setRawHeader("Connection", "close");
            const QJsonObject body{{"clientId", clientId}, {"body", QStringLiteral("Reminder %1").arg(clientId)}};
            QNetworkReply *reply = net.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
            reply->setProperty("clientId", clientId);
            replies.append(reply);
        }
        return replies;
    }

    /// Waits for the first answer, then a random 0-200 ms more: the kill lands while the rest are being stored.
    static void killAmid(const QList<QNetworkReply *> &replies, QRandomGenerator &random)
    {
        (void)QTest::qWaitFor(
            [&] {
                return std::any_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); });
            },
            30000);
        QTest::qWait(int(random.bounded(0, 200)));
    }

private slots:
    void killsDuringSendsLoseNothing()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        {
            HttpClient http(m_server.baseUrl());
            const QJsonObject p =
                http.createPractice(QStringLiteral("Crash Practice"), QStringLiteral("a@crash.example"));
            const QString practiceId = p.value("practice").toObject().value("id").toString();
            m_token = p.value("session").toObject().value("token").toString();
            const HttpReply made =
                http.post(QStringLiteral("/v1/practices/%1/standard-conversations").arg(practiceId),
                          {{"channel", "sms"}, {"phone", "+12015550177"}, {"name", "Pat Doe"}}, m_token);
            QCOMPARE(made.status, 201);
            m_conversationId = made.json.value("id").toString();
            QCOMPARE(http.post(QStringLiteral("/v1/conversations/%1/consent").arg(m_conversationId),
                               {{"method", "verbal"}}, m_token)
                         .status,
                     200);
        }

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("random seed %u", seed);
        QRandomGenerator random(seed);
        QStringList all;
        QSet<QString> acknowledged;
        QStringList unanswered;
        for (int round = 0; round < 20; ++round) {
            if (round > 0)
                QVERIFY2(m_server.start(), qPrintable(m_server.error()));
            // New messages, and again those whose answer a kill swallowed, with the same clientId as an app would.
            QStringList batch = unanswered;
            const int fresh = std::max(10, 60 - int(unanswered.size()));
            for (int i = 0; i < fresh; ++i) {
                batch.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
                all.append(batch.last());
            }
            QNetworkAccessManager net;
            const QList<QNetworkReply *> replies = post(net, batch);
            // The moment of the kill: somewhere while the sends are stored and handed to the courier, once the first
            // has been answered (a slow build, under sanitizers, takes longer to get there).
            killAmid(replies, random);
            m_server.kill();
            const int before = int(acknowledged.size());
            unanswered.clear();
            for (QNetworkReply *reply : replies) {
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QString clientId = reply->property("clientId").toString();
                if (reply->isFinished() && (status == 200 || status == 201))
                    acknowledged.insert(clientId);
                else if (!acknowledged.contains(clientId))
                    unanswered.append(clientId);
                reply->abort();
                reply->deleteLater();
            }
            qInfo("round %d: %d of %d sends acknowledged before the kill", round, int(acknowledged.size()) - before,
                  int(batch.size()));
        }
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        HttpClient http(m_server.baseUrl());
        for (const QString &clientId : std::as_const(unanswered)) {
            const HttpReply r =
                http.post(QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationId),
                          {{"clientId", clientId}, {"body", QStringLiteral("Reminder %1").arg(clientId)}}, m_token);
            QVERIFY2(r.status == 200 || r.status == 201, qPrintable(QString::number(r.status)));
            acknowledged.insert(clientId);
        }
        QCOMPARE(acknowledged.size(), all.size());

        // Nothing stuck: every message leaves the queue (the development outbox sends at once).
        ServerDatabase db(m_data.path());
        QVERIFY(db.isOpen());
        const QString queued =
            QStringLiteral("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND note_kind IS NULL "
                           "AND delivery_state = 'queued'");
        QTRY_COMPARE_WITH_TIMEOUT(db.value(queued, {m_conversationId}).toInt(), 0, 60000);
        QCOMPARE(m_server.terminate(), 0);

        // Nothing lost, nothing duplicated: one message per clientId, one delivery per message, in the same state.
        ServerDatabase after(m_data.path());
        const QList<QVariantList> rows =
            after.rows(QStringLiteral("SELECT m.client_id, m.delivery_state, "
                                      "(SELECT COUNT(*) FROM outbox o WHERE o.message_id = m.id), "
                                      "(SELECT MIN(o.state) FROM outbox o WHERE o.message_id = m.id) "
                                      "FROM messages m WHERE m.conversation_id = ? AND m.note_kind IS NULL"),
                       {m_conversationId});
        QCOMPARE(rows.size(), all.size());
        QSet<QString> seen;
        for (const QVariantList &row : rows) {
            const QString clientId = row.at(0).toString();
            QVERIFY2(!seen.contains(clientId), qPrintable(clientId));
            seen.insert(clientId);
            QCOMPARE(row.at(1).toString(), QStringLiteral("sent"));
            QCOMPARE(row.at(2).toInt(), 1);
            QCOMPARE(row.at(3).toString(), QStringLiteral("sent"));
        }
        QCOMPARE(seen, QSet<QString>(all.cbegin(), all.cend()));
    }

    void killsDuringInvitationsLeaveNoneStuck()
    {
        QTemporaryDir data;
        TestServer server(data.path());
        const QStringList args{"--invite-limit", "1000"};
        QVERIFY2(server.start(args), qPrintable(server.error()));
        QString practiceId;
        QString token;
        {
            HttpClient http(server.baseUrl());
            const QJsonObject p =
                http.createPractice(QStringLiteral("Invite Practice"), QStringLiteral("b@crash.example"));
            practiceId = p.value("practice").toObject().value("id").toString();
            token = p.value("session").toObject().value("token").toString();
        }
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("random seed %u", seed);
        QRandomGenerator random(seed);
        int acknowledged = 0;
        int number = 0;
        for (int round = 0; round < 15; ++round) {
            if (round > 0)
                QVERIFY2(server.start(args), qPrintable(server.error()));
            QNetworkAccessManager net;
            QList<QNetworkReply *> replies;
            for (int i = 0; i < 20; ++i) {
                QNetworkRequest request(
                    QUrl(server.baseUrl() + QStringLiteral("/v1/practices/%1/invitations").arg(practiceId)));
                request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
                request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
                request.setRawHeader("Connection", "close");
                const QJsonObject body{{"patientName", QStringLiteral("Patient %1").arg(number)},
                                       {"phone", QStringLiteral("+1201555%1").arg(1000 + number++)}};
                replies.append(net.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
            }
            killAmid(replies, random);
            server.kill();
            for (QNetworkReply *reply : replies) {
                acknowledged +=
                    reply->isFinished() && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 201;
                reply->abort();
                reply->deleteLater();
            }
        }
        QVERIFY2(server.start(args), qPrintable(server.error()));
        ServerDatabase db(data.path());
        QTRY_COMPARE_WITH_TIMEOUT(
            db.value(QStringLiteral("SELECT COUNT(*) FROM invitations WHERE delivery_state = 'queued'")).toInt(), 0,
            60000);
        QCOMPARE(server.terminate(), 0);
        // Every stored invitation (acknowledged ones among them) has exactly its one delivery, sent, in both rows.
        ServerDatabase after(data.path());
        const QList<QVariantList> rows = after.rows(
            QStringLiteral("SELECT i.delivery_state, (SELECT COUNT(*) FROM outbox o WHERE o.invitation_id = i.id), "
                           "(SELECT o.state FROM outbox o WHERE o.id = i.delivery_id) FROM invitations i"));
        QVERIFY(rows.size() >= acknowledged);
        QVERIFY(acknowledged > 0);
        for (const QVariantList &row : rows) {
            QCOMPARE(row.at(0).toString(), QStringLiteral("sent"));
            QCOMPARE(row.at(1).toInt(), 1);
            QCOMPARE(row.at(2).toString(), QStringLiteral("sent"));
        }
    }
};

QTEST_GUILESS_MAIN(TestServerDeliveryCrash)
#include "tst_server_delivery_crash.moc"
