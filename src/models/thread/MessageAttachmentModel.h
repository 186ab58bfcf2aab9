// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The files of one message of the thread, one row each, for the cards of its bubble.
#pragma once

#include "models/thread/MessageFile.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ThreadModel;

/// The files one message of the open thread carries, one row per file in the message's order, each with its own
/// upload or download. A thread row's delegate makes one with the thread and the row's ids; it follows the thread
/// (a message opening, an echo confirmed or failed, transfers moving) and signals only the roles that changed.
/// Empty while no thread is set, or when the message carries no files or is not shown.
class MessageAttachmentModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    /// The thread the message is shown in (App.thread); null empties the model.
    Q_PROPERTY(larch::ThreadModel *thread READ thread WRITE setThread NOTIFY threadChanged)
    /// The message's server id; "" for a local echo (clientId finds it then).
    Q_PROPERTY(QString messageId READ messageId WRITE setMessageId NOTIFY messageIdChanged)
    /// The sending device's id for the message: finds a local echo, which has no server id yet.
    Q_PROPERTY(QString clientId READ clientId WRITE setClientId NOTIFY clientIdChanged)
    /// Files shown.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        KindRole = Qt::UserRole + 1, ///< kind (AttachmentKind): Image, Video or Pdf
        NameRole, ///< name: the sanitised file name, e.g. "Lab results.pdf"
        SizeTextRole, ///< sizeText: "2.4 MB"
        MimeRole, ///< mime: detected from the content, e.g. "application/pdf"
        ThumbnailRole, ///< thumbnail: image://attachment/thumb/… of this file's JPEG the sender made (photo, first PDF
        ///< page, video frame); "" when it sent none. Ids only, never keys
        WidthRole, ///< width: pixels of the photo or video; 0 when unknown
        HeightRole, ///< height: likewise
        PagesRole, ///< pages: a PDF's page count; 0 when unknown
        DurationTextRole, ///< durationText: a video's length, "1:05"; "" when unknown
        ProgressRole, ///< progress: 0..1 of this file's upload (local echoes) or download (opening it)
        StateRole, ///< state (AttachmentState): Uploading (local echo, file on its way), Sent (mine, on the server),
        ///< Available (theirs, not downloaded), Downloading, Ready (decrypted here, the viewer shows it) or Failed
        ErrorRole, ///< error: why this file's upload or download failed, one sentence; "" otherwise
        IndexRole, ///< index: the file's place in the message, from 0 (AttachmentViewer.open's index)
    };
    Q_ENUM(Role)

    explicit MessageAttachmentModel(QObject *parent = nullptr);

    ThreadModel *thread() const { return m_thread; }
    void setThread(ThreadModel *thread);
    QString messageId() const { return m_messageId; }
    void setMessageId(const QString &messageId);
    QString clientId() const { return m_clientId; }
    void setClientId(const QString &clientId);
    int count() const { return int(m_files.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void threadChanged();
    void messageIdChanged();
    void clientIdChanged();
    void countChanged();

private:
    /// Reads the message's files from the thread again and signals what changed.
    void refresh();
    /// The thread says a message's files changed: refresh when it is this one.
    void onFilesChanged(const QString &messageId, const QString &clientId);
    static QList<int> changedRoles(const ShownFile &before, const ShownFile &now);

    QPointer<ThreadModel> m_thread;
    QString m_messageId;
    QString m_clientId;
    QList<ShownFile> m_files;
};

} // namespace larch
