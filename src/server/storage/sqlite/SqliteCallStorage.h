// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// CallStorage in SQLite.
#pragma once

#include "server/storage/CallStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// CallStorage of the SQLite backend: video calls.
class SqliteCallStorage final : public CallStorage, private SqliteFeature {
public:
    explicit SqliteCallStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    std::optional<CallRecord> call(const QString &id) override;
    QList<CallRecord> callsOfConversation(const QString &conversationId, qint64 before, int limit) override;
    CallWriteResult startCall(const CallRecord &call, const CallEvents &eventsOf) override;
    CallWriteResult answerCall(const QString &callId, const QString &deviceId, qint64 at,
                               const CallEvents &eventsOf) override;
    CallWriteResult endCall(const QString &callId, bool fromRinging, bool fromActive, const QString &outcome, qint64 at,
                            const CallEvents &eventsOf) override;
    QList<CallRecord> unansweredCalls(qint64 startedBefore) override;

private:
    std::optional<CallRecord> callLocked(const QString &id);
    CallWriteResult endLocked(const QString &callId, bool fromRinging, bool fromActive, const QString &outcome,
                              qint64 at, const CallEvents &eventsOf);
};

} // namespace larch::server
