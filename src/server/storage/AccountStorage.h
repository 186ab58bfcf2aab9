// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of practices, users and sessions.
#pragma once

#include "server/storage/StorageRecords.h"

#include <optional>
#include <QList>

namespace larch::server {

/// A practice as stored.
struct PracticeRecord {
    QString id;
    QString name;
    qint64 createdAt = 0;
};

/// A session found by its token digest.
struct SessionRecord {
    User user;
    qint64 expiresAt = 0;
    bool revoked = false;
    bool deactivated = false; ///< the user was deactivated
    QString deviceId; ///< the device the session registered; empty when none
    QString deviceState; ///< that device's state; empty when none
};

/// Where a password setup link stands (AccountStorage::setupLink).
enum class SetupLinkState { Open, Unknown, Used, Expired };

/// Practices, their staff and patients, and sessions. createPractice also stores the practice's default
/// Practice Link.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class AccountStorage {
public:
    virtual ~AccountStorage() = default;

    // Practices and users. Creating returns false when the email is already in use.
    virtual bool createPractice(const PracticeRecord &practice, const UserRecord &admin) = 0;
    virtual bool createUser(const UserRecord &user) = 0;
    /// Adds a patient and their conversation, with the conversation.created events, in one transaction.
    virtual bool createPatient(const UserRecord &patient, const ConversationRecord &conversation,
                               const QList<NewEvent> &events, QList<StoredEvent> *stored) = 0;
    /// A practice made by the server's operator (larch-server practice create): its administrator has no password
    /// yet, and the setup link (its digest, usable once until expiresAt) lets them choose one.
    virtual bool createPracticeWithSetupLink(const PracticeRecord &practice, const UserRecord &admin,
                                             const QByteArray &linkDigest, qint64 expiresAt) = 0;
    /// A staff member an administrator added without a password: the setup link lets them choose one. False when the
    /// email is in use.
    virtual bool createUserWithSetupLink(const UserRecord &user, const QByteArray &linkDigest, qint64 expiresAt) = 0;
    /// A new setup link for an active staff member who has not chosen a password yet; their earlier links stop
    /// working. False (nothing written) for anyone else.
    virtual bool renewSetupLink(const QString &userId, const QByteArray &linkDigest, qint64 expiresAt) = 0;
    /// True when the user has chosen a password (a setup link's user has none until it is used); false for someone who
    /// is not active staff.
    virtual bool hasPassword(const QString &userId) = 0;
    /// Where a setup link stands at now; its user's id in userId when Open.
    virtual SetupLinkState setupLink(const QByteArray &linkDigest, qint64 now, QString *userId) = 0;
    /// Sets the password of an Open link's user and uses the link up, in one transaction; otherwise changes nothing.
    virtual SetupLinkState useSetupLink(const QByteArray &linkDigest, const QByteArray &passwordHash, qint64 now) = 0;
    virtual std::optional<PracticeRecord> practice(const QString &id) = 0;
    virtual std::optional<UserRecord> userByEmail(const QString &email) = 0;
    virtual std::optional<User> user(const QString &id) = 0;
    /// Admins and clinicians of a practice who are not deactivated, oldest first.
    virtual QList<User> staff(const QString &practiceId) = 0;
    /// Changes a staff member's role ("admin" or "clinician") for adminId, an active administrator of the same practice
    /// other than them, checked in the same write; false (nothing changed) when either does not hold.
    virtual bool setStaffRole(const QString &userId, const QString &role, const QString &adminId) = 0;
    /// Ids of the patients with a secure conversation in the practice: who shares a conversation with its staff.
    virtual QStringList practicePatients(const QString &practiceId) = 0;

    // Sessions, keyed by the SHA-256 digest of the token.
    virtual void createSession(const QByteArray &digest, const QString &userId, qint64 createdAt, qint64 expiresAt) = 0;
    virtual std::optional<SessionRecord> session(const QByteArray &digest) = 0;
    virtual void revokeSession(const QByteArray &digest) = 0;
    virtual void revokeSessions(const QString &userId) = 0;
};

} // namespace larch::server
