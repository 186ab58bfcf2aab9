// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteAuditStorage.h"

#include "server/audit/AuditChain.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace larch::server {

namespace {
AuditAnchor readAnchor(Statement &s) { return {s.integer(0), s.blob(1), s.integer(2), s.integer(3)}; }

AuditPerson readPerson(Statement &s) { return {s.text(0), s.text(1), s.text(2), s.isNull(3)}; }

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
        // After the last record, or, when pruning removed every record, after the newest anchor.
        auto s = m_db->prepare("SELECT seq, hash FROM audit_log UNION ALL SELECT through_seq, hash FROM audit_prune "
                               "ORDER BY 1 DESC LIMIT 1");
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

QHash<QString, AuditName> SqliteAuditStorage::auditNames(const QString &practiceId, const QStringList &ids)
{
    QHash<QString, AuditName> names;
    if (ids.isEmpty())
        return names;
    const QString list =
        QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact));
    // One statement: each kind of id that belongs to the practice, with its name. People belong to it when they
    // work there, or as patients when they have a conversation with it.
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare(
        "WITH wanted(id) AS (SELECT DISTINCT value FROM json_each(?1)), "
        "people(id, name, role) AS (SELECT u.id, u.name, u.role FROM users u JOIN wanted w ON w.id = u.id "
        "  WHERE u.practice_id = ?2 OR EXISTS (SELECT 1 FROM conversations c WHERE c.patient_id = u.id "
        "  AND c.practice_id = ?2)) "
        "SELECT id, CASE role WHEN 'patient' THEN 'patient' ELSE 'staff' END, name FROM people "
        "UNION ALL SELECT d.id, 'device', d.name FROM devices d JOIN wanted w ON w.id = d.id "
        "  JOIN users u ON u.id = d.user_id WHERE u.practice_id = ?2 OR EXISTS (SELECT 1 FROM conversations c "
        "  WHERE c.patient_id = u.id AND c.practice_id = ?2) "
        "UNION ALL SELECT c.id, 'conversation', c.title FROM conversations c JOIN wanted w ON w.id = c.id "
        "  WHERE c.practice_id = ?2 "
        "UNION ALL SELECT i.id, 'invitation', i.patient_name FROM invitations i JOIN wanted w ON w.id = i.id "
        "  WHERE i.practice_id = ?2 "
        "UNION ALL SELECT l.id, 'practiceLink', l.label FROM practice_links l JOIN wanted w ON w.id = l.id "
        "  WHERE l.practice_id = ?2 "
        "UNION ALL SELECT p.id, 'practice', p.name FROM practices p JOIN wanted w ON w.id = p.id WHERE p.id = ?2");
    s.bind(1, list).bind(2, practiceId);
    while (s.step())
        names.insert(s.text(0), AuditName{s.text(1), s.text(2)});
    return names;
}

QList<AuditPerson> SqliteAuditStorage::auditPeople(const QString &practiceId, const QString &patientSearch,
                                                   int patientLimit)
{
    std::lock_guard lock(m_mutex);
    QList<AuditPerson> people =
        m_db->prepare("SELECT id, name, role, deactivated_at FROM users WHERE practice_id = ? AND role IN ('admin', "
                      "'clinician') ORDER BY name COLLATE NOCASE, id")
            .with(practiceId)
            .all(readPerson);
    people += m_db->prepare("SELECT u.id, u.name, u.role, NULL FROM users u WHERE u.role = 'patient' "
                            "AND (u.practice_id = ?1 OR EXISTS (SELECT 1 FROM conversations c "
                            "WHERE c.patient_id = u.id AND c.practice_id = ?1)) "
                            "AND (?2 = '' OR instr(lower(u.name), lower(?2)) > 0) "
                            "ORDER BY u.name COLLATE NOCASE, u.id LIMIT ?3")
                  .with(practiceId, patientSearch.trimmed(), qint64(patientLimit))
                  .all(readPerson);
    return people;
}

QHash<QString, int> SqliteAuditStorage::auditRetentions()
{
    QHash<QString, int> years;
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT practice_id, years FROM audit_retention");
    while (s.step())
        years.insert(s.text(0), int(s.integer(1)));
    return years;
}

void SqliteAuditStorage::setAuditRetention(const QString &practiceId, int years, qint64 now)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("INSERT INTO audit_retention (practice_id, years, changed_at) VALUES (?, ?, ?) "
                  "ON CONFLICT (practice_id) DO UPDATE SET years = excluded.years, changed_at = excluded.changed_at")
        .with(practiceId, qint64(years), now)
        .exec();
}

std::optional<AuditAnchor> SqliteAuditStorage::auditAnchor()
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT through_seq, hash, at, pruned_at FROM audit_prune ORDER BY through_seq DESC LIMIT 1")
        .one(readAnchor);
}

qint64 SqliteAuditStorage::pruneAudit(const AuditAnchor &anchor)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    // The anchor first: the delete trigger lets only records up to the newest anchor go.
    m_db->prepare("INSERT INTO audit_prune (through_seq, hash, at, pruned_at) VALUES (?, ?, ?, ?)")
        .with(anchor.throughSeq, anchor.hash, anchor.at, anchor.prunedAt)
        .exec();
    auto remove = m_db->prepare("DELETE FROM audit_log WHERE seq <= ?");
    remove.with(anchor.throughSeq).exec();
    const qint64 removed = m_db->changes();
    tx.commit();
    return removed;
}

} // namespace larch::server
