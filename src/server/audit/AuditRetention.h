// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How long a practice keeps its audit records, and the pruning pass that removes those past it
// (docs/security.md, "Audit retention").
#pragma once

#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <functional>

namespace larch::server {

/// Removes audit records older than their practice's retention period, oldest first, behind an anchor that keeps
/// the chain verifiable. The chain is one for the whole server, so records go only as a prefix: the pass stops at
/// the first record that must stay, and a practice keeping records longer holds back the removal of later records
/// of others (they are kept longer than asked, never shorter).
class AuditRetention {
public:
    /// HIPAA keeps documentation 6 years; a practice may keep its records longer, up to 30.
    static constexpr int DefaultYears = 6;
    static constexpr int MinYears = 6;
    static constexpr int MaxYears = 30;
    /// Records removed per transaction, so the database is never held for long.
    static constexpr int Batch = 1000;

    /// now: the server's clock (nowMs), or one a test moves forward (--retention-clock-offset-days).
    AuditRetention(Storage &storage, std::function<qint64()> now);

    /// The years practiceId keeps its records.
    int yearsOf(const QString &practiceId);
    /// The first moment a record of a practice keeping `years` is still kept at now: now less `years` calendar
    /// years (UTC).
    static qint64 keptFrom(qint64 now, int years);

    /// One pruning pass: removes every record past its practice's retention, from the oldest up to the first that
    /// must stay, and records audit_pruned in each practice that lost records. Returns how many went. Throws
    /// StorageError when the storage fails (what was removed before stays removed, anchored).
    qint64 prune();

private:
    Storage &m_storage;
    std::function<qint64()> m_now;
    AuditLog m_audit;
};

} // namespace larch::server
