// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practices the server's operator creates, and the one-time link with which their first administrator chooses a
// password (docs/server.md, "Creating a practice").
#pragma once

#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <QString>

namespace larch::server {

/// Creates a practice with an administrator who has no password yet, and sets that password through the setup
/// link (/setup/<token>), once, before the link expires. Only the link's SHA-256 is stored.
class PracticeSetup {
public:
    /// How long a setup link works by default.
    static constexpr qint64 DefaultLinkLifetimeMs = 72LL * 3600 * 1000;

    explicit PracticeSetup(Storage &storage) : m_storage(storage), m_audit(storage) { }

    /// What the operator is told: the practice, its administrator, and the link's token and expiry.
    struct Created {
        PracticeRecord practice;
        User admin;
        QString token;
        qint64 expiresAt = 0;
    };
    /// Throws RequestError: 400 invalid_field for a bad name or email, 409 conflict when the email is in use.
    Created create(const QString &practiceName, const QString &adminName, const QString &adminEmail,
                   qint64 linkLifetimeMs = DefaultLinkLifetimeMs);
    /// Where the link of token stands now.
    SetupLinkState state(const QString &token);
    /// Sets the password when the link is Open and the password within the protocol's limits; the link is then
    /// used up. Returns the link's state before (Open means the password is set); throws RequestError 400
    /// invalid_field for a password that is too short or too long. address (where the form came from) goes into the
    /// audit record.
    SetupLinkState setPassword(const QString &token, const QString &password, const QString &address = {});

private:
    Storage &m_storage;
    AuditLog m_audit;
};

} // namespace larch::server
