// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ConversationStorage: idempotent sends, opaque envelopes, numbering, read markers, the event log, paging.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <limits>
#include <QJsonDocument>
#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// ConversationStorage conformance, against the interface alone.
class TestConversationStorage : public QObject {
    Q_OBJECT

private slots:
    void sendIsIdempotentByClientId()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const NewMessage m = message(sc, sc.patient, QStringLiteral("Hello"));
        const SendResult first = s.conversations().sendMessage(m, sc.recipients);
        QCOMPARE(first.status, SendResult::Status::Created);
        QCOMPARE(first.events.size(), 3);
        NewMessage retry = m;
        retry.id = newId();
        const SendResult second = s.conversations().sendMessage(retry, sc.recipients);
        QCOMPARE(second.status, SendResult::Status::Duplicate);
        QCOMPARE(second.message.id, first.message.id);
        QVERIFY(second.events.isEmpty());
        NewMessage changed = retry;
        changed.body = QStringLiteral("Hello again");
        QCOMPARE(s.conversations().sendMessage(changed, sc.recipients).status, SendResult::Status::Conflict);
        QCOMPARE(s.conversations().messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 50).size(), 1);
        QCOMPARE(s.conversations().latestEventSeq(sc.patient.id), 1);
    }

    void envelopesAreStoredOpaqueAndCompared()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        NewMessage m = message(sc, sc.patient, QString());
        m.envelope = R"({"epoch":1,"senderDeviceId":"d","ciphertext":"AAAA","signature":"BBBB"})";
        const SendResult first = s.conversations().sendMessage(m, sc.recipients);
        QCOMPARE(first.status, SendResult::Status::Created);
        QVERIFY(first.message.envelope);
        QCOMPARE(first.message.envelope->value(QLatin1String("ciphertext")).toString(), QStringLiteral("AAAA"));
        const QJsonObject event = QJsonDocument::fromJson(first.events.first().data).object();
        QCOMPARE(event.value(QLatin1String("envelope")).toObject(), *first.message.envelope);
        QCOMPARE(event.value(QLatin1String("body")).toString(), QString());
        QCOMPARE(s.conversations().sendMessage(m, sc.recipients).status, SendResult::Status::Duplicate);
        NewMessage other = m;
        other.envelope = R"({"epoch":1,"senderDeviceId":"d","ciphertext":"CCCC","signature":"BBBB"})";
        QCOMPARE(s.conversations().sendMessage(other, sc.recipients).status, SendResult::Status::Conflict);
        const auto stored = s.conversations().messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 10);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first(), first.message);
        // A plain message keeps reading back without an envelope.
        const SendResult plain =
            s.conversations().sendMessage(message(sc, sc.admin, QStringLiteral("plain")), sc.recipients);
        QVERIFY(!plain.message.envelope);
        QVERIFY(!s.conversations().lastMessage(sc.conversation.id)->envelope);
    }

    void messagesAreNumberedInOrder()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(s.conversations()
                         .sendMessage(message(sc, i % 2 ? sc.patient : sc.clinician, QString::number(i)), sc.recipients)
                         .message.seq,
                     i);
        const auto all = s.conversations().messages(sc.conversation.id, std::numeric_limits<qint64>::max(), 50);
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(all[i].seq, 5 - i);
            QCOMPARE(all[i].body, QString::number(5 - i));
        }
        const auto older = s.conversations().messages(sc.conversation.id, 3, 50);
        QCOMPARE(older.size(), 2);
        QCOMPARE(older.first().seq, 2);
        QCOMPARE(s.conversations().conversation(sc.conversation.id)->lastSeq, 5);
        QCOMPARE(s.conversations().lastMessage(sc.conversation.id)->seq, 5);
        // A missing conversation stores nothing.
        NewMessage stray = message(sc, sc.patient, QStringLiteral("x"));
        stray.conversationId = newId();
        QCOMPARE(s.conversations().sendMessage(stray, sc.recipients).status, SendResult::Status::NoConversation);
    }

    void unreadCountsFollowReadMarkers()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        for (int i = 0; i < 3; ++i)
            s.conversations().sendMessage(message(sc, sc.patient, QStringLiteral("p%1").arg(i)), sc.recipients);
        s.conversations().sendMessage(message(sc, sc.clinician, QStringLiteral("reply")), sc.recipients);
        QCOMPARE(s.conversations().unreadCount(sc.conversation.id, sc.clinician.id, 0), 3); // own message not counted
        QCOMPARE(s.conversations().unreadCount(sc.conversation.id, sc.patient.id, 0), 1);
        const ReadResult r = s.conversations().markRead(sc.conversation.id, sc.clinician.id, 2, sc.recipients);
        QVERIFY(r.moved);
        QCOMPARE(r.lastReadSeq, 2);
        QCOMPARE(r.events.size(), 3);
        QCOMPARE(s.conversations().readMarkers(sc.conversation.id).value(sc.clinician.id), 2);
        QCOMPARE(s.conversations().unreadCount(sc.conversation.id, sc.clinician.id, 2), 1);
        const ReadResult back = s.conversations().markRead(sc.conversation.id, sc.clinician.id, 1, sc.recipients);
        QVERIFY(!back.moved);
        QCOMPARE(back.lastReadSeq, 2);
        QVERIFY(back.events.isEmpty());
    }

    void eventsAfterSinceAreOrderedPerUser()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        for (int i = 0; i < 4; ++i)
            s.conversations().sendMessage(message(sc, sc.patient, QStringLiteral("m%1").arg(i)), sc.recipients);
        s.conversations().markRead(sc.conversation.id, sc.clinician.id, 4, sc.recipients);
        const auto all = s.conversations().eventsAfter(sc.admin.id, 0, 200);
        QCOMPARE(all.size(), 5);
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(all[i].seq, i + 1);
        QCOMPARE(all.last().type, QStringLiteral("conversation.read"));
        const auto later = s.conversations().eventsAfter(sc.admin.id, 2, 200);
        QCOMPARE(later.size(), 3);
        QCOMPARE(later.first().seq, 3);
        QCOMPARE(s.conversations().eventsAfter(sc.admin.id, 0, 2).size(), 2);
        QCOMPARE(s.conversations().latestEventSeq(sc.admin.id), 5);
        // The stored data is the message as JSON.
        const auto data = QJsonDocument::fromJson(all.first().data).object();
        QCOMPARE(data.value(QLatin1String("body")).toString(), QStringLiteral("m0"));
        const auto wire = QJsonDocument::fromJson(all.first().wire()).object();
        QCOMPARE(wire.value(QLatin1String("seq")).toInteger(), 1);
        QCOMPARE(wire.value(QLatin1String("data")).toObject(), data);
    }

    void conversationsPageByActivity()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene a = makeScene(s, QStringLiteral("a"));
        QList<QString> ids{a.conversation.id};
        // More patients in the same practice, with increasing activity.
        for (int i = 0; i < 4; ++i) {
            const auto p =
                userRecord(a.practice.id, QStringLiteral("p%1@example.org").arg(i), QStringLiteral("patient"));
            ConversationRecord c{newId(),  a.practice.id, p.user.id, QStringLiteral("P"), QStringLiteral("secure"),
                                 2000 + i, 2000 + i,      0};
            QVERIFY(s.accounts().createPatient(p, c, {}, nullptr));
            ids.prepend(c.id);
        }
        const auto first = s.conversations().conversationPage({}, a.practice.id, std::nullopt, 2);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first[0].id, ids[0]);
        const auto second = s.conversations().conversationPage(
            {}, a.practice.id, std::make_pair(first[1].lastActivityAt, first[1].id), 10);
        QCOMPARE(second.size(), 3);
        QCOMPARE(second[0].id, ids[2]);
        QCOMPARE(s.conversations().conversationPage(a.patient.id, {}, std::nullopt, 10).size(), 1);
    }
};

LARCH_STORAGE_TEST(TestConversationStorage)
#include "tst_storage_conversations.moc"
