// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditStorage in SQLite.
#pragma once

#include "server/storage/AuditStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// AuditStorage of the SQLite backend: the audit_log table, which triggers keep append-only.
class SqliteAuditStorage final : public AuditStorage, private SqliteFeature {
public:
    explicit SqliteAuditStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    AuditRecord appendAudit(const AuditRecord &record) override;
    QList<AuditRecord> auditRecords(qint64 afterSeq, int limit) override;
    QList<AuditRecord> practiceAudit(const AuditQuery &query) override;
};

} // namespace larch::server
