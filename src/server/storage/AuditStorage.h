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

/// The audit log. Methods may be called from any thread.
class AuditStorage {
public:
    virtual ~AuditStorage() = default;
    /// Appends a record, numbering and chaining it to the last one in the same transaction; returns it as stored.
    virtual AuditRecord appendAudit(const AuditRecord &record) = 0;
    /// Records after afterSeq in log order, at most limit (for verifying the whole chain page by page).
    virtual QList<AuditRecord> auditRecords(qint64 afterSeq, int limit) = 0;
};

} // namespace larch::server
