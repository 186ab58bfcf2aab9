// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: the files of messages: thumbnails for the thread, the viewer, upload progress and cancel, and
// the sweep of the app's own copies of outgoing files.
#include "models/app/AppController.h"

#include "client/attachments/AttachmentTempFiles.h"
#include "client/sync/Outbox.h"
#include "client/sync/SyncEngine.h"
#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentViewer.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/CurrentConversation.h"
#include "models/thread/ThreadModel.h"

#include <QDateTime>
#include <QDir>

namespace larch {

void AppController::connectAttachments()
{
    m_images = std::make_shared<AttachmentImages>();
    m_thread->setImages(m_images);
    m_tempFiles = new AttachmentTempFiles({}, this);
    m_attachments = new AttachmentViewer(m_store.get(), m_api, m_thread, m_images, m_tempFiles, this);
    Outbox *outbox = m_sync->outbox();
    m_attachments->setOutbox(outbox);
    connect(outbox, &Outbox::uploadProgress, m_thread, &ThreadModel::setUploadProgress);
    connect(outbox, &Outbox::cancelled, m_thread, &ThreadModel::removePending);
    connect(m_current, &CurrentConversation::switching, m_attachments, &AttachmentViewer::release);
}

void AppController::sweepOutgoingFiles()
{
    // Only files from before this run: a conversion or capture in progress now is not an orphan yet.
    static const QDateTime started = QDateTime::currentDateTime();
    QStringList kept = m_compose->attachments()->ownedFiles();
    for (const OutboxEntry &entry : m_store->outbox().entries()) {
        if (entry.attachment && entry.attachment->ownsSource)
            kept.append(entry.attachment->sourcePath);
    }
    ComposeAttachmentModel::sweepPrivateDir(QDir(m_store->dataDir()).filePath(QStringLiteral("outgoing")), kept,
                                            started);
}

} // namespace larch
