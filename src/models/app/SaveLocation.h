// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Where a file the person saves (a copy of an attachment, a QR code) is suggested, and what to say when it cannot
// be written there.
#pragma once

#include <QFileDevice>
#include <QList>
#include <QStandardPaths>
#include <QString>
#include <QUrl>

namespace larch {

/// `fileName` in the first of `folders` that exists on this device, else in the home folder. A suggestion only:
/// the dialog lets the person go anywhere.
QUrl suggestedSaveUrl(const QList<QStandardPaths::StandardLocation> &folders, const QString &fileName);

/// The sentence for a file that could not be written at `path`: what went wrong in plain words (the folder is
/// gone, Larch may not write there, the disk is full, the name is a folder) and what to do. `what` names the
/// file ("The copy", "The QR code"); `error` and `systemWords` are what the file system said.
QString saveFailureSentence(const QString &what, const QString &path, QFileDevice::FileError error,
                            const QString &systemWords);

} // namespace larch
