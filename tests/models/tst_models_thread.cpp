// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ThreadModel: paging from the store, local echo replaced in place, day separators, grouping, delivery states,
// verification outcomes and device notices.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "models/conversations/TimeText.h"
#include "models/thread/ThreadModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000001");
const QString Me = QStringLiteral("me");
const QString Them = QStringLiteral("them");

StoredMessage message(qint64 seq, const QString &sender, qint64 sentAt, const QString &body = {})
{
    StoredMessage stored;
    stored.verification = Verification::Verified;
    Message &m = stored.message;
    m.id = QStringLiteral("m-%1").arg(seq);
    m.clientId = QStringLiteral("client-%1").arg(seq);
    m.conversationId = Conv;
    m.seq = seq;
    m.senderId = sender;
    m.senderName = sender == Me ? QStringLiteral("Dr. Ben Okafor") : QStringLiteral("Sam Lee");
    m.body = body.isEmpty() ? QStringLiteral("message %1").arg(seq) : body;
    m.sentAt = sentAt;
    return stored;
}

Conversation conversation(qint64 lastSeq, qint64 othersRead = 0)
{
    Conversation c;
    c.id = Conv;
    c.practiceId = "p";
    c.patientId = Them;
    c.title = "Sam Lee";
    c.lastSeq = lastSeq;
    c.members = {Member{Me, "Dr. Ben Okafor", "clinician", lastSeq}, Member{Them, "Sam Lee", "patient", othersRead}};
    return c;
}

struct Fixture {
    QTemporaryDir dir;
    LocalStore store{dir.path()};
    ApiClient api; // no server: paging must come from the store
    ThreadModel model{&store, &api};
    Fixture()
    {
        QVERIFY(store.open());
        store.setStorageKey(SecretBytes::random(32));
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        api.setToken("t");
        model.setUser(Me, "Dr. Ben Okafor");
    }
    void fill(int count, qint64 start, qint64 step, qint64 othersRead = 0)
    {
        store.conversations().upsert(conversation(count, othersRead));
        store.beginBatch();
        for (int seq = 1; seq <= count; ++seq)
            store.messages().applyMessage(message(seq, seq % 3 == 0 ? Me : Them, start + seq * step), Me);
        store.endBatch();
    }
};

// Pages until the thread is complete, letting the model's deferred loads run.
void drain(ThreadModel &model)
{
    while (model.canFetchMore({}) || model.isLoading()) {
        model.fetchMore({});
        QCoreApplication::processEvents();
    }
}

QString text(const ThreadModel &m, int row, int role) { return m.index(row).data(role).toString(); }
/// A role QML compares with an enum, as that enum.
template<typename Enum>
Enum roleValue(const ThreadModel &m, int row, int role)
{
    return m.index(row).data(role).value<Enum>();
}
bool flag(const ThreadModel &m, int row, int role) { return m.index(row).data(role).toBool(); }
} // namespace

class TestThreadModel : public QObject {
    Q_OBJECT
private slots:
    void pagesNewestFirstFromTheStore()
    {
        Fixture f;
        f.fill(120, QDateTime::currentMSecsSinceEpoch() - 120 * 60000, 60000);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QVERIFY(f.model.rowCount() >= ThreadModel::PageSize);
        QCOMPARE(text(f.model, 0, ThreadModel::MessageIdRole), QStringLiteral("m-120"));
        QVERIFY(f.model.hasMore());
        drain(f.model);
        QCOMPARE(f.model.rowCount(), 120);
        QVERIFY(!f.model.hasMore());
        for (int row = 0; row < 120; ++row)
            QCOMPARE(text(f.model, row, ThreadModel::MessageIdRole), QStringLiteral("m-%1").arg(120 - row));
        QVERIFY(!f.model.isLoading());
    }

