// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The end-to-end encrypted form of a secure message, and how a device seals and opens it.
#pragma once

#include "core/attachments/AttachmentRef.h"
#include "core/protocol/CallSignal.h"

#include <optional>
#include <QByteArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace larch {

/// What a secure message carries instead of a plain body (docs/security.md, "Messages").
///
/// ciphertext is a 24-byte random nonce followed by crypto_aead_xchacha20poly1305_ietf output of the
/// UTF-8 text under the conversation key of `epoch`. The additional data, which is never sent because
/// both ends know it, is the concatenation of these five fields, each preceded by its length as
/// 4 bytes big-endian: "larch-message-v1", the conversation id (UTF-8), the epoch (8 bytes big-endian),
/// the message's client id (UTF-8), the sender device id (UTF-8). signature is Ed25519 (detached) by
/// the sender device over additional data || nonce || AEAD output, so a server that moves, renumbers
/// or re-attributes a message breaks the signature before any decryption is tried.
///
/// format 2 carries a MessageContent (text and attachments) as its plaintext instead of bare text; its
/// additional data starts with "larch-message-v2" instead, so a server that flips the format breaks the signature.
/// format 3 carries a video call's CallSignal, with "larch-call-v1" first and the call's id in the client id's
/// place: openMessage refuses it, and openCallSignal refuses the other two, so neither passes for the other.
struct MessageEnvelope {
    static constexpr qsizetype NonceBytes = 24;
    static constexpr qsizetype TagBytes = 16;
    static constexpr qsizetype SignatureBytes = 64;
    /// Largest plaintext accepted, in bytes: room for a full-length body (Limits::MessageBodyMax
    /// characters) in any script and MessageContent::AttachmentsMax inline thumbnails, with margin; anything
    /// longer is refused unread.
    static constexpr qsizetype PlaintextMax = 256 * 1024;
    static constexpr int TextFormat = 1; ///< the plaintext is UTF-8 text
    static constexpr int ContentFormat = 2; ///< the plaintext is MessageContent::toBytes()
    static constexpr int CallSignalFormat = 3; ///< the plaintext is CallSignal::toBytes()
    /// Epochs are JSON integers, so they stay within what a double holds exactly.
    static constexpr qint64 EpochMax = (qint64(1) << 53) - 1;

    qint64 epoch = 0;
    int format = TextFormat;
    QString senderDeviceId;
    QByteArray ciphertext; ///< nonce || AEAD output
    QByteArray signature; ///< 64 bytes

    /// True for an envelope sealMessage refused to make (it has no ciphertext).
    bool isEmpty() const { return ciphertext.isEmpty(); }

    /// {"epoch", "senderDeviceId", "ciphertext", "signature"}, binary values in standard base64, and
    /// "format": 2 for a content envelope (absent for text, so text envelopes read as before).
    QJsonObject toJson() const;
    /// nullopt for a missing or mistyped field, a format other than 1, 2 or 3, an epoch outside 0..EpochMax, a sender device id that
    /// is not a protocol id, invalid base64, a signature that is not 64 bytes, or a ciphertext shorter
    /// than nonce and tag or longer than PlaintextMax allows.
    static std::optional<MessageEnvelope> fromJson(const QJsonObject &o);

    bool operator==(const MessageEnvelope &) const = default;
};

/// The outcome of checking a received envelope, in the order the checks run.
enum class MessageCheck {
    Ok,
    UnknownDevice, ///< no usable signing key for the sender device (unknown, another user's, or revoked)
    BadSignature, ///< the signature does not cover these bytes under the sender device's key
    BadCiphertext, ///< genuine and decryptable, but not UTF-8 text (or not valid content): the sender produced damaged content
    WrongEpochKey, ///< the key held for its epoch is missing or does not open it
    Replayed, ///< its client id was already seen in this conversation
    Malformed, ///< the envelope is incomplete or of the wrong shape
};

/// The sentence the app shows in place of a message that failed check; empty for Ok.
QString describe(MessageCheck check);

/// A received message after its checks: text and attachments are set only when check is Ok.
struct OpenedMessage {
    MessageCheck check = MessageCheck::Malformed;
    QString text;
    QList<AttachmentRef> attachments = {}; ///< format 2 only
};

/// Encrypts and signs text as senderDeviceId. conversationKey is the 32-byte key of epoch; signSecret
/// the device's 64-byte Ed25519 secret key. Returns an empty envelope (isEmpty()) when a key has the
/// wrong size, the epoch is outside 0..EpochMax, senderDeviceId is not a protocol id, or the text is
/// longer than PlaintextMax bytes in UTF-8.
MessageEnvelope sealMessage(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                            const QString &clientId, const QString &senderDeviceId, const QByteArray &signSecret,
                            const QString &text);

/// sealMessage for a format-2 envelope: text and attachments (their keys and hashes) under the conversation key.
/// Empty on the same conditions, or when the content has neither text nor attachments or is too long.
MessageEnvelope sealContent(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                            const QString &clientId, const QString &senderDeviceId, const QByteArray &signSecret,
                            const MessageContent &content);

/// sealMessage with a caller-chosen nonce, for known-answer tests only: a nonce must never repeat under
/// one conversation key, and only sealMessage's random nonce guarantees that. Empty on a mis-sized nonce.
MessageEnvelope sealMessageWithNonce(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                                     const QString &clientId, const QString &senderDeviceId,
                                     const QByteArray &signSecret, const QString &text, const QByteArray &nonce);

/// Checks and decrypts a received envelope: its shape, then the sender device's key (the caller looks
/// up e.senderDeviceId among the sender's devices that were not revoked before the message was sent,
/// and passes an empty senderSignPublic when there is none), then the signature, then the AEAD under
/// conversationKey (the key the caller holds for e.epoch; empty when it holds none). clientId and
/// conversationId are the server's claims about the message, bound by the signature.
OpenedMessage openMessage(const QByteArray &conversationKey, const QString &conversationId, const QString &clientId,
                          const QByteArray &senderSignPublic, const MessageEnvelope &e);

/// openMessage followed by the last check: a message that verifies but whose client id is in
/// seenClientIds (the client ids of other messages already accepted in this conversation, so a page
/// fetched twice is not mistaken for a replay) is Replayed, without text.
OpenedMessage openMessage(const QByteArray &conversationKey, const QString &conversationId, const QString &clientId,
                          const QByteArray &senderSignPublic, const MessageEnvelope &e,
                          const QSet<QString> &seenClientIds);

/// A received call signal after its checks: signal is set only when check is Ok.
struct OpenedCallSignal {
    MessageCheck check = MessageCheck::Malformed;
    std::optional<CallSignal> signal;
};

/// Encrypts and signs a call signal as senderDeviceId, for the call callId of the conversation (a format-3 envelope).
/// Empty on the conditions of sealMessage, or for a signal CallSignal::fromBytes would refuse.
MessageEnvelope sealCallSignal(const QByteArray &conversationKey, const QString &conversationId, qint64 epoch,
                               const QString &callId, const QString &senderDeviceId, const QByteArray &signSecret,
                               const CallSignal &signal);

/// Checks and decrypts a received call signal as openMessage does a message (shape, sender device, signature, key),
/// for the call callId: a format other than 3 is Malformed, a plaintext that is not a CallSignal BadCiphertext.
OpenedCallSignal openCallSignal(const QByteArray &conversationKey, const QString &conversationId, const QString &callId,
                                const QByteArray &senderSignPublic, const MessageEnvelope &e);

} // namespace larch
