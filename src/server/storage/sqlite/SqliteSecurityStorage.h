// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SecurityStorage in SQLite.
#pragma once

#include "server/storage/SecurityStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// SecurityStorage of the SQLite backend: two_factor, two_factor_recovery_codes, two_factor_challenges and the
/// policy columns of practices.
class SqliteSecurityStorage final : public SecurityStorage, private SqliteFeature {
public:
    explicit SqliteSecurityStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    std::optional<TwoFactorRecord> twoFactor(const QString &userId) override;
    bool beginTwoFactor(const QString &userId, const QByteArray &sealedSecret, qint64 now) override;
    bool enableTwoFactor(const QString &userId, qint64 step, const QList<QByteArray> &codeDigests, qint64 now) override;
    bool useTotpStep(const QString &userId, qint64 step) override;
    bool useRecoveryCode(const QString &userId, const QByteArray &digest, qint64 now) override;
    int recoveryCodesLeft(const QString &userId) override;
    void replaceRecoveryCodes(const QString &userId, const QList<QByteArray> &codeDigests) override;
    void removeTwoFactor(const QString &userId) override;

    void createChallenge(const QByteArray &tokenDigest, const TwoFactorChallenge &challenge, qint64 now) override;
    std::optional<TwoFactorChallenge> challenge(const QByteArray &tokenDigest) override;
    int failChallenge(const QByteArray &tokenDigest) override;
    void removeChallenge(const QByteArray &tokenDigest) override;

    PracticePolicy practicePolicy(const QString &practiceId) override;
    void setPracticePolicy(const QString &practiceId, const PracticePolicy &policy) override;
    bool mustEnrolTwoFactor(const QString &userId, const QString &practiceId) override;

private:
    void writeCodes(const QString &userId, const QList<QByteArray> &codeDigests);
};

} // namespace larch::server
