// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/AttachmentCopyWriter.h"

#include "core/threads/PostTo.h"
#include "models/app/SaveLocation.h"

#include <QFile>
#include <QSaveFile>

namespace larch {

AttachmentCopyWriter::AttachmentCopyWriter(QObject *parent) : QObject(parent) { m_pool.setMaxThreadCount(1); }

AttachmentCopyWriter::~AttachmentCopyWriter() { m_pool.waitForDone(); }

bool AttachmentCopyWriter::start(const QString &destination, const QByteArray &bytes, const QString &sourcePath)
{
    if (m_busy)
        return false;
    m_busy = true;
    // The pool is waited for before this object goes, so the answer always finds it.
    runInPool(
        m_pool, this, [destination, bytes, sourcePath] { return write(destination, bytes, sourcePath); },
        [this, destination](const QString &error) {
            m_busy = false;
            emit finished(destination, error);
        });
    return true;
}

QString AttachmentCopyWriter::write(const QString &destination, const QByteArray &bytes, const QString &sourcePath)
{
    QSaveFile out(destination);
    const auto failed = [&] {
        // A write cut short without an error is a disk that filled up (the system reports only a write that
        // stored nothing at all).
        const QFileDevice::FileError error =
            out.error() == QFileDevice::NoError ? QFileDevice::ResourceError : out.error();
        const QString sentence = saveFailureSentence(tr("The copy"), destination, error, out.errorString());
        out.cancelWriting(); // the destination is left as it was
        return sentence;
    };
    // The file decrypted for the viewer went while it was open (the app's temporary folder was cleared).
    const QString sourceGone = tr("The copy couldn't be saved: the opened file is no longer on this device. Close "
                                  "the viewer, open the attachment again and save.");
    if (!out.open(QIODevice::WriteOnly))
        return failed();
    if (!bytes.isEmpty()) {
        if (out.write(bytes) != bytes.size())
            return failed();
    } else {
        QFile in(sourcePath);
        if (!in.open(QIODevice::ReadOnly))
            return sourceGone;
        QByteArray piece;
        for (;;) {
            piece.resize(PieceBytes);
            const qint64 got = in.read(piece.data(), PieceBytes);
            if (got < 0)
                return sourceGone;
            if (got == 0)
                break;
            if (out.write(piece.constData(), got) != got)
                return failed();
        }
    }
    if (!out.commit())
        return saveFailureSentence(tr("The copy"), destination, out.error(), out.errorString());
    return {};
}

} // namespace larch
