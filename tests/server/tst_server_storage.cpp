// SqliteStorage against real database files: migrations, idempotent sends, ordering, read state, events.
#include "Crypto.h"
#include "Migrations.h"
#include "SqliteStorage.h"

#include <QTemporaryDir>
#include <QtTest>
#include <limits>

using namespace larch;
using namespace larch::server;

class TestServerStorage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite3").arg(++m_files)); }

    struct Scene {
        PracticeRecord practice;
        User admin, clinician, patient;
        ConversationRecord conversation;
        QStringList recipients;
    };

    static UserRecord userRecord(const QString &practiceId, const QString &email, const QString &role)
    {
        return UserRecord{User{newId(), email.section(QLatin1Char('@'), 0, 0), email, role, practiceId},
                          QByteArray("$argon2id$not-a-real-hash"), 1000};
    }

    Scene makeScene(SqliteStorage &s, const QString &tag = QStringLiteral("a"))
    {
        Scene scene;
        scene.practice = PracticeRecord{newId(), QStringLiteral("Practice ") + tag, 1000};
        const auto admin = userRecord(scene.practice.id, QStringLiteral("admin-%1@example.org").arg(tag), QStringLiteral("admin"));
        [&] { QVERIFY(s.createPractice(scene.practice, admin)); }();
        scene.admin = admin.user;
        const auto clinician = userRecord(scene.practice.id, QStringLiteral("doc-%1@example.org").arg(tag), QStringLiteral("clinician"));
        [&] { QVERIFY(s.createUser(clinician)); }();
        scene.clinician = clinician.user;
        const auto patient = userRecord(scene.practice.id, QStringLiteral("pat-%1@example.org").arg(tag), QStringLiteral("patient"));
        scene.conversation = ConversationRecord{newId(), scene.practice.id, patient.user.id, QStringLiteral("Pat"),
                                                QStringLiteral("secure"), 1000, 1000, 0};
        QList<StoredEvent> stored;
        [&] { QVERIFY(s.createPatient(patient, scene.conversation, {}, &stored)); }();
        scene.patient = patient.user;
        scene.recipients = {scene.patient.id, scene.admin.id, scene.clinician.id};
        return scene;
    }

    static NewMessage message(const Scene &sc, const User &from, const QString &body, const QString &clientId = newId())
    {
        return NewMessage{newId(), clientId, sc.conversation.id, from.id, from.name, body, 2000};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(initCrypto());
        QVERIFY(m_dir.isValid());
    }

    void migratesFreshAndReopenedFile()
    {
        const QString path = freshPath();
        const int latest = sqliteMigrations().back().version;
        QString practiceId;
        {
            SqliteStorage s(path);
            QCOMPARE(s.schemaVersion(), latest);
            practiceId = makeScene(s).practice.id;
        }
        SqliteStorage reopened(path);
        QCOMPARE(reopened.schemaVersion(), latest);
        const auto p = reopened.practice(practiceId);
        QVERIFY(p.has_value());
        QCOMPARE(p->name, QStringLiteral("Practice a"));
        QCOMPARE(reopened.staff(practiceId).size(), 2);
    }

    void emailsAreUnique()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        auto again = userRecord(sc.practice.id, sc.clinician.email, QStringLiteral("clinician"));
        QVERIFY(!s.createUser(again));
        const PracticeRecord other{newId(), QStringLiteral("Other"), 1};
        QVERIFY(!s.createPractice(other, userRecord(other.id, sc.admin.email, QStringLiteral("admin"))));
        // The failed practice creation left nothing behind.
        QVERIFY(!s.practice(other.id).has_value());
        QCOMPARE(s.userByEmail(sc.clinician.email)->user.id, sc.clinician.id);
    }

    void sendIsIdempotentByClientId()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        const NewMessage m = message(sc, sc.patient, QStringLiteral("Hello"));
        const SendResult first = s.sendMessage(m, sc.recipients);
        QCOMPARE(first.status, SendResult::Status::Created);
        QCOMPARE(first.events.size(), 3);
        NewMessage retry = m;
        retry.id = newId();
        const SendResult second = s.sendMessage(retry, sc.recipients);
        QCOMPARE(second.status, SendResult::Status::Duplicate);
        QCOMPARE(second.message.id, first.message.id);
        QVERIFY(second.events.isEmpty());
        NewMessage changed = retry;
        changed.body = QStringLiteral("Hello again");
        QCOMPARE(s.sendMessage(changed, sc.recipients).status, SendResult::Status::Conflict);
        QCOMPARE(s.messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 50).size(), 1);
        QCOMPARE(s.latestEventSeq(sc.patient.id), 1);
    }

    void messagesAreNumberedInOrder()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(s.sendMessage(message(sc, i % 2 ? sc.patient : sc.clinician, QString::number(i)), sc.recipients).message.seq, i);
        const auto all = s.messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 50);
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(all[i].seq, 5 - i);
            QCOMPARE(all[i].body, QString::number(5 - i));
        }
        const auto older = s.messages(sc.conversation.id, 3, 50);
        QCOMPARE(older.size(), 2);
        QCOMPARE(older.first().seq, 2);
        QCOMPARE(s.conversation(sc.conversation.id)->lastSeq, 5);
        QCOMPARE(s.lastMessage(sc.conversation.id)->seq, 5);
        // A missing conversation stores nothing.
        NewMessage stray = message(sc, sc.patient, QStringLiteral("x"));
        stray.conversationId = newId();
        QCOMPARE(s.sendMessage(stray, sc.recipients).status, SendResult::Status::NoConversation);
    }

    void unreadCountsFollowReadMarkers()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        for (int i = 0; i < 3; ++i)
            s.sendMessage(message(sc, sc.patient, QStringLiteral("p%1").arg(i)), sc.recipients);
        s.sendMessage(message(sc, sc.clinician, QStringLiteral("reply")), sc.recipients);
        QCOMPARE(s.unreadCount(sc.conversation.id, sc.clinician.id, 0), 3); // own message not counted
        QCOMPARE(s.unreadCount(sc.conversation.id, sc.patient.id, 0), 1);
        const ReadResult r = s.markRead(sc.conversation.id, sc.clinician.id, 2, sc.recipients);
        QVERIFY(r.moved);
        QCOMPARE(r.lastReadSeq, 2);
        QCOMPARE(r.events.size(), 3);
        QCOMPARE(s.readMarkers(sc.conversation.id).value(sc.clinician.id), 2);
        QCOMPARE(s.unreadCount(sc.conversation.id, sc.clinician.id, 2), 1);
        const ReadResult back = s.markRead(sc.conversation.id, sc.clinician.id, 1, sc.recipients);
        QVERIFY(!back.moved);
        QCOMPARE(back.lastReadSeq, 2);
        QVERIFY(back.events.isEmpty());
    }

    void eventsAfterSinceAreOrderedPerUser()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        for (int i = 0; i < 4; ++i)
            s.sendMessage(message(sc, sc.patient, QStringLiteral("m%1").arg(i)), sc.recipients);
        s.markRead(sc.conversation.id, sc.clinician.id, 4, sc.recipients);
        const auto all = s.eventsAfter(sc.admin.id, 0, 200);
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(all[i].seq, i + 1);
        QCOMPARE(all.last().type, QStringLiteral("conversation.read"));
        const auto later = s.eventsAfter(sc.admin.id, 2, 200);
        QCOMPARE(later.size(), 3);
        QCOMPARE(later.first().seq, 3);
        QCOMPARE(s.eventsAfter(sc.admin.id, 0, 2).size(), 2);
        QCOMPARE(s.latestEventSeq(sc.admin.id), 5);
        // The stored data is the message as JSON.
        const auto data = QJsonDocument::fromJson(all.first().data).object();
        QCOMPARE(data.value(QLatin1String("body")).toString(), QStringLiteral("m0"));
        const auto wire = QJsonDocument::fromJson(all.first().wire()).object();
        QCOMPARE(wire.value(QLatin1String("seq")).toInteger(), 1);
        QCOMPARE(wire.value(QLatin1String("data")).toObject(), data);
    }

    void sessionsAreRevocable()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        const QByteArray d1 = tokenDigest(newToken()), d2 = tokenDigest(newToken());
        s.createSession(d1, sc.patient.id, 1, 5000);
        s.createSession(d2, sc.patient.id, 1, 5000);
        QCOMPARE(s.session(d1)->user.id, sc.patient.id);
        QVERIFY(!s.session(d1)->revoked);
        s.revokeSession(d1);
        QVERIFY(s.session(d1)->revoked);
        QVERIFY(!s.session(d2)->revoked);
        s.revokeSessions(sc.patient.id);
        QVERIFY(s.session(d2)->revoked);
        QVERIFY(!s.session(tokenDigest(newToken())).has_value());
    }

    void conversationsPageByActivity()
    {
        SqliteStorage s(freshPath());
        const Scene a = makeScene(s, QStringLiteral("a"));
        QList<QString> ids{a.conversation.id};
        // More patients in the same practice, with increasing activity.
        for (int i = 0; i < 4; ++i) {
            const auto p = userRecord(a.practice.id, QStringLiteral("p%1@example.org").arg(i), QStringLiteral("patient"));
            ConversationRecord c{newId(), a.practice.id, p.user.id, QStringLiteral("P"), QStringLiteral("secure"),
                                 2000 + i, 2000 + i, 0};
            QVERIFY(s.createPatient(p, c, {}, nullptr));
            ids.prepend(c.id);
        }
        const auto first = s.conversations({}, a.practice.id, std::nullopt, 2);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0].id, ids[0]);
        const auto second = s.conversations({}, a.practice.id, std::make_pair(first[1].lastActivityAt, first[1].id), 10);
        QCOMPARE(second.size(), 3);
        QCOMPARE(second[0].id, ids[2]);
        QCOMPARE(s.conversations(a.patient.id, {}, std::nullopt, 10).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServerStorage)
#include "tst_server_storage.moc"
