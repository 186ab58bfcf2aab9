// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Standard (SMS/email) conversations: create, consent, plain-text sends and their delivery states, inbound texts
// and e-mails with STOP/START/HELP, and "Invite to Secure Conversation" (docs/standard-conversations.md).
#pragma once

#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/delivery/Courier.h"
#include "server/delivery/OutboxRecord.h"
#include "server/invites/InviteService.h"
#include "server/storage/Storage.h"

#include <functional>

namespace larch::server {

/// Settings of standard conversations, from the server's flags.
struct StandardSettings {
    /// --email-reply-address ("replies@clinic.example"): e-mails carry Reply-To replies+<token>@clinic.example so
    /// answers come back through the inbound webhook; "" sends no Reply-To.
    QString replyAddress;
};

/// The rules of standard conversations for staff, and what arrives from the SMS gateway and the e-mail provider.
/// Patients never see these conversations; their events go to the practice's staff only.
class StandardService {
public:
    StandardService(Storage &storage, EventHub &hub, ConversationService &conversations, InviteService &invites,
                    Courier &courier, StandardSettings settings);

    /// A new standard conversation with a phone number ("sms") or an email address ("email"); name may be "".
    /// Throws DuplicateContact when the practice already has one of that channel with that contact.
    Conversation create(const User &caller, const QString &practiceId, const QString &channel, const QString &contact,
                        const QString &name);
    /// Records (or replaces) the patient's consent to unencrypted messages, with a note in the thread.
    Conversation recordConsent(const User &caller, const QString &conversationId, const QString &method,
                               const QString &note);
    /// True when caller (staff) may see the conversation and it is a standard one; 404 when it cannot be seen.
    bool isStandard(const User &caller, const QString &conversationId);
    /// Stores and hands to the courier a message staff send; created is false for a repeated clientId.
    Message send(const User &caller, const QString &conversationId, const QString &clientId, const QString &text,
                 bool *created);
    /// "Invite to Secure Conversation": a secure conversation and an invitation to the contact on file, for the
    /// same patient, and a note in the standard thread. Throws DuplicateContact.
    InviteService::Created inviteToSecure(const User &caller, const QString &conversationId);
    /// Stores a delivery state the courier reports for a message together with the courier's row, and tells staff
    /// (message.updated); false when nothing was written.
    bool deliveryChanged(const DeliveryUpdate &update, const OutboxRecord &row);

    /// What became of an inbound text or e-mail.
    enum class Inbound { Stored, Duplicate, Ignored };
    /// A text from the SMS gateway (StandardInbound.cpp): routed by the sender's number; STOP, START and HELP.
    Inbound receiveSms(const QString &from, const QString &body, const QString &messageSid);
    /// An e-mail from the inbound-parse webhook: routed by the reply token in recipient, else by the sender.
    Inbound receiveEmail(const QString &recipient, const QString &sender, const QString &text,
                         const QString &messageId);

    /// The Reply-To address of a conversation's e-mails, "" without --email-reply-address.
    QString replyAddress(const QString &replyToken) const;

private:
    ConversationRecord staffConversation(const User &caller, const QString &conversationId);
    /// The events of a change to a standard conversation: message.created for each stored message and, when
    /// updated, conversation.updated with each staff member's own view. Built before the write; runs inside it.
    std::function<QList<NewEvent>(const QList<Message> &, const StandardContactRecord &)>
    changeEvents(const ConversationRecord &record, bool updated);
    /// A note the server writes into a thread (body "").
    static NewMessage noteMessage(const QString &conversationId, const QString &senderId, const QString &senderName,
                                  const QString &kind, const QString &linkedConversationId, qint64 now);
    /// Stores an inbound message (and a STOP/START note) and sends the automatic reply, if any.
    Inbound receive(const StandardContactRecord &contact, const QString &text, const QString &inboundId);

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    EventHub &m_hub;
    ConversationService &m_conversations;
    InviteService &m_invites;
    Courier &m_courier;
    const StandardSettings m_settings;
};

} // namespace larch::server
