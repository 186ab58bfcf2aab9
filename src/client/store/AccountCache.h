// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The signed-in account on the device: the encrypted session and how far the event log was applied.
#pragma once

#include "core/protocol/Protocol.h"

#include <optional>
#include <QSqlDatabase>

namespace larch {

class LocalStore;

/// The cached session (sealed under the storage key) and the last applied event's sequence number.
class AccountCache {
public:
    explicit AccountCache(LocalStore &local);

    /// The cached session; needs the storage key.
    std::optional<Session> session() const;
    /// True when an encrypted session is stored, readable or not (used before the keychain is read).
    bool hasStoredSession() const;
    void saveSession(const Session &session);
    void clearSession();
    qint64 lastEventSeq() const;
    void setLastEventSeq(qint64 seq);

private:
    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
