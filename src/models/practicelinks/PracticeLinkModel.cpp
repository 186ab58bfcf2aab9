// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/practicelinks/PracticeLinkModel.h"

#include "core/crypto/PracticeIdentity.h"

#include <QUrl>
#include <QUrlQuery>

namespace larch {

PracticeLinkModel::PracticeLinkModel(QObject *parent) : QAbstractListModel(parent) { }

int PracticeLinkModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant PracticeLinkModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PracticeLink &link = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole: return link.label;
    case LinkIdRole: return link.id;
    case TagRole: return link.tag;
    case EnabledRole: return link.enabled;
    case UrlRole: return shareUrl(link);
    case ConversationCountRole: return link.conversationCount;
    case FingerprintRole: return m_fingerprintText;
    default: return {};
    }
}

QHash<int, QByteArray> PracticeLinkModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {LinkIdRole, "linkId"},
            {LabelRole, "label"},
            {TagRole, "tag"},
            {EnabledRole, "enabled"},
            {UrlRole, "url"},
            {ConversationCountRole, "conversationCount"},
            {FingerprintRole, "fingerprint"}};
}

QString PracticeLinkModel::shareUrl(const PracticeLink &link) const
{
    if (m_fingerprintParam.isEmpty() || link.url.isEmpty())
        return link.url;
    QUrl url(link.url);
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("fp"));
    query.addQueryItem(QStringLiteral("fp"), m_fingerprintParam);
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

void PracticeLinkModel::setIdentityKey(const QByteArray &signPublic)
{
    const QString param = IdentityFingerprint::linkText(signPublic);
    if (param == m_fingerprintParam)
        return;
    m_fingerprintParam = param;
    m_fingerprintText = IdentityFingerprint::displayText(signPublic);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {UrlRole, FingerprintRole});
}

void PracticeLinkModel::reset(const QList<PracticeLink> &links)
{
    beginResetModel();
    m_rows = links;
    m_rowById.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).id, row);
    endResetModel();
}

void PracticeLinkModel::upsert(const PracticeLink &link)
{
    const int row = rowOf(link.id);
    if (row < 0) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(link);
        m_rowById.insert(link.id, at);
        endInsertRows();
        return;
    }
    PracticeLink &old = m_rows[row];
    QList<int> roles;
    if (old.label != link.label)
        roles << LabelRole << Qt::DisplayRole;
    if (old.tag != link.tag)
        roles << TagRole;
    if (old.enabled != link.enabled)
        roles << EnabledRole;
    if (old.url != link.url)
        roles << UrlRole;
    if (old.conversationCount != link.conversationCount)
        roles << ConversationCountRole;
    old = link;
    if (!roles.isEmpty())
        emit dataChanged(index(row), index(row), roles);
}

const PracticeLink *PracticeLinkModel::link(const QString &linkId) const
{
    const int row = rowOf(linkId);
    return row < 0 ? nullptr : &m_rows.at(row);
}

} // namespace larch
