// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/PendingDeviceModel.h"

#include "client/store/LocalStore.h"
#include "models/conversations/TimeText.h"

namespace larch {

PendingDeviceModel::PendingDeviceModel(LocalStore *store, QObject *parent) : QAbstractListModel(parent), m_store(store)
{ }

int PendingDeviceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

QVariant PendingDeviceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceInfo &d = m_devices.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DeviceNameRole: return d.name;
    case DeviceIdRole: return d.id;
    case UserNameRole: return m_store->conversations().memberName(d.userId);
    case TimeTextRole: return TimeText::listTime(TimeText::fromMs(d.createdAt));
    default: return {};
    }
}

QHash<int, QByteArray> PendingDeviceModel::roleNames() const
{
    return {{DeviceIdRole, "deviceId"},
            {UserNameRole, "userName"},
            {DeviceNameRole, "deviceName"},
            {TimeTextRole, "timeText"}};
}

void PendingDeviceModel::setDevices(const QList<DeviceInfo> &devices)
{
    const int before = count();
    // Remove rows that left, then update or append; the list is short (devices awaiting a decision).
    for (int row = int(m_devices.size()) - 1; row >= 0; --row) {
        const QString id = m_devices.at(row).id;
        const bool stays =
            std::any_of(devices.cbegin(), devices.cend(), [&](const DeviceInfo &d) { return d.id == id; });
        if (!stays) {
            beginRemoveRows({}, row, row);
            m_devices.removeAt(row);
            endRemoveRows();
        }
    }
    for (const DeviceInfo &d : devices) {
        const auto it =
            std::find_if(m_devices.begin(), m_devices.end(), [&](const DeviceInfo &x) { return x.id == d.id; });
        if (it != m_devices.end()) {
            if (it->name != d.name || it->createdAt != d.createdAt || it->userId != d.userId) {
                *it = d;
                const int row = int(it - m_devices.begin());
                emit dataChanged(index(row), index(row));
            }
            continue;
        }
        const int row = int(m_devices.size());
        beginInsertRows({}, row, row);
        m_devices.append(d);
        endInsertRows();
    }
    if (count() != before)
        emit countChanged();
}

} // namespace larch
