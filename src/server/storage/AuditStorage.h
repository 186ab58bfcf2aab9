// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of the audit log: append-only records, each chained to the one before by its hash.
#pragma once

#include <optional>
#include <QByteArray>
#include <QHash>
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

/// Where the chain starts once old records were pruned (docs/security.md, "Audit retention"): the last removed
/// record's seq, hash and time, and when it was removed.
struct AuditAnchor {
    qint64 throughSeq = 0; ///< records up to this seq are gone
    QByteArray hash; ///< that record's hash: the previousHash of record throughSeq + 1
    qint64 at = 0; ///< when that record was written
    qint64 prunedAt = 0; ///< when it was removed
};

/// What an administrator's screen shows for an id of a record, looked up when read (the log keeps only ids).
struct AuditName {
    QString kind; ///< "staff", "patient", "device", "conversation", "invitation", "practiceLink" or "practice"
    QString name; ///< a person's, device's or practice's name, a conversation's title, an invitation's patient,
        ///< a link's label
};

/// Someone an administrator can filter the log by.
struct AuditPerson {
    QString id;
    QString name;
    QString role; ///< "admin", "clinician" or "patient"
    bool active = true; ///< false for deactivated staff
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
    /// Names of those of ids that belong to the practice (its people and their devices, its conversations,
    /// invitations and Practice Links, the practice itself); ids of anything else are left out.
    virtual QHash<QString, AuditName> auditNames(const QString &practiceId, const QStringList &ids) = 0;
    /// The practice's staff, deactivated ones too, then at most patientLimit of its patients whose name contains
    /// patientSearch (any case; "" for all), each group by name.
    virtual QList<AuditPerson> auditPeople(const QString &practiceId, const QString &patientSearch,
                                           int patientLimit) = 0;

    // Retention (docs/security.md, "Audit retention").
    /// The years each practice with a setting keeps its records; a practice not listed keeps the default.
    virtual QHash<QString, int> auditRetentions() = 0;
    /// Sets how many years (6 to 30) a practice keeps its records.
    virtual void setAuditRetention(const QString &practiceId, int years, qint64 now) = 0;
    /// The newest prune anchor; nullopt while nothing was pruned.
    virtual std::optional<AuditAnchor> auditAnchor() = 0;
    /// Writes anchor and removes every record up to anchor.throughSeq, in one transaction; returns how many went.
    /// Throws StorageError, changing nothing, unless anchor names a stored record (seq, hash and time) written at
    /// least 2190 days (6 years) before anchor.prunedAt, after the newest anchor.
    virtual qint64 pruneAudit(const AuditAnchor &anchor) = 0;
};

} // namespace larch::server
