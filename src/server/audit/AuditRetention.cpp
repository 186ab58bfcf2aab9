// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/audit/AuditRetention.h"

#include "server/transport/Log.h"

#include <QDateTime>
#include <QSet>

namespace larch::server {

AuditRetention::AuditRetention(Storage &storage, std::function<qint64()> now)
    : m_storage(storage), m_now(std::move(now)), m_audit(storage)
{ }

int AuditRetention::yearsOf(const QString &practiceId)
{
    return m_storage.audit().auditRetentions().value(practiceId, DefaultYears);
}

qint64 AuditRetention::keptFrom(qint64 now, int years)
{
    return QDateTime::fromMSecsSinceEpoch(now, Qt::UTC).addYears(-years).toMSecsSinceEpoch();
}

qint64 AuditRetention::prune()
{
    const qint64 now = m_now();
    const QHash<QString, int> years = m_storage.audit().auditRetentions();
    QHash<QString, qint64> keptFromOf; // per practice, computed once per pass
    auto kept = [&](const QString &practiceId) {
        auto it = keptFromOf.find(practiceId);
        if (it == keptFromOf.end())
            it = keptFromOf.insert(practiceId, keptFrom(now, years.value(practiceId, DefaultYears)));
        return *it;
    };
    const std::optional<AuditAnchor> anchor = m_storage.audit().auditAnchor();
    qint64 after = anchor ? anchor->throughSeq : 0;
    qint64 removed = 0;
    QSet<QString> practices;
    for (bool more = true; more;) {
        const QList<AuditRecord> page = m_storage.audit().auditRecords(after, Batch);
        more = page.size() == Batch;
        const AuditRecord *last = nullptr;
        for (const AuditRecord &r : page) {
            if (r.at >= kept(r.practiceId)) {
                more = false; // the first record that stays: everything after it stays too
                break;
            }
            last = &r;
            if (!r.practiceId.isEmpty())
                practices.insert(r.practiceId);
        }
        if (!last)
            break;
        removed += m_storage.audit().pruneAudit(AuditAnchor{last->seq, last->hash, last->at, now});
        after = last->seq;
    }
    if (removed == 0)
        return 0;
    log::info("audit retention removed " + std::to_string(removed) + " records");
    // Each practice's administrators see that older records went, and when, in the log itself.
    for (const QString &practiceId : std::as_const(practices))
        m_audit.record(AuditLog::Actor{practiceId, {}, {}, {}}, QStringLiteral("audit_pruned"), {practiceId});
    return removed;
}

} // namespace larch::server
