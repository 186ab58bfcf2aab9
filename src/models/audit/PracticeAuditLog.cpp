// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/audit/PracticeAuditLog.h"

#include "models/app/SaveLocation.h"
#include "models/audit/AuditExport.h"
#include "models/audit/AuditRecordModel.h"
#include "models/audit/AuditWords.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

namespace larch {

namespace {

/// The page's records as the screen shows them, their ids named with the page's "names".
QList<AuditEntry> entriesOf(const QJsonObject &page)
{
    QHash<QString, AuditName> names;
    const QJsonObject named = page.value(QLatin1String("names")).toObject();
    for (auto it = named.begin(); it != named.end(); ++it) {
        const QJsonObject n = it.value().toObject();
        names.insert(it.key(),
                     AuditName{n.value(QLatin1String("kind")).toString(), n.value(QLatin1String("name")).toString()});
    }
    QList<AuditEntry> entries;
    for (const QJsonValue &value : page.value(QLatin1String("records")).toArray()) {
        const QJsonObject r = value.toObject();
        AuditEntry e;
        e.seq = r.value(QLatin1String("seq")).toInteger();
        if (e.seq <= 0)
            continue;
        e.at = QDateTime::fromMSecsSinceEpoch(r.value(QLatin1String("at")).toInteger());
        e.action = r.value(QLatin1String("action")).toString();
        const QString userId = r.value(QLatin1String("userId")).toString();
        QStringList objectIds;
        for (const QJsonValue &id : r.value(QLatin1String("objectIds")).toArray())
            objectIds.append(id.toString());
        e.actionText = AuditWords::action(e.action);
        e.who = AuditWords::who(e.action, userId, names);
        e.byPatient = names.value(userId).kind == QLatin1String("patient");
        const QString deviceId = r.value(QLatin1String("deviceId")).toString();
        e.device = names.value(deviceId).name;
        e.object = AuditWords::object(userId, deviceId, objectIds, names);
        e.address = r.value(QLatin1String("address")).toString();
        e.warning = AuditWords::isWarning(e.action);
        entries.append(e);
    }
    return entries;
}

/// A day typed as 2026-12-01, or in the device's short date format; invalid otherwise.
QDate dayOf(const QString &text)
{
    const QString t = text.trimmed();
    QDate day = QDate::fromString(t, Qt::ISODate);
    if (!day.isValid())
        day = QLocale().toDate(t, QLocale::ShortFormat);
    return day;
}

QString dayText(const QDate &day) { return QLocale().toString(day, QStringLiteral("d MMM yyyy")); }

/// The sentence for a page that could not be loaded: what happened and what to do.
QString loadFailure(const ApiResult &result)
{
    if (result.httpStatus == 403)
        return QStringLiteral("Only administrators of your practice can read its audit log. Ask one of them to "
                              "open it, or to make you an administrator.");
    return result.error.sentence;
}

} // namespace

PracticeAuditLog::PracticeAuditLog(ApiClient *api, std::function<QString()> practiceId, std::function<bool()> isAdmin,
                                   QObject *parent)
    : QObject(parent), m_api(api), m_practiceId(std::move(practiceId)), m_isAdmin(std::move(isAdmin)),
      m_model(new AuditRecordModel(this)), m_export(new AuditExport(this))
{
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, [this] { loadPeople(m_search, false); });
    connect(m_export, &AuditExport::finished, this, [this](const QString &error, qint64 records) {
        emit exportingChanged();
        setActionError(error);
        if (error.isEmpty())
            setNotice(records == 1 ? QStringLiteral("Exported 1 record.")
                                   : QStringLiteral("Exported %1 records.").arg(records));
    });
}

PracticeAuditLog::~PracticeAuditLog() = default;

bool PracticeAuditLog::hasMore() const { return m_model->hasMore(); }

bool PracticeAuditLog::exporting() const { return m_export->running(); }

bool PracticeAuditLog::filtered() const
{
    return !m_filter.staffId.isEmpty() || !m_filter.patientId.isEmpty() || m_fromDate.isValid() || m_toDate.isValid();
}

QString PracticeAuditLog::dateRangeText() const
{
    if (m_fromDate.isValid() && m_toDate.isValid())
        return m_fromDate == m_toDate ? dayText(m_fromDate)
                                      : QStringLiteral("%1 \u2013 %2").arg(dayText(m_fromDate), dayText(m_toDate));
    if (m_fromDate.isValid())
        return QStringLiteral("Since %1").arg(dayText(m_fromDate));
    if (m_toDate.isValid())
        return QStringLiteral("Until %1").arg(dayText(m_toDate));
    return {};
}

void PracticeAuditLog::open()
{
    if (!canView() || m_practiceId().isEmpty())
        return;
    reload();
    loadPeople(m_search, true);
    loadRetention();
}

void PracticeAuditLog::reload()
{
    if (!canView())
        return;
    ++m_listGeneration;
    m_model->setMore(false);
    m_model->reset();
    fetchPage(true);
}

