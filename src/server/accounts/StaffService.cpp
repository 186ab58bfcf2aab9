// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/StaffService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/delivery/Courier.h"
#include "server/transport/Clock.h"

namespace larch::server {

QJsonObject StaffMember::toJson() const
{
    QJsonObject o = user.toJson();
    o.insert(QStringLiteral("twoFactor"), twoFactor);
    o.insert(QStringLiteral("passwordSet"), passwordSet);
    return o;
}

void StaffService::requireAdminOf(const Authenticated &caller, const QString &practiceId)
{
    if (caller.user.practiceId != practiceId)
        throw RequestError::notFound();
    if (!caller.user.isAdmin())
        throw RequestError::forbidden();
}

User StaffService::staffMember(const QString &practiceId, const QString &userId)
{
    for (const User &u : m_storage.accounts().staff(practiceId)) {
        if (u.id == userId)
            return u;
    }
    throw RequestError::notFound();
}

StaffMember StaffService::memberOf(const User &user)
{
    const auto twoFactor = m_storage.security().twoFactor(user.id);
    return StaffMember{user, twoFactor && twoFactor->enabledAt > 0, m_storage.accounts().hasPassword(user.id)};
}

QList<StaffMember> StaffService::list(const Authenticated &caller, const QString &practiceId)
{
    requireAdminOf(caller, practiceId);
    QList<StaffMember> out;
    for (const User &u : m_storage.accounts().staff(practiceId))
        out.append(memberOf(u));
    return out;
}

void StaffService::takeEmail(const QString &practiceId)
{
    if (!m_emails.take(practiceId, nowMs()))
        throw RequestError(429, QStringLiteral("rate_limited"),
                           QStringLiteral("Too many setup links were sent from this practice in the last hour. Try "
                                          "again later."));
}

void StaffService::sendLink(const User &user, const QString &token)
{
    // Neither the practice's name nor who added them: the email says what to do and where, nothing more.
    Delivery d;
    d.channel = Channel::Email;
    d.to = user.email;
    d.subject = QStringLiteral("Choose your Larch password");
    d.body = QStringLiteral("You were added as staff on Larch, the secure conversations app.\n\n"
                            "Choose your password here (the link works once, for 3 days):\n%1/setup/%2\n\n"
                            "If you did not expect this, ignore this email; nobody can sign in as you without it.\n")
                 .arg(m_publicUrl(), token);
    m_courier.enqueue(d);
}

StaffMember StaffService::add(const Authenticated &caller, const QString &practiceId, const QString &name,
                              const QString &email, const QString &role, const QString &address)
{
    requireAdminOf(caller, practiceId);
    takeEmail(practiceId);
    const qint64 now = nowMs();
    UserRecord record;
    record.user = User{newId(), name, email, role, practiceId};
    record.createdAt = now; // no password: nobody can sign in as them until they use the link
    const QString token = newToken();
    if (!m_storage.accounts().createUserWithSetupLink(record, tokenDigest(token), now + SetupLinkLifetimeMs))
        throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("This email address is already in use."));
    sendLink(record.user, token);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId, address), QStringLiteral("staff_added"),
                   {record.user.id});
    return StaffMember{record.user, false, false};
}

StaffMember StaffService::resendSetupLink(const Authenticated &caller, const QString &practiceId, const QString &userId,
                                          const QString &address)
{
    requireAdminOf(caller, practiceId);
    const User user = staffMember(practiceId, userId);
    takeEmail(practiceId);
    const QString token = newToken();
    if (!m_storage.accounts().renewSetupLink(user.id, tokenDigest(token), nowMs() + SetupLinkLifetimeMs))
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("This person has already chosen a password and signs in with it."));
    sendLink(user, token);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId, address), QStringLiteral("staff_setup_link_sent"),
                   {user.id});
    return memberOf(user);
}

StaffMember StaffService::changeRole(const Authenticated &caller, const QString &practiceId, const QString &userId,
                                     const QString &role, const QString &address)
{
    requireAdminOf(caller, practiceId);
    User user = staffMember(practiceId, userId);
    if (user.id == caller.user.id)
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("You cannot change your own role; ask another administrator."));
    if (user.role != role) {
        if (!m_storage.accounts().setStaffRole(user.id, role, caller.user.id))
            throw RequestError(409, QStringLiteral("conflict"),
                               QStringLiteral("The role did not change: they or you are no longer in the practice's "
                                              "staff as before. Reload the staff list and try again."));
        user.role = role;
        m_audit.record(AuditLog::of(caller.user, caller.deviceId, address), QStringLiteral("staff_role_changed"),
                       {user.id, QStringLiteral("role=") + role});
    }
    return memberOf(user);
}

} // namespace larch::server
