// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AuditScene: larch-shots' audit log scenes, the administrators' page in each of its states.
#pragma once

#include <QString>
#include <QStringList>

class QObject;
class QQuickWindow;

// The audit log screens --show-dialog can show, reached the way an administrator would: "Audit log…" from the
// account menu, then a filter, the retention dialog, or the page once the server is out of reach.
class AuditScene {
public:
    // audit-log, audit-log-filtered, audit-log-empty, audit-log-error, audit-log-retention.
    static QStringList names();

    AuditScene(QObject *app, QQuickWindow *window, QString name);

    // One step towards the screen; true once it is on show with its records (or its sentence) loaded.
    bool advance();

private:
    // The page has its first page of records, the staff for the filter and the retention period.
    bool pageSettled() const;

    QObject *m_app;
    QQuickWindow *m_window;
    QString m_name;
    int m_stage = 0;
};
