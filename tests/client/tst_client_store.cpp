// LocalStore and Outbox on disk: everything survives a reopen, the outbox keeps its order, state never steps back.
#include "ApiClient.h"
#include "LocalStore.h"
#include "Outbox.h"
#include "Validation.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000001");

Conversation conversation(qint64 lastSeq, qint64 unread)
{
    Conversation c;
    c.id = Conv;
    c.practiceId = "p";
    c.patientId = "sam";
    c.title = "Sam Lee";
    c.lastActivityAt = 1000 + lastSeq;
    c.lastSeq = lastSeq;
    c.unreadCount = unread;
    c.members = {Member{"ben", "Dr. Ben Okafor", "clinician", 0}, Member{"sam", "Sam Lee", "patient", lastSeq}};
    return c;
}

Message message(qint64 seq, const QString &sender)
{
    return Message{QStringLiteral("m-%1").arg(seq), QStringLiteral("c-%1").arg(seq), Conv, seq, sender,
                   sender, QStringLiteral("Line one\nline two %1").arg(seq), 5000 + seq};
}
} // namespace

class TestClientStore : public QObject {
    Q_OBJECT
private slots:
    void sessionConversationsAndSeqSurviveReopen()
    {
        QTemporaryDir dir;
        Session session{"secret-token", 99, User{"ben", "Dr. Ben Okafor", "ben@birch.example", "clinician", "p"}};
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.saveSession(session);
            store.upsertConversation(conversation(0, 0));
            store.setLastEventSeq(42);
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        const auto loaded = store.session();
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->token, session.token);
        QCOMPARE(loaded->user, session.user);
        QCOMPARE(store.lastEventSeq(), 42);
        QCOMPARE(store.conversationSummaries().size(), 1);
        store.clearAccountData();
        QVERIFY(!store.session().has_value());
        QCOMPARE(store.conversationSummaries().size(), 0);
        QCOMPARE(store.lastEventSeq(), 0);
    }

    void messagesMoveTheSummaryForwardOnly()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.upsertConversation(conversation(0, 0));
        auto applied = store.applyMessage(message(1, "sam"), "ben");
        QVERIFY(applied.inserted);
        QVERIFY(applied.conversationChanged);
        applied = store.applyMessage(message(1, "sam"), "ben");  // a replayed event
        QVERIFY(!applied.inserted);
        QVERIFY(!applied.conversationChanged);
        store.applyMessage(message(2, "ben"), "ben");  // mine: not unread
        auto summary = store.conversationSummary(Conv);
        QCOMPARE(summary->unreadCount, 1);
        QCOMPARE(summary->lastSeq, 2);
        QCOMPARE(summary->preview, QStringLiteral("Line one line two 2"));
        // An older copy of the conversation from the server does not roll the summary back.
        QVERIFY(!store.upsertConversation(conversation(1, 1)));
        QCOMPARE(store.conversationSummary(Conv)->lastSeq, 2);
        // Read marks only move forward.
        QVERIFY(store.setMemberRead(Conv, "sam", 2));
        QVERIFY(!store.setMemberRead(Conv, "sam", 1));
        QCOMPARE(store.countUnread(Conv, 0, "ben"), 1);
        const auto page = store.messagesBefore(Conv, 0, 50);
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.first().seq, 2);
        QCOMPARE(store.messagesBefore(Conv, 2, 50).size(), 1);
        QCOMPARE(store.messageByClientId("c-1")->id, QStringLiteral("m-1"));
    }

    void outboxKeepsOrderAndSurvivesReopen()
    {
        QTemporaryDir dir;
        QStringList clientIds;
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            for (int i = 0; i < 5; ++i)
                clientIds << store.enqueue(Conv, QStringLiteral("message %1").arg(i)).clientId;
            store.markFailed(clientIds.at(1), "Refused.");
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        const auto all = store.outbox();
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(all.at(i).clientId, clientIds.at(i));
            QVERIFY(isValidId(all.at(i).clientId));
        }
        QCOMPARE(all.at(1).state, OutboxEntry::State::Failed);
        QCOMPARE(all.at(1).failureReason, QStringLiteral("Refused."));
        QCOMPARE(store.nextPending()->clientId, clientIds.at(0));
        QVERIFY(store.removeFromOutbox(clientIds.at(0)));
        QVERIFY(!store.removeFromOutbox(clientIds.at(0)));
        QCOMPARE(store.nextPending()->clientId, clientIds.at(2));  // the failed one is not retried
    }

    void outboxKeepsMessagesWhileTheServerIsUnreachable()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        ApiClient api;
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        api.setToken("token");
        Outbox outbox(&store, &api);
        QSignalSpy failed(&outbox, &Outbox::failed);
        QSignalSpy pending(&outbox, &Outbox::pending);
        outbox.resume();
        outbox.enqueue(Conv, "Written offline");
        QCOMPARE(pending.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!outbox.isSending(), 10000);
        QTest::qWait(1500);  // a retry has happened by now
        QCOMPARE(failed.size(), 0);  // never given up while offline
        QCOMPARE(store.outbox().size(), 1);
        QCOMPARE(store.outbox().first().state, OutboxEntry::State::Pending);
    }

    void insecureServerAddressesAreRefused()
    {
        QCOMPARE(ApiClient::checkServerUrl(QUrl("http://larch.example.org")).kind, ApiError::Kind::InsecureUrl);
        QCOMPARE(ApiClient::checkServerUrl(QUrl("http://10.0.0.5:8080")).kind, ApiError::Kind::InsecureUrl);
        QVERIFY(ApiClient::checkServerUrl(QUrl("https://larch.example.org")).isNone());
        QVERIFY(ApiClient::checkServerUrl(QUrl("http://127.0.0.1:8080")).isNone());
        QVERIFY(ApiClient::checkServerUrl(QUrl("http://127.8.9.10")).isNone());
        QVERIFY(ApiClient::checkServerUrl(QUrl("http://[::1]:8080")).isNone());
        QVERIFY(ApiClient::checkServerUrl(QUrl("http://localhost:8080")).isNone());
        QCOMPARE(ApiClient::checkServerUrl(QUrl("ftp://larch.example.org")).kind, ApiError::Kind::InvalidUrl);
        QCOMPARE(ApiClient::checkServerUrl(QUrl("not a url")).kind, ApiError::Kind::InvalidUrl);
        ApiClient api;
        QVERIFY(!api.setServerUrl(QUrl("http://larch.example.org")).isNone());
        QCOMPARE(api.serverUrl(), QUrl());
    }
};

QTEST_GUILESS_MAIN(TestClientStore)
#include "tst_client_store.moc"
