// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The "Audit log" screen of a practice's administrators: its records page by page, filters, CSV export and how long
// the practice keeps its records.
#pragma once

#include "client/net/ApiClient.h"

#include <functional>
#include <QDate>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <QUrl>
#include <QVariantList>

namespace larch {

class AuditExport;
class AuditRecordModel;

/// Loads the practice's audit records into an AuditRecordModel, newest first, for the filters set (a staff member, a
/// patient, a date range), fetching older pages as the list scrolls; exports what the filters match as CSV; reads
/// and changes the retention period. Administrators only: for anyone else canView is false and nothing is asked.
class PracticeAuditLog : public QObject {
    Q_OBJECT
    Q_MOC_INCLUDE("models/audit/AuditRecordModel.h")
    QML_ELEMENT
    QML_UNCREATABLE("The audit log belongs to App.auditLog.")
    /// The records matching the filters, newest first.
    Q_PROPERTY(larch::AuditRecordModel *model READ model CONSTANT)
    /// True for the practice's administrators, the only ones who may open the screen.
    Q_PROPERTY(bool canView READ canView NOTIFY canViewChanged)
    /// The first page for the current filters is on its way.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// An older page is on its way (the list's end shows a spinner).
    Q_PROPERTY(bool loadingMore READ loadingMore NOTIFY loadingChanged)
    /// A first page for the current filters arrived (until then an empty model means "not known yet").
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadingChanged)
    /// The server has older records than the list shows.
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY loadingChanged)
    /// A sentence on why the records could not be loaded and what to do; "" when nothing failed.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

    /// The practice's staff for the filter, by name: [{"id", "name", "active"}], deactivated members too.
    Q_PROPERTY(QVariantList staffChoices READ staffChoices NOTIFY staffChoicesChanged)
    /// Patients whose name contains the last searchPatients() text: [{"id", "name"}], at most 50.
    Q_PROPERTY(QVariantList patientChoices READ patientChoices NOTIFY patientChoicesChanged)
    /// The staff member whose actions are shown; "" for everyone.
    Q_PROPERTY(QString staffId READ staffId NOTIFY filtersChanged)
    /// Their name, for the filter's label; "" for everyone.
    Q_PROPERTY(QString staffName READ staffName NOTIFY filtersChanged)
    /// The patient whose records are shown (what they did and what touched them); "" for every patient.
    Q_PROPERTY(QString patientId READ patientId NOTIFY filtersChanged)
    /// Their name, for the filter's label; "" for every patient.
    Q_PROPERTY(QString patientName READ patientName NOTIFY filtersChanged)
    /// The first day shown (local); invalid for no start.
    Q_PROPERTY(QDate fromDate READ fromDate NOTIFY filtersChanged)
    /// The last day shown, included (local); invalid for no end.
    Q_PROPERTY(QDate toDate READ toDate NOTIFY filtersChanged)
    /// The date range in words, "1 Dec 2026 – 7 Dec 2026", "Since 1 Dec 2026"; "" for any time.
    Q_PROPERTY(QString dateRangeText READ dateRangeText NOTIFY filtersChanged)
    /// Any filter is set (the empty state then says no record matches, rather than that there are none).
    Q_PROPERTY(bool filtered READ filtered NOTIFY filtersChanged)

    /// An export is being downloaded and written.
    Q_PROPERTY(bool exporting READ exporting NOTIFY exportingChanged)
    /// A sentence on why the last export or retention change failed and what to do; "" when nothing did.
    Q_PROPERTY(QString actionError READ actionError NOTIFY actionErrorChanged)
    /// A short confirmation of the last export or retention change; "" when there is none.
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)

    /// How many years the practice keeps its records; 0 until the server said.
    Q_PROPERTY(int retentionYears READ retentionYears NOTIFY retentionChanged)
    /// True while the practice keeps the default period (no administrator chose one).
    Q_PROPERTY(bool retentionIsDefault READ retentionIsDefault NOTIFY retentionChanged)
    /// The shortest period allowed (HIPAA's six years).
    Q_PROPERTY(int minRetentionYears READ minRetentionYears CONSTANT)
    /// The longest period allowed.
    Q_PROPERTY(int maxRetentionYears READ maxRetentionYears CONSTANT)
    /// A retention change is on its way to the server.
    Q_PROPERTY(bool retentionBusy READ retentionBusy NOTIFY retentionChanged)
