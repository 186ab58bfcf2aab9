// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AccountStorage: practices, unique emails, staff, sessions.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <limits>
#include <QJsonDocument>
#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// AccountStorage conformance, against the interface alone.
class TestAccountStorage : public QObject {
    Q_OBJECT

private slots:
    void emailsAreUnique()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        auto again = userRecord(sc.practice.id, sc.clinician.email, QStringLiteral("clinician"));
        QVERIFY(!s.accounts().createUser(again));
        const PracticeRecord other{newId(), QStringLiteral("Other"), 1};
        QVERIFY(!s.accounts().createPractice(other, userRecord(other.id, sc.admin.email, QStringLiteral("admin"))));
        // The failed practice creation left nothing behind.
        QVERIFY(!s.accounts().practice(other.id).has_value());
        QCOMPARE(s.accounts().userByEmail(sc.clinician.email)->user.id, sc.clinician.id);
    }

    void aSetupLinkSetsThePasswordOnce()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const PracticeRecord birch{newId(), QStringLiteral("Birch"), 10};
        UserRecord admin = userRecord(birch.id, QStringLiteral("first@birch.example"), QStringLiteral("admin"));
        admin.passwordHash.clear();
        const QByteArray digest = tokenDigest(newToken());
        // An email in use makes nothing, not even the link.
        const PracticeRecord clash{newId(), QStringLiteral("Clash"), 10};
        QVERIFY(!s.accounts().createPracticeWithSetupLink(
            clash, userRecord(clash.id, sc.admin.email, QStringLiteral("admin")), digest, 1000));
        QVERIFY(!s.accounts().practice(clash.id));
        QCOMPARE(s.accounts().setupLink(digest, 100, nullptr), SetupLinkState::Unknown);

        QVERIFY(s.accounts().createPracticeWithSetupLink(birch, admin, digest, 1000));
        QVERIFY(s.accounts().practice(birch.id));
        QString userId;
        QCOMPARE(s.accounts().setupLink(digest, 100, &userId), SetupLinkState::Open);
        QCOMPARE(userId, admin.user.id);
        QCOMPARE(s.accounts().setupLink(digest, 1000, nullptr), SetupLinkState::Expired);
        QCOMPARE(s.accounts().useSetupLink(digest, "hash-after-expiry", 1000), SetupLinkState::Expired);
        QVERIFY(s.accounts().userByEmail(admin.user.email)->passwordHash.isEmpty());
        QCOMPARE(s.accounts().useSetupLink(digest, "the-new-hash", 200), SetupLinkState::Open);
        QCOMPARE(s.accounts().userByEmail(admin.user.email)->passwordHash, QByteArray("the-new-hash"));
        QCOMPARE(s.accounts().useSetupLink(digest, "a-second-hash", 300), SetupLinkState::Used);
        QCOMPARE(s.accounts().userByEmail(admin.user.email)->passwordHash, QByteArray("the-new-hash"));
        QCOMPARE(s.accounts().setupLink(tokenDigest(newToken()), 100, nullptr), SetupLinkState::Unknown);
    }

    void aStaffMembersSetupLinkCanBeRenewedUntilUsed()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        UserRecord colleague = userRecord(sc.practice.id, QStringLiteral("new@a.example"), QStringLiteral("clinician"));
        colleague.passwordHash.clear();
        const QByteArray first = tokenDigest(newToken());
        // An email in use makes neither the user nor the link.
        QVERIFY(!s.accounts().createUserWithSetupLink(
            userRecord(sc.practice.id, sc.admin.email, QStringLiteral("clinician")), first, 1000));
        QCOMPARE(s.accounts().setupLink(first, 100, nullptr), SetupLinkState::Unknown);

        QVERIFY(s.accounts().createUserWithSetupLink(colleague, first, 1000));
        QVERIFY(!s.accounts().hasPassword(colleague.user.id));
        QVERIFY(s.accounts().hasPassword(sc.clinician.id));
        QVERIFY(!s.accounts().hasPassword(newId()));
        QCOMPARE(s.accounts().staff(sc.practice.id).size(), 3);
        QCOMPARE(s.accounts().setupLink(first, 100, nullptr), SetupLinkState::Open);

        // A renewed link ends the earlier one.
        const QByteArray second = tokenDigest(newToken());
        QVERIFY(s.accounts().renewSetupLink(colleague.user.id, second, 2000));
        QCOMPARE(s.accounts().setupLink(first, 100, nullptr), SetupLinkState::Expired);
        QCOMPARE(s.accounts().useSetupLink(first, "too-late", 100), SetupLinkState::Expired);
        QCOMPARE(s.accounts().useSetupLink(second, "chosen", 100), SetupLinkState::Open);
        QVERIFY(s.accounts().hasPassword(colleague.user.id));
        // Someone with a password gets no link, nor does an unknown id.
        QVERIFY(!s.accounts().renewSetupLink(colleague.user.id, tokenDigest(newToken()), 3000));
        QVERIFY(!s.accounts().renewSetupLink(sc.clinician.id, tokenDigest(newToken()), 3000));
        QVERIFY(!s.accounts().renewSetupLink(newId(), tokenDigest(newToken()), 3000));
        QVERIFY(!s.accounts().renewSetupLink(sc.patient.id, tokenDigest(newToken()), 3000));

        // Someone deactivated before using their link: it opens nothing, and no new one is made.
        UserRecord gone = userRecord(sc.practice.id, QStringLiteral("gone@a.example"), QStringLiteral("clinician"));
        gone.passwordHash.clear();
        const QByteArray goneLink = tokenDigest(newToken());
        QVERIFY(s.accounts().createUserWithSetupLink(gone, goneLink, 1000));
        s.devices().deactivateStaff(gone.user.id, sc.practice.id, 50, {}, {});
        QCOMPARE(s.accounts().setupLink(goneLink, 100, nullptr), SetupLinkState::Unknown);
        QCOMPARE(s.accounts().useSetupLink(goneLink, "late", 100), SetupLinkState::Unknown);
        QVERIFY(!s.accounts().renewSetupLink(gone.user.id, tokenDigest(newToken()), 3000));
    }

    void staffRolesChangeForActiveStaffOnly()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QString admin = QStringLiteral("admin"), clinician = QStringLiteral("clinician");
        QVERIFY(s.accounts().setStaffRole(sc.clinician.id, admin, sc.admin.id));
        QCOMPARE(s.accounts().user(sc.clinician.id)->role, admin);
        // Two administrators demoting each other: the first wins, the second is no longer an administrator.
        QVERIFY(s.accounts().setStaffRole(sc.admin.id, clinician, sc.clinician.id));
        QVERIFY(!s.accounts().setStaffRole(sc.clinician.id, clinician, sc.admin.id));
        QCOMPARE(s.accounts().user(sc.clinician.id)->role, admin);
        // Nobody acts on their own role, nor as another practice's administrator.
        QVERIFY(!s.accounts().setStaffRole(sc.clinician.id, clinician, sc.clinician.id));
        const Scene other = makeScene(s, QStringLiteral("b"));
        QVERIFY(!s.accounts().setStaffRole(sc.admin.id, admin, other.admin.id));
        QVERIFY(s.accounts().setStaffRole(sc.admin.id, admin, sc.clinician.id));
        // A patient never becomes staff this way, nor does an unknown id.
        QVERIFY(!s.accounts().setStaffRole(sc.patient.id, admin, sc.admin.id));
        QCOMPARE(s.accounts().user(sc.patient.id)->role, QStringLiteral("patient"));
        QVERIFY(!s.accounts().setStaffRole(newId(), admin, sc.admin.id));
        // Nor does someone who was removed from the staff.
        QVERIFY(s.accounts().setStaffRole(sc.clinician.id, clinician, sc.admin.id));
        s.devices().deactivateStaff(sc.clinician.id, sc.practice.id, 2000, {}, {});
        QVERIFY(!s.accounts().setStaffRole(sc.clinician.id, admin, sc.admin.id));
        QCOMPARE(s.accounts().user(sc.clinician.id)->role, QStringLiteral("clinician"));
    }

    void sessionsAreRevocable()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const QByteArray d1 = tokenDigest(newToken()), d2 = tokenDigest(newToken());
        s.accounts().createSession(d1, sc.patient.id, 1, 5000);
        s.accounts().createSession(d2, sc.patient.id, 1, 5000);
        QCOMPARE(s.accounts().session(d1)->user.id, sc.patient.id);
        QVERIFY(!s.accounts().session(d1)->revoked);
        s.accounts().revokeSession(d1);
        QVERIFY(s.accounts().session(d1)->revoked);
        QVERIFY(!s.accounts().session(d2)->revoked);
        s.accounts().revokeSessions(sc.patient.id);
        QVERIFY(s.accounts().session(d2)->revoked);
        QVERIFY(!s.accounts().session(tokenDigest(newToken())).has_value());
    }

    void practicesKnowTheirStaffAndPatients()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const Scene other = makeScene(s, QStringLiteral("b"));
        const auto staff = s.accounts().staff(sc.practice.id);
        QCOMPARE(staff.size(), 2);
        QVERIFY(staff[0].id == sc.admin.id || staff[1].id == sc.admin.id);
        QVERIFY(staff[0].id == sc.clinician.id || staff[1].id == sc.clinician.id);
        QCOMPARE(s.accounts().practicePatients(sc.practice.id), QStringList{sc.patient.id});
        QCOMPARE(s.accounts().practicePatients(other.practice.id), QStringList{other.patient.id});
        QCOMPARE(s.accounts().user(sc.clinician.id)->role, QStringLiteral("clinician"));
        QVERIFY(!s.accounts().user(newId()));
        QCOMPARE(s.accounts().practice(sc.practice.id)->name, QStringLiteral("Practice a"));
    }

    void aNewPatientsEventsAreStoredWithTheConversation()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const auto patient = userRecord(sc.practice.id, QStringLiteral("new@example.org"), QStringLiteral("patient"));
        const ConversationRecord c{
            newId(), sc.practice.id, patient.user.id, QStringLiteral("New"), QStringLiteral("secure"), 3000, 3000, 0};
        QList<StoredEvent> stored;
        const QList<NewEvent> events{NewEvent{sc.admin.id, QStringLiteral("conversation.created"), "{}"},
                                     NewEvent{sc.clinician.id, QStringLiteral("conversation.created"), "{}"}};
        QVERIFY(s.accounts().createPatient(patient, c, events, &stored));
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[0].seq, s.conversations().latestEventSeq(sc.admin.id));
        QCOMPARE(s.conversations().conversation(c.id)->title, QStringLiteral("New"));
        // The same email again stores nothing: no conversation, no events.
        auto twin = patient;
        twin.user.id = newId();
        ConversationRecord twinConversation = c;
        twinConversation.id = newId();
        twinConversation.patientId = twin.user.id;
        QVERIFY(!s.accounts().createPatient(twin, twinConversation, events, nullptr));
        QVERIFY(!s.conversations().conversation(twinConversation.id));
        QCOMPARE(s.conversations().latestEventSeq(sc.admin.id), stored[0].seq);
    }
};

LARCH_STORAGE_TEST(TestAccountStorage)
#include "tst_storage_accounts.moc"
