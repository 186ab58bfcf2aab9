// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/MessageAttachmentModel.h"

#include "models/attachments/AttachmentText.h"
#include "models/thread/ThreadModel.h"

namespace larch {

MessageAttachmentModel::MessageAttachmentModel(QObject *parent) : QAbstractListModel(parent) { }

void MessageAttachmentModel::setThread(ThreadModel *thread)
{
    if (thread == m_thread)
        return;
    if (m_thread)
        m_thread->disconnect(this);
    m_thread = thread;
    if (m_thread) {
        connect(m_thread, &ThreadModel::filesChanged, this, &MessageAttachmentModel::onFilesChanged);
        // Another conversation opened, or the message arrived after this model was made.
        connect(m_thread, &QAbstractItemModel::modelReset, this, &MessageAttachmentModel::refresh);
        connect(m_thread, &QAbstractItemModel::rowsInserted, this, [this] {
            if (m_files.isEmpty())
                refresh();
        });
        // The pointer is already null when the thread goes: only the rows are left to drop.
        connect(m_thread, &QObject::destroyed, this, [this] {
            emit threadChanged();
            refresh();
        });
    }
    emit threadChanged();
    refresh();
}

void MessageAttachmentModel::setMessageId(const QString &messageId)
{
    if (messageId == m_messageId)
        return;
    m_messageId = messageId;
    emit messageIdChanged();
    refresh();
}

void MessageAttachmentModel::setClientId(const QString &clientId)
{
    if (clientId == m_clientId)
        return;
    m_clientId = clientId;
    emit clientIdChanged();
    refresh();
}

void MessageAttachmentModel::onFilesChanged(const QString &messageId, const QString &clientId)
{
    // A confirmed echo is named by both ids; the delegate may still hold only the client id when it hears of it.
    const bool mine =
        (!messageId.isEmpty() && messageId == m_messageId) || (!clientId.isEmpty() && clientId == m_clientId);
    if (mine)
        refresh();
}

QList<int> MessageAttachmentModel::changedRoles(const ShownFile &before, const ShownFile &now)
{
    QList<int> roles;
    const MessageFile &a = before.file;
    const MessageFile &b = now.file;
    if (a.kind != b.kind)
        roles << KindRole;
    if (a.name != b.name)
        roles << NameRole;
    if (a.size != b.size)
        roles << SizeTextRole;
    if (a.mime != b.mime)
        roles << MimeRole;
    if (before.thumbnail != now.thumbnail)
        roles << ThumbnailRole;
    if (a.width != b.width)
        roles << WidthRole;
    if (a.height != b.height)
        roles << HeightRole;
    if (a.pages != b.pages)
        roles << PagesRole;
    if (a.durationMs != b.durationMs)
        roles << DurationTextRole;
    if (before.progress != now.progress)
        roles << ProgressRole;
    if (before.state != now.state)
        roles << StateRole;
    if (before.error != now.error)
        roles << ErrorRole;
    return roles;
}

void MessageAttachmentModel::refresh()
{
    const bool identified = !m_messageId.isEmpty() || !m_clientId.isEmpty();
    const QList<ShownFile> now =
        m_thread && identified ? m_thread->shownFiles(m_messageId, m_clientId) : QList<ShownFile>();
    const int before = int(m_files.size());
    const int after = int(now.size());
    // Files that stay in place change in place, role by role.
    for (int row = 0; row < std::min(before, after); ++row) {
        const QList<int> roles = changedRoles(m_files.at(row), now.at(row));
        if (roles.isEmpty())
            continue;
        m_files[row] = now.at(row);
        emit dataChanged(index(row), index(row), roles);
    }
    if (after > before) {
        beginInsertRows({}, before, after - 1);
        m_files.append(now.mid(before));
        endInsertRows();
    } else if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_files.resize(after);
        endRemoveRows();
    }
    if (after != before)
        emit countChanged();
}

int MessageAttachmentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_files.size());
}

QVariant MessageAttachmentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ShownFile &shown = m_files.at(index.row());
    const MessageFile &f = shown.file;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return f.name;
    case KindRole: return QVariant::fromValue(f.kind);
    case SizeTextRole: return AttachmentText::sizeText(f.size);
    case MimeRole: return f.mime;
    case ThumbnailRole: return shown.thumbnail;
    case WidthRole: return f.width;
    case HeightRole: return f.height;
    case PagesRole: return f.pages;
    case DurationTextRole: return AttachmentText::durationText(f.durationMs);
    case ProgressRole: return shown.progress;
    case StateRole: return QVariant::fromValue(shown.state);
    case ErrorRole: return shown.error;
    case IndexRole: return index.row();
    default: return {};
    }
}

QHash<int, QByteArray> MessageAttachmentModel::roleNames() const
{
    return {{KindRole, "kind"},         {NameRole, "name"},           {SizeTextRole, "sizeText"},
            {MimeRole, "mime"},         {ThumbnailRole, "thumbnail"}, {WidthRole, "width"},
            {HeightRole, "height"},     {PagesRole, "pages"},         {DurationTextRole, "durationText"},
            {ProgressRole, "progress"}, {StateRole, "state"},         {ErrorRole, "error"},
            {IndexRole, "index"}};
}

} // namespace larch