    void gapInTheStoreAsksTheServer()
    {
        Fixture f;
        f.fill(30, QDateTime::currentMSecsSinceEpoch() - 3600000, 1000);
        StoredMessage late = message(40, Them, QDateTime::currentMSecsSinceEpoch());
        f.store.messages().applyMessage(late, Me); // seq 31..39 missing on this device
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy loading(&f.model, &ThreadModel::loadingChanged);
        f.model.open(Conv);
        QCOMPARE(f.model.rowCount(), 1);
        f.model.fetchMore({});
        // The store cannot continue the thread below seq 40, so the server is asked (and is not there).
        QTRY_VERIFY_WITH_TIMEOUT(loading.size() >= 2 && !f.model.isLoading(), 20000);
        QCOMPARE(f.model.rowCount(), 1); // nothing invented, nothing skipped
        QVERIFY(!f.model.canFetchMore({})); // no hammering an unreachable server
        QVERIFY(f.model.hasMore());
        f.model.retryServer();
        QVERIFY(f.model.canFetchMore({}));
    }

    void daySeparatorsAndGroups()
    {
        Fixture f;
        const QDate today = QDate::currentDate();
        auto at = [](QDate d, int h) { return QDateTime(d, QTime(h, 0)).toMSecsSinceEpoch(); };
        f.store.conversations().upsert(conversation(5));
        f.store.messages().applyMessage(message(1, Them, at(today.addDays(-3), 9)), Me);
        f.store.messages().applyMessage(message(2, Them, at(today.addDays(-1), 9)), Me);
        f.store.messages().applyMessage(message(3, Them, at(today.addDays(-1), 10)), Me);
        f.store.messages().applyMessage(message(4, Me, at(today, 8)), Me);
        f.store.messages().applyMessage(message(5, Me, at(today, 9)), Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QCOMPARE(f.model.rowCount(), 5);
        // Rows: 5 (me, today), 4 (me, today), 3 (them, yesterday), 2 (them, yesterday), 1 (them, 3 days ago)
        QCOMPARE(text(f.model, 0, ThreadModel::DayTextRole), QStringLiteral("Today"));
        QCOMPARE(text(f.model, 2, ThreadModel::DayTextRole), QStringLiteral("Yesterday"));
        QCOMPARE(text(f.model, 4, ThreadModel::DayTextRole), TimeText::dayText(today.addDays(-3)));
        QCOMPARE(text(f.model, 0, ThreadModel::TimeTextRole), QStringLiteral("09:00"));
        const QList<bool> separators{false, true, false, true, true};
        const QList<bool> firsts{false, true, false, true, true};
        for (int row = 0; row < 5; ++row) {
            QCOMPARE(flag(f.model, row, ThreadModel::ShowDaySeparatorRole), separators.at(row));
            QCOMPARE(flag(f.model, row, ThreadModel::IsFirstOfGroupRole), firsts.at(row));
        }
        QCOMPARE(flag(f.model, 0, ThreadModel::IsMineRole), true);
        QCOMPARE(flag(f.model, 2, ThreadModel::IsMineRole), false);

        // A new message from the other side today: the old newest row keeps its roles, no signal for it.
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.addMessage(message(6, Them, at(today, 10)));
        QCOMPARE(f.model.rowCount(), 6);
        QCOMPARE(flag(f.model, 0, ThreadModel::IsFirstOfGroupRole), true);
        QCOMPARE(flag(f.model, 0, ThreadModel::ShowDaySeparatorRole), false);
        QCOMPARE(changed.size(), 0);
    }

    void deliveryStatesFollowReadMarks()
    {
        Fixture f;
        f.fill(9, QDateTime::currentMSecsSinceEpoch() - 9000, 1000, /*othersRead*/ 3);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        // Mine are seq 3, 6, 9 (rows 6, 3, 0).
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 6, ThreadModel::DeliveryStateRole), DeliveryState::Read);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 3, ThreadModel::DeliveryStateRole), DeliveryState::Sent);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Sent);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 1, ThreadModel::DeliveryStateRole), DeliveryState::Received);

        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.updateReadState(Conv, Me, 9); // my own mark says nothing about delivery
        QCOMPARE(changed.size(), 0);
        f.model.updateReadState(Conv, Them, 7);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{ThreadModel::DeliveryStateRole});
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 3);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 3, ThreadModel::DeliveryStateRole), DeliveryState::Read);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Sent);
        f.model.updateReadState(Conv, Them, 5); // never backwards
        QCOMPARE(changed.size(), 1);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 3, ThreadModel::DeliveryStateRole), DeliveryState::Read);
    }

    void localEchoIsReplacedInPlace()
    {
        Fixture f;
        f.fill(4, QDateTime::currentMSecsSinceEpoch() - 60000, 1000);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QCOMPARE(f.model.rowCount(), 4);

        const OutboxEntry first = f.store.outbox().enqueue(Conv, "First");
        f.model.addPending(first);
        const OutboxEntry second = f.store.outbox().enqueue(Conv, "Second");
        f.model.addPending(second);
        QCOMPARE(f.model.rowCount(), 6);
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QStringLiteral("Second"));
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Pending);
        QCOMPARE(text(f.model, 0, ThreadModel::SenderNameRole), QStringLiteral("Dr. Ben Okafor"));
        QCOMPARE(flag(f.model, 0, ThreadModel::IsMineRole), true);
        QCOMPARE(text(f.model, 1, ThreadModel::MessageIdRole), QString());

        // Someone else wrote before the server got ours: their message goes below the pending ones.
        f.model.addMessage(message(5, Them, QDateTime::currentMSecsSinceEpoch()));
        QCOMPARE(f.model.rowCount(), 7);
        QCOMPARE(text(f.model, 2, ThreadModel::MessageIdRole), QStringLiteral("m-5"));

        // The first is confirmed as seq 6: same row, new identity, no new row.
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy moved(&f.model, &QAbstractItemModel::rowsMoved);
        StoredMessage confirmed = message(6, Me, QDateTime::currentMSecsSinceEpoch(), "First");
        confirmed.message.clientId = first.clientId;
        f.model.confirmMessage(first.clientId, confirmed);
        QCOMPARE(f.model.rowCount(), 7);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(moved.size(), 0);
        QCOMPARE(text(f.model, 1, ThreadModel::MessageIdRole), QStringLiteral("m-6"));
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 1, ThreadModel::DeliveryStateRole), DeliveryState::Sent);
        QCOMPARE(text(f.model, 1, ThreadModel::ClientIdRole), first.clientId);

        // Confirming again (the event after the POST answer) changes nothing.
        f.model.confirmMessage(first.clientId, confirmed);
        QCOMPARE(f.model.rowCount(), 7);

        // Another message lands before the second is confirmed; the echo moves under it.
        f.model.addMessage(message(7, Them, QDateTime::currentMSecsSinceEpoch()));
        StoredMessage confirmed2 = message(8, Me, QDateTime::currentMSecsSinceEpoch(), "Second");
        confirmed2.message.clientId = second.clientId;
        f.model.confirmMessage(second.clientId, confirmed2);
        QCOMPARE(f.model.rowCount(), 8);
        QCOMPARE(inserted.size(), 1); // only seq 7
        for (int row = 0; row < 8; ++row)
            QCOMPARE(text(f.model, row, ThreadModel::MessageIdRole), QStringLiteral("m-%1").arg(8 - row));
    }

    void echoMovesIntoPlaceWhenOthersWroteFirst()
    {
        Fixture f;
        f.fill(2, QDateTime::currentMSecsSinceEpoch() - 60000, 1000);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry a = f.store.outbox().enqueue(Conv, "A");
        const OutboxEntry b = f.store.outbox().enqueue(Conv, "B");
        f.model.addPending(a);
        f.model.addPending(b);
        f.model.addMessage(message(3, Them, QDateTime::currentMSecsSinceEpoch()));
        // B confirmed before A (a second device could do that): it moves below A's echo.
        QSignalSpy moved(&f.model, &QAbstractItemModel::rowsMoved);
        StoredMessage mb = message(4, Me, QDateTime::currentMSecsSinceEpoch(), "B");
        mb.message.clientId = b.clientId;
        f.model.confirmMessage(b.clientId, mb);
        QCOMPARE(moved.size(), 1);
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QStringLiteral("A"));
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Pending);
        QCOMPARE(text(f.model, 1, ThreadModel::MessageIdRole), QStringLiteral("m-4"));
        QCOMPARE(f.model.rowCount(), 5);
    }

    void failedMessageShowsTheReason()
    {
        Fixture f;
        f.fill(1, QDateTime::currentMSecsSinceEpoch() - 1000, 1);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        const OutboxEntry e = f.store.outbox().enqueue(Conv, "Refused");
        f.model.addPending(e);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.failMessage(e.clientId, "This client id was already used.");
        QCOMPARE(changed.size(), 1);
        QCOMPARE(roleValue<DeliveryState::Value>(f.model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Failed);
        QCOMPARE(text(f.model, 0, ThreadModel::FailureReasonRole), QStringLiteral("This client id was already used."));
    }

    void pendingMessagesShowAfterReopen()
    {
        QTemporaryDir dir;
        const SecretBytes key = SecretBytes::random(32);
        QString clientId;
        {
            LocalStore store(dir.path());
            QVERIFY(store.open());
            store.setStorageKey(key);
            store.conversations().upsert(conversation(0));
            clientId = store.outbox().enqueue(Conv, "Written offline").clientId;
        }
        LocalStore store(dir.path());
        QVERIFY(store.open());
        store.setStorageKey(key);
        ApiClient api;
        api.setServerUrl(QUrl("http://127.0.0.1:1"));
        ThreadModel model(&store, &api);
        model.setUser(Me, "Dr. Ben Okafor");
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.open(Conv);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0, ThreadModel::ClientIdRole), clientId);
        QCOMPARE(roleValue<DeliveryState::Value>(model, 0, ThreadModel::DeliveryStateRole), DeliveryState::Pending);
        QCOMPARE(text(model, 0, ThreadModel::BodyRole), QStringLiteral("Written offline"));
        QCOMPARE(roleValue<VerificationState::Value>(model, 0, ThreadModel::VerificationRole),
                 VerificationState::Verified);
        model.close();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.conversationId(), QString());
    }

    void verificationOutcomesShowInPlace()
    {
        Fixture f;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        f.fill(3, now - 60000, 1000);
        StoredMessage forged = message(4, Them, now, "forged words");
        forged.verification = Verification::Unverifiable;
        forged.check = MessageCheck::BadSignature;
        f.store.messages().applyMessage(forged, Me);
        StoredMessage waiting = message(5, Them, now, "not yet");
        waiting.verification = Verification::KeyPending;
        f.store.messages().applyMessage(waiting, Me);
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        QCOMPARE(f.model.rowCount(), 5);
        QCOMPARE(roleValue<VerificationState::Value>(f.model, 0, ThreadModel::VerificationRole),
                 VerificationState::KeyPending);
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QString());
        QCOMPARE(text(f.model, 0, ThreadModel::VerificationTextRole), ThreadModel::keyPendingText());
        QCOMPARE(roleValue<VerificationState::Value>(f.model, 1, ThreadModel::VerificationRole),
                 VerificationState::Unverifiable);
        QCOMPARE(text(f.model, 1, ThreadModel::BodyRole), QString()); // altered text never shows
        QCOMPARE(text(f.model, 1, ThreadModel::VerificationTextRole), describe(MessageCheck::BadSignature));
        QCOMPARE(roleValue<VerificationState::Value>(f.model, 2, ThreadModel::VerificationRole),
                 VerificationState::Verified);
        QCOMPARE(text(f.model, 2, ThreadModel::VerificationTextRole), QString());
        QCOMPARE(roleValue<MessageKind::Value>(f.model, 2, ThreadModel::KindRole), MessageKind::Message);

        // The key arrives: the row opens where it is, only its text and verification roles change.
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        StoredMessage opened = message(5, Them, now, "the key came");
        f.model.updateMessage(opened);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(ThreadModel::VerificationRole));
        QCOMPARE(text(f.model, 0, ThreadModel::BodyRole), QStringLiteral("the key came"));
        QCOMPARE(roleValue<VerificationState::Value>(f.model, 0, ThreadModel::VerificationRole),
                 VerificationState::Verified);
        f.model.updateMessage(opened); // the same outcome again changes nothing
        QCOMPARE(changed.size(), 1);
    }

    void noticesSitAfterTheMessageTheyFollowed()
    {
        Fixture f;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        f.store.conversations().upsert(conversation(0));
        // A notice before any message, then messages, then notices after seq 2 and after seq 120.
        QVERIFY(
            f.store.messages().addNotice(Conv, "added/first", "Sam Lee added a new device.", now - 200000).has_value());
        f.store.beginBatch();
        for (int seq = 1; seq <= 120; ++seq) {
            f.store.messages().applyMessage(message(seq, Them, now - 150000 + seq * 1000), Me);
            if (seq == 2)
                QVERIFY(f.store.messages().addNotice(Conv, "added/second", "Dr. Ben Okafor added a new device.",
                                                     now - 100000));
        }
        f.store.endBatch();
        QVERIFY(!f.store.messages().addNotice(Conv, "added/second", "again", now).has_value()); // once per key
        QAbstractItemModelTester tester(&f.model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        f.model.open(Conv);
        drain(f.model);
        QCOMPARE(f.model.rowCount(), 122);
        const int last = f.model.rowCount() - 1;
        QCOMPARE(roleValue<MessageKind::Value>(f.model, last, ThreadModel::KindRole), MessageKind::Notice);
        QCOMPARE(text(f.model, last, ThreadModel::BodyRole), QStringLiteral("Sam Lee added a new device."));
        QCOMPARE(text(f.model, last - 1, ThreadModel::MessageIdRole), QStringLiteral("m-1"));
        QCOMPARE(text(f.model, last - 2, ThreadModel::MessageIdRole), QStringLiteral("m-2"));
        QCOMPARE(roleValue<MessageKind::Value>(f.model, last - 3, ThreadModel::KindRole), MessageKind::Notice);
        QCOMPARE(text(f.model, last - 3, ThreadModel::BodyRole), QStringLiteral("Dr. Ben Okafor added a new device."));
        QCOMPARE(text(f.model, last - 4, ThreadModel::MessageIdRole), QStringLiteral("m-3"));
        QVERIFY(!flag(f.model, last - 3, ThreadModel::IsMineRole));

        // A live notice goes on top, and a message after it goes above it.
        const auto live = f.store.messages().addNotice(Conv, "removed/x", "Sam Lee's device was removed.", now);
        QVERIFY(live.has_value());
        f.model.addNotice(*live);
        QCOMPARE(roleValue<MessageKind::Value>(f.model, 0, ThreadModel::KindRole), MessageKind::Notice);
        f.model.addMessage(message(121, Them, now + 1000));
        QCOMPARE(text(f.model, 0, ThreadModel::MessageIdRole), QStringLiteral("m-121"));
        QCOMPARE(roleValue<MessageKind::Value>(f.model, 1, ThreadModel::KindRole), MessageKind::Notice);
        QCOMPARE(text(f.model, 2, ThreadModel::MessageIdRole), QStringLiteral("m-120"));
        QVERIFY(flag(f.model, 0, ThreadModel::IsFirstOfGroupRole)); // the notice breaks the group
        QCOMPARE(f.model.rowCount(), 124);
    }

    void dayTextWords()
    {
        const QDate today(2025, 11, 27);
        QCOMPARE(TimeText::dayText(today, today), QStringLiteral("Today"));
        QCOMPARE(TimeText::dayText(today.addDays(-1), today), QStringLiteral("Yesterday"));
        QCOMPARE(TimeText::dayText(QDate(2025, 11, 23), today),
                 QLocale().toString(QDate(2025, 11, 23), QStringLiteral("dddd d MMMM")));
        QVERIFY(TimeText::dayText(QDate(2024, 11, 23), today).endsWith(QStringLiteral("2024")));
    }
};

QTEST_GUILESS_MAIN(TestThreadModel)
#include "tst_models_thread.moc"
