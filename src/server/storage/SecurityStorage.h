// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of two-factor sign-in (secrets, recovery codes, pending sign-ins) and each practice's security policy.
#pragma once

#include <optional>
#include <QByteArray>
#include <QList>
#include <QString>

namespace larch::server {

/// A staff member's authenticator: the TOTP secret sealed with the server's key (never stored in clear).
struct TwoFactorRecord {
    QString userId;
    QByteArray sealedSecret; ///< nonce ‖ XChaCha20-Poly1305 ciphertext, the user id as associated data
    qint64 enabledAt = 0; ///< 0 while enrolment waits for its first code
    qint64 lastStep = 0; ///< the newest TOTP time step used: a code is good once
};

/// A password that was right for an account with two-factor sign-in; the code still has to come.
struct TwoFactorChallenge {
    QString userId;
    qint64 expiresAt = 0;
    int attempts = 0; ///< wrong codes given for this challenge
};

/// What a practice's administrators decide for everyone's sign-in and screens.
struct PracticePolicy {
    bool twoFactorRequired = false; ///< staff without two-factor sign-in must enrol before anything else
    int idleLockMinutes = 15; ///< the desktop app locks after this long without input
    bool patientsMayCall = false; ///< patients may start video calls, not only call back a missed one
};

/// Two-factor sign-in and practice policy. Methods may be called from any thread.
class SecurityStorage {
public:
    virtual ~SecurityStorage() = default;

    virtual std::optional<TwoFactorRecord> twoFactor(const QString &userId) = 0;
    /// Starts (or restarts) enrolment with a new sealed secret; false when two-factor sign-in is already on.
    virtual bool beginTwoFactor(const QString &userId, const QByteArray &sealedSecret, qint64 now) = 0;
    /// Turns enrolment on with its first code's step and the recovery codes' digests, in one transaction;
    /// false when no enrolment is pending.
    virtual bool enableTwoFactor(const QString &userId, qint64 step, const QList<QByteArray> &codeDigests,
                                 qint64 now) = 0;
    /// Marks TOTP step used; false when it (or a later one) was used already, so each code signs in once.
    virtual bool useTotpStep(const QString &userId, qint64 step) = 0;
    /// Marks a recovery code used; false when it is not one of the user's unused codes.
    virtual bool useRecoveryCode(const QString &userId, const QByteArray &digest, qint64 now) = 0;
    virtual int recoveryCodesLeft(const QString &userId) = 0;
    virtual void replaceRecoveryCodes(const QString &userId, const QList<QByteArray> &codeDigests) = 0;
    /// Turns two-factor sign-in off: the secret, the recovery codes and pending challenges go.
    virtual void removeTwoFactor(const QString &userId) = 0;

    /// Stores a challenge under the digest of its token; expired challenges are swept on the way.
    virtual void createChallenge(const QByteArray &tokenDigest, const TwoFactorChallenge &challenge, qint64 now) = 0;
    virtual std::optional<TwoFactorChallenge> challenge(const QByteArray &tokenDigest) = 0;
    /// Counts a wrong code; returns the attempts so far.
    virtual int failChallenge(const QByteArray &tokenDigest) = 0;
    virtual void removeChallenge(const QByteArray &tokenDigest) = 0;

    virtual PracticePolicy practicePolicy(const QString &practiceId) = 0;
    virtual void setPracticePolicy(const QString &practiceId, const PracticePolicy &policy) = 0;
    /// True when userId's practice requires two-factor sign-in and userId has not turned it on.
    virtual bool mustEnrolTwoFactor(const QString &userId, const QString &practiceId) = 0;
};

} // namespace larch::server
