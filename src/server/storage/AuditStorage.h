// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of the audit log: append-only records, each chained to the one before by its hash.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace larch::server {

/// One thing a practice's auditor may ask about: who (user and device), what (an action and the ids it touched),
/// when and from where. Never content, a patient's name, a phone number or an email address.
struct AuditRecord {
    qint64 seq = 0; ///< position in the log, from 1, without gaps; set by append
    qint64 at = 0; ///< ms since the epoch
    QString practiceId; ///< "" for what belongs to no practice (a failed sign-in of an unknown email)
    QString userId; ///< who acted; "" when unknown
    QString deviceId; ///< the device the session is bound to; "" when none
    QString action; ///< e.g. "sign_in", "sign_in_failed", "sign_out", "sessions_revoked", "practice_created"
    QStringList objectIds; ///< ids of what the action touched (a user, a conversation, an invitation…)
    QString address; ///< the remote address the request came from; "" for the operator's command line
    QByteArray previousHash; ///< hash of record seq - 1 (32 zero bytes for the first); set by append
    QByteArray hash; ///< SHA-256 over previousHash and the fields above; set by append
};

/// Which records of one practice an administrator asks for, newest first.
struct AuditQuery {
    QString practiceId;
    qint64 from = 0; ///< at >= from
    qint64 to = 0; ///< at < to; 0: no bound
    QString userId; ///< only what this person did; "" for everyone
    QStringList aboutIds; ///< only records by one of these users or touching one of these ids; empty for all
    qint64 beforeSeq = 0; ///< records with seq < beforeSeq (the next page); 0 from the newest
    int limit = 200;
};

/// The audit log. Methods may be called from any thread.
class AuditStorage {
public:
    virtual ~AuditStorage() = default;
    /// Appends a record, numbering and chaining it to the last one in the same transaction; returns it as stored.
    virtual AuditRecord appendAudit(const AuditRecord &record) = 0;
    /// Records after afterSeq in log order, at most limit (for verifying the whole chain page by page).
    virtual QList<AuditRecord> auditRecords(qint64 afterSeq, int limit) = 0;
    /// One practice's records matching query, newest first.
    virtual QList<AuditRecord> practiceAudit(const AuditQuery &query) = 0;
};

} // namespace larch::server
