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

/// Makes, rotates and hands out the practice key and the practice identity: the duties of an approved staff device.
/// docs/security.md, "Practice key": the first staff device makes version 1; after a staff member is removed a
/// new version is sealed to the remaining staff devices; a colleague's pending device is approved by sealing
/// every version to it. "Practice identity pinning": an administrator's device makes the identity with a key version
/// (the first, or the next one for a practice older than identities); a removal rotates it with the key, the new
/// version signed by the one before; every key version is signed by the current identity, whose seed is sealed to
/// the staff devices like the key.
class PracticeKeyKeeper : public QObject {
    Q_OBJECT
public:
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &error)>;

    PracticeKeyKeeper(LocalStore *store, ApiClient *api, KeyRing *keys, DeviceDirectory *devices,
                      QObject *parent = nullptr);

    /// Fetches the practice key state; makes the first version or rotates when needed. Active staff only.
    void ensureCurrent(Done done);
    /// Seals every practice key version and practice identity version to a pending staff device and approves it.
    void approve(const QString &deviceId, Done done);
    /// Administrators: replaces the practice identity with a new one not signed by the current one, with a new key
    /// version. Every patient's app then warns before sending again: only for a practice that lost its identity.
    void replaceIdentity(Done done);
    /// Whether this device's user is an administrator of the practice (who makes and replaces the identity).
    void setAdmin(bool admin) { m_admin = admin; }
    void stop()
    {
        ++m_generation;
        m_busy = false;
    }

private:
    /// What a new key version does to the practice identity.
    enum class IdentityStep {
        Keep, ///< signed by the current identity (none: unsigned, a practice without one)
        Create, ///< identity version 1 is made with it
        Rotate, ///< the next identity version, signed by the current one, is made with it
        Replace, ///< the next identity version, unsigned, is made with it
    };
    /// Looks at the practice key state and makes the version it needs, if any.
    void decide(int attemptsLeft, Done done);
    void makeVersion(qint64 version, IdentityStep step, int attemptsLeft, Done done);
    void sealToStaff(qint64 version, IdentityStep step, const QList<DeviceInfo> &staff, int attemptsLeft, Done done);

    LocalStore *m_store;
    ApiClient *m_api;
    KeyRing *m_keys;
    DeviceDirectory *m_devices;
    bool m_busy = false;
    bool m_admin = false;
    quint64 m_generation = 0;
};

} // namespace larch
