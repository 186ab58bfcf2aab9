// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ThreadModel: the files messages carry: what a row shows of them, and their uploads and downloads as they move.
#include "models/thread/ThreadModel.h"

#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentText.h"

namespace larch {

std::shared_ptr<const ThreadModel::Attachment> ThreadModel::attachmentOf(const QList<AttachmentRef> &refs,
                                                                         const QString &key)
{
    if (refs.isEmpty())
        return {};
    const AttachmentRef &first = refs.constFirst();
    auto a = std::make_shared<Attachment>();
    a->kind = AttachmentKind::fromName(first.kind);
    a->mime = intern(first.mime);
    a->name = first.name;
    a->size = first.size;
    a->width = first.width;
    a->height = first.height;
    a->pages = first.pages;
    a->durationMs = first.durationMs;
    a->count = int(refs.size());
    // The key stays in the store; only the thumbnail the sender made is kept for the image provider.
    if (m_images && !first.thumbnail.isEmpty()) {
        m_images->setThumbnail(key, first.thumbnail);
        a->hasThumbnail = true;
    }
    return a;
}

std::shared_ptr<const ThreadModel::Attachment> ThreadModel::attachmentOf(const OutboxEntry &entry)
{
    if (!entry.attachment)
        return {};
    const PendingAttachment &p = *entry.attachment;
    auto a = std::make_shared<Attachment>();
    a->kind = AttachmentKind::fromName(p.type.kind);
    a->mime = intern(p.type.mime);
    a->name = p.name;
    // Stripped photo metadata makes the sent file a little smaller than the chosen one: the upload knows.
    a->size = entry.attachmentRef ? entry.attachmentRef->size : p.sourceSize;
    a->width = p.width;
    a->height = p.height;
    a->pages = p.pages;
    a->durationMs = p.durationMs;
    if (m_images && !p.thumbnail.isEmpty()) {
        m_images->setThumbnail(AttachmentImages::pendingKey(entry.clientId), p.thumbnail);
        a->hasThumbnail = true;
    }
    if (entry.attachmentRef && !m_uploads.contains(entry.clientId))
        m_uploads.insert(entry.clientId, Transfer{Download::None, 1, 1, 1, {}}); // uploaded before a restart
    return a;
}

AttachmentState::Value ThreadModel::attachmentState(const Row &row) const
{
    if (!row.attachment)
        return AttachmentState::None;
    switch (row.state) {
    case State::Notice: return AttachmentState::None;
    case State::Failed: return AttachmentState::Failed;
    case State::Pending: {
        const Transfer upload = m_uploads.value(row.clientId);
        return upload.total > 0 && upload.done >= upload.total ? AttachmentState::Sent : AttachmentState::Uploading;
    }
    case State::Confirmed: break;
    }
    switch (m_downloads.value(row.messageId).state) {
    case Download::Downloading: return AttachmentState::Downloading;
    case Download::Ready: return AttachmentState::Ready;
    case Download::Failed: return AttachmentState::Failed;
    case Download::None: break;
    }
    return row.senderId == m_userId ? AttachmentState::Sent : AttachmentState::Available;
}

double ThreadModel::attachmentProgress(const Row &row) const
{
    if (!row.attachment)
        return 0;
    switch (row.state) {
    case State::Notice:
    case State::Failed: return 0;
    case State::Pending: {
        const Transfer upload = m_uploads.value(row.clientId);
        return upload.total > 0 ? std::clamp(double(upload.done) / double(upload.total), 0.0, 1.0) : 0.0;
    }
    case State::Confirmed: break;
    }
    const Transfer download = m_downloads.value(row.messageId);
    switch (download.state) {
    case Download::Downloading: return std::clamp(download.progress, 0.0, 1.0);
    case Download::Ready: return 1;
    case Download::Failed: return 0;
    case Download::None: break;
    }
    return row.senderId == m_userId ? 1 : 0;
}

QVariant ThreadModel::attachmentData(const Row &row, int role) const
{
    const Attachment *a = row.attachment.get();
    switch (role) {
    case AttachmentKindRole: return QVariant::fromValue(a ? a->kind : AttachmentKind::None);
    case AttachmentCountRole: return a ? a->count : 0;
    case AttachmentNameRole: return a ? a->name : QString();
    case AttachmentSizeTextRole: return a ? AttachmentText::sizeText(a->size) : QString();
    case AttachmentMimeRole: return a ? a->mime : QString();
    case AttachmentThumbnailRole:
        if (!a || !a->hasThumbnail)
            return QString();
        return AttachmentImages::thumbnailUrl(row.state == State::Confirmed
                                                  ? AttachmentImages::messageKey(row.messageId)
                                                  : AttachmentImages::pendingKey(row.clientId));
    case AttachmentWidthRole: return a ? a->width : 0;
    case AttachmentHeightRole: return a ? a->height : 0;
    case AttachmentPagesRole: return a ? a->pages : 0;
    case AttachmentDurationTextRole: return a ? AttachmentText::durationText(a->durationMs) : QString();
    case AttachmentProgressRole: return attachmentProgress(row);
    case AttachmentStateRole: return QVariant::fromValue(attachmentState(row));
    case AttachmentErrorRole:
        if (!a)
            return QString();
        if (row.state == State::Failed)
            return m_failureReasons.value(row.clientId);
        if (row.state == State::Confirmed && m_downloads.value(row.messageId).state == Download::Failed)
            return m_downloads.value(row.messageId).error;
        return QString();
    default: return {};
    }
}

QList<int> ThreadModel::attachmentRoles()
{
    return {AttachmentKindRole,  AttachmentCountRole,        AttachmentNameRole,     AttachmentSizeTextRole,
            AttachmentMimeRole,  AttachmentThumbnailRole,    AttachmentWidthRole,    AttachmentHeightRole,
            AttachmentPagesRole, AttachmentDurationTextRole, AttachmentProgressRole, AttachmentStateRole,
            AttachmentErrorRole};
}

void ThreadModel::setUploadProgress(const QString &clientId, qint64 done, qint64 total)
{
    Transfer &upload = m_uploads[clientId];
    if (upload.done == done && upload.total == total)
        return;
    upload.done = done;
    upload.total = total;
    for (int i = 0; i < m_pendingCount; ++i) {
        if (m_rows.at(i).clientId == clientId) {
            if (m_rows.at(i).attachment)
                emit dataChanged(index(i), index(i), {AttachmentProgressRole, AttachmentStateRole});
            return;
        }
    }
}

void ThreadModel::setDownload(const QString &messageId, Download state, double progress, const QString &error)
{
    if (state == Download::None) {
        if (!m_downloads.remove(messageId))
            return;
    } else {
        m_downloads.insert(messageId, Transfer{state, 0, 0, progress, error});
    }
    for (int i = m_pendingCount; i < m_rows.size(); ++i) {
        if (m_rows.at(i).messageId == messageId && m_rows.at(i).state == State::Confirmed) {
            if (m_rows.at(i).attachment)
                emit dataChanged(index(i), index(i),
                                 {AttachmentProgressRole, AttachmentStateRole, AttachmentErrorRole});
            return;
        }
    }
}

void ThreadModel::removePending(const QString &clientId)
{
    m_uploads.remove(clientId);
    for (int i = 0; i < m_pendingCount; ++i) {
        if (m_rows.at(i).clientId != clientId)
            continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        --m_pendingCount;
        endRemoveRows();
        m_failureReasons.remove(clientId);
        if (m_images)
            m_images->setThumbnail(AttachmentImages::pendingKey(clientId), {});
        regroup(i - 1);
        emit countChanged();
        return;
    }
}

} // namespace larch
