// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit log's hash chain: how a record's hash is made, and checking a whole log.
#pragma once

#include "server/storage/AuditStorage.h"

#include <QString>

namespace larch::server {

/// What checking the chain found: every record intact, or the first one that is not and why.
struct AuditVerdict {
    bool intact = true;
    qint64 records = 0; ///< records read
    qint64 badSeq = 0; ///< the first record that does not fit; 0 when intact
    QString reason; ///< one sentence: modified, removed or out of order
    qint64 prunedThrough = 0; ///< records up to this seq were removed by retention (0: none)
    qint64 prunedAt = 0; ///< when the newest pruning removed them
};

namespace audit_chain {
/// The hash before the first record: 32 zero bytes.
QByteArray genesis();
/// SHA-256 over the previous hash and every field of record (length-prefixed, so no two records share an input).
QByteArray hashOf(const AuditRecord &record, const QByteArray &previousHash);
/// The youngest a pruned record may be when it goes: 6 years of 365 days, the least retention allows.
constexpr qint64 pruneMinimumAgeMs = 2190LL * 24 * 3600 * 1000;
/// Reads the whole log in order and checks numbering, chaining and each hash, from the newest prune anchor (its
/// record at least pruneMinimumAgeMs old when pruned) or from the first record when nothing was pruned.
AuditVerdict verify(AuditStorage &storage);
} // namespace audit_chain

} // namespace larch::server
