// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The key material a recovery key backup and each of its entries hold, and its JSON form.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QByteArray>
#include <QList>
#include <QString>

namespace larch {

/// What a key backup (RecoveryKey::encryptBackup) or a backup entry (RecoveryKey::sealEntry) holds: the keys that
/// open history (docs/security.md, "Recovery key"). Its bytes are the JSON
/// {"v": 1, "practiceKeys": [{"version", "secret"}], "identityKeys": [{"version", "seed"}],
///  "epochKeys": [{"conversationId", "epoch", "key"}]}, every key 32 bytes in standard base64; "identityKeys" only
/// when there are any (a staff device's practice identity seeds). Strict base64 is the standard alphabet and nothing
/// else; the padding may be left out.
struct KeyBackupPayload {
    static constexpr qsizetype KeyBytes = 32;

    /// A practice key version's secret half.
    struct PracticeKeyItem {
        qint64 version = 0; ///< 1 or more
        SecretBytes secret; ///< 32 bytes
        bool operator==(const PracticeKeyItem &) const = default;
    };
    /// A practice identity version's seed.
    struct IdentityKeyItem {
        qint64 version = 0; ///< 1 or more
        SecretBytes seed; ///< 32 bytes
        bool operator==(const IdentityKeyItem &) const = default;
    };
    /// A conversation epoch's key.
    struct EpochKeyItem {
        QString conversationId; ///< never empty
        qint64 epoch = 0; ///< 1 or more
        SecretBytes key; ///< 32 bytes
        bool operator==(const EpochKeyItem &) const = default;
    };

    QList<PracticeKeyItem> practiceKeys;
    QList<IdentityKeyItem> identityKeys;
    QList<EpochKeyItem> epochKeys;

    bool operator==(const KeyBackupPayload &) const = default;

    /// The JSON bytes. They hold secrets: wipe them (SecretBytes::wipe) once encrypted.
    QByteArray toBytes() const;
    /// nullopt unless payload is a JSON object whose "v" is 1. Items that are malformed (a version or epoch below 1,
    /// a key that is not 32 bytes of strict base64, no conversation id) are left out, so one damaged item does not
    /// cost the others; lists that are not arrays read as empty.
    static std::optional<KeyBackupPayload> fromBytes(const QByteArray &payload);
};

} // namespace larch
