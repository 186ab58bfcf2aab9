// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/audit/AuditService.h"

#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/audit/AuditRetention.h"
#include "server/transport/Clock.h"

#include <algorithm>
#include <QJsonArray>

namespace larch::server {

namespace {
QJsonObject toJson(const AuditRecord &r)
{
    return {{"seq", r.seq},           {"at", r.at},
            {"action", r.action},     {"userId", r.userId},
            {"deviceId", r.deviceId}, {"objectIds", QJsonArray::fromStringList(r.objectIds)},
            {"address", r.address}};
}

/// A CSV field: quoted when it holds a comma, a quote or a line break; a leading = + - @ is defused for
/// spreadsheets.
QByteArray csvField(const QString &value)
{
    QString v = value;
    if (!v.isEmpty() && QStringLiteral("=+-@").contains(v.front()))
        v.prepend(QLatin1Char('\''));
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n')))
        v = QLatin1Char('"') + v.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
    return v.toUtf8();
}
} // namespace

void AuditService::requireAdministrator(const Authenticated &caller, const QString &practiceId)
{
    if (caller.user.practiceId != practiceId || !caller.user.isStaff())
        throw RequestError::notFound();
    if (!caller.user.isAdmin())
        throw RequestError::forbidden();
}

AuditQuery AuditService::queryOf(const Authenticated &caller, const QString &practiceId, const Filter &f)
{
    requireAdministrator(caller, practiceId);
    AuditQuery q;
    q.practiceId = practiceId;
    q.from = f.from;
    q.to = f.to;
    q.beforeSeq = f.beforeSeq;
    q.limit = f.limit;
    if (!f.staffId.isEmpty()) {
        const auto staff = isValidId(f.staffId) ? m_storage.accounts().user(f.staffId) : std::nullopt;
        if (!staff || staff->practiceId != practiceId || !staff->isStaff())
            throw RequestError(404, QStringLiteral("not_found"), QStringLiteral("No such staff member here."));
        q.userId = staff->id;
    }
    if (!f.patientId.isEmpty()) {
        const auto patient = isValidId(f.patientId) ? m_storage.accounts().user(f.patientId) : std::nullopt;
        if (!patient || patient->isStaff())
            throw RequestError(404, QStringLiteral("not_found"), QStringLiteral("No such patient here."));
        q.aboutIds.append(patient->id);
        for (const ConversationRecord &c :
             m_storage.conversations().conversationPage(patient->id, QString(), std::nullopt, 1000)) {
            if (c.practiceId == practiceId)
                q.aboutIds.append(c.id);
        }
        if (q.aboutIds.size() == 1 && patient->practiceId != practiceId)
            throw RequestError(404, QStringLiteral("not_found"), QStringLiteral("No such patient here."));
    }
    return q;
}

QJsonObject AuditService::page(const Authenticated &caller, const QString &practiceId, const Filter &filter)
{
    AuditQuery q = queryOf(caller, practiceId, filter);
    q.limit = std::clamp(filter.limit, 1, 500);
    const QList<AuditRecord> records = m_storage.audit().practiceAudit(q);
    QJsonArray list;
    QStringList ids;
    for (const AuditRecord &r : records) {
        list.append(toJson(r));
        ids << r.userId << r.deviceId << r.objectIds;
    }
    ids.removeAll(QString());
    ids.removeDuplicates();
    QJsonObject names;
    const QHash<QString, AuditName> found = m_storage.audit().auditNames(practiceId, ids);
    for (auto it = found.begin(); it != found.end(); ++it)
        names.insert(it.key(), QJsonObject{{"kind", it->kind}, {"name", it->name}});
    const bool more = records.size() == q.limit;
    return {{"records", list},
            {"next", more ? QJsonValue(records.last().seq) : QJsonValue(QJsonValue::Null)},
            {"names", names}};
}

QJsonObject AuditService::people(const Authenticated &caller, const QString &practiceId, const QString &search)
{
    requireAdministrator(caller, practiceId);
    QJsonArray staff;
    QJsonArray patients;
    for (const AuditPerson &p : m_storage.audit().auditPeople(practiceId, search, PatientMatches)) {
        if (p.role == QLatin1String("patient"))
            patients.append(QJsonObject{{"id", p.id}, {"name", p.name}});
        else
            staff.append(QJsonObject{{"id", p.id}, {"name", p.name}, {"role", p.role}, {"active", p.active}});
    }
    return {{"staff", staff}, {"patients", patients}};
}

QJsonObject AuditService::retention(const Authenticated &caller, const QString &practiceId)
{
    requireAdministrator(caller, practiceId);
    const QHash<QString, int> all = m_storage.audit().auditRetentions();
    const int years = all.value(practiceId, AuditRetention::DefaultYears);
    return {{"years", years},
            {"isDefault", !all.contains(practiceId)},
            {"defaultYears", AuditRetention::DefaultYears},
            {"minYears", AuditRetention::MinYears},
            {"maxYears", AuditRetention::MaxYears}};
}

QJsonObject AuditService::setRetention(const Authenticated &caller, const QString &practiceId, qint64 years)
{
    requireAdministrator(caller, practiceId);
    if (years < AuditRetention::MinYears || years > AuditRetention::MaxYears)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("years must be a whole number from %1 to %2: HIPAA asks for at least %1 "
                                          "years of records.")
                               .arg(AuditRetention::MinYears)
                               .arg(AuditRetention::MaxYears));
    const QHash<QString, int> all = m_storage.audit().auditRetentions();
    const bool changed = all.value(practiceId, AuditRetention::DefaultYears) != years;
    m_storage.audit().setAuditRetention(practiceId, int(years), nowMs());
    if (changed)
        m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("audit_retention_changed"),
                       {practiceId, QStringLiteral("years=%1").arg(years)});
    return retention(caller, practiceId);
}

QByteArray AuditService::csv(const Authenticated &caller, const QString &practiceId, Filter filter)
{
    AuditQuery q = queryOf(caller, practiceId, filter);
    q.limit = 10000;
    QList<AuditRecord> all;
    for (;;) {
        const QList<AuditRecord> page = m_storage.audit().practiceAudit(q);
        all += page;
        if (page.size() < q.limit)
            break;
        q.beforeSeq = page.last().seq;
    }
    std::reverse(all.begin(), all.end());
    QByteArray out = "seq,at_utc,action,user_id,device_id,object_ids,address\r\n";
    for (const AuditRecord &r : all) {
        const QString at = QDateTime::fromMSecsSinceEpoch(r.at, Qt::UTC).toString(Qt::ISODateWithMs);
        out += QByteArray::number(r.seq) + ',' + csvField(at) + ',' + csvField(r.action) + ',' + csvField(r.userId)
            + ',' + csvField(r.deviceId) + ',' + csvField(r.objectIds.join(u' ')) + ',' + csvField(r.address) + "\r\n";
    }
    QStringList about{practiceId};
    if (!filter.patientId.isEmpty())
        about.append(filter.patientId);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("audit_exported"), about);
    return out;
}

} // namespace larch::server
