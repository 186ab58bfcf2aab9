// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/audit/AuditChain.h"

#include <QCryptographicHash>

namespace larch::server::audit_chain {

namespace {
void addField(QCryptographicHash &h, const QByteArray &bytes)
{
    const quint32 size = quint32(bytes.size());
    const char prefix[4] = {char(size >> 24), char(size >> 16), char(size >> 8), char(size)};
    h.addData(QByteArrayView(prefix, 4));
    h.addData(bytes);
}
} // namespace

QByteArray genesis() { return QByteArray(32, '\0'); }

QByteArray hashOf(const AuditRecord &r, const QByteArray &previousHash)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    addField(h, previousHash);
    addField(h, QByteArray::number(r.seq));
    addField(h, QByteArray::number(r.at));
    addField(h, r.practiceId.toUtf8());
    addField(h, r.userId.toUtf8());
    addField(h, r.deviceId.toUtf8());
    addField(h, r.action.toUtf8());
    addField(h, QByteArray::number(r.objectIds.size()));
    for (const QString &id : r.objectIds)
        addField(h, id.toUtf8());
    addField(h, r.address.toUtf8());
    return h.result();
}

AuditVerdict verify(AuditStorage &storage)
{
    AuditVerdict v;
    QByteArray previous = genesis();
    qint64 expected = 1;
    if (const std::optional<AuditAnchor> anchor = storage.auditAnchor()) {
        v.prunedThrough = anchor->throughSeq;
        v.prunedAt = anchor->prunedAt;
        // Pruning removes only records past the shortest retention; an anchor claiming a younger one hides a
        // removal. (Its time is the anchor's word: the record itself is gone.)
        if (anchor->at > anchor->prunedAt - pruneMinimumAgeMs || anchor->hash.size() != previous.size()) {
            v.intact = false;
            v.badSeq = anchor->throughSeq;
            v.reason = QStringLiteral("records up to %1 were removed, but record %1 was not 6 years old then: the "
                                      "prune anchor was forged or edited")
                           .arg(anchor->throughSeq);
            return v;
        }
        previous = anchor->hash;
        expected = anchor->throughSeq + 1;
    }
    constexpr int Page = 1000;
    for (;;) {
        const QList<AuditRecord> page = storage.auditRecords(expected - 1, Page);
        for (const AuditRecord &r : page) {
            ++v.records;
            auto fail = [&](const QString &reason) {
                v.intact = false;
                v.badSeq = r.seq;
                v.reason = reason;
                return v;
            };
            if (r.seq != expected)
                return fail(r.seq == expected + 1
                                ? QStringLiteral("record %1 was removed").arg(expected)
                                : QStringLiteral("records %1 to %2 were removed").arg(expected).arg(r.seq - 1));
            if (r.previousHash != previous)
                return fail(r.seq == v.prunedThrough + 1
                                ? QStringLiteral("record %1 does not follow the last pruned record: records were "
                                                 "removed, or the prune anchor was edited")
                                      .arg(r.seq)
                                : QStringLiteral("record %1 does not follow the record before it: records were "
                                                 "removed, replaced or reordered")
                                      .arg(r.seq));
            if (r.hash != hashOf(r, previous))
                return fail(QStringLiteral("record %1 was modified after it was written").arg(r.seq));
            previous = r.hash;
            ++expected;
        }
        if (page.size() < Page)
            return v;
    }
}

} // namespace larch::server::audit_chain
