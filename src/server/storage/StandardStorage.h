// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of standard conversations: SMS and email threads with a patient's contact.
#pragma once

#include "server/delivery/OutboxRecord.h"

#include "server/standard/StandardRecords.h"
#include "server/storage/InvitationStorage.h"

#include <functional>
#include <optional>
#include <QList>

namespace larch::server {

/// One change of a standard conversation, stored in one transaction with its messages and events.
struct StandardChange {
    QString conversationId;
    /// An inbound message's gateway id ("sms:<MessageSid>", "email:<Message-Id>"): the change is stored once; a
    /// second one with the same id is a Duplicate and changes nothing. "" for changes staff make.
    QString inboundId;
    QList<NewMessage> messages; ///< stored in order with the conversation's next seqs
    std::optional<Consent> consent; ///< replaces the consent when set
    std::optional<qint64> optedOutAt; ///< sets (0: clears) the opt-out when set
    QString secureConversationId; ///< sets it when not ""
    /// The events of the change from the stored messages and the contact as it now is. It runs inside the
    /// storage's transaction, so it must not call the storage.
    std::function<QList<NewEvent>(const QList<Message> &, const StandardContactRecord &)> eventsOf;
};

/// Outcome of a write to a standard conversation.
struct StandardWriteResult {
    enum class Status { Done, Duplicate, DuplicateContact, NotFound };
    Status status = Status::NotFound;
    QString conversationId; ///< DuplicateContact: the conversation that already reaches the contact
    QList<Message> messages; ///< as stored
    StandardContactRecord contact; ///< after the change
    QList<StoredEvent> events;
};

/// Outcome of storing a message staff send in a standard conversation.
struct StandardSendResult {
    enum class Status { Created, Duplicate, Conflict, ConsentRequired, OptedOut, NoConversation };
    Status status = Status::NoConversation;
    Message message; ///< Created and Duplicate
    StandardContactRecord contact; ///< where it goes
    std::optional<OutboxRecord> delivery; ///< Created: the outbox row stored with the message
    QList<StoredEvent> events;
};

/// Standard conversations (docs/standard-conversations.md). InvitationStorage::pairContact also moves the
/// standard conversations whose address is the proven contact to the patient account.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class StandardStorage {
public:
    virtual ~StandardStorage() = default;

    /// The practice's patient reached by the phone or email (either may be ""): a joined patient of one of its
    /// conversations, else the placeholder of one of its open invitations; nullopt when none.
    virtual std::optional<User> practicePatientByContact(const QString &practiceId, const QString &phone,
                                                         const QString &email) = 0;
    /// In one transaction: DuplicateContact (and its conversation) when the practice already has a standard
    /// conversation of the channel with the address; else adds the placeholder (when given), the conversation,
    /// its contact and the events.
    virtual StandardWriteResult createStandardConversation(const std::optional<UserRecord> &placeholder,
                                                           const ConversationRecord &conversation,
                                                           const StandardContactRecord &contact,
                                                           const QList<NewEvent> &events) = 0;
    virtual std::optional<StandardContactRecord> standardContact(const QString &conversationId) = 0;

    /// The standard conversation an email reply token belongs to.
    virtual std::optional<StandardContactRecord> standardByReplyToken(const QString &replyToken) = 0;
    /// The most recently active standard conversation of the channel with the address, in any practice.
    virtual std::optional<StandardContactRecord> standardByAddress(const QString &channel, const QString &address) = 0;
    /// The outbox row that sends a stored message to the conversation's contact.
    using DeliveryOf = std::function<OutboxRecord(const StandardContactRecord &contact, const Message &message)>;
    /// Stores a message staff send (delivery queued) unless consent is missing or the contact opted out, idempotent
    /// by (conversation, clientId), with message.created for recipients, and in the same transaction the outbox row
    /// deliveryOf makes: no message is ever stored without the delivery that sends it.
    virtual StandardSendResult sendStandardMessage(const NewMessage &message, const QStringList &recipients,
                                                   const DeliveryOf &deliveryOf) = 0;
    /// Applies a change (messages, consent, opt-out, secure conversation) with its events.
    virtual StandardWriteResult changeStandard(const StandardChange &change) = 0;
    /// Stores a message's new delivery state, unless it has that state already or is delivered or failed (reports
    /// arrive out of order); the events come from eventsOf with the updated message. The courier's row, when given,
    /// is written in the same transaction, whether or not the message changes.
    virtual StandardWriteResult updateMessageDelivery(const QString &messageId, const MessageDelivery &delivery,
                                                      const std::function<QList<NewEvent>(const Message &)> &eventsOf,
                                                      const std::optional<OutboxRecord> &row) = 0;
    /// In one transaction: DuplicateContact when the practice already reaches the invitation's contact securely (an
    /// open invitation or a joined patient's secure conversation); else adds the secure conversation and its
    /// invitation, whose placeholder is the standard conversation's patient, the events and the outbox row that
    /// sends the invitation, and applies change.
    virtual StandardWriteResult createSecureInvitation(const ConversationRecord &secure,
                                                       const InvitationRecord &invitation,
                                                       const QByteArray &tokenDigest, const QList<NewEvent> &events,
                                                       const StandardChange &change,
                                                       const std::optional<OutboxRecord> &delivery) = 0;
};

} // namespace larch::server
