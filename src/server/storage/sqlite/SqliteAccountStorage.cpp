// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteAccountStorage: practices, users and sessions.
#include "server/storage/sqlite/SqliteAccountStorage.h"

#include "core/crypto/Crypto.h"
#include "server/storage/sqlite/SqliteRows.h"

namespace larch::server {

using sqlite_rows::readUser;

bool SqliteAccountStorage::insertUser(const UserRecord &r)
{
    auto exists = m_db->prepare("SELECT 1 FROM users WHERE email = ?");
    exists.bind(1, r.user.email);
    if (exists.step())
        return false;
    m_db->prepare("INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, r.user.id)
        .bind(2, r.user.practiceId)
        .bind(3, r.user.email)
        .bind(4, r.user.name)
        .bind(5, r.user.role)
        .bind(6, r.passwordHash)
        .bind(7, r.createdAt)
        .exec();
    return true;
}

bool SqliteAccountStorage::createPractice(const PracticeRecord &practice, const UserRecord &admin)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertPractice(practice, admin))
        return false;
    tx.commit();
    return true;
}

bool SqliteAccountStorage::createPracticeWithSetupLink(const PracticeRecord &practice, const UserRecord &admin,
                                                       const QByteArray &linkDigest, qint64 expiresAt)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertPractice(practice, admin))
        return false;
    m_db->prepare("INSERT INTO setup_links (link_digest, user_id, expires_at) VALUES (?, ?, ?)")
        .bind(1, linkDigest)
        .bind(2, admin.user.id)
        .bind(3, expiresAt)
        .exec();
    tx.commit();
    return true;
}

bool SqliteAccountStorage::createUserWithSetupLink(const UserRecord &user, const QByteArray &linkDigest,
                                                   qint64 expiresAt)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertUser(user))
        return false;
    m_db->prepare("INSERT INTO setup_links (link_digest, user_id, expires_at) VALUES (?, ?, ?)")
        .with(linkDigest, user.user.id, expiresAt)
        .exec();
    tx.commit();
    return true;
}

bool SqliteAccountStorage::renewSetupLink(const QString &userId, const QByteArray &linkDigest, qint64 expiresAt)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!hasPasswordLocked(userId).value_or(true)) {
        // The earlier links end now: only the newest one sent works.
        m_db->prepare("UPDATE setup_links SET expires_at = 0 WHERE user_id = ? AND used_at IS NULL")
            .with(userId)
            .exec();
        m_db->prepare("INSERT INTO setup_links (link_digest, user_id, expires_at) VALUES (?, ?, ?)")
            .with(linkDigest, userId, expiresAt)
            .exec();
        tx.commit();
        return true;
    }
    return false;
}

std::optional<bool> SqliteAccountStorage::hasPasswordLocked(const QString &userId)
{
    auto s = m_db->prepare("SELECT length(coalesce(password_hash, '')) > 0 FROM users WHERE id = ? "
                           "AND role IN ('admin', 'clinician') AND deactivated_at IS NULL");
    s.with(userId);
    if (!s.step())
        return std::nullopt;
    return s.integer(0) != 0;
}

bool SqliteAccountStorage::hasPassword(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    return hasPasswordLocked(userId).value_or(false);
}

SetupLinkState SqliteAccountStorage::setupLinkLocked(const QByteArray &linkDigest, qint64 now, QString *userId)
{
    // A link of someone deactivated since it was sent opens nothing.
    auto s =
        m_db->prepare("SELECT l.user_id, l.expires_at, l.used_at FROM setup_links l JOIN users u ON u.id = l.user_id "
                      "WHERE l.link_digest = ? AND u.deactivated_at IS NULL");
    s.bind(1, linkDigest);
    if (!s.step())
        return SetupLinkState::Unknown;
    if (!s.isNull(2))
        return SetupLinkState::Used;
    if (s.integer(1) <= now)
        return SetupLinkState::Expired;
    if (userId)
        *userId = s.text(0);
    return SetupLinkState::Open;
}

SetupLinkState SqliteAccountStorage::setupLink(const QByteArray &linkDigest, qint64 now, QString *userId)
{
    std::lock_guard lock(m_mutex);
    return setupLinkLocked(linkDigest, now, userId);
}

SetupLinkState SqliteAccountStorage::useSetupLink(const QByteArray &linkDigest, const QByteArray &passwordHash,
                                                  qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    QString userId;
    const SetupLinkState state = setupLinkLocked(linkDigest, now, &userId);
    if (state != SetupLinkState::Open)
        return state;
    m_db->prepare("UPDATE users SET password_hash = ? WHERE id = ?").bind(1, passwordHash).bind(2, userId).exec();
    m_db->prepare("UPDATE setup_links SET used_at = ? WHERE link_digest = ?").bind(1, now).bind(2, linkDigest).exec();
    tx.commit();
    return SetupLinkState::Open;
}

