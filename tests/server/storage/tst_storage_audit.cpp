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
