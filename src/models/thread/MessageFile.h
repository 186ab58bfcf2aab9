// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the thread shows of the files a message carries: their details, and where each one's transfer stands.
#pragma once

#include "models/attachments/AttachmentStates.h"

#include <QList>
#include <QString>

namespace larch {

/// One file of a message as the thread shows it: what the sender said of it, never its key, hash or blob id.
struct MessageFile {
    AttachmentKind::Value kind = AttachmentKind::None;
    QString name; ///< the sanitised file name
    QString mime;
    qint64 size = 0; ///< plaintext bytes
    int width = 0; ///< pixels of a photo or video; 0 when unknown
    int height = 0;
    int pages = 0; ///< a PDF's pages; 0 when unknown
    qint64 durationMs = 0; ///< a video's length; 0 when unknown
    bool hasThumbnail = false; ///< the sender made one (kept by AttachmentImages under the file's key)
    bool operator==(const MessageFile &) const = default;
};

/// A message's files in the order it carries them (at most MessageContent::AttachmentsMax). A thread row holds
/// one immutable list, shared between copies of the row; a message without files holds none.
using MessageFiles = QList<MessageFile>;

/// One file of a shown message with what its card needs beside its details (ThreadModel::shownFiles).
struct ShownFile {
    MessageFile file;
    QString thumbnail; ///< image://attachment/thumb/… of this file; "" when the sender made none
    AttachmentState::Value state = AttachmentState::None;
    double progress = 0; ///< 0..1 of its upload or download
    QString error; ///< why its upload or download failed; "" otherwise
    bool operator==(const ShownFile &) const = default;
};

} // namespace larch
