// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditStorage: records numbered from 1 without gaps, each chained to the one before, read back page by page; the
// names an administrator's screen shows; retention per practice, and pruning the oldest records behind an anchor
// the chain's check starts from.
#include "server/audit/AuditChain.h"
#include "server/storage/StorageError.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

namespace {
constexpr qint64 Day = 24LL * 3600 * 1000;

/// Appends a record of practiceId written at `at`; returns it as stored.
AuditRecord addRecord(AuditStorage &audit, qint64 at, const QString &practiceId = QStringLiteral("p1"))
{
    AuditRecord r;
    r.at = at;
    r.practiceId = practiceId;
    r.userId = QStringLiteral("u");
    r.action = QStringLiteral("sign_in");
    return audit.appendAudit(r);
}

/// An anchor removing records up to record, pruned at prunedAt.
AuditAnchor anchorAt(const AuditRecord &record, qint64 prunedAt)
{
    return AuditAnchor{record.seq, record.hash, record.at, prunedAt};
}

/// True when pruneAudit refused the anchor with a StorageError.
bool refused(AuditStorage &audit, const AuditAnchor &anchor)
{
    try {
        audit.pruneAudit(anchor);
    } catch (const StorageError &) {
        return true;
    }
    return false;
}
} // namespace

/// AuditStorage conformance, against the interface alone.
class TestAuditStorage : public QObject {
    Q_OBJECT

private slots:
    void recordsAreNumberedAndChained()
    {
        const auto store = openFreshStorage();
        AuditStorage &audit = store->audit();
        QCOMPARE(audit.auditRecords(0, 10).size(), 0);
        QVERIFY(audit_chain::verify(audit).intact);
        for (int i = 0; i < 5; ++i) {
            AuditRecord r;
            r.at = 100 + i;
            r.practiceId = QStringLiteral("p1");
            r.userId = QStringLiteral("u%1").arg(i);
            r.deviceId = i % 2 ? QStringLiteral("d1") : QString();
            r.action = QStringLiteral("sign_in");
            r.objectIds = i ? QStringList{QStringLiteral("c1"), QStringLiteral("c2")} : QStringList();
            r.address = QStringLiteral("127.0.0.1");
            const AuditRecord stored = audit.appendAudit(r);
            QCOMPARE(stored.seq, i + 1);
            QCOMPARE(stored.hash, audit_chain::hashOf(stored, stored.previousHash));
        }
        const QList<AuditRecord> all = audit.auditRecords(0, 10);
        QCOMPARE(all.size(), 5);
        QCOMPARE(all.first().previousHash, audit_chain::genesis());
        for (int i = 1; i < all.size(); ++i)
            QCOMPARE(all.at(i).previousHash, all.at(i - 1).hash);
        QCOMPARE(all.at(3).objectIds, (QStringList{QStringLiteral("c1"), QStringLiteral("c2")}));
        QCOMPARE(all.at(3).deviceId, QStringLiteral("d1"));
        QCOMPARE(audit.auditRecords(3, 10).first().seq, 4);
        QCOMPARE(audit.auditRecords(0, 2).size(), 2);
        const AuditVerdict v = audit_chain::verify(audit);
        QVERIFY(v.intact);
        QCOMPARE(v.records, 5);
    }

    void aPracticeReadsItsOwnRecordsFiltered()
    {
        const auto store = openFreshStorage();
        AuditStorage &audit = store->audit();
        auto add = [&](const QString &practice, const QString &user, qint64 at, const QStringList &objects) {
            AuditRecord r;
            r.at = at;
            r.practiceId = practice;
            r.userId = user;
            r.action = QStringLiteral("x");
            r.objectIds = objects;
            return audit.appendAudit(r).seq;
        };
        add(QStringLiteral("p1"), QStringLiteral("ana"), 10, {QStringLiteral("c1")});
        add(QStringLiteral("p2"), QStringLiteral("olu"), 20, {QStringLiteral("c1")});
        add(QStringLiteral("p1"), QStringLiteral("ben"), 30, {QStringLiteral("c10"), QStringLiteral("c2")});
        add(QStringLiteral("p1"), QStringLiteral("ana"), 40, {});
        add(QStringLiteral("p1"), QStringLiteral("sam"), 50, {});
        AuditQuery q;
        q.practiceId = QStringLiteral("p1");
        QCOMPARE(audit.practiceAudit(q).size(), 4);
        QCOMPARE(audit.practiceAudit(q).first().at, 50); // newest first
        q.from = 20;
        q.to = 50;
        QCOMPARE(audit.practiceAudit(q).size(), 2);
        q = AuditQuery();
        q.practiceId = QStringLiteral("p1");
        q.userId = QStringLiteral("ana");
        QCOMPARE(audit.practiceAudit(q).size(), 2);
        q = AuditQuery();
        q.practiceId = QStringLiteral("p1");
        q.aboutIds = {QStringLiteral("c1"), QStringLiteral("sam")}; // c1 is not c10; sam acted once
        const QList<AuditRecord> about = audit.practiceAudit(q);
        QCOMPARE(about.size(), 2);
        QCOMPARE(about.at(0).userId, QStringLiteral("sam"));
        QCOMPARE(about.at(1).objectIds, QStringList{QStringLiteral("c1")});
        q = AuditQuery();
        q.practiceId = QStringLiteral("p1");
        q.limit = 2;
        const QList<AuditRecord> first = audit.practiceAudit(q);
        q.beforeSeq = first.last().seq;
        const QList<AuditRecord> second = audit.practiceAudit(q);
        QCOMPARE(second.size(), 2);
        QVERIFY(second.first().seq < first.last().seq);
    }

