// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/conversations/ConversationListModel.h"

#include "models/conversations/TimeText.h"

#include <QDateTime>

namespace larch {

ConversationListModel::ConversationListModel(QObject *parent) : QAbstractListModel(parent)
{
    m_midnight.setSingleShot(true);
    connect(&m_midnight, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0), index(int(m_rows.size()) - 1), {TimeTextRole});
        scheduleMidnightRefresh();
    });
    scheduleMidnightRefresh();
}

void ConversationListModel::scheduleMidnightRefresh()
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime next(now.date().addDays(1), QTime(0, 0, 1));
    m_midnight.start(int(std::clamp<qint64>(now.msecsTo(next), 1000, 24 * 3600 * 1000)));
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString ConversationListModel::initialsOf(const QString &title)
{
    QString initials;
    const QStringList all = title.split(u' ', Qt::SkipEmptyParts);
    QStringList words = all;
    // Honorifics such as "Dr." say nothing about who it is.
    words.removeIf([](const QString &w) { return w.endsWith(u'.'); });
    if (words.isEmpty())
        words = all;
    if (words.isEmpty())
        return {};
    initials += words.first().at(0).toUpper();
    if (words.size() > 1)
        initials += words.last().at(0).toUpper();
    return initials;
}

Channel::Value ConversationListModel::channelOf(const ConversationSummary &c)
{
    return c.kind.isEmpty() ? Channel::Secure : Channel::fromName(c.kind);
}

QString ConversationListModel::contactDisplayOf(const ConversationSummary &c)
{
    return c.isStandard() && c.standard ? c.standard->display : QString();
}

bool ConversationListModel::needsConsent(const ConversationSummary &c)
{
    return c.isStandard() && c.standard && !c.standard->consent;
}

bool ConversationListModel::optedOut(const ConversationSummary &c)
{
    return c.kind == QLatin1String("sms") && c.standard && c.standard->optedOutAt > 0;
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConversationSummary &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return c.title;
    case ConversationIdRole: return c.id;
    case PreviewRole: return c.preview;
    case LastActivityAtRole: return TimeText::fromMs(c.lastActivityAt);
    case TimeTextRole: return c.lastActivityAt > 0 ? TimeText::listTime(TimeText::fromMs(c.lastActivityAt)) : QString();
    case UnreadCountRole: return int(c.unreadCount);
    case IsSecureRole: return c.kind == QLatin1String("secure");
    case InitialsRole: return initialsOf(c.title);
    case InvitationStateRole: return QVariant::fromValue(InvitationState::fromName(c.invitationState));
    case IsInvitedRole: return c.invitationState == QLatin1String("pending");
    case ChannelRole: return QVariant::fromValue(channelOf(c));
    case ContactDisplayRole: return contactDisplayOf(c);
    case TagsRole: return c.tags;
    case NeedsConsentRole: return needsConsent(c);
    case OptedOutRole: return optedOut(c);
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"},
            {TitleRole, "title"},
            {PreviewRole, "preview"},
            {LastActivityAtRole, "lastActivityAt"},
            {TimeTextRole, "timeText"},
            {UnreadCountRole, "unreadCount"},
            {IsSecureRole, "isSecure"},
            {InitialsRole, "initials"},
            {InvitationStateRole, "invitationState"},
            {IsInvitedRole, "isInvited"},
            {ChannelRole, "channel"},
            {ContactDisplayRole, "contactDisplay"},
            {TagsRole, "tags"},
            {NeedsConsentRole, "needsConsent"},
            {OptedOutRole, "optedOut"}};
}

void ConversationListModel::reset(const QList<ConversationSummary> &conversations)
{
    beginResetModel();
    m_rows = conversations;
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    rebuildIndexFrom(0);
    endResetModel();
}

void ConversationListModel::rebuildIndexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).id, i);
}

const ConversationSummary *ConversationListModel::conversation(const QString &conversationId) const
{
    const int row = rowOf(conversationId);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void ConversationListModel::upsert(const ConversationSummary &c)
{
    const int row = rowOf(c.id);
    if (row < 0) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(c);
        m_rowById.insert(c.id, at);
        endInsertRows();
        return;
    }
    ConversationSummary &old = m_rows[row];
    QList<int> roles;
    if (old.title != c.title)
        roles << TitleRole << InitialsRole << Qt::DisplayRole;
    if (old.preview != c.preview)
        roles << PreviewRole;
    if (old.lastActivityAt != c.lastActivityAt)
        roles << LastActivityAtRole << TimeTextRole;
    if (old.unreadCount != c.unreadCount)
        roles << UnreadCountRole;
    if (old.kind != c.kind)
        roles << IsSecureRole << ChannelRole;
    if (contactDisplayOf(old) != contactDisplayOf(c))
        roles << ContactDisplayRole;
    if (old.tags != c.tags)
        roles << TagsRole;
    if (needsConsent(old) != needsConsent(c))
        roles << NeedsConsentRole;
    if (optedOut(old) != optedOut(c))
        roles << OptedOutRole;
    if (old.invitationState != c.invitationState)
        roles << InvitationStateRole << IsInvitedRole;
    old = c;
    if (!roles.isEmpty())
        emit dataChanged(index(row), index(row), roles);
}

void ConversationListModel::remove(const QString &conversationId)
{
    const int row = rowOf(conversationId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_rowById.remove(conversationId);
    rebuildIndexFrom(row);
    endRemoveRows();
}

} // namespace larch
