// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading the end-to-end encryption fields of a request: base64 keys of fixed sizes, grants and envelopes.
// Every failure throws RequestError 400 with missing_field or invalid_field and a sentence naming the field.
#pragma once

#include "server/e2ee/KeyRecords.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace larch::server {

/// Decoded sizes the server checks; it never opens what it checks (docs/protocol.md, E2EE section).
namespace KeySizes {
inline constexpr qsizetype PublicKey = 32; ///< X25519 and Ed25519 public keys
inline constexpr qsizetype Signature = 64; ///< Ed25519 detached signature
inline constexpr qsizetype SealedKey = 32 + 48; ///< crypto_box_seal of a 32-byte key
inline constexpr qsizetype Nonce = 24;
inline constexpr qsizetype Tag = 16;
/// The longest message plaintext, as MessageEnvelope::PlaintextMax: 20,000 characters of up to four bytes, or
/// format-2 content (text with attachment references and their inline thumbnails).
inline constexpr qsizetype PlaintextMax = 256 * 1024;
inline constexpr qsizetype CiphertextMax = Nonce + Tag + PlaintextMax;
/// A key backup's encrypted bytes: what fits in the 4 MiB request of PUT /v1/me/key-backup.
inline constexpr qsizetype BackupMax = 3 * 1024 * 1024;
/// A key backup entry's sealed bytes (the request of POST /v1/me/key-backup/entries may be 384 KiB).
inline constexpr qsizetype BackupEntryMax = 128 * 1024;
/// The id of the key backup entries are sealed to (16 bytes).
inline constexpr qsizetype EntryKeyId = 16;
/// Entries a backup holds before a new recovery key (a new snapshot) is needed.
inline constexpr int BackupEntriesMax = 10000;
} // namespace KeySizes

/// A required lower-case UUID field.
QString readId(const QJsonObject &o, const char *field);
/// A required whole-number field within [min, max].
qint64 readInteger(const QJsonObject &o, const char *field, qint64 min, qint64 max);
/// A required standard base64 field (padded, no white space) whose decoded size is within [minBytes, maxBytes].
QString readBase64(const QJsonObject &o, const char *field, qsizetype minBytes, qsizetype maxBytes);
/// A required array of objects, at most maxItems long.
QJsonArray readArray(const QJsonObject &o, const char *field, qsizetype maxItems);

/// {"deviceId", "sealedKey"} items of field.
QList<DeviceGrant> readDeviceGrants(const QJsonObject &o, const char *field);
/// An optional base64 field (absent or null: none), checked as readBase64 when present.
std::optional<QString> readOptionalBase64(const QJsonObject &o, const char *field, qsizetype minBytes,
                                          qsizetype maxBytes);
/// An optional whole-number field (absent or null: none) within [min, max].
std::optional<qint64> readOptionalInteger(const QJsonObject &o, const char *field, qint64 min, qint64 max);

/// The body of POST /v1/practices/{id}/keys: version, publicKey, grants, and with a practice identity its
/// identityVersion and signature (both or neither) and optionally a new identity version. practiceId, the creator
/// device and the time are left for the service to fill in.
NewPracticeKey readNewPracticeKey(const QJsonObject &body);

/// A message envelope, checked for shape and sizes and rewritten as compact JSON of exactly its four
/// fields, so that resending the same envelope compares equal byte for byte.
struct EnvelopeInput {
    qint64 epoch = 0;
    QString senderDeviceId;
    QByteArray canonical;
};
/// What an envelope carries: a message (format 1 or 2) or a call's signalling (format 3, always written).
enum class EnvelopeUse { Message, CallSignal };
EnvelopeInput readEnvelope(const QJsonObject &body, EnvelopeUse use = EnvelopeUse::Message);

} // namespace larch::server
