// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of video calls: who called whom in which conversation, and how each call went (never its media).
#pragma once

#include "server/storage/StorageRecords.h"

#include <functional>
#include <optional>
#include <QList>

namespace larch::server {

/// A call as stored. The server relays a call's sealed signalling and keeps only this.
struct CallRecord {
    QString id; ///< chosen by the calling device
    QString conversationId;
    QString practiceId;
    QString callerId;
    QString callerDeviceId;
    QString calleeId;
    QString state = QStringLiteral("ringing"); ///< "ringing", "active" or "ended"
    QString outcome; ///< once ended: "completed", "missed", "declined", "busy", "cancelled" or "failed"
    QString answeredDeviceId; ///< the callee's device that took the call ("" until answered)
    qint64 startedAt = 0;
    qint64 answeredAt = 0; ///< 0 until answered
    qint64 endedAt = 0; ///< 0 until ended
};

/// Makes the events of a call as stored (inside the write's transaction; it must not call the storage).
using CallEvents = std::function<QList<NewEvent>(const CallRecord &)>;

/// Outcome of a change to a call.
struct CallWriteResult {
    enum class Status {
        Done,
        Busy, ///< startCall: the caller or the callee already has a ringing or active call
        Duplicate, ///< startCall: a call with this id exists (returned as stored)
        WrongState, ///< answer or end: the call is not in a state that allows it (answered elsewhere, ended)
        NotFound,
    };
    Status status = Status::NotFound;
    CallRecord call; ///< as stored after the write (Done, Duplicate, WrongState)
    QList<StoredEvent> events;
};

/// Video calls (docs/protocol.md, "Video calls"). Every write is atomic with its events, and each checks the
/// call's state inside its transaction: two devices answering at once get one Done and one WrongState.
/// Methods may be called from any thread.
class CallStorage {
public:
    virtual ~CallStorage() = default;

    virtual std::optional<CallRecord> call(const QString &id) = 0;
    /// The conversation's calls, newest first, started before `before` (all when 0), at most limit.
    virtual QList<CallRecord> callsOfConversation(const QString &conversationId, qint64 before, int limit) = 0;
    /// Stores a ringing call unless its caller or callee has a ringing or active call (Busy), or its id exists
    /// (Duplicate, with the stored call).
    virtual CallWriteResult startCall(const CallRecord &call, const CallEvents &eventsOf) = 0;
    /// A ringing call answered by deviceId: active from `at`.
    virtual CallWriteResult answerCall(const QString &callId, const QString &deviceId, qint64 at,
                                       const CallEvents &eventsOf) = 0;
    /// Ends a call that is ringing (fromRinging) or active (fromActive) with outcome at `at`.
    virtual CallWriteResult endCall(const QString &callId, bool fromRinging, bool fromActive, const QString &outcome,
                                    qint64 at, const CallEvents &eventsOf) = 0;
    /// The calls still ringing that started before startedBefore (to end as missed, each with endCall).
    virtual QList<CallRecord> unansweredCalls(qint64 startedBefore) = 0;
};

} // namespace larch::server
