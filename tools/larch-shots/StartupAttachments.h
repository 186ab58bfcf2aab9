// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AttachmentScene: larch-shots' attachment scenes, the compose bar with files and the viewers.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <utility>

class QObject;
class QQuickItem;
class QQuickWindow;

// The attachment screens --show-dialog can show, reached the way a person would: files added to the open
// conversation's compose bar and one dropped on it that is refused, or the newest card of a kind opened in
// the viewer, which downloads and decrypts the file.
class AttachmentScene {
public:
    // compose-attachments, image-viewer, video-player, pdf-viewer.
    static QStringList names();

    AttachmentScene(QObject *app, QQuickWindow *window, QString name);

    // One step towards the screen; true once it is on show with its content loaded. After a false, error()
    // says when it cannot be reached.
    bool advance();
    QString error() const { return m_error; }

private:
    bool advanceCompose();
    bool advanceViewer();
    // Writes the files the compose scene adds: a photo, a PDF, and a text file named .pdf.
    bool writeComposeFiles();
    // Drops the file on the item as a desktop drag would (enter, move, drop); true when the drop was taken.
    bool dropFile(QQuickItem *target, const QString &path);
    // The newest file of this kind in the open thread: its message's server id and its place in the message;
    // {"", -1} when none.
    std::pair<QString, int> newestFileOf(const QString &kind) const;
    QObject *viewerItem() const;

    QObject *m_app;
    QQuickWindow *m_window;
    QString m_name;
    QString m_error;
    QTemporaryDir m_files;
    int m_stage = 0;
    QElapsedTimer m_started;
    QElapsedTimer m_loaded; // since the viewer reported its content, for the PDF's first pages to render
};
