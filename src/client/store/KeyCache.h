// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The keys this device caches, sealed under the storage key: what opens history offline after a restart.
#pragma once

#include "client/store/LocalRecords.h"
#include "core/crypto/SecretBytes.h"

#include <optional>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <tuple>
#include <utility>

namespace larch {

class LocalStore;

/// Conversation epoch keys, practice keys, practice identity seeds and identity pins, each sealed under the storage key.
class KeyCache {
public:
    explicit KeyCache(LocalStore &local);

    void saveEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key);
    /// Every cached epoch key: (conversation id, epoch) → key.
    QList<std::tuple<QString, qint64, SecretBytes>> epochKeys() const;
    void savePracticeKey(qint64 version, const SecretBytes &secret);
    QList<std::pair<qint64, SecretBytes>> practiceKeys() const;
    void saveIdentitySeed(qint64 version, const SecretBytes &seed);
    QList<std::pair<qint64, SecretBytes>> identitySeeds() const;
    /// Writes (or replaces) the pin of pin.practiceId.
    void savePin(const PracticePin &pin);
    /// The pin of a practice; nullopt when none is stored or it cannot be opened.
    std::optional<PracticePin> pin(const QString &practiceId) const;
    /// Every pin that opens, by practice.
    QList<PracticePin> pins() const;

private:
    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
