// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A practice's settings: invitations (the region national numbers are read in, the invitation text) and security
// policy (two-factor sign-in required, the idle lock).
#pragma once

#include "server/audit/AuditLog.h"
#include "server/invites/InviteService.h"
#include "server/storage/Storage.h"

#include <optional>
#include <QJsonObject>

namespace larch::server {

/// GET and PATCH /v1/practices/{id}/settings (docs/protocol.md). Staff of the practice read them; only its
/// administrators change them; everyone else gets 404.
class PracticeSettings {
public:
    PracticeSettings(Storage &storage, InviteService &invites) : m_storage(storage), m_invites(invites) { }

    static constexpr int IdleLockMinutesMax = 60;

    /// The settings a PATCH changes; a null optional leaves that one as it is.
    struct Changes {
        std::optional<QString> defaultRegion;
        std::optional<QString> invitationText;
        std::optional<bool> twoFactorRequired;
        std::optional<int> idleLockMinutes; ///< 1 to IdleLockMinutesMax
        std::optional<bool> patientsMayCall;
        bool isEmpty() const
        {
            return !defaultRegion && !invitationText && !twoFactorRequired && !idleLockMinutes && !patientsMayCall;
        }
    };

    /// {"defaultRegion", "invitationText", "invitationTextIsDefault", "twoFactorRequired", "idleLockMinutes",
    /// "patientsMayCall"}.
    QJsonObject get(const User &caller, const QString &practiceId);
    /// Changes the fields given; validates everything before writing anything. A change of security policy writes
    /// its own audit record.
    QJsonObject update(const User &caller, const QString &practiceId, const Changes &changes);

private:
    Storage &m_storage;
    InviteService &m_invites;
    AuditLog m_audit{m_storage};
};

} // namespace larch::server