    void everyFieldIsInTheHash()
    {
        AuditRecord r;
        r.seq = 3;
        r.at = 5;
        r.practiceId = QStringLiteral("p");
        r.userId = QStringLiteral("u");
        r.action = QStringLiteral("sign_out");
        r.objectIds = {QStringLiteral("a b")};
        const QByteArray base = audit_chain::hashOf(r, audit_chain::genesis());
        auto changed = [&](auto change) {
            AuditRecord c = r;
            change(c);
            return audit_chain::hashOf(c, audit_chain::genesis()) != base;
        };
        QVERIFY(changed([](AuditRecord &c) { c.seq = 4; }));
        QVERIFY(changed([](AuditRecord &c) { c.at = 6; }));
        QVERIFY(changed([](AuditRecord &c) { c.practiceId = QStringLiteral("q"); }));
        QVERIFY(changed([](AuditRecord &c) {
            c.userId.clear();
            c.deviceId = QStringLiteral("u");
        }));
        QVERIFY(changed([](AuditRecord &c) { c.action = QStringLiteral("sign_in"); }));
        QVERIFY(changed([](AuditRecord &c) { c.objectIds = {QStringLiteral("a"), QStringLiteral("b")}; }));
        QVERIFY(changed([](AuditRecord &c) { c.address = QStringLiteral("::1"); }));
        QVERIFY(audit_chain::hashOf(r, QByteArray(32, 'x')) != base);
    }

    void namesBelongToThePractice()
    {
        const auto store = openFreshStorage();
        const Scene a = makeScene(*store, QStringLiteral("a"));
        const Scene b = makeScene(*store, QStringLiteral("b"));
        const QHash<QString, AuditName> names =
            store->audit().auditNames(a.practice.id,
                                      {a.admin.id, a.patient.id, a.conversation.id, a.practice.id, b.admin.id,
                                       b.conversation.id, b.practice.id, QStringLiteral("not-an-id")});
        QCOMPARE(names.size(), 4);
        QCOMPARE(names.value(a.admin.id).kind, QStringLiteral("staff"));
        QCOMPARE(names.value(a.admin.id).name, a.admin.name);
        QCOMPARE(names.value(a.patient.id).kind, QStringLiteral("patient"));
        QCOMPARE(names.value(a.conversation.id).kind, QStringLiteral("conversation"));
        QCOMPARE(names.value(a.conversation.id).name, QStringLiteral("Pat"));
        QCOMPARE(names.value(a.practice.id).name, QStringLiteral("Practice a"));
        QVERIFY(store->audit().auditNames(a.practice.id, {}).isEmpty());
    }

    void peopleAreStaffThenMatchingPatients()
    {
        const auto store = openFreshStorage();
        const Scene a = makeScene(*store, QStringLiteral("a"));
        makeScene(*store, QStringLiteral("b"));
        store->devices().deactivateStaff(a.clinician.id, a.practice.id, 2000, {}, {});
        QList<AuditPerson> people = store->audit().auditPeople(a.practice.id, QString(), 50);
        QCOMPARE(people.size(), 3); // the other practice's people are not here
        QCOMPARE(people.at(0).id, a.admin.id); // "admin-a" before "doc-a"
        QVERIFY(people.at(0).active);
        QCOMPARE(people.at(1).id, a.clinician.id);
        QVERIFY(!people.at(1).active);
        QCOMPARE(people.at(2).id, a.patient.id);
        QCOMPARE(people.at(2).role, QStringLiteral("patient"));
        people = store->audit().auditPeople(a.practice.id, QStringLiteral("PAT-"), 50); // any case
        QCOMPARE(people.size(), 3);
        people = store->audit().auditPeople(a.practice.id, QStringLiteral("nobody"), 50);
        QCOMPARE(people.size(), 2); // staff always, no patient
        QCOMPARE(store->audit().auditPeople(a.practice.id, QString(), 0).size(), 2);
    }

