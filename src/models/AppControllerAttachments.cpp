// AppController: the files of messages: thumbnails for the thread, the viewer, upload progress and cancel.
#include "AppController.h"

#include "AttachmentImages.h"
#include "AttachmentTempFiles.h"
#include "AttachmentViewer.h"
#include "Outbox.h"
#include "SyncEngine.h"
#include "ThreadModel.h"

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
}

QObject *AppController::attachments() const { return m_attachments; }

} // namespace larch
