// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practices, staff, patients and sessions: creating accounts, signing in and out, revoking.
#pragma once

#include "server/accounts/SignInLimiter.h"
#include "server/accounts/TwoFactorService.h"
#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

namespace larch::server {

/// Account rules: Argon2id password hashes, token digests only in storage, sign-in rate limits,
/// and role checks (admins add staff, staff add patients).
class AccountService {
public:
    /// sessionLifetimeMs: how long a new session lasts.
    AccountService(Storage &storage, EventHub &hub, ConversationService &conversations, TwoFactorService &twoFactor,
                   qint64 sessionLifetimeMs)
        : m_storage(storage), m_hub(hub), m_conversations(conversations), m_twoFactor(twoFactor),
          m_sessionLifetimeMs(sessionLifetimeMs)
    { }

    struct NewPractice {
        PracticeRecord practice;
        User admin;
        Session session;
    };
    /// POST /v1/practices: only while registration is open (--open-registration, --demo); else 403
    /// registration_closed, and the operator makes practices with larch-server practice create.
    NewPractice createPractice(const QString &practiceName, const QString &adminName, const QString &adminEmail,
                               const QString &adminPassword);
    void setOpenRegistration(bool open) { m_openRegistration = open; }
    /// What a right password leads to: a session, or for an account with two-factor sign-in a challenge the
    /// code is sent with (POST /v1/sessions/two-factor).
    struct SignInResult {
        std::optional<Session> session;
        QString challenge;
        qint64 challengeExpiresAt = 0;
        QJsonObject toJson() const;
    };
    /// Throws 401 wrong_credentials, 401 account_deactivated (right password, removed staff member) or
    /// 429 rate_limited.
    SignInResult signIn(const QString &email, const QString &password, const QString &remoteAddress);
    /// The second step of a sign-in with two-factor: the challenge of signIn and a code. Throws what
    /// TwoFactorService::answer throws.
    Session answerChallenge(const QString &challenge, const QString &code, const QString &remoteAddress);
    /// The session a bearer token names. Throws 401 unauthorized or session_expired, and 403
    /// two_factor_enrolment_required for a session that must enrol first unless allowEnrolment.
    Authenticated authenticate(const QString &token, bool allowEnrolment = false);
    /// Ends the session and closes the event sockets opened with it.
    void signOut(const Authenticated &session, const QString &address = {});
    void revokeAll(const User &caller, const QString &userId, const QString &address = {});
    /// The practice now requires two-factor sign-in: the event sockets of its staff without it close with
    /// TwoFactorRequiredCloseCode, so their apps learn at once and lead them to enrol.
    void closeUnenrolledSockets(const QString &practiceId);
    User addStaff(const User &caller, const QString &practiceId, const QString &name, const QString &email,
                  const QString &password, const QString &role);
    struct NewPatient {
        User user;
        Conversation conversation;
    };
    NewPatient addPatient(const User &caller, const QString &practiceId, const QString &name, const QString &email,
                          const QString &password);

private:
    Session openSession(const User &user);
    UserRecord newUser(const QString &practiceId, const QString &name, const QString &email, const QString &password,
                       const QString &role);
    /// Checks that caller belongs to practiceId (else 404) and is staff, or admin when adminOnly (else 403).
    void requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly);
    [[noreturn]] static void emailInUse();

    Storage &m_storage;
    EventHub &m_hub;
    ConversationService &m_conversations;
    TwoFactorService &m_twoFactor;
    SignInLimiter m_limiter;
    AuditLog m_audit{m_storage};
    const qint64 m_sessionLifetimeMs;
    bool m_openRegistration = false;
};

} // namespace larch::server
