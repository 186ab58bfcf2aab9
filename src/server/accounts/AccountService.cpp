// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/AccountService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/transport/Clock.h"

#include <QDateTime>
#include <QJsonDocument>

namespace larch::server {
namespace {

RequestError wrongCredentials()
{
    return {401, QStringLiteral("wrong_credentials"), QStringLiteral("The email or the password is not right.")};
}

/// A hash of a random password, verified against when the email is unknown so that both failures take
/// the same time and do not reveal which emails have accounts.
const QByteArray &decoyHash()
{
    static const QByteArray hash = PasswordHash::hash(newToken());
    return hash;
}

} // namespace

void AccountService::emailInUse()
{
    throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("This email address is already in use."));
}

UserRecord AccountService::newUser(const QString &practiceId, const QString &name, const QString &email,
                                   const QString &password, const QString &role)
{
    UserRecord r;
    r.user = User{newId(), name, email, role, practiceId};
    r.passwordHash = PasswordHash::hash(password);
    if (r.passwordHash.isEmpty())
        throw std::runtime_error("password hashing failed");
    r.createdAt = nowMs();
    return r;
}

QJsonObject AccountService::SignInResult::toJson() const
{
    if (session)
        return session->toJson();
    return {{"twoFactor", QJsonObject{{"challenge", challenge}, {"expiresAt", challengeExpiresAt}}}};
}

Session AccountService::openSession(const User &user)
{
    Session s;
    s.token = newToken();
    const qint64 now = nowMs();
    s.expiresAt = now + m_sessionLifetimeMs;
    s.user = user;
    s.twoFactorEnrolmentRequired = user.isStaff() && m_storage.security().mustEnrolTwoFactor(user.id, user.practiceId);
    m_storage.accounts().createSession(tokenDigest(s.token), user.id, now, s.expiresAt);
    return s;
}

AccountService::NewPractice AccountService::createPractice(const QString &practiceName, const QString &adminName,
                                                           const QString &adminEmail, const QString &adminPassword)
{
    if (!m_openRegistration)
        throw RequestError(403, QStringLiteral("registration_closed"),
                           QStringLiteral("This server does not take new practices by sign-up; its operator creates "
                                          "them with larch-server practice create."));
    if (m_storage.accounts().userByEmail(adminEmail))
        emailInUse();
    PracticeRecord practice{newId(), practiceName, nowMs()};
    const UserRecord admin = newUser(practice.id, adminName, adminEmail, adminPassword, QStringLiteral("admin"));
    if (!m_storage.accounts().createPractice(practice, admin))
        emailInUse();
    m_audit.record(AuditLog::of(admin.user), QStringLiteral("practice_created"), {practice.id});
    return NewPractice{practice, admin.user, openSession(admin.user)};
}

AccountService::SignInResult AccountService::signIn(const QString &email, const QString &password,
                                                    const QString &remoteAddress)
{
    const qint64 now = nowMs();
    if (!m_limiter.begin(email, remoteAddress, now)) {
        m_audit.record(AuditLog::Actor{{}, {}, {}, remoteAddress}, QStringLiteral("sign_in_limited"));
        throw RequestError(429, QStringLiteral("rate_limited"),
                           QStringLiteral("Too many sign-in attempts; wait a minute and try again."));
    }
    const auto record = m_storage.accounts().userByEmail(email);
    const bool ok = PasswordHash::verify(record ? record->passwordHash : decoyHash(), password) && record;
    if (!ok) {
        // The account it named, when there is one; never the email typed.
        m_audit.record(record ? AuditLog::of(record->user, {}, remoteAddress)
                              : AuditLog::Actor{{}, {}, {}, remoteAddress},
                       QStringLiteral("sign_in_failed"));
        throw wrongCredentials(); // the attempt stays counted
    }
    m_limiter.succeeded(email, remoteAddress, now);
    // Said only after the right password, so it tells nothing to someone guessing.
    if (record->deactivated)
        throw RequestError(401, QStringLiteral("account_deactivated"),
                           QStringLiteral("This account was deactivated by the practice; ask an administrator."));
    if (m_twoFactor.isEnabled(record->user.id)) {
        // The password was right; the session waits for the code (its own audit record says how it ended).
        SignInResult r;
        r.challenge = m_twoFactor.challenge(record->user, &r.challengeExpiresAt);
        return r;
    }
    m_audit.record(AuditLog::of(record->user, {}, remoteAddress), QStringLiteral("sign_in"));
    return SignInResult{openSession(record->user), {}, 0};
}

Session AccountService::answerChallenge(const QString &challenge, const QString &code, const QString &remoteAddress)
{
    const QString userId = m_twoFactor.answer(challenge, code, remoteAddress);
    const auto user = m_storage.accounts().user(userId);
    const auto record = user ? m_storage.accounts().userByEmail(user->email) : std::nullopt;
    if (!record || record->deactivated)
        throw RequestError(401, QStringLiteral("account_deactivated"),
                           QStringLiteral("This account was deactivated by the practice; ask an administrator."));
    m_audit.record(AuditLog::of(record->user, {}, remoteAddress), QStringLiteral("sign_in"));
    return openSession(record->user);
}