void PracticeAuditLog::loadMore()
{
    if (m_loading || m_loadingMore || !m_model->hasMore())
        return;
    fetchPage(false);
}

void PracticeAuditLog::fetchPage(bool first)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    setError({});
    setLoadingState(first, !first, first ? false : m_loaded);
    const qint64 before = first ? 0 : m_model->oldestSeq();
    m_api->fetchAuditLog(practiceId, m_filter, before, m_pageSize, this,
                         [this, first, generation = m_generation, list = m_listGeneration](const ApiResult &result) {
                             if (generation != m_generation || list != m_listGeneration)
                                 return; // signed out, or the filters changed, meanwhile
                             if (!result.ok()) {
                                 setLoadingState(false, false, first ? false : m_loaded);
                                 setError(loadFailure(result));
                                 return;
                             }
                             const QList<AuditEntry> entries = entriesOf(result.body);
                             const bool more = !result.body.value(QLatin1String("next")).isNull() && !entries.isEmpty();
                             // Settled before the rows change: a view that fills its screen asks for the next page on the change.
                             m_model->setMore(more, [this] { loadMore(); });
                             m_loading = m_loadingMore = false;
                             m_loaded = true;
                             if (first)
                                 m_model->reset(entries);
                             else
                                 m_model->append(entries);
                             emit loadingChanged(); // hasMore too
                         });
}

void PracticeAuditLog::loadPeople(const QString &search, bool staffToo)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty() || !canView())
        return;
    m_api->fetchAuditPeople(
        practiceId, search, this,
        [this, staffToo, generation = m_generation, asked = ++m_searchGeneration](const ApiResult &result) {
            if (generation != m_generation || !result.ok())
                return; // the pickers stay as they were; the list says when the server is out of reach
            if (staffToo) {
                QVariantList staff;
                for (const QJsonValue &v : result.body.value(QLatin1String("staff")).toArray()) {
                    const QJsonObject s = v.toObject();
                    staff.append(QVariantMap{{"id", s.value(QLatin1String("id")).toString()},
                                             {"name", s.value(QLatin1String("name")).toString()},
                                             {"active", s.value(QLatin1String("active")).toBool(true)}});
                }
                m_staffChoices = staff;
                emit staffChoicesChanged();
            }
            if (asked != m_searchGeneration)
                return; // a newer search is on its way
            QVariantList patients;
            for (const QJsonValue &v : result.body.value(QLatin1String("patients")).toArray()) {
                const QJsonObject p = v.toObject();
                patients.append(QVariantMap{{"id", p.value(QLatin1String("id")).toString()},
                                            {"name", p.value(QLatin1String("name")).toString()}});
            }
            m_patientChoices = patients;
            emit patientChoicesChanged();
        });
}

void PracticeAuditLog::searchPatients(const QString &text)
{
    m_search = text.trimmed();
    m_searchDelay.start();
}

void PracticeAuditLog::setStaffFilter(const QString &staffId)
{
    if (staffId == m_filter.staffId)
        return;
    m_filter.staffId = staffId;
    m_staffName.clear();
    for (const QVariant &choice : std::as_const(m_staffChoices)) {
        const QVariantMap s = choice.toMap();
        if (s.value(QStringLiteral("id")).toString() == staffId)
            m_staffName = s.value(QStringLiteral("name")).toString();
    }
    filtersChangedReload();
}

void PracticeAuditLog::setPatientFilter(const QString &patientId, const QString &name)
{
    if (patientId == m_filter.patientId)
        return;
    m_filter.patientId = patientId;
    m_patientName = patientId.isEmpty() ? QString() : name;
    filtersChangedReload();
}

void PracticeAuditLog::setLastDays(int days)
{
    const QDate from = days > 0 ? QDate::currentDate().addDays(1 - days) : QDate();
    if (from == m_fromDate && !m_toDate.isValid())
        return;
    m_fromDate = from;
    m_toDate = QDate();
    filtersChangedReload();
}

QString PracticeAuditLog::setDates(const QString &from, const QString &to)
{
    const QDate first = dayOf(from);
    const QDate last = dayOf(to);
    if (!from.trimmed().isEmpty() && !first.isValid())
        return QStringLiteral("Type the first day as a date, such as %1.")
            .arg(QDate::currentDate().toString(Qt::ISODate));
    if (!to.trimmed().isEmpty() && !last.isValid())
        return QStringLiteral("Type the last day as a date, such as %1.")
            .arg(QDate::currentDate().toString(Qt::ISODate));
    if (first.isValid() && last.isValid() && last < first)
        return QStringLiteral("The last day is before the first day. Swap them, or choose another last day.");
    if (first != m_fromDate || last != m_toDate) {
        m_fromDate = first;
        m_toDate = last;
        filtersChangedReload();
    }
    return {};
}

void PracticeAuditLog::clearFilters()
{
    if (!filtered())
        return;
    m_filter = AuditFilter();
    m_staffName.clear();
    m_patientName.clear();
    m_fromDate = m_toDate = QDate();
    filtersChangedReload();
}

