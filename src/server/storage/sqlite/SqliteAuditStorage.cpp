// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteAuditStorage.h"

#include "server/audit/AuditChain.h"

#include <QJsonArray>
#include <QJsonDocument>

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

QList<AuditRecord> SqliteAuditStorage::practiceAudit(const AuditQuery &q)
{
    // One statement for every filter (prepared statements are cached by their text's address): an absent filter
    // is 0 or '' and matches everything. object_ids is space-separated, so an id matches as a whole word.
    QByteArray about;
    if (!q.aboutIds.isEmpty())
        about = QJsonDocument(QJsonArray::fromStringList(q.aboutIds)).toJson(QJsonDocument::Compact);
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare(
        "SELECT seq, at, practice_id, user_id, device_id, action, object_ids, address, previous_hash, hash "
        "FROM audit_log WHERE practice_id = ?1 AND at >= ?2 AND (?3 = 0 OR at < ?3) AND (?4 = '' OR user_id = ?4) "
        "AND (?5 = '' OR EXISTS (SELECT 1 FROM json_each(?5) AS j WHERE audit_log.user_id = j.value "
        "OR instr(' ' || audit_log.object_ids || ' ', ' ' || j.value || ' ') > 0)) "
        "AND (?6 = 0 OR seq < ?6) ORDER BY seq DESC LIMIT ?7");
    s.bind(1, q.practiceId)
        .bind(2, q.from)
        .bind(3, q.to)
        .bind(4, q.userId)
        .bind(5, QString::fromUtf8(about))
        .bind(6, q.beforeSeq)
        .bind(7, qint64(q.limit));
    return s.all(readAudit);
}

} // namespace larch::server
