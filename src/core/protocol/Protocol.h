// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Wire types of the Larch protocol (docs/protocol.md) and their JSON codecs, shared by server and client.
#pragma once

#include "core/protocol/ProtocolStandard.h"

#include <optional>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace larch {

/// A person with an account: practice staff (admin, clinician) or a patient.
struct User {
    QString id;
    QString name;
    QString email;
    QString role; ///< "admin", "clinician" or "patient"
    QString practiceId; ///< the practice the user works at, or that added the patient

    bool isStaff() const { return role == QLatin1String("admin") || role == QLatin1String("clinician"); }
    bool isAdmin() const { return role == QLatin1String("admin"); }
    QJsonObject toJson() const;
    static std::optional<User> fromJson(const QJsonObject &o);
    bool operator==(const User &) const = default;
};

/// One text message in a conversation, as the server stored it.
///
/// In a secure conversation the text travels end-to-end encrypted: envelope holds the opaque
/// {"epoch", "senderDeviceId", "ciphertext", "signature"} object (MessageEnvelope.h reads it) and body
/// is "". Messages without an envelope carry their text in body.
struct Message {
    QString id;
    QString clientId; ///< chosen by the sending device; makes sends idempotent
    QString conversationId;
    qint64 seq = 0; ///< position in the conversation, +1 per message
    QString senderId;
    QString senderName;
    QString body;
    qint64 sentAt = 0; ///< ms since the epoch, server time
    std::optional<QJsonObject> envelope; ///< the encrypted form; absent for a plain message
    std::optional<MessageDelivery> delivery =
        {}; ///< standard conversations: where an SMS/email stands; absent otherwise
    std::optional<MessageNote> note = {}; ///< set on a note the server wrote (body ""); absent for what people wrote

    QJsonObject toJson() const;
    /// Accepts an absent or null "envelope"; any other non-object value makes the message invalid.
    static std::optional<Message> fromJson(const QJsonObject &o);
    bool operator==(const Message &) const = default;
};

/// A participant of a conversation and how far they have read.
struct Member {
    QString userId;
    QString name;
    QString role;
    qint64 lastReadSeq = 0;

    QJsonObject toJson() const;
    static std::optional<Member> fromJson(const QJsonObject &o);
    bool operator==(const Member &) const = default;
};

/// A conversation between a practice and one patient, as one user sees it.
struct Conversation {
    QString id;
    QString practiceId;
    QString patientId;
    QString title;
    QString kind = QStringLiteral("secure");
    qint64 createdAt = 0;
    qint64 lastActivityAt = 0;
    std::optional<Message> lastMessage;
    qint64 unreadCount = 0; ///< for the user this copy was made for
    qint64 lastSeq = 0; ///< newest message seq
    QList<Member> members;
    /// "pending", "paired", "revoked" or "expired" for staff when the conversation began with an invitation;
    /// absent (null on the wire) otherwise, and always for patients.
    std::optional<QString> invitationState;
    /// Standard conversations ("sms", "email"), for staff: the contact, consent and opt-out; absent otherwise.
    std::optional<StandardContact> standard;
    QStringList tags; ///< labels such as a Practice Link's tag; empty when none

    bool isSecure() const { return kind == QLatin1String("secure"); }

    QJsonObject toJson() const;
    static std::optional<Conversation> fromJson(const QJsonObject &o);
    bool operator==(const Conversation &) const = default;
};

/// A signed-in session: the bearer token and whose it is.
struct Session {
    QString token;
    qint64 expiresAt = 0;
    User user;
    /// The practice requires two-factor sign-in and this staff member has not turned it on: until they do, the
    /// session may only enrol (POST /v1/me/two-factor…), read /v1/me and sign out.
    bool twoFactorEnrolmentRequired = false;

    QJsonObject toJson() const;
    static std::optional<Session> fromJson(const QJsonObject &o);
};

/// Event types pushed to users (docs/protocol.md, "Event").
namespace EventType {
inline constexpr auto MessageCreated = "message.created";
inline constexpr auto ConversationCreated = "conversation.created";
inline constexpr auto ConversationRead = "conversation.read";
inline constexpr auto ConversationUpdated = "conversation.updated";
inline constexpr auto InvitationUpdated = "invitation.updated";
inline constexpr auto MessageUpdated = "message.updated";
inline constexpr auto PracticeLinkUpdated = "practice_link.updated";
} // namespace EventType

/// Something a user must see, numbered per user.
struct Event {
    qint64 seq = 0;
    QString type;
    QJsonObject data;

    QJsonObject toJson() const;
    static std::optional<Event> fromJson(const QJsonObject &o);
};

/// The error body every 4xx/5xx carries.
QJsonObject errorBody(const QString &code, const QString &message);

} // namespace larch