public:
    static constexpr int MinRetentionYears = 6;
    static constexpr int MaxRetentionYears = 30;

    /// practiceId and isAdmin answer for the signed-in person at the time of the call.
    PracticeAuditLog(ApiClient *api, std::function<QString()> practiceId, std::function<bool()> isAdmin,
                     QObject *parent = nullptr);
    ~PracticeAuditLog() override;

    AuditRecordModel *model() const { return m_model; }
    bool canView() const { return m_isAdmin(); }
    bool loading() const { return m_loading; }
    bool loadingMore() const { return m_loadingMore; }
    bool loaded() const { return m_loaded; }
    bool hasMore() const;
    QString error() const { return m_error; }
    QVariantList staffChoices() const { return m_staffChoices; }
    QVariantList patientChoices() const { return m_patientChoices; }
    QString staffId() const { return m_filter.staffId; }
    QString staffName() const { return m_staffName; }
    QString patientId() const { return m_filter.patientId; }
    QString patientName() const { return m_patientName; }
    QDate fromDate() const { return m_fromDate; }
    QDate toDate() const { return m_toDate; }
    QString dateRangeText() const;
    bool filtered() const;
    bool exporting() const;
    QString actionError() const { return m_actionError; }
    QString notice() const { return m_notice; }
    int retentionYears() const { return m_retentionYears; }
    bool retentionIsDefault() const { return m_retentionIsDefault; }
    int minRetentionYears() const { return MinRetentionYears; }
    int maxRetentionYears() const { return MaxRetentionYears; }
    bool retentionBusy() const { return m_retentionBusy; }

    /// Records per page (tests make it small to page often).
    void setPageSize(int size) { m_pageSize = size; }

    /// The screen opened: loads the records for the current filters, the staff, the retention period.
    Q_INVOKABLE void open();
    /// Loads the first page again (after an error, or to see what happened since).
    Q_INVOKABLE void reload();
    /// Loads the next older page, unless one is on its way or there is none.
    Q_INVOKABLE void loadMore();

    /// Shows only what staffId did ("" for everyone); its name comes from staffChoices.
    Q_INVOKABLE void setStaffFilter(const QString &staffId);
    /// Shows only what the patient did or what touched them ("" for every patient).
    Q_INVOKABLE void setPatientFilter(const QString &patientId, const QString &name);
    /// Asks for the patients whose name contains text (shortly after the last keystroke).
    Q_INVOKABLE void searchPatients(const QString &text);
    /// Shows the last `days` days, today included; 0 for any time.
    Q_INVOKABLE void setLastDays(int days);
    /// Shows from one day to another, both included, typed as 2026-12-01 (either may be empty: no bound). Returns
    /// a sentence on what is wrong with them, and changes nothing then; "" when they were applied.
    Q_INVOKABLE QString setDates(const QString &from, const QString &to);
    /// Removes every filter.
    Q_INVOKABLE void clearFilters();

    /// Where "Export CSV" proposes to save: "Audit log <filters> <today>.csv" in Documents (else Downloads, home).
    Q_INVOKABLE QUrl suggestedExportFile() const;
    /// Saves every record the filters match as CSV at fileUrl (file:// URL or path; ".csv" added when missing).
    Q_INVOKABLE void exportCsv(const QUrl &fileUrl);
    /// Keeps the practice's records `years` years (minRetentionYears to maxRetentionYears).
    Q_INVOKABLE void setRetentionYears(int years);
    /// Clears the confirmation once it has been read.
    Q_INVOKABLE void dismissNotice();

    /// Forgets everything (sign-out, another person signed in).
    void reset();

signals:
    void canViewChanged();
    void loadingChanged();
    void errorChanged();
    void staffChoicesChanged();
    void patientChoicesChanged();
    void filtersChanged();
    void exportingChanged();
    void actionErrorChanged();
    void noticeChanged();
    void retentionChanged();

private:
    void fetchPage(bool first);
    void loadPeople(const QString &search, bool staffToo);
    void loadRetention();
    void applyRetention(const QJsonObject &json);
    void filtersChangedReload();
    void setLoadingState(bool loading, bool loadingMore, bool loaded);
    void setError(const QString &error);
    void setActionError(const QString &error);
    void setNotice(const QString &notice);

    ApiClient *m_api;
    std::function<QString()> m_practiceId;
    std::function<bool()> m_isAdmin;
    AuditRecordModel *m_model;
    AuditExport *m_export;
    QTimer m_searchDelay;
    QString m_search;
    int m_pageSize = 100;
    quint64 m_generation = 0; ///< answers from before a reset are dropped
    quint64 m_listGeneration = 0; ///< answers for other filters are dropped
    quint64 m_searchGeneration = 0; ///< answers to an older search are dropped
    bool m_loading = false;
    bool m_loadingMore = false;
    bool m_loaded = false;
    QString m_error;
    QVariantList m_staffChoices;
    QVariantList m_patientChoices;
    AuditFilter m_filter;
    QString m_staffName;
    QString m_patientName;
    QDate m_fromDate;
    QDate m_toDate;
    QString m_actionError;
    QString m_notice;
    int m_retentionYears = 0;
    bool m_retentionIsDefault = true;
    bool m_retentionBusy = false;
};

} // namespace larch
