// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditStorage: records numbered from 1 without gaps, each chained to the one before, read back page by page.
#include "server/audit/AuditChain.h"
#include "StorageBackend.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

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
};

LARCH_STORAGE_TEST(TestAuditStorage)
#include "tst_storage_audit.moc"
