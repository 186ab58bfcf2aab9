// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteStorage against real database files: migrations, idempotent sends, ordering, read state, events.
#include "core/crypto/Crypto.h"
#include "server/storage/Migrations.h"
#include "server/storage/sqlite/SqliteStorage.h"

#include <limits>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>

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
        const auto admin =
            userRecord(scene.practice.id, QStringLiteral("admin-%1@example.org").arg(tag), QStringLiteral("admin"));
        [&] { QVERIFY(s.createPractice(scene.practice, admin)); }();
        scene.admin = admin.user;
        const auto clinician =
            userRecord(scene.practice.id, QStringLiteral("doc-%1@example.org").arg(tag), QStringLiteral("clinician"));
        [&] { QVERIFY(s.createUser(clinician)); }();
        scene.clinician = clinician.user;
        const auto patient =
            userRecord(scene.practice.id, QStringLiteral("pat-%1@example.org").arg(tag), QStringLiteral("patient"));
        scene.conversation = ConversationRecord{
            newId(), scene.practice.id, patient.user.id, QStringLiteral("Pat"), QStringLiteral("secure"), 1000, 1000,
            0};
        QList<StoredEvent> stored;
        [&] { QVERIFY(s.createPatient(patient, scene.conversation, {}, &stored)); }();
        scene.patient = patient.user;
        scene.recipients = {scene.patient.id, scene.admin.id, scene.clinician.id};
        return scene;
    }

    static NewMessage message(const Scene &sc, const User &from, const QString &body, const QString &clientId = newId())
    {
        return NewMessage{newId(), clientId, sc.conversation.id, from.id, from.name, body, 2000, {}, {}, {}};
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

    void envelopesAreStoredOpaqueAndCompared()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        NewMessage m = message(sc, sc.patient, QString());
        m.envelope = R"({"epoch":1,"senderDeviceId":"d","ciphertext":"AAAA","signature":"BBBB"})";
        const SendResult first = s.sendMessage(m, sc.recipients);
        QCOMPARE(first.status, SendResult::Status::Created);
        QVERIFY(first.message.envelope);
        QCOMPARE(first.message.envelope->value(QLatin1String("ciphertext")).toString(), QStringLiteral("AAAA"));
        const QJsonObject event = QJsonDocument::fromJson(first.events.first().data).object();
        QCOMPARE(event.value(QLatin1String("envelope")).toObject(), *first.message.envelope);
        QCOMPARE(event.value(QLatin1String("body")).toString(), QString());
        QCOMPARE(s.sendMessage(m, sc.recipients).status, SendResult::Status::Duplicate);
        NewMessage other = m;
        other.envelope = R"({"epoch":1,"senderDeviceId":"d","ciphertext":"CCCC","signature":"BBBB"})";
        QCOMPARE(s.sendMessage(other, sc.recipients).status, SendResult::Status::Conflict);
        const auto stored = s.messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 10);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first(), first.message);
        // A plain message keeps reading back without an envelope.
        const SendResult plain = s.sendMessage(message(sc, sc.admin, QStringLiteral("plain")), sc.recipients);
        QVERIFY(!plain.message.envelope);
        QVERIFY(!s.lastMessage(sc.conversation.id)->envelope);
    }

    void upgradesAVersionOneFile()
    {
        // A file as the first release left it: only migration 1 applied, with a user in it.
        const QString path = freshPath();
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            const QByteArray script =
                QByteArray("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);")
                + sqliteMigrations().front().sql
                + "INSERT INTO schema_version VALUES (1, 1);"
                  "INSERT INTO practices VALUES ('p1', 'Old Practice', 1);"
                  "INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at) "
                  "VALUES ('u1', 'p1', 'old@example.org', 'Old', 'admin', 'x', 1);";
            QCOMPARE(sqlite3_exec(db, script.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        SqliteStorage s(path);
        QCOMPARE(s.schemaVersion(), sqliteMigrations().back().version);
        const auto old = s.userByEmail(QStringLiteral("old@example.org"));
        QVERIFY(old.has_value());
        QVERIFY(!old->deactivated);
        QVERIFY(s.userDevices(QStringLiteral("u1")).isEmpty());
        QVERIFY(!s.practiceKeys(QStringLiteral("p1"), {}).current.has_value());
    }

    void upgradesAVersionThreeFile()
    {
        // A file as the E2EE release left it (migrations 1 to 3) with a practice, a patient, a conversation with a
        // message and a read marker, a session, a device and events: migration 4 rebuilds users around them.
        const QString path = freshPath();
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            QByteArray script("PRAGMA foreign_keys=ON;"
                              "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);");
            for (const Migration &m : sqliteMigrations())
                if (m.version <= 3)
                    script += QByteArray(m.sql) + "INSERT INTO schema_version VALUES (" + QByteArray::number(m.version)
                        + ", 1);";
            script +=
                "INSERT INTO practices (id, name, created_at) VALUES ('p1', 'Old Practice', 1);"
                "INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at, last_event_seq) "
                "VALUES ('u1', 'p1', 'admin@old.example', 'Admin', 'admin', 'x', 1, 1),"
                " ('u2', 'p1', 'pat@old.example', 'Pat', 'patient', 'y', 2, 0);"
                "INSERT INTO conversations VALUES ('c1', 'p1', 'u2', 'Pat', 'secure', 3, 4, 1);"
                "INSERT INTO messages (id, conversation_id, seq, client_id, sender_id, sender_name, body, sent_at) "
                "VALUES ('m1', 'c1', 1, 'k1', 'u1', 'Admin', '', 4);"
                "INSERT INTO reads VALUES ('c1', 'u1', 1);"
                "INSERT INTO sessions (token_digest, user_id, created_at, expires_at) VALUES ('d1', 'u2', 1, "
                "9999999999999);"
                "INSERT INTO devices VALUES ('dev1', 'u2', 'Phone', 'b', 's', 'active', 5, NULL);"
                "INSERT INTO events VALUES ('u1', 1, 'conversation.created', '{}', 3);";
            QCOMPARE(sqlite3_exec(db, script.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        SqliteStorage s(path);
        QCOMPARE(s.schemaVersion(), sqliteMigrations().back().version);
        const auto pat = s.userByEmail(QStringLiteral("pat@old.example"));
        QVERIFY(pat.has_value());
        QCOMPARE(pat->user.id, QStringLiteral("u2"));
        QCOMPARE(pat->passwordHash, QByteArray("y"));
        QCOMPARE(s.conversation(QStringLiteral("c1"))->patientId, QStringLiteral("u2"));
        QCOMPARE(s.messages(QStringLiteral("c1"), 100, 10).size(), 1);
        QCOMPARE(s.readMarkers(QStringLiteral("c1")).value(QStringLiteral("u1")), 1);
        QVERIFY(s.session(QByteArray("d1")).has_value());
        QCOMPARE(s.userDevices(QStringLiteral("u2")).size(), 1);
        QCOMPARE(s.latestEventSeq(QStringLiteral("u1")), 1);
        QCOMPARE(s.practiceRegion(QStringLiteral("p1")), QStringLiteral("US"));
        QVERIFY(s.invitationState(QStringLiteral("c1"), 10).isEmpty());
        // Foreign keys are enforced again after the migration.
        QVERIFY(!s.createUser(UserRecord{User{newId(), QStringLiteral("X"), QStringLiteral("pat@old.example"),
                                              QStringLiteral("clinician"), QStringLiteral("p1")},
                                         "h", 1}));
        bool refused = false;
        try {
            s.createUser(UserRecord{User{newId(), QStringLiteral("Y"), QStringLiteral("y@old.example"),
                                         QStringLiteral("clinician"), QStringLiteral("no-such-practice")},
                                    "h", 1});
        } catch (const SqliteError &) {
            refused = true;
        }
        QVERIFY(refused);
    }

    void upgradeRemembersEachInvitationsNewestDelivery()
    {
        // A file at version 5: an invitation sent twice (resent) and one never sent. Migration 6 gives each its
        // newest delivery as the current one, so reports of the older delivery are ignored after the upgrade.
        const QString path = freshPath();
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            QByteArray script("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);");
            for (const Migration &m : sqliteMigrations())
                if (m.version <= 5)
                    script += QByteArray(m.sql) + "INSERT INTO schema_version VALUES (" + QByteArray::number(m.version)
                        + ", 1);";
            script +=
                "INSERT INTO practices (id, name, created_at) VALUES ('p1', 'Practice', 1);"
                "INSERT INTO users (id, practice_id, name, role, password_hash, created_at, invited) "
                "VALUES ('u1', 'p1', 'Admin', 'admin', 'x', 1, 0), ('u2', 'p1', 'Pat', 'patient', '', 2, 1),"
                " ('u3', 'p1', 'Kim', 'patient', '', 2, 1);"
                "INSERT INTO conversations VALUES ('c1', 'p1', 'u2', 'Pat', 'secure', 3, 4, 0),"
                " ('c2', 'p1', 'u3', 'Kim', 'secure', 3, 4, 0);"
                "INSERT INTO invitations (id, practice_id, conversation_id, placeholder_id, patient_name, phone, "
                "channel, token_digest, state, delivery_at, created_by, created_at, expires_at, sent_count) "
                "VALUES ('i1', 'p1', 'c1', 'u2', 'Pat', '+12015550123', 'sms', 't1', 'pending', 5, 'u1', 5, 99, 2),"
                " ('i2', 'p1', 'c2', 'u3', 'Kim', '+12015550124', 'sms', 't2', 'pending', 5, 'u1', 5, 99, 1);"
                "INSERT INTO outbox (id, channel, transport, recipient, body, invitation_id, state, next_attempt_at, "
                "created_at, updated_at) VALUES ('d-old', 'sms', 'gateway', '+12015550123', '', 'i1', 'sent', 6, 6, 6),"
                " ('d-new', 'sms', 'gateway', '+12015550123', '', 'i1', 'queued', 8, 8, 8),"
                " ('d-code', 'sms', 'gateway', '+12015550123', '', '', 'sent', 9, 9, 9);";
            QCOMPARE(sqlite3_exec(db, script.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        SqliteStorage s(path);
        QCOMPARE(s.schemaVersion(), sqliteMigrations().back().version);
        QCOMPARE(s.invitation(QStringLiteral("i1"))->deliveryId, QStringLiteral("d-new"));
        QCOMPARE(s.invitation(QStringLiteral("i2"))->deliveryId, QString());
        // Only the current delivery's state is written.
        auto noEvents = [](const InvitationRecord &) { return QList<NewEvent>(); };
        QVERIFY(!s.updateInvitationDelivery(QStringLiteral("i1"), QStringLiteral("d-old"), QStringLiteral("failed"),
                                            QStringLiteral("Late."), 10, noEvents)
                     .ok);
        QCOMPARE(s.invitation(QStringLiteral("i1"))->deliveryState, QStringLiteral("queued"));
        QVERIFY(s.updateInvitationDelivery(QStringLiteral("i1"), QStringLiteral("d-new"), QStringLiteral("sent"), {},
                                           11, noEvents)
                    .ok);
        QCOMPARE(s.invitation(QStringLiteral("i1"))->deliveryState, QStringLiteral("sent"));
        QCOMPARE(s.invitation(QStringLiteral("i1"))->deliveryAt, 11);
    }

    void invitationsPairAndMergeAcrossPractices()
    {
        SqliteStorage s(freshPath());
        const Scene a = makeScene(s, QStringLiteral("a"));
        const Scene b = makeScene(s, QStringLiteral("b"));
        auto invite = [&](const Scene &sc, const QString &phone) {
            UserRecord placeholder{
                User{newId(), QStringLiteral("Invited"), QString(), QStringLiteral("patient"), sc.practice.id}, {}, 10};
            ConversationRecord c{newId(),
                                 sc.practice.id,
                                 placeholder.user.id,
                                 QStringLiteral("Invited"),
                                 QStringLiteral("secure"),
                                 10,
                                 10,
                                 0};
            InvitationRecord i;
            i.id = newId();
            i.practiceId = sc.practice.id;
            i.conversationId = c.id;
            i.placeholderId = placeholder.user.id;
            i.patientName = QStringLiteral("Invited");
            i.phone = phone;
            i.channel = QStringLiteral("sms");
            i.state = QStringLiteral("pending");
            i.createdBy = sc.admin.id;
            i.createdAt = i.deliveryAt = 10;
            i.expiresAt = 1000;
            return s.createInvitation(placeholder, c, i, tokenDigest(newToken()), {});
        };
        const auto first = invite(a, QStringLiteral("+33612345678"));
        QVERIFY(first.ok);
        const auto again = invite(a, QStringLiteral("+33612345678"));
        QVERIFY(!again.ok);
        QVERIFY(!again.conversationId.isEmpty());
        QVERIFY(invite(b, QStringLiteral("+33612345678")).ok);
        QCOMPARE(s.contactMatches(a.practice.id, QStringLiteral("+33612345678"), {}).size(), 1);

        const PairResult pair = s.pairContact(QStringLiteral("+33612345678"), {}, {}, 100);
        QCOMPARE(int(pair.status), int(PairResult::Status::Done));
        QVERIFY(pair.created);
        QCOMPARE(pair.paired.size(), 2);
        for (const InvitationRecord &i : pair.paired) {
            QCOMPARE(s.conversation(i.conversationId)->patientId, pair.user.id);
            QCOMPARE(s.invitationState(i.conversationId, 100), QStringLiteral("paired"));
        }
        // The joined patient is now a match of kind "joined", and a second sign-in pairs nothing new.
        QCOMPARE(s.contactMatches(b.practice.id, QStringLiteral("+33612345678"), {}).value(0).state,
                 QStringLiteral("joined"));
        const PairResult second = s.pairContact(QStringLiteral("+33612345678"), {}, {}, 200);
        QVERIFY(!second.created);
        QCOMPARE(second.user.id, pair.user.id);
        QVERIFY(second.paired.isEmpty());
        // Nobody invited this one and no name: the service must ask for one.
        QCOMPARE(int(s.pairContact({}, QStringLiteral("new@example.org"), {}, 300).status),
                 int(PairResult::Status::NeedName));
    }

    void keyWritesCheckCoverageInsideTheTransaction()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        const QByteArray session = tokenDigest(newToken());
        s.createSession(session, sc.admin.id, 1, 9'999'999'999'999);
        const DeviceRecord admin{
            newId(), sc.admin.id, QStringLiteral("Desk"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 1000, {}};
        const auto registered = s.registerDevice(admin, sc.practice.id, true, session, {sc.admin.id}, {sc.admin.id});
        QCOMPARE(registered.status, RegisterDeviceResult::Status::Created);
        QCOMPARE(registered.device.state, QStringLiteral("active"));
        QCOMPARE(s.session(session)->deviceId, admin.id);
        NewPracticeKey key{sc.practice.id, 1, QStringLiteral("cHVi"), admin.id, {}, 1000};
        QCOMPARE(s.createPracticeKey(key, {}).conflict, KeyConflict::MissingDevice);
        key.grants = {DeviceGrant{admin.id, QStringLiteral("Z3JhbnQ=")}};
        QCOMPARE(s.createPracticeKey(key, {}).conflict, KeyConflict::None);
        QCOMPARE(s.createPracticeKey(key, {}).conflict, KeyConflict::WrongVersion);
        NewEpoch epoch{sc.conversation.id, sc.patient.id, 1, 1, QStringLiteral("cGc="), {}, admin.id, 1000};
        QCOMPARE(s.createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::None);
        QVERIFY(s.epochExists(sc.conversation.id, 1));
        QVERIFY(!s.epochExists(sc.conversation.id, 2));
        // A patient device registered now gets a key request for the conversation that has an epoch.
        const QByteArray patientSession = tokenDigest(newToken());
        s.createSession(patientSession, sc.patient.id, 1, 9'999'999'999'999);
        const DeviceRecord phone{
            newId(), sc.patient.id, QStringLiteral("Phone"), QStringLiteral("Ym94"), QStringLiteral("c2ln"), {}, 2000,
            {}};
        const auto patientDevice =
            s.registerDevice(phone, sc.practice.id, false, patientSession, sc.recipients, {sc.admin.id});
        QCOMPARE(patientDevice.status, RegisterDeviceResult::Status::Created);
        QCOMPARE(s.keyRequests(sc.practice.id).size(), 1);
        epoch.epoch = 2;
        QCOMPARE(s.createEpoch(epoch, sc.practice.id, sc.recipients).conflict, KeyConflict::MissingDevice);
        const auto handed =
            s.handOverKeys(sc.conversation.id, sc.patient.id, {EpochGrant{1, phone.id, QStringLiteral("aw==")}}, 3000);
        QCOMPARE(handed.fulfilled, QStringList{phone.id});
        QVERIFY(s.keyRequests(sc.practice.id).isEmpty());
        // Revoking the staff device ends its session and marks the practice key for rotation.
        const RevokeResult revoked = s.revokeDevice(admin.id, sc.practice.id, true, {sc.admin.id}, {sc.admin.id});
        QCOMPARE(revoked.sessionDigests, QList<QByteArray>{session});
        QVERIFY(revoked.rotationFlagged);
        QVERIFY(s.session(session)->revoked);
        QVERIFY(s.practiceKeys(sc.practice.id, {}).rotationNeeded);
    }

    void messagesAreNumberedInOrder()
    {
        SqliteStorage s(freshPath());
        const Scene sc = makeScene(s);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(s.sendMessage(message(sc, i % 2 ? sc.patient : sc.clinician, QString::number(i)), sc.recipients)
                         .message.seq,
                     i);
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
            const auto p =
                userRecord(a.practice.id, QStringLiteral("p%1@example.org").arg(i), QStringLiteral("patient"));
            ConversationRecord c{newId(),  a.practice.id, p.user.id, QStringLiteral("P"), QStringLiteral("secure"),
                                 2000 + i, 2000 + i,      0};
            QVERIFY(s.createPatient(p, c, {}, nullptr));
            ids.prepend(c.id);
        }
        const auto first = s.conversations({}, a.practice.id, std::nullopt, 2);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0].id, ids[0]);
        const auto second =
            s.conversations({}, a.practice.id, std::make_pair(first[1].lastActivityAt, first[1].id), 10);
        QCOMPARE(second.size(), 3);
        QCOMPARE(second[0].id, ids[2]);
        QCOMPARE(s.conversations(a.patient.id, {}, std::nullopt, 10).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServerStorage)
#include "tst_server_storage.moc"
