// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// FilePicker where the desktop offers no native dialog (the offscreen platform, like a bare X session): Qt's widget
// dialog, started in a folder that exists (the one its path bar names and its list shows), with "Save" on a save
// dialog and a field where a whole path can be typed. And the sentences for a file that cannot be written, in
// Larch's words: a folder that is gone, a name that is a folder, a full disk, a read-only disk.
#include "models/app/FilePicker.h"
#include "models/app/SaveLocation.h"
#include "models/attachments/AttachmentCopyWriter.h"
#include "SmallDisk.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileSystemModel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace larch;

namespace {

/// The widget dialog the picker put on screen, once it is there.
QFileDialog *shownDialog()
{
    QFileDialog *found = nullptr;
    (void)QTest::qWaitFor(
        [&] { // null when no dialog came, which the caller checks
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<QFileDialog *>(w); d && d->isVisible())
                    found = d;
            }
            return found != nullptr;
        },
        5000);
    return found;
}

/// The dialog's accept button ("Save", "Open").
QAbstractButton *acceptButton(QFileDialog *dialog)
{
    auto *buttons = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"));
    if (!buttons)
        return nullptr;
    for (QAbstractButton *b : buttons->buttons()) {
        if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return b;
    }
    return nullptr;
}

/// Types text into the dialog's file name field as a person does, then presses its accept button.
void typeAndAccept(QFileDialog *dialog, const QString &text)
{
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
    QVERIFY(name && name->isVisible());
    // The person's keys go to the field: the dialog is the active window and the field has focus, as on screen.
    QApplication::setActiveWindow(dialog);
    name->setFocus();
    QTRY_VERIFY(name->hasFocus());
    name->selectAll();
    QTest::keyClicks(name, text);
    // The field completes folders as they are typed; the person ends the suggestions before pressing the button.
    if (QWidget *suggestions = name->completer() ? name->completer()->popup() : nullptr;
        suggestions && suggestions->isVisible())
        QTest::keyClick(suggestions, Qt::Key_Escape);
    QAbstractButton *accept = acceptButton(dialog);
    QVERIFY(accept && accept->isEnabled());
    QTest::mouseClick(accept, Qt::LeftButton);
}

/// The folder the dialog's list shows (its root), as a path.
QString listedFolder(QFileDialog *dialog)
{
    auto *list = dialog->findChild<QListView *>(QStringLiteral("listView"));
    auto *model = dialog->findChild<QFileSystemModel *>();
    if (!list || !model)
        return {};
    return QDir(model->filePath(list->rootIndex())).absolutePath();
}

QString write(const QString &path, const QByteArray &bytes = QByteArray(1000, 'x'))
{
    return AttachmentCopyWriter::write(path, bytes, QString());
}

} // namespace

class TestFilePicker : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString folder(const QString &name) const
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(path);
        return QDir(path).canonicalPath();
    }

