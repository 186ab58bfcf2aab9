// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Invitations: a practice invites a patient by phone or email into a secure conversation (docs/invitations.md).
#pragma once

#include "server/accounts/RateLimiter.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/delivery/Courier.h"
#include "server/delivery/OutboxRecord.h"
#include "server/storage/Storage.h"

#include <functional>
#include <QJsonObject>

namespace larch::server {

/// The practice already reaches this contact: 409 duplicate_contact with the conversation to open instead.
struct DuplicateContact {
    QString conversationId;
};

/// Settings of invitations, from the server's flags.
struct InviteSettings {
    std::function<QString()> publicUrl; ///< links are <publicUrl>/i/<token>; read when a link is sent
    qint64 lifetimeMs = 14LL * 24 * 3600 * 1000;
    int perPracticePerHour = 100;
    int lookupsPerAddressPerHour = 20 * 5;
};

/// Creates, resends, edits and revokes invitations for staff, keeps their delivery state, and answers the
/// public look-up by token. Staff of another practice and patients get 404.
class InviteService {
public:
    InviteService(Storage &storage, EventHub &hub, ConversationService &conversations, Courier &courier,
                  InviteSettings settings);

    /// The default invitation text of a practice that has not written its own.
    static QString defaultText();

    /// POST …/contacts/check: the phone and email understood, and conversations already reaching them.
    QJsonObject checkContact(const User &caller, const QString &practiceId, const QString &phone, const QString &email);
    struct Created {
        QJsonObject invitation;
        Conversation conversation;
    };
    /// Creates the placeholder patient, the conversation and the invitation, and sends it. Throws DuplicateContact.
    Created create(const User &caller, const QString &practiceId, const QString &patientName, const QString &phone,
                   const QString &email);
    /// An invitation of patient (a placeholder, or the patient of a standard conversation) made but not stored:
    /// create() stores it with a new placeholder, "Invite to Secure Conversation" (StandardService) with the
    /// standard conversation's note. phone/email are already normalized. Counts against the practice's hourly limit.
    struct Draft {
        ConversationRecord conversation;
        InvitationRecord invitation;
        QString token;
        QList<NewEvent> events; ///< conversation.created and invitation.updated for the practice's staff
        Created created; ///< what the route answers
    };
    Draft draft(const User &caller, const QString &practiceId, const User &patient, const QString &patientName,
                const QString &phone, const QString &email);
    /// The courier's row that sends the invitation text with its link; stored in the same write as the invitation,
    /// then Courier::queued().
    OutboxRecord deliveryOf(const InvitationRecord &invitation, const QString &token) const;
    QJsonObject ofConversation(const User &caller, const QString &conversationId);
    /// A new link, sent again to the same contact; the old link stops working.
    QJsonObject resend(const User &caller, const QString &invitationId);
    /// Changes the name and/or contact (a null optional leaves it; "" removes a contact), then sends a new link.
    QJsonObject edit(const User &caller, const QString &invitationId, const std::optional<QString> &patientName,
                     const std::optional<QString> &phone, const std::optional<QString> &email);
    void revoke(const User &caller, const QString &invitationId);
    QJsonObject text(const User &caller, const QString &practiceId);
    QJsonObject setText(const User &caller, const QString &practiceId, const QString &text);
    /// GET /v1/invitations/by-token/{token}: state, channel and a masked contact. Throws 404 and 429.
    QJsonObject byToken(const QString &token, const QString &remoteAddress);

    /// Persists a delivery state change reported by the courier, with the courier's row in the same write, and
    /// tells the practice's staff; false when nothing was written.
    bool deliveryChanged(const DeliveryUpdate &update, const OutboxRecord &row);

    /// The Invitation JSON of docs/protocol.md.
    static QJsonObject toJson(const InvitationRecord &invitation, const QString &region, qint64 now);
    /// "•••• ••• 0123" or "m•••@example.com": enough for a person to recognise their own contact.
    static QString contactHint(const QString &phone, const QString &email);
    /// The state as people see it: "expired" for a pending invitation past its expiry.
    static QString stateAt(const InvitationRecord &invitation, qint64 now);

private:
    /// A practice's invitation, for its staff; 404 otherwise.
    InvitationRecord staffInvitation(const User &caller, const QString &invitationId);
    void requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly);
    QString parsePhone(const QString &text, const QString &region);
    /// Stores the changed invitation with invitation.updated for the staff, and with a non-empty token the delivery
    /// of its new link in the same write; throws DuplicateContact.
    QJsonObject save(const InvitationRecord &invitation, const QString &token, bool checkContact);
    /// Counts a send against the practice's limit and gives the invitation a new link, expiry and delivery;
    /// returns the link's token.
    QString renewLink(InvitationRecord &invitation);

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    EventHub &m_hub;
    ConversationService &m_conversations;
    Courier &m_courier;
    const InviteSettings m_settings;
    RateLimiter m_perPractice;
    RateLimiter m_lookups;
};

/// The events that tell a practice's staff an invitation changed.
QList<NewEvent> invitationEvents(const QList<User> &staff, const QJsonObject &invitation);

} // namespace larch::server
