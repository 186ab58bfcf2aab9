// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Staff devices waiting for a colleague's approval, as a list this approved staff device can act on.
#pragma once

#include "client/e2ee/DeviceDirectory.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace larch {

class LocalStore;

/// The pending staff devices of the practice (App.security.pendingDevices); empty unless this is an approved staff device.
class PendingDeviceModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The devices waiting for approval are App.security.pendingDevices.")
    /// Devices waiting for approval.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        DeviceIdRole = Qt::UserRole
            + 1, ///< deviceId: the protocol id, for App.security.approveDevice / App.security.declineDevice
        UserNameRole, ///< userName: the staff member the device belongs to
        DeviceNameRole, ///< deviceName: what the device calls itself, e.g. "Desktop (reception-pc)"
        TimeTextRole, ///< timeText: when it was added: "14:05" today, "Mon" within the week, "12 Nov" older
    };
    Q_ENUM(Role)

    explicit PendingDeviceModel(LocalStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_devices.size()); }

    /// Replaces the list, inserting, removing and updating only the rows that changed.
    void setDevices(const QList<DeviceInfo> &devices);

signals:
    void countChanged();

private:
    LocalStore *m_store;
    QList<DeviceInfo> m_devices;
};

} // namespace larch
