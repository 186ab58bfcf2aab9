// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// CallStorage: starting a call (busy, a repeated id), one answer of two, ending from the states allowed, unanswered
// calls, a conversation's calls newest first, and the events each write stores.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// CallStorage conformance, against the interface alone.
class TestCallStorage : public QObject {
    Q_OBJECT

    static CallRecord ringing(const Scene &sc, const User &caller, const User &callee, qint64 at)
    {
        CallRecord c;
        c.id = newId();
        c.conversationId = sc.conversation.id;
        c.practiceId = sc.practice.id;
        c.callerId = caller.id;
        c.callerDeviceId = QStringLiteral("device-of-") + caller.id;
        c.calleeId = callee.id;
        c.startedAt = at;
        return c;
    }

    /// One event to each of the scene's people naming the call's state, so tests see what the storage passed.
    static CallEvents eventsTo(const Scene &sc)
    {
        return [sc](const CallRecord &c) {
            QList<NewEvent> events;
            for (const QString &user : sc.recipients)
                events.append(
                    {user, QStringLiteral("call.updated"),
                     QStringLiteral("{\"state\":\"%1\",\"outcome\":\"%2\"}").arg(c.state, c.outcome).toUtf8()});
            return events;
        };
    }

private slots:
    void aCallRingsOnceAndBusyIsRefused()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        CallStorage &calls = s.calls();
        const CallRecord call = ringing(sc, sc.clinician, sc.patient, 1000);
        const auto started = calls.startCall(call, eventsTo(sc));
        QCOMPARE(started.status, CallWriteResult::Status::Done);
        QCOMPARE(started.call.state, QStringLiteral("ringing"));
        QCOMPARE(started.call.callerDeviceId, call.callerDeviceId);
        QCOMPARE(started.events.size(), 3);
        QVERIFY(started.events[0].data.contains("ringing"));
        QCOMPARE(calls.call(call.id)->calleeId, sc.patient.id);

        const auto again = calls.startCall(call, eventsTo(sc));
        QCOMPARE(again.status, CallWriteResult::Status::Duplicate);
        QCOMPARE(again.call.id, call.id);
        QVERIFY(again.events.isEmpty());
        // The callee, or the caller, in a call already: busy, nothing stored.
        const CallRecord admin = ringing(sc, sc.admin, sc.patient, 1100);
        QCOMPARE(calls.startCall(admin, eventsTo(sc)).status, CallWriteResult::Status::Busy);
        QVERIFY(!calls.call(admin.id));
        const CallRecord reverse = ringing(sc, sc.patient, sc.clinician, 1100);
        QCOMPARE(calls.startCall(reverse, eventsTo(sc)).status, CallWriteResult::Status::Busy);
        // Another practice's people are not busy.
        const Scene other = makeScene(s, QStringLiteral("b"));
        QCOMPARE(calls.startCall(ringing(other, other.clinician, other.patient, 1200), eventsTo(other)).status,
                 CallWriteResult::Status::Done);
    }

    void oneAnswerTakesTheCallAndEndingFollowsTheState()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        CallStorage &calls = s.calls();
        const CallRecord call = ringing(sc, sc.clinician, sc.patient, 1000);
        QCOMPARE(calls.startCall(call, eventsTo(sc)).status, CallWriteResult::Status::Done);
        // Ending "from active" does nothing to a call still ringing.
        QCOMPARE(calls.endCall(call.id, false, true, QStringLiteral("completed"), 1050, eventsTo(sc)).status,
                 CallWriteResult::Status::WrongState);
        const auto first = calls.answerCall(call.id, QStringLiteral("phone"), 1100, eventsTo(sc));
        QCOMPARE(first.status, CallWriteResult::Status::Done);
        QCOMPARE(first.call.state, QStringLiteral("active"));
        QCOMPARE(first.call.answeredDeviceId, QStringLiteral("phone"));
        QCOMPARE(first.call.answeredAt, 1100);
        const auto second = calls.answerCall(call.id, QStringLiteral("tablet"), 1101, eventsTo(sc));
        QCOMPARE(second.status, CallWriteResult::Status::WrongState);
        QCOMPARE(second.call.answeredDeviceId, QStringLiteral("phone"));
        QVERIFY(second.events.isEmpty());
        QCOMPARE(calls.answerCall(newId(), QStringLiteral("phone"), 1102, eventsTo(sc)).status,
                 CallWriteResult::Status::NotFound);

        const auto ended = calls.endCall(call.id, true, true, QStringLiteral("completed"), 1500, eventsTo(sc));
        QCOMPARE(ended.status, CallWriteResult::Status::Done);
        QCOMPARE(ended.call.state, QStringLiteral("ended"));
        QCOMPARE(ended.call.outcome, QStringLiteral("completed"));
        QCOMPARE(ended.call.endedAt, 1500);
        QVERIFY(ended.events[0].data.contains("completed"));
        QCOMPARE(calls.endCall(call.id, true, true, QStringLiteral("failed"), 1600, eventsTo(sc)).status,
                 CallWriteResult::Status::WrongState);
        QCOMPARE(calls.call(call.id)->outcome, QStringLiteral("completed"));
        // Ended, the two are free for the next call.
        QCOMPARE(calls.startCall(ringing(sc, sc.clinician, sc.patient, 2000), eventsTo(sc)).status,
                 CallWriteResult::Status::Done);
    }

    void unansweredCallsAndTheConversationsCalls()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        CallStorage &calls = s.calls();
        const CallRecord first = ringing(sc, sc.clinician, sc.patient, 1000);
        calls.startCall(first, eventsTo(sc));
        calls.endCall(first.id, true, false, QStringLiteral("declined"), 1010, eventsTo(sc));
        const CallRecord second = ringing(sc, sc.admin, sc.patient, 2000);
        calls.startCall(second, eventsTo(sc));
        QVERIFY(calls.unansweredCalls(2000).isEmpty());
        const auto unanswered = calls.unansweredCalls(2001);
        QCOMPARE(unanswered.size(), 1);
        QCOMPARE(unanswered[0].id, second.id);
        QCOMPARE(calls.endCall(second.id, true, false, QStringLiteral("missed"), 2050, eventsTo(sc)).status,
                 CallWriteResult::Status::Done);
        QVERIFY(calls.unansweredCalls(5000).isEmpty());

        const auto listed = calls.callsOfConversation(sc.conversation.id, 0, 10);
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed[0].id, second.id);
        QCOMPARE(listed[0].outcome, QStringLiteral("missed"));
        QCOMPARE(listed[1].outcome, QStringLiteral("declined"));
        QCOMPARE(calls.callsOfConversation(sc.conversation.id, 2000, 10).size(), 1);
        QCOMPARE(calls.callsOfConversation(sc.conversation.id, 0, 1).size(), 1);
        QVERIFY(calls.callsOfConversation(newId(), 0, 10).isEmpty());
    }
};

LARCH_STORAGE_TEST(TestCallStorage)
#include "tst_storage_calls.moc"
