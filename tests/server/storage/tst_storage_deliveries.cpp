// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// DeliveryStorage: the courier's queue in due order, updates, provider ids, the outbox listing and pruning.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// DeliveryStorage conformance, against the interface alone.
class TestDeliveryStorage : public QObject {
    Q_OBJECT

    static OutboxRecord delivery(Transport transport, qint64 createdAt, qint64 nextAttemptAt)
    {
        OutboxRecord d;
        d.id = newId();
        d.channel = Channel::Sms;
        d.transport = transport;
        d.to = QStringLiteral("+12015550123");
        d.body = QStringLiteral("Your code is 123456");
        d.nextAttemptAt = nextAttemptAt;
        d.createdAt = d.updatedAt = createdAt;
        return d;
    }

private slots:
    void storesEveryField()
    {
        const auto store = openFreshStorage();
        DeliveryStorage &q = store->deliveries();
        OutboxRecord d = delivery(Transport::Smtp, 10, 10);
        d.channel = Channel::Email;
        d.to = QStringLiteral("pat@example.org");
        d.subject = QStringLiteral("Your code");
        d.invitationId = QStringLiteral("inv");
        d.messageId = QStringLiteral("msg");
        d.replyTo = QStringLiteral("reply+tok@example.org");
        q.addDelivery(d);
        QCOMPARE(*q.delivery(d.id), d);
        QVERIFY(!q.delivery(newId()));
    }

    void dueDeliveriesComeOldestDueFirst()
    {
        const auto store = openFreshStorage();
        DeliveryStorage &q = store->deliveries();
        QVERIFY(!q.nextDeliveryAttempt());
        const OutboxRecord later = delivery(Transport::Gateway, 1, 500);
        const OutboxRecord soon = delivery(Transport::Gateway, 2, 100);
        const OutboxRecord soonToo = delivery(Transport::Gateway, 3, 100);
        for (const OutboxRecord &d : {later, soon, soonToo})
            q.addDelivery(d);
        QCOMPARE(*q.nextDeliveryAttempt(), 100);
        const auto due = q.dueDeliveries(100, 10);
        QCOMPARE(due.size(), 2);
        QCOMPARE(due[0].id, soon.id);
        QCOMPARE(due[1].id, soonToo.id);
        QCOMPARE(q.dueDeliveries(1000, 1).size(), 1);
        // Sent: no longer due; the next attempt is the remaining one's.
        for (OutboxRecord d : due) {
            d.state = DeliveryState::Sent;
            d.providerId = QStringLiteral("SM") + d.id;
            d.body.clear();
            d.attempts = 1;
            d.updatedAt = 120;
            q.updateDelivery(d);
        }
        QCOMPARE(*q.nextDeliveryAttempt(), 500);
        QCOMPARE(q.dueDeliveries(1000, 10).value(0).id, later.id);
        const auto sent = q.deliveryByProviderId(QStringLiteral("SM") + soon.id);
        QVERIFY(sent);
        QCOMPARE(sent->id, soon.id);
        QCOMPARE(sent->state, DeliveryState::Sent);
        QCOMPARE(sent->attempts, 1);
        QVERIFY(sent->body.isEmpty());
        QVERIFY(!q.deliveryByProviderId(QString()));
    }

    void listsByTransportAndPrunesFinishedOnes()
    {
        const auto store = openFreshStorage();
        DeliveryStorage &q = store->deliveries();
        const OutboxRecord a = delivery(Transport::Outbox, 10, 10);
        const OutboxRecord b = delivery(Transport::Outbox, 20, 20);
        const OutboxRecord c = delivery(Transport::Gateway, 30, 30);
        for (const OutboxRecord &d : {a, b, c})
            q.addDelivery(d);
        const auto outbox = q.recentDeliveries(Transport::Outbox, 10);
        QCOMPARE(outbox.size(), 2);
        QCOMPARE(outbox[0].id, b.id);
        QCOMPARE(q.recentDeliveries(Transport::Gateway, 10).size(), 1);
        OutboxRecord done = a;
        done.state = DeliveryState::Failed;
        done.detail = QStringLiteral("The number cannot receive texts.");
        done.updatedAt = 40;
        q.updateDelivery(done);
        // Only finished deliveries older than the cut go; a queued one stays however old.
        QCOMPARE(q.pruneDeliveries(40), 0);
        QCOMPARE(q.pruneDeliveries(41), 1);
        QVERIFY(!q.delivery(a.id));
        QVERIFY(q.delivery(b.id));
        QVERIFY(q.delivery(c.id));
    }
};

LARCH_STORAGE_TEST(TestDeliveryStorage)
#include "tst_storage_deliveries.moc"
