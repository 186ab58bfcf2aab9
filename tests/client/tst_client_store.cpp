// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// LocalStore and Outbox on disk: everything survives a reopen, secrets are encrypted at rest under the
// storage key, a first-slice cache is dropped and scrubbed, the outbox keeps its order and seals once.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/protocol/Validation.h"
#include "ServerFiles.h"
#include "StandInServer.h"

#include <QDir>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
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

StoredMessage verified(qint64 seq, const QString &sender, const QString &body = {})
{
    Message m{QStringLiteral("m-%1").arg(seq),
              QStringLiteral("c-%1").arg(seq),
              Conv,
              seq,
              sender,
              sender,
              body.isEmpty() ? QStringLiteral("Line one\nline two %1").arg(seq) : body,
              5000 + seq,
              std::nullopt};
    return StoredMessage{m, Verification::Verified, MessageCheck::Ok};
}

// Whether text is anywhere on the disk under dir (the database, its WAL and shared memory), as UTF-8 or UTF-16.
bool onDisk(const QString &dir, const QString &text) { return testkit::containsText(testkit::bytesUnder(dir), text); }
} // namespace

/// LocalStore and Outbox on disk, and the outbox's retries against a StandInServer.
class TestClientStore : public QObject {
    Q_OBJECT
    SecretBytes m_key = SecretBytes::random(32);

private slots:
    void sessionConversationsAndSeqSurviveReopen()
    {
        QTemporaryDir dir;
        Session session{"secret-token-7f3a", 99, User{"ben", "Dr. Ben Okafor", "ben@birch.example", "clinician", "p"}};
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            QVERIFY(store.setStorageKey(m_key));
            store.account().saveSession(session);
            store.conversations().upsert(conversation(0, 0));
            store.account().setLastEventSeq(42);
        }
        QVERIFY(!onDisk(dir.path(), "secret-token-7f3a"));
        QVERIFY(!onDisk(dir.path(), "ben@birch.example"));
        {
            // Without the storage key the session exists but cannot be read.
            LocalStore store(dir.path());
            QVERIFY(store.open());
            QVERIFY(store.account().hasStoredSession());
            QVERIFY(!store.account().session().has_value());
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        QVERIFY(store.setStorageKey(m_key));
        const auto loaded = store.account().session();
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->token, session.token);
        QCOMPARE(loaded->user, session.user);
        QCOMPARE(store.account().lastEventSeq(), 42);
        QCOMPARE(store.conversations().summaries().size(), 1);
        store.clearAccountData();
        QVERIFY(!store.account().session().has_value());
        QCOMPARE(store.conversations().summaries().size(), 0);
        QCOMPARE(store.account().lastEventSeq(), 0);
    }

    void anotherStorageKeyDropsWhatItCannotRead()
    {
        QTemporaryDir dir;
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            QVERIFY(store.setStorageKey(m_key));
            store.conversations().upsert(conversation(0, 0));
            store.messages().applyMessage(verified(1, "sam"), "ben");
            store.outbox().saveDraft(Conv, "half a thought");
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        QVERIFY(!store.setStorageKey(SecretBytes::random(32))); // the keychain entry was replaced
        QCOMPARE(store.conversations().summaries().size(), 0);
        QCOMPARE(store.outbox().draft(Conv), QString());
        QVERIFY(store.messages().messagesBefore(Conv, 0, 10).isEmpty());
    }

    void messagesMoveTheSummaryForwardOnly()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        store.conversations().upsert(conversation(0, 0));
        auto applied = store.messages().applyMessage(verified(1, "sam"), "ben");
        QVERIFY(applied.inserted);
        QVERIFY(applied.conversationChanged);
        applied = store.messages().applyMessage(verified(1, "sam"), "ben"); // a replayed event
        QVERIFY(!applied.inserted);
        QVERIFY(!applied.conversationChanged);
        store.messages().applyMessage(verified(2, "ben"), "ben"); // mine: not unread
        auto summary = store.conversations().summary(Conv);
        QCOMPARE(summary->unreadCount, 1);
        QCOMPARE(summary->lastSeq, 2);
        QCOMPARE(summary->preview, QStringLiteral("Line one line two 2"));
        // An older copy of the conversation from the server does not roll the summary back.
        QVERIFY(!store.conversations().upsert(conversation(1, 1)));
        QCOMPARE(store.conversations().summary(Conv)->lastSeq, 2);
        // Read marks only move forward.
        QVERIFY(store.conversations().setMemberRead(Conv, "sam", 2));
        QVERIFY(!store.conversations().setMemberRead(Conv, "sam", 1));
        QCOMPARE(store.conversations().countUnread(Conv, 0, "ben"), 1);
        const auto page = store.messages().messagesBefore(Conv, 0, 50);
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.first().message.seq, 2);
        QCOMPARE(page.first().message.body, QStringLiteral("Line one\nline two 2"));
        QCOMPARE(store.messages().messagesBefore(Conv, 2, 50).size(), 1);
        QCOMPARE(store.messages().messageByClientId("c-1")->message.id, QStringLiteral("m-1"));
        QVERIFY(store.messages().clientIdSeen(Conv, "c-1", "m-other"));
        QVERIFY(!store.messages().clientIdSeen(Conv, "c-1", "m-1"));
    }

    void openingOutcomesAreKeptAndUnverifiedTextNeverIs()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        store.conversations().upsert(conversation(0, 0));
        StoredMessage waiting = verified(1, "sam", "opened later");
        waiting.verification = Verification::Unopened;
        store.messages().applyMessage(waiting.message, "ben");
        QCOMPARE(store.messages().messagesToOpen(Conv, false).size(), 1);
        QCOMPARE(store.messages().messageById("m-1")->message.body, QString());
        QVERIFY(store.messages().setMessageOpened("m-1", Verification::Verified, MessageCheck::Ok, "opened later"));
        QCOMPARE(store.conversations().summary(Conv)->preview, QStringLiteral("opened later"));
        QCOMPARE(store.messages().messagesToOpen(Conv, true).size(), 0);

        StoredMessage bad = verified(2, "sam", "forged words");
        bad.verification = Verification::Unverifiable;
        bad.check = MessageCheck::BadSignature;
        store.messages().applyMessage(bad, "ben");
        const auto kept = store.messages().messageById("m-2");
        QCOMPARE(kept->verification, Verification::Unverifiable);
        QCOMPARE(kept->check, MessageCheck::BadSignature);
        QCOMPARE(kept->message.body, QString());
        QVERIFY(!onDisk(dir.path(), "forged words"));
        QVERIFY(!store.conversations().summary(Conv)->preview.contains("forged"));

        StoredMessage pending = verified(3, "sam");
        pending.verification = Verification::KeyPending;
        store.messages().applyMessage(pending, "ben");
        QCOMPARE(store.messages().messagesToOpen(Conv, false).size(), 0);
        QCOMPARE(store.messages().messagesToOpen(Conv, true).size(), 1);
        // A later outcome replaces "waiting for the key"; a verified message is never replaced.
        store.messages().applyMessage(verified(3, "sam", "key arrived"), "ben");
        QCOMPARE(store.messages().messageById("m-3")->message.body, QStringLiteral("key arrived"));
        bad.message.id = "m-3";
        bad.message.seq = 3;
        store.messages().applyMessage(bad, "ben");
        QCOMPARE(store.messages().messageById("m-3")->verification, Verification::Verified);
    }

    void secretsAreEncryptedAtRestAndBoundToTheirRow()
    {
        QTemporaryDir dir;
        const QString canary = QStringLiteral("canary-%1").arg(newId());
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.setStorageKey(m_key);
            store.conversations().upsert(conversation(0, 0));
            store.messages().applyMessage(verified(1, "sam", canary + " body"), "ben");
            store.messages().applyMessage(verified(2, "sam", "the other row"), "ben");
            store.outbox().saveDraft(Conv, canary + " draft");
            store.outbox().enqueue(Conv, canary + " outbox");
            store.messages().addNotice(Conv, "added/x", canary + " notice", 1);
            store.keys().saveEpochKey(Conv, 1, SecretBytes(canary.toUtf8().left(32)));
            QCOMPARE(store.keys().epochKeys().size(), 1);
            QCOMPARE(std::get<2>(store.keys().epochKeys().first()).bytes(), canary.toUtf8().left(32));
        }
        QVERIFY(!onDisk(dir.path(), canary));
        {
            // A sealed body copied into another row does not open there: rows cannot be swapped.
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "swap");
            db.setDatabaseName(QDir(dir.path()).filePath("larch-client.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("UPDATE messages SET body = (SELECT body FROM messages WHERE id = 'm-1') WHERE id = 'm-2'"));
            db.close();
        }
        QSqlDatabase::removeDatabase("swap");
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        QCOMPARE(store.messages().messageById("m-1")->message.body, canary + " body");
        const auto swapped = store.messages().messageById("m-2");
        QCOMPARE(swapped->message.body, QString());
        QCOMPARE(swapped->verification, Verification::Unopened); // opened again from its envelope
        QCOMPARE(store.outbox().draft(Conv), canary + " draft");
        QCOMPARE(store.outbox().entries().first().body, canary + " outbox");
        QCOMPARE(store.messages().notices(Conv, 0, 10).first().text, canary + " notice");
    }

    void attachmentsAreKeptSealedWithTheirMessage()
    {
        QTemporaryDir dir;
        const QString canary = QStringLiteral("canary-%1").arg(newId());
        AttachmentRef photo;
        photo.blobId = newId();
        photo.key = QByteArray(AttachmentRef::KeyBytes, '\x5a');
        photo.sha256 = QByteArray(32, '\x11');
        photo.size = 1234;
        photo.mime = QStringLiteral("image/jpeg");
        photo.kind = QStringLiteral("image");
        photo.name = canary + QStringLiteral(".jpg");
        photo.thumbnail = canary.toUtf8() + " thumbnail";
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.setStorageKey(m_key);
            store.conversations().upsert(conversation(0, 0));
            StoredMessage withPhoto = verified(1, "sam", "Here it is");
            withPhoto.attachments = {photo};
            store.messages().applyMessage(withPhoto, "ben");
            StoredMessage later = verified(2, "sam", "");
            later.verification = Verification::Unopened;
            store.messages().applyMessage(later, "ben");
            QVERIFY(
                store.messages().setMessageOpened("m-2", Verification::Verified, MessageCheck::Ok, QString(), {photo}));
            QCOMPARE(store.conversations().summary(Conv)->preview, QStringLiteral("Photo"));
            QCOMPARE(store.messages().messageById("m-1")->attachments, QList<AttachmentRef>{photo});
        }
        QVERIFY(!onDisk(dir.path(), canary));
        QVERIFY(!testkit::bytesUnder(dir.path()).contains(photo.key));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "swap-attachments");
            db.setDatabaseName(QDir(dir.path()).filePath("larch-client.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("UPDATE messages SET attachments = (SELECT attachments FROM messages WHERE id = 'm-1')"
                           " WHERE id = 'm-2'"));
            db.close();
        }
        QSqlDatabase::removeDatabase("swap-attachments");
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        const auto first = store.messages().messageById("m-1");
        QCOMPARE(first->attachments, QList<AttachmentRef>{photo});
        QCOMPARE(first->message.body, QStringLiteral("Here it is"));
        // References sealed for another row do not open there: the message is opened again from its envelope.
        const auto swapped = store.messages().messageById("m-2");
        QCOMPARE(swapped->verification, Verification::Unopened);
        QVERIFY(swapped->attachments.isEmpty());
    }

    void firstSliceCacheIsDroppedAndScrubbed()
    {
        QTemporaryDir dir;
        const QString plaintext = QStringLiteral("plaintext-of-the-first-slice-%1").arg(newId());
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "v1");
            db.setDatabaseName(QDir(dir.path()).filePath("larch-client.sqlite"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE messages (id TEXT PRIMARY KEY, body TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE conversations (id TEXT PRIMARY KEY, preview TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE members (conversation_id TEXT)"));
            QVERIFY(q.exec("CREATE TABLE drafts (conversation_id TEXT PRIMARY KEY, text TEXT)"));
            QVERIFY(q.exec("CREATE TABLE outbox (client_id TEXT)"));
            for (int i = 0; i < 50; ++i)
                QVERIFY(q.exec(QStringLiteral("INSERT INTO messages VALUES ('m%1', '%2')").arg(i).arg(plaintext)));
            QVERIFY(
                q.exec(QStringLiteral("INSERT INTO settings VALUES ('session', '{\"token\":\"%1\"}')").arg(plaintext)));
            QVERIFY(q.exec("INSERT INTO settings VALUES ('serverUrl', 'http://127.0.0.1:9')"));
            QVERIFY(q.exec("PRAGMA user_version=1"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v1");
        QVERIFY(onDisk(dir.path(), plaintext));
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            QVERIFY(!store.account().hasStoredSession());
            QCOMPARE(store.setting("serverUrl"), QStringLiteral("http://127.0.0.1:9")); // settings stay
        }
        QVERIFY(!onDisk(dir.path(), plaintext));
    }

    void invitationStateIsKeptAcrossUpdatesAndReopen()
    {
        QTemporaryDir dir;
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.setStorageKey(m_key);
            store.conversations().upsert(conversation(0, 0));
            QCOMPARE(store.conversations().summary(Conv)->invitationState, QString());
            QVERIFY(store.conversations().setInvitationState(Conv, QStringLiteral("pending")));
            QVERIFY(!store.conversations().setInvitationState(Conv, QStringLiteral("pending"))); // no change, no signal
            // A later copy of the conversation (a message, a page) does not forget it.
            QVERIFY(store.conversations().upsert(conversation(3, 1)));
            QCOMPARE(store.conversations().summary(Conv)->invitationState, QStringLiteral("pending"));
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        QCOMPARE(store.conversations().summaries().value(0).invitationState, QStringLiteral("pending"));
        QVERIFY(store.conversations().setInvitationState(Conv, QStringLiteral("paired")));
        QCOMPARE(store.conversations().summary(Conv)->invitationState, QStringLiteral("paired"));
    }

    void outboxKeepsOrderAndSurvivesReopen()
    {
        QTemporaryDir dir;
        QStringList clientIds;
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.setStorageKey(m_key);
            for (int i = 0; i < 5; ++i)
                clientIds << store.outbox().enqueue(Conv, QStringLiteral("message %1").arg(i)).clientId;
            store.outbox().markFailed(clientIds.at(1), "Refused.");
            store.outbox().setEnvelope(clientIds.at(2), QJsonObject{{"epoch", 3}});
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        const auto all = store.outbox().entries();
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(all.at(i).clientId, clientIds.at(i));
            QCOMPARE(all.at(i).body, QStringLiteral("message %1").arg(i));
            QVERIFY(isValidId(all.at(i).clientId));
        }
        QCOMPARE(all.at(1).state, OutboxEntry::State::Failed);
        QCOMPARE(all.at(1).failureReason, QStringLiteral("Refused."));
        QCOMPARE(all.at(2).envelope.value("epoch").toInt(), 3);
        QCOMPARE(store.outbox().nextPending()->clientId, clientIds.at(0));
        QVERIFY(store.outbox().remove(clientIds.at(0)));
        QVERIFY(!store.outbox().remove(clientIds.at(0)));
        QCOMPARE(store.outbox().nextPending()->clientId, clientIds.at(2)); // the failed one is not retried
    }

    void outboxSealsOnceAndKeepsRetryingWhileTheServerCannotTakeMessages()
    {
        QTemporaryDir dir;
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(m_key);
        // A server in trouble answers every send 503: the outbox treats that as it treats no connection at all.
        StandInServer server;
        server.unanswered = {503, {}};
        ApiClient api;
        api.setServerUrl(server.url());
        api.setToken("token");
        Outbox outbox(&store, &api);
        int seals = 0;
        const SecretBytes conversationKey = SecretBytes::random(32);
        const QByteArray signSecret = QByteArray(64, '\x07');
        outbox.setSealer([&](const OutboxEntry &entry, Outbox::SealDone done) {
            ++seals;
            const MessageEnvelope e = sealMessage(conversationKey.bytes(), entry.conversationId, 1, entry.clientId,
                                                  newId(), signSecret, entry.body);
            done(e.toJson(), {}, false);
        });
        QSignalSpy failed(&outbox, &Outbox::failed);
        QSignalSpy pending(&outbox, &Outbox::pending);
        outbox.resume();
        outbox.enqueue(Conv, "Written offline");
        QCOMPARE(pending.size(), 1);
        // The first send and a retry after it reach the server.
        const QByteArray sends = "/v1/conversations/" + Conv.toUtf8() + "/messages";
        QTRY_VERIFY_WITH_TIMEOUT(server.count("POST", sends) >= 2, 10000);
        const QJsonObject sealed = store.outbox().entries().first().envelope;
        QVERIFY(!sealed.isEmpty());
        QCOMPARE(failed.size(), 0); // never given up
        QCOMPARE(seals, 1); // sealed once, and every retry sends the same envelope
        for (const StandInServer::Request &send : server.received("POST", sends))
            QCOMPARE(send.json().value("envelope").toObject(), sealed);
        QCOMPARE(store.outbox().entries().size(), 1);
        QCOMPARE(store.outbox().entries().first().state, OutboxEntry::State::Pending);
        QCOMPARE(store.outbox().entries().first().envelope, sealed);
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
