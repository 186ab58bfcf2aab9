// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ThreadModel: the files messages carry: what a row keeps of them, and each file's upload or download as it moves.
#include "models/thread/ThreadModel.h"

#include "core/attachments/AttachmentRef.h"
#include "models/attachments/AttachmentImages.h"

#include <algorithm>

namespace larch {

std::shared_ptr<const MessageFiles> ThreadModel::filesOf(const QList<AttachmentRef> &refs, const QString &messageId)
{
    if (refs.isEmpty())
        return {};
    auto files = std::make_shared<MessageFiles>();
    files->reserve(refs.size());
    for (const AttachmentRef &ref : refs) {
        MessageFile f;
        f.kind = AttachmentKind::fromName(ref.kind);
        f.mime = intern(ref.mime);
        f.name = ref.name;
        f.size = ref.size;
        f.width = ref.width;
        f.height = ref.height;
        f.pages = ref.pages;
        f.durationMs = ref.durationMs;
        // The key stays in the store; only the thumbnail the sender made is kept for the image provider.
        if (m_images && !ref.thumbnail.isEmpty()) {
            m_images->setThumbnail(AttachmentImages::messageKey(messageId, int(files->size())), ref.thumbnail);
            f.hasThumbnail = true;
        }
        files->append(f);
    }
    return files;
}

std::shared_ptr<const MessageFiles> ThreadModel::filesOf(const OutboxEntry &entry)
{
    if (!entry.attachment)
        return {};
    const PendingAttachment &p = *entry.attachment;
    MessageFile f;
    f.kind = AttachmentKind::fromName(p.type.kind);
    f.mime = intern(p.type.mime);
    f.name = p.name;
    // Stripped photo metadata makes the sent file a little smaller than the chosen one: the upload knows.
    f.size = entry.attachmentRef ? entry.attachmentRef->size : p.sourceSize;
    f.width = p.width;
    f.height = p.height;
    f.pages = p.pages;
    f.durationMs = p.durationMs;
    if (m_images && !p.thumbnail.isEmpty()) {
        m_images->setThumbnail(AttachmentImages::pendingKey(entry.clientId), p.thumbnail);
        f.hasThumbnail = true;
    }
    if (entry.attachmentRef && !m_uploads.contains(entry.clientId))
        m_uploads.insert(entry.clientId, Transfer{Download::None, 1, 1, 1, {}}); // uploaded before a restart
    return std::make_shared<const MessageFiles>(MessageFiles{f});
}

int ThreadModel::rowOf(const QString &messageId, const QString &clientId) const
{
    if (!messageId.isEmpty()) {
        for (int i = m_pendingCount; i < m_rows.size(); ++i) {
            if (m_rows.at(i).messageId == messageId && m_rows.at(i).state == State::Confirmed)
                return i;
        }
        return -1;
    }
    if (clientId.isEmpty())
        return -1;
    // An echo first; once confirmed, the message keeps the client id its sender gave it.
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &r = m_rows.at(i);
        if (r.clientId == clientId && r.state != State::Notice)
            return i;
    }
    return -1;
}

std::shared_ptr<const MessageFiles> ThreadModel::files(const QString &messageId, const QString &clientId) const
{
    const int row = rowOf(messageId, clientId);
    return row < 0 ? nullptr : m_rows.at(row).files;
}

QList<ShownFile> ThreadModel::shownFiles(const QString &messageId, const QString &clientId) const
{
    QList<ShownFile> shown;
    const int row = rowOf(messageId, clientId);
    if (row < 0 || !m_rows.at(row).files)
        return shown;
    const Row &r = m_rows.at(row);
    shown.reserve(r.files->size());
    for (int i = 0; i < r.files->size(); ++i)
        shown.append(shownFile(r, i));
    return shown;
}

ShownFile ThreadModel::shownFile(const Row &row, int index) const
{
    ShownFile s;
    s.file = row.files->at(index);
    if (s.file.hasThumbnail)
        s.thumbnail = AttachmentImages::thumbnailUrl(row.state == State::Confirmed
                                                         ? AttachmentImages::messageKey(row.messageId, index)
                                                         : AttachmentImages::pendingKey(row.clientId, index));
    s.state = fileState(row, index);
    s.progress = fileProgress(row, index);
    s.error = fileError(row, index);
    return s;
}

AttachmentState::Value ThreadModel::fileState(const Row &row, int index) const
{
    switch (row.state) {
    case State::Notice: return AttachmentState::None;
    case State::Failed: return AttachmentState::Failed;
    case State::Pending: {
        // An echo carries one file, and its upload is the echo's.
        const Transfer upload = m_uploads.value(row.clientId);
        return index == 0 && upload.total > 0 && upload.done >= upload.total ? AttachmentState::Sent
                                                                             : AttachmentState::Uploading;
    }
    case State::Confirmed: break;
    }
    switch (m_downloads.value({row.messageId, index}).state) {
    case Download::Downloading: return AttachmentState::Downloading;
    case Download::Ready: return AttachmentState::Ready;
    case Download::Failed: return AttachmentState::Failed;
    case Download::None: break;
    }
    return row.senderId == m_userId ? AttachmentState::Sent : AttachmentState::Available;
}

double ThreadModel::fileProgress(const Row &row, int index) const
{
    switch (row.state) {
    case State::Notice:
    case State::Failed: return 0;
    case State::Pending: {
        const Transfer upload = m_uploads.value(row.clientId);
        return index == 0 && upload.total > 0 ? std::clamp(double(upload.done) / double(upload.total), 0.0, 1.0) : 0.0;
    }
    case State::Confirmed: break;
    }
    const Transfer download = m_downloads.value({row.messageId, index});
    switch (download.state) {
    case Download::Downloading: return std::clamp(download.progress, 0.0, 1.0);
    case Download::Ready: return 1;
    case Download::Failed: return 0;
    case Download::None: break;
    }
    return row.senderId == m_userId ? 1 : 0;
}

QString ThreadModel::fileError(const Row &row, int index) const
{
    if (row.state == State::Failed)
        return m_failureReasons.value(row.clientId);
    if (row.state != State::Confirmed)
        return {};
    const Transfer download = m_downloads.value({row.messageId, index});
    return download.state == Download::Failed ? download.error : QString();
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
            if (m_rows.at(i).files)
                emit filesChanged(QString(), clientId);
            return;
        }
    }
}

void ThreadModel::setDownload(const QString &messageId, int index, Download state, double progress,
                              const QString &error)
{
    if (messageId.isEmpty() || index < 0 || index >= MessageContent::AttachmentsMax)
        return;
    const int row = rowOf(messageId, QString());
    const Row *shown = row >= 0 ? &m_rows.at(row) : nullptr;
    // Downloads go on while another conversation shows; a shown message has only the files it carries.
    if (shown && (!shown->files || index >= shown->files->size()))
        return;
    const std::pair<QString, int> key{messageId, index};
    if (state == Download::None) {
        if (!m_downloads.remove(key))
            return;
    } else {
        const Transfer now{state, 0, 0, progress, error};
        const auto it = m_downloads.constFind(key);
        if (it != m_downloads.cend() && it->state == now.state && it->progress == now.progress && it->error == error)
            return;
        m_downloads.insert(key, now);
    }
    if (shown)
        emit filesChanged(messageId, shown->clientId);
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
