// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The keys this device caches, sealed under the storage key: what opens history offline after a restart.
#pragma once

#include "core/crypto/SecretBytes.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <tuple>
#include <utility>

namespace larch {

class LocalStore;

/// Conversation epoch keys and practice keys, each sealed under the storage key.
class KeyCache {
public:
    explicit KeyCache(LocalStore &local);

    void saveEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key);
    /// Every cached epoch key: (conversation id, epoch) → key.
    QList<std::tuple<QString, qint64, SecretBytes>> epochKeys() const;
    void savePracticeKey(qint64 version, const SecretBytes &secret);
    QList<std::pair<qint64, SecretBytes>> practiceKeys() const;

private:
    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
