// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A practice's settings for invitations: the region national phone numbers are read in, and the invitation text.
#pragma once

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

    /// {"defaultRegion", "invitationText", "invitationTextIsDefault"}.
    QJsonObject get(const User &caller, const QString &practiceId);
    /// Changes the fields given (a null optional leaves it); validates everything before writing anything.
    QJsonObject update(const User &caller, const QString &practiceId, const std::optional<QString> &defaultRegion,
                       const std::optional<QString> &invitationText);

private:
    Storage &m_storage;
    InviteService &m_invites;
};

} // namespace larch::server
