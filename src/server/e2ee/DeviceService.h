// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Devices of users: registering (and binding the session), listing, approving staff devices, revoking,
// and deactivating a staff member.
#pragma once

#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

namespace larch::server {

/// Device rules (docs/security.md, "Device keys" and "Practice key"). Who may see a user's devices: the
/// user, staff of the user's practice, and a patient for the staff of their practice; anyone else gets 404.
class DeviceService {
public:
    DeviceService(Storage &storage, EventHub &hub) : m_storage(storage), m_hub(hub) { }

    struct Registered {
        DeviceRecord device;
        bool created = false; ///< false when the same device was registered before (200)
    };
    Registered registerDevice(const Authenticated &caller, const QString &deviceId, const QString &name,
                              const QString &boxPublicKey, const QString &signPublicKey);
    QList<DeviceRecord> userDevices(const User &caller, const QString &userId);
    QList<DeviceRecord> conversationDevices(const ConversationRecord &conversation);
    /// Approves a pending staff device with a grant of every practice key version and practice identity version.
    DeviceRecord approve(const Authenticated &caller, const QString &deviceId, const QList<VersionGrant> &grants,
                         const QList<VersionGrant> &identityGrants);
    void revoke(const Authenticated &caller, const QString &deviceId);
    void deactivateStaff(const Authenticated &caller, const QString &practiceId, const QString &userId);

    /// Everyone who shares a conversation with user, and the user: who hears of their devices.
    QStringList audienceOf(const User &user);
    /// The ids of the practice's staff who are not deactivated.
    QStringList staffIds(const QString &practiceId);
    /// Staff of every practice the patient has a conversation with (a patient invited by several practices).
    QStringList patientStaffIds(const QString &patientId);

private:
    /// The user when caller may see them, else 404.
    User visibleUser(const User &caller, const QString &userId);

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    EventHub &m_hub;
};

/// 403 device_required unless the caller's session acts as an active device.
void requireActiveDevice(const Authenticated &caller);
/// The 409 conflict for a refused key write, with a sentence saying what to fix.
[[noreturn]] void throwKeyConflict(KeyConflict conflict, const QString &detail);

} // namespace larch::server
