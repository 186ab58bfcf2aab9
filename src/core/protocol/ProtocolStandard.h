// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Wire types of standard (SMS/email) conversations and Practice Links (docs/protocol.md), with their JSON codecs.
#pragma once

#include <optional>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace larch {

/// A patient's consent to unencrypted messages, as staff recorded it before the first outbound standard message.
struct Consent {
    QString method; ///< "verbal", "written" or "patient_initiated"
    QString note; ///< staff's free text, "" when none
    QString recordedBy; ///< the staff member's user id
    QString recordedByName;
    qint64 at = 0; ///< ms since the epoch

    QJsonObject toJson() const;
    static std::optional<Consent> fromJson(const QJsonObject &o);
    bool operator==(const Consent &) const = default;
};

/// How a standard conversation reaches its contact and whether it may: staff only, null for secure conversations.
struct StandardContact {
    QString address; ///< E.164 phone number ("sms") or lower-case email address ("email")
    QString display; ///< the address as people write it: "(201) 555-0123" or the email
    std::optional<Consent> consent; ///< absent until recorded; sending is refused without it
    qint64 optedOutAt = 0; ///< when the contact replied STOP; 0 while they may be messaged
    QString secureConversationId; ///< the secure conversation "Invite to Secure Conversation" made, "" when none

    QJsonObject toJson() const;
    static std::optional<StandardContact> fromJson(const QJsonObject &o);
    bool operator==(const StandardContact &) const = default;
};

/// Where an outbound standard message stands, or "received" for one the contact sent.
struct MessageDelivery {
    QString state; ///< "queued", "sent", "delivered", "failed" or "received"
    QString detail; ///< why it failed, in a sentence; "" otherwise
    qint64 updatedAt = 0;

    QJsonObject toJson() const;
    static std::optional<MessageDelivery> fromJson(const QJsonObject &o);
    bool operator==(const MessageDelivery &) const = default;
};

/// A note the server writes into a thread: what happened, not what someone said. The app phrases it.
struct MessageNote {
    /// "consent_recorded", "opted_out", "opted_in" or "secure_invited" (conversationId: the new secure thread)
    QString kind;
    QString conversationId; ///< the conversation the note points to, "" when none

    QJsonObject toJson() const;
    static std::optional<MessageNote> fromJson(const QJsonObject &o);
    bool operator==(const MessageNote &) const = default;
};

/// A practice's shareable sign-up link: <public-url>/p/<code>.
struct PracticeLink {
    QString id;
    QString practiceId;
    QString code; ///< the URL-safe code in the link
    QString label; ///< what staff call it: "Front desk flyer"
    QString tag; ///< applied to conversations it creates; "" when none
    bool enabled = true;
    QString url; ///< the full link
    qint64 createdAt = 0;
    qint64 conversationCount = 0; ///< conversations created through it

    QJsonObject toJson() const;
    static std::optional<PracticeLink> fromJson(const QJsonObject &o);
    bool operator==(const PracticeLink &) const = default;
};

} // namespace larch
