// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AccountStorage in SQLite.
#pragma once

#include "server/storage/AccountStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// AccountStorage of the SQLite backend: practices, users and sessions.
class SqliteAccountStorage final : public AccountStorage, private SqliteFeature {
public:
    explicit SqliteAccountStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    bool createPractice(const PracticeRecord &practice, const UserRecord &admin) override;
    bool createPracticeWithSetupLink(const PracticeRecord &practice, const UserRecord &admin,
                                     const QByteArray &linkDigest, qint64 expiresAt) override;
    bool createUserWithSetupLink(const UserRecord &user, const QByteArray &linkDigest, qint64 expiresAt) override;
    bool renewSetupLink(const QString &userId, const QByteArray &linkDigest, qint64 expiresAt) override;
    bool hasPassword(const QString &userId) override;
    SetupLinkState setupLink(const QByteArray &linkDigest, qint64 now, QString *userId) override;
    SetupLinkState useSetupLink(const QByteArray &linkDigest, const QByteArray &passwordHash, qint64 now) override;
    bool createUser(const UserRecord &user) override;
    bool createPatient(const UserRecord &patient, const ConversationRecord &conversation, const QList<NewEvent> &events,
                       QList<StoredEvent> *stored) override;
    std::optional<PracticeRecord> practice(const QString &id) override;
    std::optional<UserRecord> userByEmail(const QString &email) override;
    std::optional<User> user(const QString &id) override;
    QList<User> staff(const QString &practiceId) override;
    bool setStaffRole(const QString &userId, const QString &role, const QString &adminId) override;
    QStringList practicePatients(const QString &practiceId) override;
    void createSession(const QByteArray &digest, const QString &userId, qint64 createdAt, qint64 expiresAt) override;
    std::optional<SessionRecord> session(const QByteArray &digest) override;
    void revokeSession(const QByteArray &digest) override;
    void revokeSessions(const QString &userId) override;

private:
    bool insertUser(const UserRecord &user);
    /// The practice, its administrator and its first Practice Link; false when the email is in use.
    bool insertPractice(const PracticeRecord &practice, const UserRecord &admin);
    SetupLinkState setupLinkLocked(const QByteArray &linkDigest, qint64 now, QString *userId);
    /// nullopt when no user has that id.
    std::optional<bool> hasPasswordLocked(const QString &userId);
};

} // namespace larch::server
