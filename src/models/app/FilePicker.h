// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Choosing files to send and places to save, with the dialog the device offers.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <QUrl>

class QFileDialog;

namespace larch {

/// A file dialog for QML: the platform's own where the desktop offers one (GNOME, KDE, Windows, macOS, Android,
/// iOS), otherwise Qt's widget dialog, in which a person can type or paste a path. Qt Quick's own fallback dialog
/// has no path field. It always starts in a folder that exists, the one its path bar names: a suggested folder
/// that is gone (a ~/Downloads never made) gives way to its nearest existing parent, keeping the suggested name.
/// Needs a QApplication (the app is one); elsewhere open() says so and reports rejected().
class FilePicker : public QObject {
    Q_OBJECT
    QML_ELEMENT
    /// The dialog's title.
    Q_PROPERTY(QString title MEMBER m_title NOTIFY titleChanged)
    /// OpenFiles: pick one or more existing files, starting where files were last chosen in this run (else home).
    /// SaveFile: name a file to write, with a "Save" button.
    Q_PROPERTY(Mode fileMode MEMBER m_mode NOTIFY fileModeChanged)
    /// Filters as "Label (*.a *.b)"; the first is selected.
    Q_PROPERTY(QStringList nameFilters MEMBER m_nameFilters NOTIFY nameFiltersChanged)
    /// Added to a typed name without a suffix (SaveFile), e.g. "png".
    Q_PROPERTY(QString defaultSuffix MEMBER m_defaultSuffix NOTIFY defaultSuffixChanged)
    /// Before open(): the suggested file (SaveFile) whose folder the dialog starts in. After accepted(): the file
    /// chosen (the first, with OpenFiles).
    Q_PROPERTY(QUrl selectedFile READ selectedFile WRITE setSelectedFile NOTIFY selectedFileChanged)
    /// After accepted(): every file chosen.
    Q_PROPERTY(QList<QUrl> selectedFiles READ selectedFiles NOTIFY selectedFileChanged)
    /// True while the dialog is on screen.
    Q_PROPERTY(bool visible READ isVisible NOTIFY visibleChanged)

public:
    enum Mode { OpenFiles, SaveFile };
    Q_ENUM(Mode)

    explicit FilePicker(QObject *parent = nullptr);
    ~FilePicker() override;

    QUrl selectedFile() const { return m_selected.isEmpty() ? QUrl() : m_selected.constFirst(); }
    void setSelectedFile(const QUrl &file);
    QList<QUrl> selectedFiles() const { return m_selected; }
    bool isVisible() const { return !m_dialog.isNull(); }

    /// Shows the dialog (again, if it is open); accepted() or rejected() follows.
    Q_INVOKABLE void open();
    /// Takes the dialog away as if cancelled.
    Q_INVOKABLE void close();

    /// The folder a dialog for `file` starts in: its own when it exists, otherwise its nearest existing parent.
    static QString startFolder(const QString &file);

signals:
    void titleChanged();
    void fileModeChanged();
    void nameFiltersChanged();
    void defaultSuffixChanged();
    void selectedFileChanged();
    void visibleChanged();
    /// The person chose (selectedFile/selectedFiles say what).
    void accepted();
    /// The person cancelled, or no dialog could be shown.
    void rejected();

private:
    QString m_title;
    Mode m_mode = OpenFiles;
    QStringList m_nameFilters;
    QString m_defaultSuffix;
    QList<QUrl> m_selected;
    QPointer<QFileDialog> m_dialog;
    static QString s_lastFolder; ///< the folder of the last files chosen in this run (GUI thread only)
};

} // namespace larch
