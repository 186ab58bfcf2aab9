// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/LocalStore.h"

namespace larch {

LocalStore::LocalStore(const QString &dataDir)
    : LocalDatabase(dataDir), m_account(*this), m_conversations(*this), m_messages(*this), m_keys(*this),
      m_outbox(*this)
{ }

} // namespace larch