    void retentionIsKeptPerPractice()
    {
        const auto store = openFreshStorage();
        const Scene a = makeScene(*store, QStringLiteral("a"));
        const Scene b = makeScene(*store, QStringLiteral("b"));
        AuditStorage &audit = store->audit();
        QVERIFY(audit.auditRetentions().isEmpty());
        audit.setAuditRetention(a.practice.id, 10, 5000);
        audit.setAuditRetention(a.practice.id, 12, 6000);
        audit.setAuditRetention(b.practice.id, 30, 6000);
        QCOMPARE(audit.auditRetentions().value(a.practice.id), 12);
        QCOMPARE(audit.auditRetentions().value(b.practice.id), 30);
        QCOMPARE(audit.auditRetentions().size(), 2);
        // Outside 6 to 30 years, or for no practice: refused, nothing changed.
        QVERIFY_THROWS_EXCEPTION(StorageError, audit.setAuditRetention(a.practice.id, 5, 7000));
        QVERIFY_THROWS_EXCEPTION(StorageError, audit.setAuditRetention(a.practice.id, 31, 7000));
        QVERIFY_THROWS_EXCEPTION(StorageError, audit.setAuditRetention(QStringLiteral("no-practice"), 8, 7000));
        QCOMPARE(audit.auditRetentions().value(a.practice.id), 12);
    }

    void pruningRemovesTheOldestBehindAnAnchor()
    {
        const auto store = openFreshStorage();
        AuditStorage &audit = store->audit();
        QVERIFY(!audit.auditAnchor());
        QList<AuditRecord> written;
        for (int i = 0; i < 5; ++i)
            written.append(addRecord(audit, 1000 + i));
        const qint64 later = 1004 + 7 * 365 * Day;
        QCOMPARE(audit.pruneAudit(anchorAt(written.at(2), later)), 3);
        const std::optional<AuditAnchor> anchor = audit.auditAnchor();
        QVERIFY(anchor);
        QCOMPARE(anchor->throughSeq, 3);
        QCOMPARE(anchor->hash, written.at(2).hash);
        QCOMPARE(anchor->at, written.at(2).at);
        QCOMPARE(anchor->prunedAt, later);
        QList<AuditRecord> left = audit.auditRecords(0, 10);
        QCOMPARE(left.size(), 2);
        QCOMPARE(left.first().seq, 4);
        AuditVerdict v = audit_chain::verify(audit);
        QVERIFY2(v.intact, qPrintable(v.reason));
        QCOMPARE(v.records, 2);
        QCOMPARE(v.prunedThrough, 3);
        QCOMPARE(v.prunedAt, later);
        // The log goes on after the last record; with every record pruned, after the anchor.
        const AuditRecord sixth = addRecord(audit, 1005);
        QCOMPARE(sixth.seq, 6);
        QCOMPARE(sixth.previousHash, written.at(4).hash);
        QCOMPARE(audit.pruneAudit(anchorAt(sixth, later)), 3);
        QVERIFY(audit.auditRecords(0, 10).isEmpty());
        QVERIFY(audit_chain::verify(audit).intact);
        const AuditRecord seventh = addRecord(audit, later);
        QCOMPARE(seventh.seq, 7);
        QCOMPARE(seventh.previousHash, sixth.hash);
        v = audit_chain::verify(audit);
        QVERIFY2(v.intact, qPrintable(v.reason));
        QCOMPARE(v.records, 1);
        QCOMPARE(v.prunedThrough, 6);
    }

    void anAnchorMustNameAnOldStoredRecord()
    {
        const auto store = openFreshStorage();
        AuditStorage &audit = store->audit();
        QList<AuditRecord> written;
        for (int i = 0; i < 4; ++i)
            written.append(addRecord(audit, 1000 * Day + i * Day));
        const qint64 now = written.at(3).at + 2190 * Day; // record 4 is exactly 2190 days old
        AuditAnchor wrongHash = anchorAt(written.at(1), now);
        wrongHash.hash = written.at(0).hash;
        QVERIFY(refused(audit, wrongHash));
        AuditAnchor wrongTime = anchorAt(written.at(1), now);
        wrongTime.at -= 1;
        QVERIFY(refused(audit, wrongTime));
        QVERIFY(refused(audit, AuditAnchor{9, written.at(1).hash, written.at(1).at, now})); // no record 9
        QVERIFY(refused(audit, anchorAt(written.at(3), now - 1))); // one millisecond short of 6 years
        QCOMPARE(audit.auditRecords(0, 10).size(), 4);
        QVERIFY(!audit.auditAnchor());
        QCOMPARE(audit.pruneAudit(anchorAt(written.at(1), now)), 2);
        QVERIFY(refused(audit, anchorAt(written.at(1), now))); // not after the newest anchor
        QCOMPARE(audit.pruneAudit(anchorAt(written.at(3), now)), 2);
        QVERIFY(audit_chain::verify(audit).intact);
    }
};

LARCH_STORAGE_TEST(TestAuditStorage)
#include "tst_storage_audit.moc"
