// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The embedded Storage backend: one SQLite file in WAL mode, one connection behind a mutex.
#pragma once

#include "server/storage/sqlite/SqliteAccountStorage.h"
#include "server/storage/sqlite/SqliteAttachmentStorage.h"
#include "server/storage/sqlite/SqliteAuditStorage.h"
#include "server/storage/sqlite/SqliteCallStorage.h"
#include "server/storage/sqlite/SqliteConversationStorage.h"
#include "server/storage/sqlite/SqliteDeliveryStorage.h"
#include "server/storage/sqlite/SqliteDeviceStorage.h"
#include "server/storage/sqlite/SqliteInvitationStorage.h"
#include "server/storage/sqlite/SqlitePracticeLinkStorage.h"
#include "server/storage/sqlite/SqliteSecurityStorage.h"
#include "server/storage/sqlite/SqliteStandardStorage.h"
#include "server/storage/Storage.h"

namespace larch::server {

/// Storage in <data-dir>/larch.sqlite3: every feature's SQLite storage over one shared database. Opening applies
/// pending migrations; closing checkpoints the WAL.
class SqliteStorage final : public Storage {
public:
    /// Opens (creating when absent) the database file at path; throws SqliteError on failure.
    explicit SqliteStorage(const QString &path);
    ~SqliteStorage() override;

    /// The schema version after migrations.
    int schemaVersion();

    AccountStorage &accounts() override { return m_accounts; }
    ConversationStorage &conversations() override { return m_conversations; }
    DeviceStorage &devices() override { return m_devices; }
    InvitationStorage &invitations() override { return m_invitations; }
    StandardStorage &standard() override { return m_standard; }
    PracticeLinkStorage &practiceLinks() override { return m_practiceLinks; }
    AttachmentStorage &attachments() override { return m_attachments; }
    DeliveryStorage &deliveries() override { return m_deliveries; }
    AuditStorage &audit() override { return m_audit; }
    SecurityStorage &security() override { return m_security; }
    CallStorage &calls() override { return m_calls; }

private:
    void migrate();

    SqliteDatabase m_db;
    SqliteAccountStorage m_accounts{m_db};
    SqliteConversationStorage m_conversations{m_db};
    SqliteDeviceStorage m_devices{m_db};
    SqliteInvitationStorage m_invitations{m_db};
    SqliteStandardStorage m_standard{m_db};
    SqlitePracticeLinkStorage m_practiceLinks{m_db};
    SqliteAttachmentStorage m_attachments{m_db};
    SqliteDeliveryStorage m_deliveries{m_db};
    SqliteAuditStorage m_audit{m_db};
    SqliteSecurityStorage m_security{m_db};
    SqliteCallStorage m_calls{m_db};
};

} // namespace larch::server
