// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/storage/sqlite/SqliteSecurityStorage.h"

namespace larch::server {

std::optional<TwoFactorRecord> SqliteSecurityStorage::twoFactor(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT user_id, sealed_secret, COALESCE(enabled_at, 0), last_step FROM two_factor WHERE user_id = ?")
        .with(userId)
        .one([](Statement &s) {
            return TwoFactorRecord{s.text(0), s.blob(1), s.integer(2), s.integer(3)};
        });
}

bool SqliteSecurityStorage::beginTwoFactor(const QString &userId, const QByteArray &sealedSecret, qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("INSERT INTO two_factor (user_id, sealed_secret, enabled_at, last_step, created_at) "
                  "VALUES (?1, ?2, NULL, 0, ?3) ON CONFLICT (user_id) DO UPDATE SET sealed_secret = ?2, "
                  "created_at = ?3 WHERE enabled_at IS NULL")
        .with(userId, sealedSecret, now)
        .exec();
    const bool begun = m_db->changes() == 1;
    tx.commit();
    return begun;
}

void SqliteSecurityStorage::writeCodes(const QString &userId, const QList<QByteArray> &codeDigests)
{
    m_db->prepare("DELETE FROM two_factor_recovery_codes WHERE user_id = ?").with(userId).exec();
    for (const QByteArray &digest : codeDigests)
        m_db->prepare("INSERT INTO two_factor_recovery_codes (user_id, digest, used_at) VALUES (?, ?, NULL)")
            .with(userId, digest)
            .exec();
}

bool SqliteSecurityStorage::enableTwoFactor(const QString &userId, qint64 step, const QList<QByteArray> &codeDigests,
                                            qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("UPDATE two_factor SET enabled_at = ?2, last_step = ?3 WHERE user_id = ?1 AND enabled_at IS NULL")
        .with(userId, now, step)
        .exec();
    if (m_db->changes() != 1)
        return false;
    writeCodes(userId, codeDigests);
    tx.commit();
    return true;
}

bool SqliteSecurityStorage::useTotpStep(const QString &userId, qint64 step)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE two_factor SET last_step = ?2 WHERE user_id = ?1 AND last_step < ?2 "
                  "AND enabled_at IS NOT NULL")
        .with(userId, step)
        .exec();
    return m_db->changes() == 1;
}

bool SqliteSecurityStorage::useRecoveryCode(const QString &userId, const QByteArray &digest, qint64 now)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE two_factor_recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND digest = ?2 "
                  "AND used_at IS NULL")
        .with(userId, digest, now)
        .exec();
    return m_db->changes() == 1;
}

int SqliteSecurityStorage::recoveryCodesLeft(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    return int(m_db->prepare("SELECT COUNT(*) FROM two_factor_recovery_codes WHERE user_id = ? AND used_at IS NULL")
                   .with(userId)
                   .one([](Statement &s) { return s.integer(0); })
                   .value_or(0));
}

void SqliteSecurityStorage::replaceRecoveryCodes(const QString &userId, const QList<QByteArray> &codeDigests)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    writeCodes(userId, codeDigests);
    tx.commit();
}

void SqliteSecurityStorage::removeTwoFactor(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("DELETE FROM two_factor_recovery_codes WHERE user_id = ?").with(userId).exec();
    m_db->prepare("DELETE FROM two_factor_challenges WHERE user_id = ?").with(userId).exec();
    m_db->prepare("DELETE FROM two_factor WHERE user_id = ?").with(userId).exec();
    tx.commit();
}

void SqliteSecurityStorage::createChallenge(const QByteArray &tokenDigest, const TwoFactorChallenge &challenge,
                                            qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("DELETE FROM two_factor_challenges WHERE expires_at <= ?").with(now).exec();
    m_db->prepare("INSERT INTO two_factor_challenges (token_digest, user_id, expires_at, attempts) VALUES (?, ?, ?, ?)")
        .with(tokenDigest, challenge.userId, challenge.expiresAt, challenge.attempts)
        .exec();
    tx.commit();
}

std::optional<TwoFactorChallenge> SqliteSecurityStorage::challenge(const QByteArray &tokenDigest)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT user_id, expires_at, attempts FROM two_factor_challenges WHERE token_digest = ?")
        .with(tokenDigest)
        .one([](Statement &s) {
            return TwoFactorChallenge{s.text(0), s.integer(1), int(s.integer(2))};
        });
}

int SqliteSecurityStorage::failChallenge(const QByteArray &tokenDigest)
{
    std::lock_guard lock(m_mutex);
    return int(m_db->prepare("UPDATE two_factor_challenges SET attempts = attempts + 1 WHERE token_digest = ? "
                             "RETURNING attempts")
                   .with(tokenDigest)
                   .one([](Statement &s) { return s.integer(0); })
                   .value_or(0));
}

void SqliteSecurityStorage::removeChallenge(const QByteArray &tokenDigest)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("DELETE FROM two_factor_challenges WHERE token_digest = ?").with(tokenDigest).exec();
}

PracticePolicy SqliteSecurityStorage::practicePolicy(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT two_factor_required, idle_lock_minutes, patients_may_call FROM practices WHERE id = ?")
        .with(practiceId)
        .one([](Statement &s) {
            return PracticePolicy{s.integer(0) != 0, int(s.integer(1)), s.integer(2) != 0};
        })
        .value_or(PracticePolicy{});
}

void SqliteSecurityStorage::setPracticePolicy(const QString &practiceId, const PracticePolicy &policy)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE practices SET two_factor_required = ?, idle_lock_minutes = ?, patients_may_call = ? "
                  "WHERE id = ?")
        .with(qint64(policy.twoFactorRequired), qint64(policy.idleLockMinutes), qint64(policy.patientsMayCall),
              practiceId)
        .exec();
}

bool SqliteSecurityStorage::mustEnrolTwoFactor(const QString &userId, const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT p.two_factor_required AND NOT EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = ?1 "
                  "AND t.enabled_at IS NOT NULL) FROM practices p WHERE p.id = ?2")
        .with(userId, practiceId)
        .one([](Statement &s) { return s.integer(0) != 0; })
        .value_or(false);
}

} // namespace larch::server