bool SqliteAccountStorage::insertPractice(const PracticeRecord &practice, const UserRecord &admin)
{
    m_db->prepare("INSERT INTO practices (id, name, created_at) VALUES (?, ?, ?)")
        .bind(1, practice.id)
        .bind(2, practice.name)
        .bind(3, practice.createdAt)
        .exec();
    if (!insertUser(admin))
        return false;
    // Every practice has a Practice Link from the start (docs/practice-links.md).
    PracticeLinkRecord link{
        newId(), practice.id, {}, QStringLiteral("Practice Link"), {}, true, practice.createdAt, practice.createdAt, 0};
    sqlite_steps::insertPracticeLink(*m_db, link);
    return true;
}

bool SqliteAccountStorage::createUser(const UserRecord &user)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertUser(user))
        return false;
    tx.commit();
    return true;
}

bool SqliteAccountStorage::createPatient(const UserRecord &patient, const ConversationRecord &c,
                                         const QList<NewEvent> &events, QList<StoredEvent> *stored)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    if (!insertUser(patient))
        return false;
    sqlite_steps::insertConversation(*m_db, c);
    auto out = sqlite_steps::appendEvents(*m_db, events, c.createdAt);
    tx.commit();
    if (stored)
        *stored = std::move(out);
    return true;
}

std::optional<PracticeRecord> SqliteAccountStorage::practice(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, name, created_at FROM practices WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return PracticeRecord{s.text(0), s.text(1), s.integer(2)};
}

std::optional<UserRecord> SqliteAccountStorage::userByEmail(const QString &email)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role, password_hash, created_at, "
                           "deactivated_at IS NOT NULL FROM users WHERE email = ?");
    s.bind(1, email);
    if (!s.step())
        return std::nullopt;
    return UserRecord{readUser(s, 0), s.blob(5), s.integer(6), s.integer(7) != 0};
}

std::optional<User> SqliteAccountStorage::user(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role FROM users WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return readUser(s, 0);
}

QList<User> SqliteAccountStorage::staff(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, practice_id, email, name, role FROM users "
                           "WHERE practice_id = ? AND role IN ('admin', 'clinician') AND deactivated_at IS NULL "
                           "ORDER BY created_at, id");
    s.bind(1, practiceId);
    QList<User> out;
    while (s.step())
        out.append(readUser(s, 0));
    return out;
}

bool SqliteAccountStorage::setStaffRole(const QString &userId, const QString &role, const QString &adminId)
{
    std::lock_guard lock(m_mutex);
    // The acting administrator is checked in the same statement: two administrators who demote each other at once
    // leave the later one refused, so the practice keeps one.
    m_db->prepare(
            "UPDATE users SET role = ? WHERE id = ? AND role IN ('admin', 'clinician') AND deactivated_at IS NULL "
            "AND EXISTS (SELECT 1 FROM users a WHERE a.id = ? AND a.id <> users.id AND a.role = 'admin' "
            "AND a.deactivated_at IS NULL AND a.practice_id = users.practice_id)")
        .with(role, userId, adminId)
        .exec();
    return m_db->changes() > 0;
}

QStringList SqliteAccountStorage::practicePatients(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    // Secure conversations only: a standard (SMS/email) thread's patient shares nothing with staff through Larch.
    auto s = m_db->prepare("SELECT DISTINCT patient_id FROM conversations WHERE practice_id = ? AND kind = 'secure'");
    s.bind(1, practiceId);
    QStringList out;
    while (s.step())
        out.append(s.text(0));
    return out;
}

void SqliteAccountStorage::createSession(const QByteArray &digest, const QString &userId, qint64 createdAt,
                                         qint64 expiresAt)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("INSERT INTO sessions (token_digest, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(1, digest)
        .bind(2, userId)
        .bind(3, createdAt)
        .bind(4, expiresAt)
        .exec();
}

std::optional<SessionRecord> SqliteAccountStorage::session(const QByteArray &digest)
{
    std::lock_guard lock(m_mutex);
    auto s =
        m_db->prepare("SELECT u.id, u.practice_id, u.email, u.name, u.role, s.expires_at, s.revoked, "
                      "u.deactivated_at IS NOT NULL, d.id, d.state FROM sessions s JOIN users u ON u.id = s.user_id "
                      "LEFT JOIN devices d ON d.id = s.device_id WHERE s.token_digest = ?");
    s.bind(1, digest);
    if (!s.step())
        return std::nullopt;
    return SessionRecord{readUser(s, 0),
                         s.integer(5),
                         s.integer(6) != 0,
                         s.integer(7) != 0,
                         s.isNull(8) ? QString() : s.text(8),
                         s.isNull(9) ? QString() : s.text(9)};
}

void SqliteAccountStorage::revokeSession(const QByteArray &digest)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE token_digest = ?").bind(1, digest).exec();
}

void SqliteAccountStorage::revokeSessions(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ?").bind(1, userId).exec();
}

} // namespace larch::server
