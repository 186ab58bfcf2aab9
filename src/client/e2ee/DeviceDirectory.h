// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The devices of each conversation's members, as the server lists them, kept in memory.
#pragma once

#include "core/protocol/KeyListings.h"

#include <functional>
#include <optional>
#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

namespace larch {

class ApiClient;
class LocalStore;

/// The device lists of conversations, cached in memory and kept current by device events.
/// Checking a message's sender or sealing a key to a patient's devices then needs no round trip.
class DeviceDirectory : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(bool ok)>;

    DeviceDirectory(LocalStore *store, ApiClient *api, QObject *parent = nullptr);

    /// Fetches the conversation's device list (concurrent calls share one request).
    void fetch(const QString &conversationId, Done done);
    bool isLoaded(const QString &conversationId) const { return m_lists.contains(conversationId); }
    QList<DeviceInfo> devices(const QString &conversationId) const { return m_lists.value(conversationId); }
    std::optional<DeviceInfo> device(const QString &conversationId, const QString &deviceId) const;
    /// A device from any loaded list.
    std::optional<DeviceInfo> anyDevice(const QString &deviceId) const;
    /// A device of the conversation's patient, in any state, from the loaded list; nullopt for anyone else's.
    std::optional<DeviceInfo> patientDevice(const QString &conversationId, const QString &deviceId) const;
    /// The active devices of the conversation's patient: every new epoch key is sealed to each of them.
    QList<DeviceInfo> activePatientDevices(const QString &conversationId) const;
    /// Staff devices (every device of the list not the patient's) in the given state, from any loaded list.
    QList<DeviceInfo> staffDevices(const QString &state) const;
    /// Adds or updates a device announced by an event in every loaded list its user belongs to.
    /// Returns the conversations whose list changed; when none knows the user, every list is dropped
    /// so the next use fetches it anew.
    QStringList apply(const DeviceInfo &device);
    void clear();

signals:
    /// A conversation's list was fetched or changed by an event.
    void devicesChanged(const QString &conversationId);

private:
    LocalStore *m_store;
    ApiClient *m_api;
    QHash<QString, QList<DeviceInfo>> m_lists;
    QHash<QString, QList<Done>> m_waiting;
    quint64 m_generation = 0;
};

} // namespace larch
