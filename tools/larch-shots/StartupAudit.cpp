// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditScene: the steps to each audit log screen.
#include "StartupAudit.h"

#include "client/net/ApiClient.h"
#include "models/app/AppController.h"
#include "models/audit/AuditRecordModel.h"
#include "models/audit/PracticeAuditLog.h"

#include <QQuickWindow>
#include <QUrl>

namespace {
// A loopback port nothing listens on (discard): the page's requests are refused at once.
const QUrl kNoServer(QStringLiteral("http://127.0.0.1:9"));
} // namespace

QStringList AuditScene::names()
{
    return {QStringLiteral("audit-log"), QStringLiteral("audit-log-filtered"), QStringLiteral("audit-log-empty"),
            QStringLiteral("audit-log-error"), QStringLiteral("audit-log-retention")};
}

AuditScene::AuditScene(QObject *app, QQuickWindow *window, QString name)
    : m_app(app), m_window(window), m_name(std::move(name))
{ }

bool AuditScene::pageSettled() const
{
    auto *app = qobject_cast<larch::AppController *>(m_app);
    larch::PracticeAuditLog *log = app ? app->auditLog() : nullptr;
    return log && log->loaded() && !log->loading() && !log->loadingMore() && !log->staffChoices().isEmpty()
        && log->retentionYears() > 0;
}

bool AuditScene::advance()
{
    auto *app = qobject_cast<larch::AppController *>(m_app);
    QObject *pane = m_window->findChild<QObject *>(QStringLiteral("conversationsPane"));
    if (!app || !pane)
        return false;
    larch::PracticeAuditLog *log = app->auditLog();
    switch (m_stage) {
    case 0: // "Audit log…" from the account menu
        QMetaObject::invokeMethod(pane, "showAuditLog");
        m_stage = 1;
        return false;
    case 1:
        if (!pageSettled())
            return false;
        m_stage = 2;
        if (m_name == QLatin1String("audit-log"))
            return true;
        if (m_name == QLatin1String("audit-log-filtered")) {
            // One clinician's last 30 days, chosen from the chips.
            for (const QVariant &choice : log->staffChoices()) {
                const QVariantMap staff = choice.toMap();
                if (staff.value(QStringLiteral("name")).toString().startsWith(QLatin1String("Dr.")))
                    log->setStaffFilter(staff.value(QStringLiteral("id")).toString());
            }
            log->setLastDays(30);
        } else if (m_name == QLatin1String("audit-log-empty")) {
            // A month before the practice had any record.
            log->setDates(QStringLiteral("2025-01-01"), QStringLiteral("2025-01-31"));
        } else if (m_name == QLatin1String("audit-log-error")) {
            // The server out of reach, as after a network change: the page says so and how to go on.
            app->api()->setServerUrl(kNoServer);
            log->reload();
        } else if (m_name == QLatin1String("audit-log-retention")) {
            QObject *page = m_window->findChild<QObject *>(QStringLiteral("auditLogPage"));
            if (!page)
                return false;
            QMetaObject::invokeMethod(page, "showRetention");
            return true;
        }
        return false;
    default: return !log->loading() && (log->loaded() || !log->error().isEmpty());
    }
}
