// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the compose QuickTests need from C++: a real attachments model, sample files on disk, and file drops that
// arrive at the window as a desktop's drag and drop does (Qt Quick's Drag carries no URLs for internal drags).
#pragma once

#include "models/compose/ComposeAttachmentModel.h"

#include <QObject>
#include <QTemporaryDir>
#include <QUrl>

class QQuickItem;

/// The QML singleton LarchTest.ComposeKit.
class ComposeTestKit : public QObject {
    Q_OBJECT
    /// A real ComposeAttachmentModel with a conversation open (App.compose.attachments in the app).
    Q_PROPERTY(QObject *attachments READ attachments CONSTANT)
public:
    explicit ComposeTestKit(QObject *parent = nullptr);

    QObject *attachments() { return &m_model; }

    /// A sample's URL: "xray.png", "wound.jpg", "Referral.pdf" (2 pages), "notes.txt" (text), "Scans" (a folder).
    Q_INVOKABLE QUrl file(const QString &name) const;
    /// No chips, no refusal, the default limit: each test starts the same.
    Q_INVOKABLE void reset();
    /// Drags urls onto the middle of item and drops them there; true when a drop target accepted them.
    Q_INVOKABLE bool dropFiles(QQuickItem *item, const QList<QUrl> &urls);
    /// Drags urls over the middle of item without dropping.
    Q_INVOKABLE void dragOver(QQuickItem *item, const QList<QUrl> &urls);
    /// The drag leaves item's window.
    Q_INVOKABLE void dragLeave(QQuickItem *item);

private:
    QTemporaryDir m_dir;
    larch::ComposeAttachmentModel m_model;
};
