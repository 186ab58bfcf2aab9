// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// "Save a copy" of an open attachment, written away from the GUI thread.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThreadPool>

namespace larch {

/// Writes one decrypted attachment where the person chose, on a worker thread: a 100 MB video takes a few hundred
/// milliseconds to write and sync, which the window must not wait for. The copy goes through QSaveFile, so the
/// destination holds the whole file or is left as it was. One copy at a time.
class AttachmentCopyWriter : public QObject {
    Q_OBJECT
public:
    /// Pieces a file is copied in: a large video is never held in memory at once.
    static constexpr qint64 PieceBytes = 1024 * 1024;

    explicit AttachmentCopyWriter(QObject *parent = nullptr);
    /// Waits for a copy being written.
    ~AttachmentCopyWriter() override;

    bool isBusy() const { return m_busy; }
    /// Blocks until the copy being written is done (the app is closing); its finished() is not delivered.
    void wait() { m_pool.waitForDone(); }
    /// Starts writing bytes (a photo decrypted into memory) or, when bytes is empty, the file at sourcePath to
    /// destination (a path, or a content:// URL on Android). False, and nothing started, while busy.
    bool start(const QString &destination, const QByteArray &bytes, const QString &sourcePath);

    /// Writes the copy on the calling thread; "" on success, else the sentence that says why and what to do.
    static QString write(const QString &destination, const QByteArray &bytes, const QString &sourcePath);

signals:
    /// The copy is written (error "") or could not be (error is the sentence to show).
    void finished(const QString &destination, const QString &error);

private:
    bool m_busy = false;
    /// Declared last: destroyed (waiting for the copy) before anything it reports into.
    QThreadPool m_pool;
};

} // namespace larch
