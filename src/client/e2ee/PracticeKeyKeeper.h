// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Makes, rotates and hands out the practice key from an active staff device.
#pragma once

#include "client/e2ee/DeviceDirectory.h"

#include <functional>
#include <QObject>
#include <QString>

namespace larch {

class ApiClient;
class KeyRing;
class LocalStore;

/// Makes, rotates and hands out the practice key: the duties of an approved staff device.
/// docs/security.md, "Practice key": the first staff device makes version 1; after a staff member is removed a
/// new version is sealed to the remaining staff devices; a colleague's pending device is approved by sealing
/// every version to it.
class PracticeKeyKeeper : public QObject {
    Q_OBJECT
public:
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &error)>;

    PracticeKeyKeeper(LocalStore *store, ApiClient *api, KeyRing *keys, DeviceDirectory *devices,
                      QObject *parent = nullptr);

    /// Fetches the practice key state; makes the first version or rotates when needed. Active staff only.
    void ensureCurrent(Done done);
    /// Seals every practice key version to a pending staff device and approves it.
    void approve(const QString &deviceId, Done done);
    void stop()
    {
        ++m_generation;
        m_busy = false;
    }

private:
    void makeVersion(qint64 version, int attemptsLeft, Done done);
    void sealToStaff(qint64 version, const QList<DeviceInfo> &staff, int attemptsLeft, Done done);

    LocalStore *m_store;
    ApiClient *m_api;
    KeyRing *m_keys;
    DeviceDirectory *m_devices;
    bool m_busy = false;
    quint64 m_generation = 0;
};

} // namespace larch
