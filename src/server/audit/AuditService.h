// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What administrators read of their practice's audit log: a filtered page as JSON, or a range as CSV.
#pragma once

#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <QJsonObject>

namespace larch::server {

/// GET /v1/practices/{id}/audit-log and its retention and people: administrators of the practice only (403 for its
/// other staff, 404 for its patients and another practice). Filters: dates, a staff member, a patient (what they did, and what
/// touched them or their conversations). An export (CSV) and a change of retention are themselves recorded.
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
    /// {"records": [{seq, at, action, userId, deviceId, objectIds, address}], "next": seq or null, "names": {id:
    /// {kind, name}}}: names, looked up now, of the people, devices and objects the records name (the log keeps ids).
    QJsonObject page(const Authenticated &caller, const QString &practiceId, const Filter &filter);
    /// Every matching record, oldest first, as CSV with a header line.
    QByteArray csv(const Authenticated &caller, const QString &practiceId, Filter filter);
    /// GET …/audit-log/people?q=: whom the log can be filtered by: {"staff": [{id, name, role, active}], "patients":
    /// [{id, name}]} (at most PatientMatches patients whose name contains search).
    QJsonObject people(const Authenticated &caller, const QString &practiceId, const QString &search);
    static constexpr int PatientMatches = 50;
    /// GET …/audit-log/retention: {"years", "isDefault", "defaultYears", "minYears", "maxYears"}.
    QJsonObject retention(const Authenticated &caller, const QString &practiceId);
    /// PUT …/audit-log/retention: years from AuditRetention::MinYears to MaxYears, else 400 invalid_field. A change
    /// is recorded as audit_retention_changed with the practice and "years=<n>". Answers as retention().
    QJsonObject setRetention(const Authenticated &caller, const QString &practiceId, qint64 years);

private:
    /// Administrators of practiceId only: 404 for anyone outside it, 403 for its other staff.
    static void requireAdministrator(const Authenticated &caller, const QString &practiceId);
    AuditQuery queryOf(const Authenticated &caller, const QString &practiceId, const Filter &filter);

    Storage &m_storage;
    AuditLog m_audit;
};

} // namespace larch::server
