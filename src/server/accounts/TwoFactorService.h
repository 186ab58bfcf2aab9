// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Two-factor sign-in for staff: enrolment with an authenticator app, recovery codes, and checking codes.
#pragma once

#include "core/protocol/Protocol.h"
#include "server/accounts/SignInLimiter.h"
#include "server/audit/AuditLog.h"
#include "server/storage/Storage.h"

#include <QJsonObject>
#include <QStringList>

namespace larch::server {

/// TOTP (Totp.h) with ten one-time recovery codes (docs/security.md, "Two-factor sign-in"). The secret is sealed with
/// a key derived from the server's code key, so the database alone cannot make codes; recovery codes are kept as
/// keyed digests. Wrong codes count against the same limits as wrong passwords: 10 a minute per account, 30 per
/// address.
class TwoFactorService {
public:
    static constexpr int RecoveryCodeCount = 10;
    static constexpr int ChallengeAttempts = 5; ///< wrong codes before the password has to be typed again
    static constexpr qint64 ChallengeLifetimeMs = 5 * 60 * 1000;

    /// codeKey: CodeKey::Size bytes (CodeKey.h).
    TwoFactorService(Storage &storage, const QByteArray &codeKey);

    /// GET /v1/me/two-factor: {"enabled", "required", "recoveryCodesLeft"}.
    QJsonObject status(const User &caller);
    /// POST /v1/me/two-factor: a new secret for the authenticator app, {"secret", "uri"}. 409 when already on;
    /// 403 for patients.
    QJsonObject begin(const User &caller);
    /// POST /v1/me/two-factor/confirm: the first code from the app turns it on; returns the recovery codes, shown
    /// this once.
    QStringList confirm(const User &caller, const QString &code);
    /// POST /v1/me/two-factor/disable: a current code or a recovery code turns it off, unless the practice
    /// requires it (403 two_factor_required).
    void disable(const User &caller, const QString &code);
    /// POST /v1/me/two-factor/recovery-codes: a current code replaces every recovery code with ten new ones.
    QStringList renewRecoveryCodes(const User &caller, const QString &code);
    /// DELETE /v1/practices/{id}/staff/{userId}/two-factor: an administrator turns a staff member's two-factor
    /// sign-in off (a lost phone and lost codes); the member enrols again.
    void reset(const User &caller, const QString &practiceId, const QString &userId);

    bool isEnabled(const QString &userId);
    /// Starts the second step of a sign-in: a challenge token the code is sent with.
    QString challenge(const User &user, qint64 *expiresAt);
    /// The user a challenge was made for, once code is right for them; throws 401 wrong_code (the challenge stays
    /// until ChallengeAttempts wrong codes), 401 challenge_expired or 429 rate_limited.
    QString answer(const QString &challengeToken, const QString &code, const QString &address);

private:
    /// True when code is a current TOTP code not used before, or an unused recovery code (then used up).
    bool accept(const QString &userId, const QString &code);
    /// Checks a signed-in user's code for a change to their own two-factor sign-in; throws 400 wrong_code or 429.
    void requireCode(const User &caller, const QString &code);
    /// Ten new recovery codes; their digests are appended to digests.
    QStringList newRecoveryCodes(const QString &userId, QList<QByteArray> *digests) const;
    QByteArray recoveryDigest(const QString &userId, const QString &code) const;
    QByteArray seal(const QString &userId, const QByteArray &secret) const;
    QByteArray open(const QString &userId, const QByteArray &sealed) const;

    Storage &m_storage;
    QByteArray m_sealKey;
    QByteArray m_codeKey;
    SignInLimiter m_limiter;
    AuditLog m_audit{m_storage};
};

} // namespace larch::server
