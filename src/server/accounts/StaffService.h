// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The practice's staff as its administrators manage them: the list, adding a colleague by email, roles.
#pragma once

#include "server/accounts/RateLimiter.h"
#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <functional>
#include <QJsonObject>
#include <QList>

namespace larch::server {

class Courier;

/// One staff member as an administrator sees them (docs/protocol.md, "Staff").
struct StaffMember {
    User user;
    bool twoFactor = false; ///< two-factor sign-in is on
    bool passwordSet = false; ///< false until they choose a password through their setup link
    QJsonObject toJson() const;
};

/// Administrators list the staff, add a colleague (who gets an emailed one-time link to choose a password, so
/// nobody else ever knows it), send that link again, and change roles. A practice always keeps an administrator:
/// nobody changes their own role. Each change writes an audit record.
class StaffService {
public:
    /// How long an emailed setup link works.
    static constexpr qint64 SetupLinkLifetimeMs = 72LL * 3600 * 1000;
    /// Setup links a practice may email in an hour (new staff and links sent again), so a stolen administrator
    /// session cannot flood an address.
    static constexpr int SetupLinksPerHour = 30;

    /// publicUrl() is read when a link is sent: links are <publicUrl>/setup/<token>.
    StaffService(Storage &storage, Courier &courier, std::function<QString()> publicUrl)
        : m_storage(storage), m_courier(courier), m_publicUrl(std::move(publicUrl)), m_audit(storage)
    { }

    /// GET /v1/practices/{id}/staff: active staff, oldest first. Administrators only (403), of that practice (404).
    QList<StaffMember> list(const Authenticated &caller, const QString &practiceId);
    /// POST …/staff without a password: a new staff member and an emailed setup link. 409 when the email is in use.
    StaffMember add(const Authenticated &caller, const QString &practiceId, const QString &name, const QString &email,
                    const QString &role, const QString &address);
    /// POST …/staff/{userId}/setup-link: a new link for someone who has not chosen a password yet (the earlier link
    /// stops working); 409 when they have one.
    StaffMember resendSetupLink(const Authenticated &caller, const QString &practiceId, const QString &userId,
                                const QString &address);
    /// PATCH …/staff/{userId} {"role"}: 409 for the caller's own role, 404 for someone who is not active staff.
    StaffMember changeRole(const Authenticated &caller, const QString &practiceId, const QString &userId,
                           const QString &role, const QString &address);

private:
    void requireAdminOf(const Authenticated &caller, const QString &practiceId);
    /// The active staff member userId of practiceId, or 404.
    User staffMember(const QString &practiceId, const QString &userId);
    StaffMember memberOf(const User &user);
    /// Emails the link of token to user.
    void sendLink(const User &user, const QString &token);
    /// Counts one email against the practice's hourly limit; 429 rate_limited past it.
    void takeEmail(const QString &practiceId);

    Storage &m_storage;
    Courier &m_courier;
    std::function<QString()> m_publicUrl;
    AuditLog m_audit;
    RateLimiter m_emails{SetupLinksPerHour, 3600 * 1000};
};

} // namespace larch::server
