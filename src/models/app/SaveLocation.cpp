// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/app/SaveLocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace larch {

namespace {
QString translated(const char *text) { return QCoreApplication::translate("SaveLocation", text); }
} // namespace

QUrl suggestedSaveUrl(const QList<QStandardPaths::StandardLocation> &folders, const QString &fileName)
{
    for (const auto location : folders) {
        const QString folder = QStandardPaths::writableLocation(location);
        if (!folder.isEmpty() && QFileInfo(folder).isDir())
            return QUrl::fromLocalFile(QDir(folder).filePath(fileName));
    }
    return QUrl::fromLocalFile(QDir(QDir::homePath()).filePath(fileName));
}

QString saveFailureSentence(const QString &what, const QString &path, QFileDevice::FileError error,
                            const QString &systemWords)
{
    const QFileInfo target(path);
    const QFileInfo folder(target.absolutePath());
    const QString shown = QDir::toNativeSeparators(folder.absoluteFilePath());
    if (target.isDir()) {
        return translated(QT_TR_NOOP("%1 couldn't be saved: “%2” is a folder. Type a file name after the folder "
                                     "and save again."))
            .arg(what, target.fileName());
    }
    if (!folder.isDir()) {
        return translated(QT_TR_NOOP("%1 couldn't be saved: the folder %2 doesn't exist. Choose a folder that "
                                     "exists, or make this one, and save again."))
            .arg(what, shown);
    }
    if (error == QFileDevice::ResourceError) {
        return translated(QT_TR_NOOP("%1 couldn't be saved: there isn't enough free space in %2. Free some space "
                                     "or choose another place, then save again."))
            .arg(what, shown);
    }
    if (error == QFileDevice::PermissionsError || !folder.isWritable()) {
        return translated(QT_TR_NOOP("%1 couldn't be saved: Larch may not write in %2. Choose a folder of your "
                                     "own, such as Documents, and save again."))
            .arg(what, shown);
    }
    return translated(QT_TR_NOOP("%1 couldn't be saved in %2 (the system said: %3). Choose another folder and "
                                 "save again."))
        .arg(what, shown, systemWords);
}

} // namespace larch