private slots:
    void startFolderIsOneThatExists()
    {
        const QString home = folder(QStringLiteral("home"));
        QCOMPARE(FilePicker::startFolder(home + QStringLiteral("/Downloads/IMG_2041.jpg")), home);
        QCOMPARE(FilePicker::startFolder(home + QStringLiteral("/a/b/c/letter.pdf")), home);
        QCOMPARE(FilePicker::startFolder(home + QStringLiteral("/letter.pdf")), home);
        QCOMPARE(FilePicker::startFolder(home), home);
        QCOMPARE(FilePicker::startFolder(QString()), QDir::homePath());
    }

    void saveDialogStartsWhereItsPathBarSaysWithASaveButton()
    {
        // The suggested folder (a ~/Downloads never made) is not there: the dialog starts in its parent, lists
        // that folder, names it in its path bar, and keeps the suggested file name.
        const QString home = folder(QStringLiteral("user"));
        FilePicker picker;
        picker.setProperty("fileMode", FilePicker::SaveFile);
        picker.setProperty("title", QStringLiteral("Save a copy"));
        picker.setSelectedFile(QUrl::fromLocalFile(home + QStringLiteral("/Downloads/IMG_2041.jpg")));
        QSignalSpy visible(&picker, &FilePicker::visibleChanged);
        picker.open();
        QFileDialog *dialog = shownDialog();
        QVERIFY(dialog);
        QVERIFY(picker.isVisible());
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Save a copy"));
        QCOMPARE(dialog->directory().absolutePath(), home);
        QTRY_COMPARE(listedFolder(dialog), home);
        auto *pathBar = dialog->findChild<QComboBox *>(QStringLiteral("lookInCombo"));
        QVERIFY(pathBar);
        QCOMPARE(QDir(pathBar->currentText()).absolutePath(), home);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        QVERIFY(name && name->isVisible());
        QCOMPARE(name->text(), QStringLiteral("IMG_2041.jpg"));
        QAbstractButton *accept = acceptButton(dialog);
        QVERIFY(accept);
        QCOMPARE(accept->text().remove(u'&'), QStringLiteral("Save"));
        picker.close();
        QTRY_VERIFY(!picker.isVisible());
    }

    void aWholePathCanBeTypedOrPasted()
    {
        const QString home = folder(QStringLiteral("typist"));
        const QString elsewhere = folder(QStringLiteral("elsewhere"));
        FilePicker picker;
        picker.setProperty("fileMode", FilePicker::SaveFile);
        picker.setSelectedFile(QUrl::fromLocalFile(home + QStringLiteral("/qr.png")));
        QSignalSpy accepted(&picker, &FilePicker::accepted);
        picker.open();
        QFileDialog *dialog = shownDialog();
        QVERIFY(dialog);
        const QString typed = elsewhere + QStringLiteral("/flyer-qr.png");
        typeAndAccept(dialog, typed);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(picker.selectedFile(), QUrl::fromLocalFile(typed));
        QTRY_VERIFY(!picker.isVisible());
    }

    void openDialogTakesATypedPathToAnExistingFile()
    {
        const QString photos = folder(QStringLiteral("photos"));
        QFile file(photos + QStringLiteral("/wound.jpg"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not really a photo");
        file.close();
        FilePicker picker; // OpenFiles: starts at home, or where files were last chosen
        QSignalSpy accepted(&picker, &FilePicker::accepted);
        QSignalSpy rejected(&picker, &FilePicker::rejected);
        picker.open();
        QFileDialog *dialog = shownDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->fileMode(), QFileDialog::ExistingFiles);
        typeAndAccept(dialog, file.fileName());
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(picker.selectedFiles(), QList<QUrl>{QUrl::fromLocalFile(file.fileName())});
        QCOMPARE(rejected.count(), 0);
        // The next dialog of this run starts where that file was found.
        FilePicker next;
        next.open();
        QFileDialog *again = shownDialog();
        QVERIFY(again);
        QCOMPARE(again->directory().absolutePath(), photos);
        QSignalSpy cancelled(&next, &FilePicker::rejected);
        QTest::keyClick(again, Qt::Key_Escape);
        QTRY_COMPARE(cancelled.count(), 1);
        QTRY_VERIFY(!next.isVisible());
    }

    void saveFailuresSayWhatToDo()
    {
        const QString base = folder(QStringLiteral("saves"));
        QCOMPARE(write(base + QStringLiteral("/ok.jpg")), QString());
        QCOMPARE(write(base + QStringLiteral("/gone/ok.jpg")),
                 QStringLiteral("The copy couldn't be saved: the folder %1 doesn't exist. Choose a folder that "
                                "exists, or make this one, and save again.")
                     .arg(QDir::toNativeSeparators(base + QStringLiteral("/gone"))));
        QCOMPARE(write(base),
                 QStringLiteral("The copy couldn't be saved: “saves” is a folder. Type a file name after "
                                "the folder and save again."));
        QVERIFY(!QFileInfo::exists(base + QStringLiteral("/gone")));
    }

    void fullAndReadOnlyDisksSayWhatToDo()
    {
        if (geteuid() != 0)
            QSKIP("mounting a small disk needs root (CI runs as root)");
        const QString full = folder(QStringLiteral("full"));
        const QString readOnly = folder(QStringLiteral("read-only"));
        {
            const SmallDisk disk(full, 1);
            QVERIFY2(disk.mounted(), qPrintable(disk.error()));
            const QString error = write(full + QStringLiteral("/video.mp4"), QByteArray(3 * 1024 * 1024, 'v'));
            QCOMPARE(error,
                     QStringLiteral("The copy couldn't be saved: there isn't enough free space in %1. Free "
                                    "some space or choose another place, then save again.")
                         .arg(QDir::toNativeSeparators(full)));
            QCOMPARE(QDir(full).entryList(QDir::Files | QDir::Hidden), QStringList()); // nothing half-written
        }
        {
            const SmallDisk disk(readOnly, 1, SmallDisk::ReadOnly);
            QVERIFY2(disk.mounted(), qPrintable(disk.error()));
            QCOMPARE(write(readOnly + QStringLiteral("/photo.jpg")),
                     QStringLiteral("The copy couldn't be saved: Larch may not write in %1. Choose a folder of your "
                                    "own, such as Documents, and save again.")
                         .arg(QDir::toNativeSeparators(readOnly)));
        }
    }

    void suggestionsLandInAFolderThatExists()
    {
        // QStandardPaths reads XDG_* variables: a download folder that was never made gives way to the next one.
        const QString home = folder(QStringLiteral("xdg"));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(home + QStringLiteral("/config")));
        QDir().mkpath(home + QStringLiteral("/config"));
        QFile dirs(home + QStringLiteral("/config/user-dirs.dirs"));
        QVERIFY(dirs.open(QIODevice::WriteOnly));
        dirs.write(QByteArray("XDG_DOWNLOAD_DIR=\"") + QFile::encodeName(home) + "/Downloads\"\n"
                   + "XDG_DOCUMENTS_DIR=\"" + QFile::encodeName(home) + "/Documents\"\n");
        dirs.close();
        QDir().mkpath(home + QStringLiteral("/Documents"));
        QCOMPARE(suggestedSaveUrl({QStandardPaths::DownloadLocation, QStandardPaths::DocumentsLocation},
                                  QStringLiteral("IMG.jpg")),
                 QUrl::fromLocalFile(home + QStringLiteral("/Documents/IMG.jpg")));
        QDir().mkpath(home + QStringLiteral("/Downloads"));
        QCOMPARE(suggestedSaveUrl({QStandardPaths::DownloadLocation, QStandardPaths::DocumentsLocation},
                                  QStringLiteral("IMG.jpg")),
                 QUrl::fromLocalFile(home + QStringLiteral("/Downloads/IMG.jpg")));
        qunsetenv("XDG_CONFIG_HOME");
    }
};

QTEST_MAIN(TestFilePicker)
#include "tst_models_file_picker.moc"
