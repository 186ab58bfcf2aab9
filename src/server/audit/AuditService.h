// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What administrators read of their practice's audit log: a filtered page as JSON, or a range as CSV.
#pragma once

#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <QJsonObject>

namespace larch::server {

/// GET /v1/practices/{id}/audit-log: administrators of the practice only (403 for other staff and patients, 404
/// for another practice). Filters: dates, a staff member, a patient (what they did, and what touched them or
/// their conversations). An export (CSV) is itself recorded.
class AuditService {
public:
    explicit AuditService(Storage &storage) : m_storage(storage), m_audit(storage) { }

    struct Filter {
        qint64 from = 0;
        qint64 to = 0;
        QString staffId;
        QString patientId;
        qint64 beforeSeq = 0;
        int limit = 200;
    };
    /// {"records": [{seq, at, action, userId, deviceId, objectIds, address}], "next": seq or null}.
    QJsonObject page(const Authenticated &caller, const QString &practiceId, const Filter &filter);
    /// Every matching record, oldest first, as CSV with a header line.
    QByteArray csv(const Authenticated &caller, const QString &practiceId, Filter filter);

private:
    AuditQuery queryOf(const Authenticated &caller, const QString &practiceId, const Filter &filter);

    Storage &m_storage;
    AuditLog m_audit;
};

} // namespace larch::server