Authenticated AccountService::authenticate(const QString &token, bool allowEnrolment)
{
    const RequestError unauthorized(401, QStringLiteral("unauthorized"),
                                    QStringLiteral("Sign in first: this request needs a valid session token."));
    if (token.isEmpty() || token.size() > 256)
        throw unauthorized;
    const QByteArray digest = tokenDigest(token);
    const auto s = m_storage.accounts().session(digest);
    if (!s || s->revoked || s->deactivated)
        throw unauthorized;
    if (s->expiresAt <= nowMs())
        throw RequestError(401, QStringLiteral("session_expired"),
                           QStringLiteral("Your session has expired; sign in again."));
    Authenticated a{s->user, s->expiresAt, digest, s->deviceId, s->deviceState};
    a.mustEnrolTwoFactor = a.user.isStaff() && m_storage.security().mustEnrolTwoFactor(a.user.id, a.user.practiceId);
    if (a.mustEnrolTwoFactor && !allowEnrolment)
        throw RequestError(403, QStringLiteral("two_factor_enrolment_required"),
                           QStringLiteral("Your practice requires two-factor sign-in: set it up to go on."));
    return a;
}

void AccountService::signOut(const Authenticated &session, const QString &address)
{
    m_audit.record(AuditLog::of(session.user, session.deviceId, address), QStringLiteral("sign_out"));
    m_storage.accounts().revokeSession(session.sessionDigest);
    // Its sockets close at once, before the 204, so nothing stored after the sign-out reaches them; the user's
    // other sessions (other devices) keep theirs.
    m_hub.closeSessions(session.user.id, {session.sessionDigest}, SessionEndedCloseCode);
}

void AccountService::revokeAll(const User &caller, const QString &userId, const QString &address)
{
    if (userId != caller.id) {
        const auto target = isValidId(userId) ? m_storage.accounts().user(userId) : std::nullopt;
        if (!target || target->practiceId != caller.practiceId)
            throw RequestError::notFound();
        if (!caller.isAdmin())
            throw RequestError::forbidden();
    }
    m_storage.accounts().revokeSessions(userId);
    m_hub.closeUser(userId, SessionEndedCloseCode);
    m_audit.record(AuditLog::of(caller, {}, address), QStringLiteral("sessions_revoked"), {userId});
}

void AccountService::closeUnenrolledSockets(const QString &practiceId)
{
    for (const User &member : m_storage.accounts().staff(practiceId))
        if (m_storage.security().mustEnrolTwoFactor(member.id, practiceId))
            m_hub.closeUser(member.id, TwoFactorRequiredCloseCode);
}

void AccountService::requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly)
{
    if (caller.practiceId != practiceId)
        throw RequestError::notFound();
    if (adminOnly ? !caller.isAdmin() : !caller.isStaff())
        throw RequestError::forbidden();
}

User AccountService::addStaff(const User &caller, const QString &practiceId, const QString &name, const QString &email,
                              const QString &password, const QString &role)
{
    requireStaffOf(caller, practiceId, true);
    if (m_storage.accounts().userByEmail(email))
        emailInUse();
    const UserRecord r = newUser(practiceId, name, email, password, role);
    if (!m_storage.accounts().createUser(r))
        emailInUse();
    m_audit.record(AuditLog::of(caller), QStringLiteral("staff_added"), {r.user.id});
    return r.user;
}

AccountService::NewPatient AccountService::addPatient(const User &caller, const QString &practiceId,
                                                      const QString &name, const QString &email,
                                                      const QString &password)
{
    requireStaffOf(caller, practiceId, false);
    if (m_storage.accounts().userByEmail(email))
        emailInUse();
    const UserRecord patient = newUser(practiceId, name, email, password, QStringLiteral("patient"));
    ConversationRecord c;
    c.id = newId();
    c.practiceId = practiceId;
    c.patientId = patient.user.id;
    c.title = name;
    c.createdAt = c.lastActivityAt = patient.createdAt;
    const QList<User> staff = m_storage.accounts().staff(practiceId);
    // A new conversation has no messages and no read markers, so every member sees the same copy.
    const Conversation view = m_conversations.view(c, caller.id, staff, patient.user);
    const QByteArray data = QJsonDocument(view.toJson()).toJson(QJsonDocument::Compact);
    QList<NewEvent> events{NewEvent{patient.user.id, QString::fromLatin1(EventType::ConversationCreated), data}};
    for (const User &s : staff)
        events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationCreated), data});
    const bool created = m_hub
                             .commit([&] {
                                 QList<StoredEvent> stored;
                                 const bool ok = m_storage.accounts().createPatient(patient, c, events, &stored);
                                 return std::make_pair(ok, stored);
                             })
                             .first;
    if (!created)
        emailInUse();
    m_audit.record(AuditLog::of(caller), QStringLiteral("patient_added"), {patient.user.id, c.id});
    return NewPatient{patient.user, view};
}

} // namespace larch::server
