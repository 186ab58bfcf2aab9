// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// InvitationStorage: one invitation per contact, pairing and merging across practices.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <limits>
#include <QJsonDocument>
#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// InvitationStorage conformance, against the interface alone.
class TestInvitationStorage : public QObject {
    Q_OBJECT

private slots:
    void invitationsPairAndMergeAcrossPractices()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene a = makeScene(s, QStringLiteral("a"));
        const Scene b = makeScene(s, QStringLiteral("b"));
        const auto first = invite(s, a, QStringLiteral("+33612345678"));
        QVERIFY(first.ok);
        const auto again = invite(s, a, QStringLiteral("+33612345678"));
        QVERIFY(!again.ok);
        QVERIFY(!again.conversationId.isEmpty());
        QVERIFY(invite(s, b, QStringLiteral("+33612345678")).ok);
        QCOMPARE(s.invitations().contactMatches(a.practice.id, QStringLiteral("+33612345678"), {}).size(), 1);

        const PairResult pair = s.invitations().pairContact(QStringLiteral("+33612345678"), {}, {}, 100);
        QCOMPARE(int(pair.status), int(PairResult::Status::Done));
        QVERIFY(pair.created);
        QCOMPARE(pair.paired.size(), 2);
        for (const InvitationRecord &i : pair.paired) {
            QCOMPARE(s.conversations().conversation(i.conversationId)->patientId, pair.user.id);
            QCOMPARE(s.invitations().invitationState(i.conversationId, 100), QStringLiteral("paired"));
        }
        // The joined patient is now a match of kind "joined", and a second sign-in pairs nothing new.
        QCOMPARE(s.invitations().contactMatches(b.practice.id, QStringLiteral("+33612345678"), {}).value(0).state,
                 QStringLiteral("joined"));
        const PairResult second = s.invitations().pairContact(QStringLiteral("+33612345678"), {}, {}, 200);
        QVERIFY(!second.created);
        QCOMPARE(second.user.id, pair.user.id);
        QVERIFY(second.paired.isEmpty());
        // Nobody invited this one and no name: the service must ask for one.
        QCOMPARE(int(s.invitations().pairContact({}, QStringLiteral("new@example.org"), {}, 300).status),
                 int(PairResult::Status::NeedName));
    }

    void contactCodesCountFailuresAndLock()
    {
        const auto store = openFreshStorage();
        InvitationStorage &inv = store->invitations();
        const QString contact = QStringLiteral("+12015550160");
        QVERIFY(!inv.contactCode(contact));
        inv.putContactCode(ContactCode{contact, QByteArray("digest-1"), 100, 700, 0, 0});
        QCOMPARE(inv.contactCode(contact)->codeDigest, QByteArray("digest-1"));
        QCOMPARE(inv.recordCodeFailure(contact, 3, 5000), 1);
        QCOMPARE(inv.recordCodeFailure(contact, 3, 5000), 2);
        QCOMPARE(inv.contactCode(contact)->lockedUntil, 0);
        QCOMPARE(inv.recordCodeFailure(contact, 3, 5000), 3);
        QCOMPARE(inv.contactCode(contact)->lockedUntil, 5000);
        // A later failure does not push the lock further out.
        QCOMPARE(inv.recordCodeFailure(contact, 3, 9000), 4);
        QCOMPARE(inv.contactCode(contact)->lockedUntil, 5000);
        // A new code replaces the old one with its counters.
        inv.putContactCode(ContactCode{contact, QByteArray("digest-2"), 200, 800, 0, 0});
        QCOMPARE(inv.contactCode(contact)->failures, 0);
        QCOMPARE(inv.contactCode(contact)->codeDigest, QByteArray("digest-2"));
        inv.deleteContactCode(contact);
        QVERIFY(!inv.contactCode(contact));
        QCOMPARE(inv.recordCodeFailure(contact, 3, 5000), 0);
    }

    void practiceSettingsHaveDefaults()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        QCOMPARE(s.invitations().practiceRegion(sc.practice.id), QStringLiteral("US"));
        QVERIFY(s.invitations().invitationText(sc.practice.id).isEmpty());
        s.invitations().setPracticeRegion(sc.practice.id, QStringLiteral("FR"));
        s.invitations().setInvitationText(sc.practice.id, QStringLiteral("Join us on Larch."));
        QCOMPARE(s.invitations().practiceRegion(sc.practice.id), QStringLiteral("FR"));
        QCOMPARE(s.invitations().invitationText(sc.practice.id), QStringLiteral("Join us on Larch."));
        const Scene other = makeScene(s, QStringLiteral("b"));
        QCOMPARE(s.invitations().practiceRegion(other.practice.id), QStringLiteral("US"));
    }

    void invitationsAreFoundByTokenAndConversation()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        QVERIFY(invite(s, sc, QStringLiteral("+12015550161"), 10).ok);
        const QString conversationId =
            s.invitations().contactMatches(sc.practice.id, QStringLiteral("+12015550161"), {}).value(0).conversationId;
        InvitationRecord i = *s.invitations().invitationOfConversation(conversationId);
        QCOMPARE(i.state, QStringLiteral("pending"));
        QCOMPARE(s.invitations().invitation(i.id)->phone, QStringLiteral("+12015550161"));
        QCOMPARE(s.invitations().invitationState(conversationId, 20), QStringLiteral("pending"));
        QCOMPARE(s.invitations().invitationState(conversationId, i.expiresAt + 1), QStringLiteral("expired"));
        // A resend with a new token: the old token no longer finds it, the new one does; its delivery is stored in
        // the same write.
        const QByteArray token = tokenDigest(newToken());
        i.patientName = QStringLiteral("Riley Park");
        auto deliveryOf = [&](const InvitationRecord &invitation) {
            OutboxRecord r;
            r.id = newId();
            r.invitationId = invitation.id;
            r.to = invitation.phone;
            r.createdAt = r.updatedAt = r.nextAttemptAt = 40;
            return r;
        };
        const OutboxRecord resent = deliveryOf(i);
        QVERIFY(s.invitations().updateInvitation(i, token, false, {}, resent).ok);
        QCOMPARE(s.invitations().invitationByToken(token)->id, i.id);
        QCOMPARE(s.deliveries().delivery(resent.id)->invitationId, i.id);
        QCOMPARE(s.deliveries().delivery(resent.id)->state, DeliveryState::Queued);
        QCOMPARE(s.conversations().conversation(conversationId)->title, QStringLiteral("Riley Park"));
        // Changing the contact to one another conversation already reaches is refused.
        QVERIFY(invite(s, sc, QStringLiteral("+12015550162"), 30).ok);
        i.phone = QStringLiteral("+12015550162");
        const OutboxRecord refused = deliveryOf(i);
        const auto clash = s.invitations().updateInvitation(i, {}, true, {}, refused);
        QVERIFY(!clash.ok);
        QVERIFY(!clash.conversationId.isEmpty());
        QVERIFY(!s.deliveries().delivery(refused.id)); // a refused change sends nothing
        QCOMPARE(s.invitations().invitation(i.id)->phone, QStringLiteral("+12015550161"));
        i.state = QStringLiteral("revoked");
        i.phone = QStringLiteral("+12015550161");
        QVERIFY(s.invitations().updateInvitation(i, {}, false, {}, std::nullopt).ok);
        QCOMPARE(s.invitations().invitationState(conversationId, 20), QStringLiteral("revoked"));
    }
};

LARCH_STORAGE_TEST(TestInvitationStorage)
#include "tst_storage_invitations.moc"
