// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Why a file was not added to the compose bar, and the one sentence that tells the person.
#pragma once

#include <QList>
#include <QString>

namespace larch {

/// One file the compose bar would not take, kept until the sentence for its drop is written.
struct ComposeRefusal {
    enum class Reason {
        NotLocal, ///< a URL that is not a file on this device (e.g. a link dragged from a browser)
        Folder, ///< a folder: the person meant the files inside
        Unreadable, ///< missing, a dangling link, no permission
        Empty, ///< 0 bytes: nothing to send
        TooLarge, ///< over the server's attachmentMaxBytes
        Unsupported, ///< not a type Larch sends (told by content, never by name)
        HeicUnreadable, ///< a HEIC photo this device's Qt cannot decode (so it cannot become a JPEG)
        ConversionFailed, ///< a HEIC photo that could not be written as JPEG after all
        UprightFailed, ///< a PNG or WebP stored turned (EXIF orientation) whose upright copy could not be made
        PdfDamaged, ///< starts like a PDF but Qt PDF cannot open it
        PdfPassword, ///< a PDF that needs a password: the recipient's viewer could not open it either
        PhotoDamaged, ///< a JPEG, PNG or WebP whose structure is broken, so its metadata cannot be removed
        VideoDamaged, ///< likewise an MP4 or QuickTime video
        TooMany, ///< more than ComposeAttachmentModel::MaxPending chips
    };
    QString name; ///< the file name as the person knows it (not sanitised)
    Reason reason = Reason::Unreadable;
    qint64 size = 0; ///< bytes, for TooLarge
};

/// The sentence for one drop's refusals ("" when there are none): the full sentence for one file, else "N files
/// were not added: …" naming each (up to a few) and, when a type was refused, what Larch takes.
QString composeRefusalSentence(const QList<ComposeRefusal> &refusals, qint64 maxBytes, int maxPending);

} // namespace larch
