// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The SQLite backend's own behaviour: migrations of files earlier releases left, and reopening a file.
#include "core/crypto/Crypto.h"
#include "server/audit/AuditChain.h"
#include "server/storage/Migrations.h"
#include "server/storage/sqlite/SqliteStorage.h"
#include "StorageScene.h"

#include <limits>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// SqliteStorage against real database files of every earlier schema.
class TestSqliteMigrations : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite3").arg(++m_files)); }

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
        const auto p = reopened.accounts().practice(practiceId);
        QVERIFY(p.has_value());
        QCOMPARE(p->name, QStringLiteral("Practice a"));
        QCOMPARE(reopened.accounts().staff(practiceId).size(), 2);
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
        const auto old = s.accounts().userByEmail(QStringLiteral("old@example.org"));
        QVERIFY(old.has_value());
        QVERIFY(!old->deactivated);
        QVERIFY(s.devices().userDevices(QStringLiteral("u1")).isEmpty());
        QVERIFY(!s.devices().practiceKeys(QStringLiteral("p1"), {}).current.has_value());
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
        const auto pat = s.accounts().userByEmail(QStringLiteral("pat@old.example"));
        QVERIFY(pat.has_value());
        QCOMPARE(pat->user.id, QStringLiteral("u2"));
        QCOMPARE(pat->passwordHash, QByteArray("y"));
        QCOMPARE(s.conversations().conversation(QStringLiteral("c1"))->patientId, QStringLiteral("u2"));
        QCOMPARE(s.conversations().messages(QStringLiteral("c1"), 100, 10).size(), 1);
        QCOMPARE(s.conversations().readMarkers(QStringLiteral("c1")).value(QStringLiteral("u1")), 1);
        QVERIFY(s.accounts().session(QByteArray("d1")).has_value());
        QCOMPARE(s.devices().userDevices(QStringLiteral("u2")).size(), 1);
        QCOMPARE(s.conversations().latestEventSeq(QStringLiteral("u1")), 1);
        QCOMPARE(s.invitations().practiceRegion(QStringLiteral("p1")), QStringLiteral("US"));
        QVERIFY(s.invitations().invitationState(QStringLiteral("c1"), 10).isEmpty());
        // Foreign keys are enforced again after the migration.
        QVERIFY(
            !s.accounts().createUser(UserRecord{User{newId(), QStringLiteral("X"), QStringLiteral("pat@old.example"),
                                                     QStringLiteral("clinician"), QStringLiteral("p1")},
                                                "h", 1}));
        bool refused = false;
        try {
            s.accounts().createUser(UserRecord{User{newId(), QStringLiteral("Y"), QStringLiteral("y@old.example"),
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
        QCOMPARE(s.invitations().invitation(QStringLiteral("i1"))->deliveryId, QStringLiteral("d-new"));
        QCOMPARE(s.invitations().invitation(QStringLiteral("i2"))->deliveryId, QString());
        // Only the current delivery's state is written.
        auto noEvents = [](const InvitationRecord &) { return QList<NewEvent>(); };
        QVERIFY(!s.invitations()
                     .updateInvitationDelivery(QStringLiteral("i1"), QStringLiteral("d-old"), QStringLiteral("failed"),
                                               QStringLiteral("Late."), 10, noEvents, std::nullopt)
                     .ok);
        QCOMPARE(s.invitations().invitation(QStringLiteral("i1"))->deliveryState, QStringLiteral("queued"));
        QVERIFY(s.invitations()
                    .updateInvitationDelivery(QStringLiteral("i1"), QStringLiteral("d-new"), QStringLiteral("sent"), {},
                                              11, noEvents, std::nullopt)
                    .ok);
        QCOMPARE(s.invitations().invitation(QStringLiteral("i1"))->deliveryState, QStringLiteral("sent"));
        QCOMPARE(s.invitations().invitation(QStringLiteral("i1"))->deliveryAt, 11);
    }

    void upgradeKeepsTheAuditChainAndAllowsOnlyAnchoredPruning()
    {
        // A file at version 12 with three audit records: migration 13 adds retention and prune anchors, and the
        // chain stays intact; a delete is still refused unless an anchor covers the record.
        const QString path = freshPath();
        QList<AuditRecord> written;
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            QByteArray script("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);");
            for (const Migration &m : sqliteMigrations())
                if (m.version <= 12)
                    script += QByteArray(m.sql) + "INSERT INTO schema_version VALUES (" + QByteArray::number(m.version)
                        + ", 1);";
            QCOMPARE(sqlite3_exec(db, script.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            QByteArray previous = audit_chain::genesis();
            for (int i = 1; i <= 3; ++i) {
                AuditRecord r;
                r.seq = i;
                r.at = i;
                r.practiceId = QStringLiteral("p1");
                r.action = QStringLiteral("sign_in");
                r.previousHash = previous;
                r.hash = audit_chain::hashOf(r, previous);
                previous = r.hash;
                written.append(r);
                sqlite3_stmt *insert = nullptr;
                QCOMPARE(
                    sqlite3_prepare_v2(db, "INSERT INTO audit_log VALUES (?, ?, 'p1', '', '', 'sign_in', '', '', ?, ?)",
                                       -1, &insert, nullptr),
                    SQLITE_OK);
                sqlite3_bind_int64(insert, 1, r.seq);
                sqlite3_bind_int64(insert, 2, r.at);
                // As the server binds hashes (SqliteConnection binds bytes as text).
                sqlite3_bind_text(insert, 3, r.previousHash.constData(), int(r.previousHash.size()), SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, 4, r.hash.constData(), int(r.hash.size()), SQLITE_TRANSIENT);
                QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
                sqlite3_finalize(insert);
            }
            sqlite3_close(db);
        }
        {
            SqliteStorage s(path);
            QCOMPARE(s.schemaVersion(), sqliteMigrations().back().version);
            AuditVerdict v = audit_chain::verify(s.audit());
            QVERIFY2(v.intact, qPrintable(v.reason));
            QCOMPARE(v.records, 3);
            QCOMPARE(s.audit().pruneAudit(AuditAnchor{2, written.at(1).hash, 2, 2 + audit_chain::pruneMinimumAgeMs}),
                     2);
            v = audit_chain::verify(s.audit());
            QVERIFY2(v.intact, qPrintable(v.reason));
            QCOMPARE(v.records, 1);
            QCOMPARE(v.prunedThrough, 2);
        }
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 3", nullptr, nullptr, nullptr), SQLITE_CONSTRAINT);
        QCOMPARE(sqlite3_exec(db, "DELETE FROM audit_prune", nullptr, nullptr, nullptr), SQLITE_CONSTRAINT);
        QCOMPARE(sqlite3_exec(db, "UPDATE audit_prune SET through_seq = 3", nullptr, nullptr, nullptr),
                 SQLITE_CONSTRAINT);
        sqlite3_close(db);
    }

    void practiceKeysFromBeforeIdentitiesStayUnsigned()
    {
        // A file at version 12 with a practice key and an epoch: migration 15 adds the practice identity beside them,
        // and what was there reads as made before identities (no signer, no signature).
        const QString path = freshPath();
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
            QByteArray script("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);");
            for (const Migration &m : sqliteMigrations())
                if (m.version <= 12)
                    script += QByteArray(m.sql) + "INSERT INTO schema_version VALUES (" + QByteArray::number(m.version)
                        + ", 1);";
            script += "INSERT INTO practices (id, name, created_at) VALUES ('p1', 'Practice', 1);"
                      "INSERT INTO users (id, practice_id, name, role, password_hash, created_at, invited) "
                      "VALUES ('u1', 'p1', 'Admin', 'admin', 'x', 1, 0), ('u2', 'p1', 'Pat', 'patient', '', 2, 0);"
                      "INSERT INTO conversations VALUES ('c1', 'p1', 'u2', 'Pat', 'secure', 3, 4, 0, '[]', NULL);"
                      "INSERT INTO devices VALUES ('d1', 'u1', 'Desk', 'b', 's', 'active', 5, NULL);"
                      "INSERT INTO practice_keys (practice_id, version, public_key, created_by_device, created_at) "
                      "VALUES ('p1', 1, 'cHVi', 'd1', 6);"
                      "INSERT INTO conversation_epochs (conversation_id, epoch, practice_key_version, practice_grant, "
                      "created_by_device, created_at) VALUES ('c1', 1, 1, 'Zw==', 'd1', 7);";
            QCOMPARE(sqlite3_exec(db, script.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        SqliteStorage s(path);
        QCOMPARE(s.schemaVersion(), sqliteMigrations().back().version);
        QVERIFY(s.devices().practiceIdentity(QStringLiteral("p1")).isEmpty());
        const PracticeKeyState state = s.devices().practiceKeys(QStringLiteral("p1"), QStringLiteral("d1"));
        QCOMPARE(state.current->version, 1);
        QVERIFY(!state.current->identityVersion);
        QVERIFY(!state.current->signature);
        const ConversationKeys keys =
            s.devices().conversationKeys(QStringLiteral("c1"), QStringLiteral("p1"), QStringLiteral("d1"), true);
        QCOMPARE(keys.epochs.size(), 1);
        QCOMPARE(keys.epochs[0].createdByDevice, QStringLiteral("d1"));
        QVERIFY(!keys.epochs[0].identityVersion);
        QVERIFY(!keys.epochs[0].signature);
    }
};

QTEST_GUILESS_MAIN(TestSqliteMigrations)
#include "tst_storage_sqlite_migrations.moc"