void PracticeAuditLog::filtersChangedReload()
{
    m_filter.from = m_fromDate.isValid() ? QDateTime(m_fromDate, QTime(0, 0)).toMSecsSinceEpoch() : 0;
    m_filter.to = m_toDate.isValid() ? QDateTime(m_toDate.addDays(1), QTime(0, 0)).toMSecsSinceEpoch() : 0;
    emit filtersChanged();
    reload();
}

QUrl PracticeAuditLog::suggestedExportFile() const
{
    static const QRegularExpression unsafe(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]+"));
    QStringList parts{QStringLiteral("Audit log")};
    for (const QString &name : {m_staffName, m_patientName})
        if (!name.isEmpty())
            parts.append(QString(name).replace(unsafe, QStringLiteral(" ")).simplified());
    if (m_fromDate.isValid() || m_toDate.isValid())
        parts.append(QStringLiteral("%1 to %2")
                         .arg(m_fromDate.isValid() ? m_fromDate.toString(Qt::ISODate) : QStringLiteral("start"),
                              m_toDate.isValid() ? m_toDate.toString(Qt::ISODate) : QStringLiteral("today")));
    else
        parts.append(QDate::currentDate().toString(Qt::ISODate));
    parts.removeAll(QString());
    return suggestedSaveUrl({QStandardPaths::DocumentsLocation, QStandardPaths::DownloadLocation},
                            parts.join(QStringLiteral(" - ")) + QStringLiteral(".csv"));
}

void PracticeAuditLog::exportCsv(const QUrl &fileUrl)
{
    QString path = fileUrl.isLocalFile() ? fileUrl.toLocalFile() : fileUrl.toString();
    if (path.isEmpty() || exporting() || !canView())
        return;
    if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) != 0)
        path += QStringLiteral(".csv");
    setActionError({});
    setNotice({});
    m_export->start(m_api, m_practiceId(), m_filter, path);
    emit exportingChanged();
}

void PracticeAuditLog::loadRetention()
{
    m_api->fetchAuditRetention(m_practiceId(), this, [this, generation = m_generation](const ApiResult &result) {
        if (generation == m_generation && result.ok())
            applyRetention(result.body);
    });
}

void PracticeAuditLog::applyRetention(const QJsonObject &json)
{
    m_retentionYears = json.value(QLatin1String("years")).toInt();
    m_retentionIsDefault = json.value(QLatin1String("isDefault")).toBool();
    emit retentionChanged();
}

void PracticeAuditLog::setRetentionYears(int years)
{
    if (m_retentionBusy || !canView())
        return;
    if (years < MinRetentionYears || years > MaxRetentionYears) {
        setActionError(QStringLiteral("Choose from %1 to %2 years: HIPAA asks practices to keep these records at "
                                      "least %1 years.")
                           .arg(MinRetentionYears)
                           .arg(MaxRetentionYears));
        return;
    }
    if (years == m_retentionYears)
        return;
    setActionError({});
    setNotice({});
    m_retentionBusy = true;
    emit retentionChanged();
    m_api->saveAuditRetention(m_practiceId(), years, this, [this, generation = m_generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        m_retentionBusy = false;
        if (!result.ok()) {
            emit retentionChanged();
            setActionError(result.error.sentence);
            return;
        }
        applyRetention(result.body);
        setNotice(QStringLiteral("The audit log is now kept for %1 years; older records "
                                 "are removed automatically.")
                      .arg(m_retentionYears));
        reload(); // the change is a record of its own
    });
}

void PracticeAuditLog::dismissNotice() { setNotice({}); }

void PracticeAuditLog::reset()
{
    ++m_generation;
    ++m_listGeneration;
    const bool wasExporting = exporting();
    m_export->cancel();
    m_searchDelay.stop();
    m_model->setMore(false);
    m_model->reset();
    setLoadingState(false, false, false);
    setError({});
    setActionError({});
    setNotice({});
    m_staffChoices.clear();
    m_patientChoices.clear();
    m_search.clear();
    emit staffChoicesChanged();
    emit patientChoicesChanged();
    m_filter = AuditFilter();
    m_staffName.clear();
    m_patientName.clear();
    m_fromDate = m_toDate = QDate();
    emit filtersChanged();
    m_retentionYears = 0;
    m_retentionIsDefault = true;
    m_retentionBusy = false;
    emit retentionChanged();
    if (wasExporting)
        emit exportingChanged();
    emit canViewChanged();
}

void PracticeAuditLog::setLoadingState(bool loading, bool loadingMore, bool loaded)
{
    if (loading == m_loading && loadingMore == m_loadingMore && loaded == m_loaded)
        return;
    m_loading = loading;
    m_loadingMore = loadingMore;
    m_loaded = loaded;
    emit loadingChanged();
}

void PracticeAuditLog::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void PracticeAuditLog::setActionError(const QString &error)
{
    if (error == m_actionError)
        return;
    m_actionError = error;
    emit actionErrorChanged();
}

void PracticeAuditLog::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    emit noticeChanged();
}

} // namespace larch
