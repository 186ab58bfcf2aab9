// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What QML reads of a file as enums: what kind of file it is, and where its upload or download stands.
#pragma once

#include <QObject>
#include <QString>
#include <QStringView>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// What a file is: a message file's kind role (MessageAttachmentModel), a compose chip's kind, App.attachments.kind.
namespace AttachmentKind {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< no file
    Image, ///< a photo (JPEG, PNG, GIF, WebP, HEIC)
    Video, ///< a video (MP4, QuickTime, WebM)
    Pdf, ///< a PDF document
};
Q_ENUM_NS(Value)
/// The kind as messages carry it (AttachmentRef::kind): "image", "video" or "pdf"; "" for None.
QString name(Value value);
/// The value of such a word; None for one it does not know.
Value fromName(QStringView name);
} // namespace AttachmentKind

/// Where a file's upload or download stands: a message file's state role (MessageAttachmentModel), and
/// App.attachments.state (which uses None, Downloading, Ready and Failed).
namespace AttachmentState {
Q_NAMESPACE
QML_ELEMENT
enum Value {
    None, ///< no file; for the viewer: nothing open
    Uploading, ///< a local echo's file on its way to the server
    Sent, ///< mine, and the file is on the server
    Available, ///< theirs, not downloaded to this device
    Downloading, ///< being downloaded and decrypted
    Ready, ///< decrypted on this device: the viewer shows it
    Failed, ///< the upload or download failed; the error role or property says why
};
Q_ENUM_NS(Value)
/// "uploading", "sent", "available", "downloading", "ready" or "failed"; "" for None.
QString name(Value value);
} // namespace AttachmentState

} // namespace larch
