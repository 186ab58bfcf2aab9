// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of invitations, one-time contact codes and the practice's invitation settings.
#pragma once

#include "server/delivery/OutboxRecord.h"

#include "server/storage/StorageRecords.h"

#include <functional>
#include <optional>
#include <QList>

namespace larch::server {

/// An invitation as stored (docs/invitations.md). Its token is kept only as a SHA-256 digest.
struct InvitationRecord {
    QString id;
    QString practiceId;
    QString conversationId;
    QString placeholderId; ///< the invited patient user (invited = 1) until pairing
    QString patientName;
    QString phone; ///< E.164, "" when none
    QString email; ///< lower-case, "" when none
    QString channel; ///< "sms" or "email"
    QString state; ///< "pending", "paired" or "revoked" ("expired" is derived from expiresAt)
    QString deliveryState = QStringLiteral("queued");
    QString deliveryDetail;
    qint64 deliveryAt = 0;
    QString createdBy;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 sentCount = 1;
    QString deliveryId; ///< the delivery carrying the current link; reports of older ones are ignored
};

/// A conversation of a practice that already reaches a contact.
struct ContactMatch {
    QString conversationId;
    QString title;
    QString state; ///< "invited" or "joined"
};

/// Outcome of storing a new invitation or a changed contact: done, or refused because the practice already
/// reaches the contact in conversationId.
struct InvitationWriteResult {
    bool ok = false;
    QString conversationId; ///< the duplicate's conversation when !ok
    QList<StoredEvent> events;
};

/// A one-time code sent to a phone number or an email address; only its digest is kept.
struct ContactCode {
    QString contact;
    QByteArray codeDigest;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    int failures = 0;
    qint64 lockedUntil = 0; ///< 0 when not locked
};

/// Outcome of proving a contact with a code: the patient account and the invitations it was paired with.
struct PairResult {
    enum class Status { Done, NeedName, StaffContact };
    Status status = Status::Done;
    User user;
    bool created = false;
    QList<InvitationRecord> paired; ///< in their paired state
    QStringList movedStandard; ///< standard conversations of the proven contact moved to the account
};

/// Invitations (docs/invitations.md), the codes that prove a contact, and pairing a proven contact.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class InvitationStorage {
public:
    virtual ~InvitationStorage() = default;

    /// The practice's ISO region for national phone numbers and its invitation text ("" = the default).
    virtual QString practiceRegion(const QString &practiceId) = 0;
    virtual QString invitationText(const QString &practiceId) = 0;
    virtual void setInvitationText(const QString &practiceId, const QString &text) = 0;
    /// Sets the practice's ISO region (a region libphonenumber supports, upper case).
    virtual void setPracticeRegion(const QString &practiceId, const QString &region) = 0;
    /// Conversations of the practice reaching the phone or the email (either may be ""): open invitations
    /// ("invited") and patients who joined ("joined").
    virtual QList<ContactMatch> contactMatches(const QString &practiceId, const QString &phone,
                                               const QString &email) = 0;
    /// In one transaction: refuses when contactMatches finds a pending invitation or a joined patient, else adds
    /// the placeholder patient, the conversation, the invitation, the events and the outbox row that sends it.
    virtual InvitationWriteResult createInvitation(const UserRecord &placeholder,
                                                   const ConversationRecord &conversation,
                                                   const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                                   const QList<NewEvent> &events,
                                                   const std::optional<OutboxRecord> &delivery) = 0;
    virtual std::optional<InvitationRecord> invitation(const QString &id) = 0;
    /// The newest invitation of a conversation.
    virtual std::optional<InvitationRecord> invitationOfConversation(const QString &conversationId) = 0;
    virtual std::optional<InvitationRecord> invitationByToken(const QByteArray &tokenDigest) = 0;
    /// The state a staff member sees on the conversation ("pending", "paired", "revoked", "expired"), "" when none.
    virtual QString invitationState(const QString &conversationId, qint64 now) = 0;
    /// Saves a changed invitation (name, contact, token when tokenDigest is non-empty, state, delivery) with its
    /// events; when checkContact, refuses a contact another conversation of the practice already reaches. A new
    /// name also renames the placeholder and the conversation. A new delivery (a resend, a new contact) is queued
    /// in the same transaction.
    virtual InvitationWriteResult updateInvitation(const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                                   bool checkContact, const QList<NewEvent> &events,
                                                   const std::optional<OutboxRecord> &delivery) = 0;
    /// Stores a delivery state of the invitation only when deliveryId is still its current delivery, with the
    /// events eventsOf makes from the updated invitation; !ok when the invitation or that delivery is gone. The
    /// courier's row, when given, is written in the same transaction either way.
    virtual InvitationWriteResult
    updateInvitationDelivery(const QString &invitationId, const QString &deliveryId, const QString &state,
                             const QString &detail, qint64 at,
                             const std::function<QList<NewEvent>(const InvitationRecord &)> &eventsOf,
                             const std::optional<OutboxRecord> &row) = 0;
    virtual std::optional<ContactCode> contactCode(const QString &contact) = 0;
    /// Replaces the contact's code.
    virtual void putContactCode(const ContactCode &code) = 0;
    /// Counts a wrong code; locks it until lockUntil when failures reach maxFailures. Returns the failures.
    virtual int recordCodeFailure(const QString &contact, int maxFailures, qint64 lockUntil) = 0;
    virtual void deleteContactCode(const QString &contact) = 0;
    /// In one transaction: finds or creates the patient account of a proven phone or email, and pairs it with
    /// every open invitation for that contact in any practice (the first placeholder becomes the account when
    /// none exists, the others are merged into it).
    virtual PairResult pairContact(const QString &phone, const QString &email, const QString &name, qint64 now) = 0;
};

} // namespace larch::server
