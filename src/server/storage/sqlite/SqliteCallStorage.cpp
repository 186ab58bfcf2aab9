// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteCallStorage: video calls (docs/protocol.md, "Video calls").
#include "server/storage/sqlite/SqliteCallStorage.h"

namespace larch::server {
namespace {

#define CALL_COLUMNS                                                                                                   \
    "id, conversation_id, practice_id, caller_id, caller_device_id, callee_id, state, outcome, answered_device_id, "   \
    "started_at, answered_at, ended_at"

CallRecord readCall(Statement &s)
{
    CallRecord c;
    c.id = s.text(0);
    c.conversationId = s.text(1);
    c.practiceId = s.text(2);
    c.callerId = s.text(3);
    c.callerDeviceId = s.text(4);
    c.calleeId = s.text(5);
    c.state = s.text(6);
    c.outcome = s.text(7);
    c.answeredDeviceId = s.text(8);
    c.startedAt = s.integer(9);
    c.answeredAt = s.integer(10);
    c.endedAt = s.integer(11);
    return c;
}

} // namespace

std::optional<CallRecord> SqliteCallStorage::callLocked(const QString &id)
{
    return m_db->prepare("SELECT " CALL_COLUMNS " FROM calls WHERE id = ?").with(id).one(readCall);
}

std::optional<CallRecord> SqliteCallStorage::call(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return callLocked(id);
}

QList<CallRecord> SqliteCallStorage::callsOfConversation(const QString &conversationId, qint64 before, int limit)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " CALL_COLUMNS " FROM calls WHERE conversation_id = ? AND (? = 0 OR started_at < ?) "
                  "ORDER BY started_at DESC, rowid DESC LIMIT ?")
        .with(conversationId, before, before, qint64(limit))
        .all(readCall);
}

CallWriteResult SqliteCallStorage::startCall(const CallRecord &call, const CallEvents &eventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    CallWriteResult result;
    if (const auto existing = callLocked(call.id)) {
        result.status = CallWriteResult::Status::Duplicate;
        result.call = *existing;
        return result;
    }
    // Checked inside the transaction: two calls to the same person at once ring only one.
    auto busy = m_db->prepare("SELECT 1 FROM calls WHERE state <> 'ended' AND "
                              "(caller_id IN (?, ?) OR callee_id IN (?, ?)) LIMIT 1");
    busy.with(call.callerId, call.calleeId, call.callerId, call.calleeId);
    if (busy.step()) {
        result.status = CallWriteResult::Status::Busy;
        return result;
    }
    m_db->prepare("INSERT INTO calls (id, conversation_id, practice_id, caller_id, caller_device_id, callee_id, state, "
                  "started_at) VALUES (?, ?, ?, ?, ?, ?, 'ringing', ?)")
        .with(call.id, call.conversationId, call.practiceId, call.callerId, call.callerDeviceId, call.calleeId,
              call.startedAt)
        .exec();
    result.call = *callLocked(call.id);
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(result.call), call.startedAt);
    tx.commit();
    result.status = CallWriteResult::Status::Done;
    return result;
}

CallWriteResult SqliteCallStorage::answerCall(const QString &callId, const QString &deviceId, qint64 at,
                                              const CallEvents &eventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    CallWriteResult result;
    m_db->prepare("UPDATE calls SET state = 'active', answered_device_id = ?, answered_at = ? "
                  "WHERE id = ? AND state = 'ringing'")
        .with(deviceId, at, callId)
        .exec();
    const bool answered = m_db->changes() == 1;
    const auto stored = callLocked(callId);
    if (!stored)
        return result;
    result.call = *stored;
    if (!answered) {
        result.status = CallWriteResult::Status::WrongState;
        return result;
    }
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(result.call), at);
    tx.commit();
    result.status = CallWriteResult::Status::Done;
    return result;
}

CallWriteResult SqliteCallStorage::endLocked(const QString &callId, bool fromRinging, bool fromActive,
                                             const QString &outcome, qint64 at, const CallEvents &eventsOf)
{
    CallWriteResult result;
    m_db->prepare("UPDATE calls SET state = 'ended', outcome = ?, ended_at = ? WHERE id = ? AND "
                  "((state = 'ringing' AND ? = 1) OR (state = 'active' AND ? = 1))")
        .with(outcome, at, callId, qint64(fromRinging ? 1 : 0), qint64(fromActive ? 1 : 0))
        .exec();
    const bool ended = m_db->changes() == 1;
    const auto stored = callLocked(callId);
    if (!stored)
        return result;
    result.call = *stored;
    if (!ended) {
        result.status = CallWriteResult::Status::WrongState;
        return result;
    }
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(result.call), at);
    result.status = CallWriteResult::Status::Done;
    return result;
}

CallWriteResult SqliteCallStorage::endCall(const QString &callId, bool fromRinging, bool fromActive,
                                           const QString &outcome, qint64 at, const CallEvents &eventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    CallWriteResult result = endLocked(callId, fromRinging, fromActive, outcome, at, eventsOf);
    if (result.status == CallWriteResult::Status::Done)
        tx.commit();
    return result;
}

QList<CallRecord> SqliteCallStorage::unansweredCalls(qint64 startedBefore)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " CALL_COLUMNS " FROM calls WHERE state = 'ringing' AND started_at < ?")
        .with(startedBefore)
        .all(readCall);
}

} // namespace larch::server
