// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/FilePicker.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QQuickItem>
#include <QQuickWindow>
#include <QWindow>

namespace larch {

QString FilePicker::s_lastFolder;

namespace {

// The window of the QML item this picker was declared in, so the dialog stands over the app's window.
QWindow *windowOf(QObject *object)
{
    for (QObject *o = object; o; o = o->parent()) {
        if (auto *item = qobject_cast<QQuickItem *>(o))
            return item->window();
        if (auto *window = qobject_cast<QWindow *>(o))
            return window;
    }
    return nullptr;
}

} // namespace

FilePicker::FilePicker(QObject *parent) : QObject(parent) { }

FilePicker::~FilePicker()
{
    if (m_dialog) {
        m_dialog->disconnect(this);
        delete m_dialog.data();
    }
}

void FilePicker::setSelectedFile(const QUrl &file)
{
    if (m_selected.size() == 1 && m_selected.constFirst() == file)
        return;
    m_selected = file.isEmpty() ? QList<QUrl>() : QList<QUrl>{file};
    emit selectedFileChanged();
}

QString FilePicker::startFolder(const QString &file)
{
    QFileInfo info(file);
    QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    // Walk up to a folder that is there: the dialog lists what its path bar says.
    while (!folder.isEmpty() && !QFileInfo(folder).isDir()) {
        const QString parent = QFileInfo(folder).absolutePath();
        if (parent == folder)
            break;
        folder = parent;
    }
    return QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void FilePicker::open()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    if (!qobject_cast<QApplication *>(QCoreApplication::instance())) {
        qWarning("larch: a file dialog needs a QApplication");
        emit rejected();
        return;
    }
    auto *dialog = new QFileDialog(nullptr, m_title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::ApplicationModal);
    if (!m_nameFilters.isEmpty())
        dialog->setNameFilters(m_nameFilters);
    dialog->setDefaultSuffix(m_defaultSuffix);
    const QUrl suggested = selectedFile();
    if (m_mode == SaveFile) {
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setFileMode(QFileDialog::AnyFile);
        dialog->setLabelText(QFileDialog::Accept, tr("Save"));
        if (suggested.isLocalFile()) {
            dialog->setDirectory(startFolder(suggested.toLocalFile()));
            dialog->selectFile(suggested.fileName());
        }
    } else {
        dialog->setAcceptMode(QFileDialog::AcceptOpen);
        dialog->setFileMode(QFileDialog::ExistingFiles);
        // Where the person last found files in this run, else home: never the app's working folder.
        dialog->setDirectory(startFolder(s_lastFolder.isEmpty() ? QDir::homePath() : s_lastFolder));
    }
    if (QWindow *parentWindow = windowOf(parent())) {
        dialog->winId(); // makes the native window, so it can stand over the app's
        if (dialog->windowHandle())
            dialog->windowHandle()->setTransientParent(parentWindow);
        // The keyboard goes back to the app's window (Esc, typing) even where no window manager hands it back.
        connect(dialog, &QDialog::finished, parentWindow, [parentWindow] { parentWindow->requestActivate(); });
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_selected = dialog->selectedUrls(); // content:// URLs on Android, file URLs elsewhere
        // A typed path may name another folder than the one the dialog shows: the file's own folder is remembered.
        if (!m_selected.isEmpty() && m_selected.constFirst().isLocalFile())
            s_lastFolder = QFileInfo(m_selected.constFirst().toLocalFile()).absolutePath();
        emit selectedFileChanged();
        emit accepted();
    });
    connect(dialog, &QFileDialog::rejected, this, &FilePicker::rejected);
    connect(dialog, &QObject::destroyed, this, &FilePicker::visibleChanged);
    m_dialog = dialog;
    dialog->open();
    emit visibleChanged();
}

void FilePicker::close()
{
    if (m_dialog)
        m_dialog->reject();
}

} // namespace larch
