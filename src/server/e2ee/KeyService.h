// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice keys, conversation epochs, key handovers, key requests and key backups.
#pragma once

#include "server/api/Authenticated.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/e2ee/DeviceService.h"
#include "server/storage/Storage.h"

namespace larch::server {

/// Key rules (docs/security.md, "Practice key" and "Conversation keys and epochs"). The server checks
/// versions, epochs and who holds a grant; it never sees a key it could open.
class KeyService {
public:
    KeyService(Storage &storage, EventHub &hub, ConversationService &conversations, DeviceService &devices)
        : m_storage(storage), m_hub(hub), m_conversations(conversations), m_devices(devices)
    { }

    /// Staff of the practice: the current version, the rotation mark and the grants of the caller's device.
    PracticeKeyState practiceKeys(const Authenticated &caller, const QString &practiceId);
    /// A new practice key version (key as read from the request), with a new practice identity version when
    /// key.identity is set. Signatures by the practice identity are checked here, against the stored versions: a new
    /// identity version needs its predecessor's signature unless an administrator makes it (version 1, or a
    /// replacement patients are warned about).
    PracticeKeyState createPracticeKey(const Authenticated &caller, const QString &practiceId, NewPracticeKey key);
    ConversationKeys conversationKeys(const Authenticated &caller, const QString &conversationId);
    /// A new epoch; identityVersion and signature are the practice identity's signature (staff) or, without
    /// identityVersion, the creator device's. The server cannot check them: they commit to a key it never sees.
    EpochView createEpoch(const Authenticated &caller, const QString &conversationId, qint64 epoch,
                          qint64 practiceKeyVersion, const QString &practiceGrant,
                          const QList<DeviceGrant> &deviceGrants, std::optional<qint64> identityVersion = {},
                          std::optional<QString> signature = {});
    /// Returns the devices whose key request this handover fulfilled.
    QStringList handOver(const Authenticated &caller, const QString &conversationId, const QList<EpochGrant> &grants);
    QList<KeyRequest> keyRequests(const Authenticated &caller);

    void putBackup(const Authenticated &caller, const QString &backup, const QString &entryKeyId);
    /// Appends a sealed entry to the caller's backup: 404 without a backup, 409 when the backup was replaced
    /// (another entry key) or is full.
    void appendBackupEntry(const Authenticated &caller, const QString &entryKeyId, const QString &entry);
    /// 404 when the user has stored none.
    KeyBackup backup(const Authenticated &caller);

private:
    void requireStaffOf(const User &caller, const QString &practiceId);

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    EventHub &m_hub;
    ConversationService &m_conversations;
    DeviceService &m_devices;
};

} // namespace larch::server
