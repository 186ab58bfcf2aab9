// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteAuditStorage.h"

#include "server/audit/AuditChain.h"

namespace larch::server {

namespace {
AuditRecord readAudit(Statement &s)
{
    AuditRecord r;
    r.seq = s.integer(0);
    r.at = s.integer(1);
    r.practiceId = s.text(2);
    r.userId = s.text(3);
    r.deviceId = s.text(4);
    r.action = s.text(5);
    const QString objects = s.text(6);
    r.objectIds = objects.isEmpty() ? QStringList() : objects.split(u' ');
    r.address = s.text(7);
    r.previousHash = s.blob(8);
    r.hash = s.blob(9);
    return r;
}
} // namespace

AuditRecord SqliteAuditStorage::appendAudit(const AuditRecord &record)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    AuditRecord r = record;
    r.seq = 1;
    r.previousHash = audit_chain::genesis();
    {
        auto s = m_db->prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        if (s.step()) {
            r.seq = s.integer(0) + 1;
            r.previousHash = s.blob(1);
        }
    }
    r.hash = audit_chain::hashOf(r, r.previousHash);
    m_db->prepare("INSERT INTO audit_log (seq, at, practice_id, user_id, device_id, action, object_ids, address, "
                  "previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, r.seq)
        .bind(2, r.at)
        .bind(3, r.practiceId)
        .bind(4, r.userId)
        .bind(5, r.deviceId)
        .bind(6, r.action)
        .bind(7, r.objectIds.join(u' '))
        .bind(8, r.address)
        .bind(9, r.previousHash)
        .bind(10, r.hash)
        .exec();
    tx.commit();
    return r;
}

QList<AuditRecord> SqliteAuditStorage::auditRecords(qint64 afterSeq, int limit)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT seq, at, practice_id, user_id, device_id, action, object_ids, address, previous_hash, hash "
                  "FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")
        .with(afterSeq, limit)
        .all(readAudit);
}

} // namespace larch::server
