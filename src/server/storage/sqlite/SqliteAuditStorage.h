// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditStorage in SQLite.
#pragma once

#include "server/storage/AuditStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// AuditStorage of the SQLite backend: the audit_log table, which triggers keep append-only but for pruning behind
/// an anchor (audit_prune), and the practices' retention (audit_retention).
class SqliteAuditStorage final : public AuditStorage, private SqliteFeature {
public:
    explicit SqliteAuditStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    AuditRecord appendAudit(const AuditRecord &record) override;
    QList<AuditRecord> auditRecords(qint64 afterSeq, int limit) override;
    QList<AuditRecord> practiceAudit(const AuditQuery &query) override;
    QHash<QString, AuditName> auditNames(const QString &practiceId, const QStringList &ids) override;
    QList<AuditPerson> auditPeople(const QString &practiceId, const QString &patientSearch, int patientLimit) override;
    QHash<QString, int> auditRetentions() override;
    void setAuditRetention(const QString &practiceId, int years, qint64 now) override;
    std::optional<AuditAnchor> auditAnchor() override;
    qint64 pruneAudit(const AuditAnchor &anchor) override;
};

} // namespace larch::server
