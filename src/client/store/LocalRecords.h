// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the device keeps, as the app reads it: conversations, messages, notices, outbox entries, uploads.
#pragma once

#include "client/attachments/PendingAttachment.h"
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/crypto/SecretBytes.h"
#include "core/protocol/Protocol.h"

#include <optional>
#include <QList>
#include <QString>

namespace larch {

/// What the conversation list needs of a conversation; small so 10,000 of them load at once.
struct ConversationSummary {
    QString id;
    QString title;
    QString kind; ///< "secure" (end-to-end encrypted) or a standard kind such as "sms"
    QString preview; ///< the last message's text on one line, "" when there is none or it is not readable
    qint64 lastActivityAt = 0;
    qint64 unreadCount = 0;
    qint64 lastSeq = 0; ///< newest message seq known for the conversation
    QString invitationState; ///< the patient's invitation: "pending", "paired", "revoked", "expired"; "" for none
    QStringList tags = {}; ///< labels such as a Practice Link's tag; empty when none
    std::optional<StandardContact> standard = {}; ///< standard conversations, for staff: contact, consent, opt-out
    /// An SMS or email conversation: not end-to-end encrypted, its text travels plain.
    bool isStandard() const { return kind == QLatin1String("sms") || kind == QLatin1String("email"); }
    bool operator==(const ConversationSummary &) const = default;
};

/// What this device could make of a received message (docs/security.md, "Messages").
enum class Verification : int {
    Unopened = 0, ///< stored, not checked yet (the keys or devices it needs are being fetched)
    Verified = 1, ///< signature, key and replay checks passed; the text is genuine
    Unverifiable = 2, ///< a check failed; check says which; the text is never shown
    KeyPending = 3, ///< the key of its epoch has not reached this device yet
};

/// A message as this device keeps it: the server's copy plus the outcome of opening it.
struct StoredMessage {
    Message message; ///< body holds the text only when verification is Verified
    Verification verification = Verification::Unopened;
    MessageCheck check = MessageCheck::Ok; ///< why, when Unverifiable
    QList<AttachmentRef> attachments = {}; ///< the files it carries (verified messages only); keys included
};

/// A line the app itself writes into a thread, e.g. "Sam Lee added a new device."
struct ThreadNotice {
    qint64 id = 0; ///< local row id; orders notices after the same message
    QString conversationId;
    qint64 afterSeq = 0; ///< shown just after the message with this seq (0: before any message)
    qint64 createdAt = 0;
    QString text;
};

/// A message written on this device that the server has not confirmed yet.
struct OutboxEntry {
    enum class State { Pending, Failed };
    QString clientId;
    QString conversationId;
    QString body;
    qint64 createdAt = 0; ///< ms since the epoch, device time
    State state = State::Pending;
    QString failureReason; ///< why the server refused it, when Failed
    QJsonObject envelope; ///< the sealed form once made, so every retry sends the very same bytes
    std::optional<PendingAttachment> attachment = {}; ///< the file this entry sends (the body is its caption)
    std::optional<AttachmentRef> attachmentRef = {}; ///< set once the file's upload is complete; sealed with the body
};

/// Where the upload of an outbox entry's file stands, so it continues after a restart (OutboxStoreUploads.cpp).
struct UploadRecord {
    QString clientId; ///< the outbox entry the file belongs to
    QString uploadId = {}; ///< the server's upload, later the blob's id; "" until the server made it
    qint64 ackedBytes = 0; ///< blob bytes the server has acknowledged (a chunk boundary)
    SecretBytes encryptor = {}; ///< AttachmentEncryptor state matching ackedBytes; holds the key
    QByteArray blobHash = {}; ///< Sha256Stream state of the blob's first ackedBytes bytes (ciphertext)
    std::optional<AttachmentRef> result = {}; ///< set once the blob is complete
};

/// What this device pinned of a practice's identity (docs/security.md, "Practice identity pinning"), and a listed
/// identity it does not trust that waits for the person to check.
struct PracticePin {
    QString practiceId;
    QString practiceName; ///< as the server named it when last seen; "" when unknown
    qint64 version = 0; ///< the identity version trusted; 0 when none is (a Practice Link's fingerprint did not match)
    QByteArray publicKey; ///< its Ed25519 public key, 32 bytes; empty with version 0
    bool verified = false; ///< its fingerprint matched one the person scanned or compared in person
    qint64 pinnedAt = 0;
    /// A listed version that is neither the pinned one nor signed by it; 0 for none, -1 when the server listed no
    /// identity at all where one was pinned.
    qint64 offeredVersion = 0;
    QByteArray offeredKey = {}; ///< its public key; empty when none was listed
    qint64 changedAt = 0; ///< when the app first saw the offered identity
    bool offeredMismatch = false; ///< it was refused because it differs from a fingerprint the person scanned

    bool changed() const { return offeredVersion != 0 || offeredMismatch; }
    bool operator==(const PracticePin &) const = default;
};

/// What applying a message changed, so callers emit only what happened.
struct MessageApplied {
    bool inserted = false; ///< the message was new to the store
    bool updated = false; ///< a stored, unopened message got its outcome
    bool conversationChanged = false; ///< preview, activity, unread count or last seq moved
    bool conversationKnown = false; ///< false when the conversation is not in the store yet
};

/// The one-line preview of a message text as the conversation list shows it.
QString previewOf(const QString &body);

} // namespace larch
