// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/audit/AuditRecordModel.h"

#include <QLocale>

namespace larch {

AuditRecordModel::AuditRecordModel(QObject *parent) : QAbstractListModel(parent) { }

int AuditRecordModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant AuditRecordModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditEntry &e = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case ActionTextRole: return e.actionText;
    case SeqRole: return e.seq;
    case AtRole: return e.at;
    case WhenRole: return QLocale().toString(e.at, QLocale::ShortFormat);
    case ShortWhenRole:
        return QLocale().toString(e.at,
                                  e.at.date().year() == QDate::currentDate().year()
                                      ? QStringLiteral("d MMM, HH:mm")
                                      : QStringLiteral("d MMM yyyy, HH:mm"));
    case ActionRole: return e.action;
    case WhoRole: return e.who;
    case ByPatientRole: return e.byPatient;
    case DeviceRole: return e.device;
    case ObjectRole: return e.object;
    case AddressRole: return e.address;
    case WarningRole: return e.warning;
    default: return {};
    }
}

QHash<int, QByteArray> AuditRecordModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {SeqRole, "seq"},
            {AtRole, "at"},
            {WhenRole, "when"},
            {ShortWhenRole, "shortWhen"},
            {ActionRole, "action"},
            {ActionTextRole, "actionText"},
            {WhoRole, "who"},
            {ByPatientRole, "byPatient"},
            {DeviceRole, "device"},
            {ObjectRole, "object"},
            {AddressRole, "address"},
            {WarningRole, "warning"}};
}

bool AuditRecordModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && m_fetch;
}

void AuditRecordModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        m_fetch(); // the controller asks once, and ignores a second call while a page is on its way
}

void AuditRecordModel::reset(const QList<AuditEntry> &entries)
{
    beginResetModel();
    m_rows = entries;
    endResetModel();
}

void AuditRecordModel::append(const QList<AuditEntry> &entries)
{
    if (entries.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    m_rows += entries;
    endInsertRows();
}

void AuditRecordModel::setMore(bool hasMore, std::function<void()> fetch)
{
    m_hasMore = hasMore;
    m_fetch = std::move(fetch);
}

} // namespace larch
