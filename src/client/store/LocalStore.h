// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Everything the app keeps on the device: one database, one part per feature.
#pragma once

#include "client/store/AccountCache.h"
#include "client/store/ConversationCache.h"
#include "client/store/KeyCache.h"
#include "client/store/LocalDatabase.h"
#include "client/store/MessageCache.h"
#include "client/store/OutboxStore.h"

namespace larch {

/// The device's store: the database (schema, storage key, batches, settings) and its parts, each over its own
/// tables: account() the session, conversations() the list, messages() messages and notices, keys() cached keys,
/// outbox() drafts, unsent messages and their uploads. One object owns every byte the app keeps, so encryption at
/// rest wraps it in one place (LocalDatabase).
class LocalStore : public LocalDatabase {
public:
    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else QStandardPaths::AppDataLocation.
    explicit LocalStore(const QString &dataDir = {});

    AccountCache &account() { return m_account; }
    const AccountCache &account() const { return m_account; }
    ConversationCache &conversations() { return m_conversations; }
    const ConversationCache &conversations() const { return m_conversations; }
    MessageCache &messages() { return m_messages; }
    const MessageCache &messages() const { return m_messages; }
    KeyCache &keys() { return m_keys; }
    const KeyCache &keys() const { return m_keys; }
    OutboxStore &outbox() { return m_outbox; }
    const OutboxStore &outbox() const { return m_outbox; }

private:
    AccountCache m_account;
    ConversationCache m_conversations;
    MessageCache m_messages;
    KeyCache m_keys;
    OutboxStore m_outbox;
};

} // namespace larch
