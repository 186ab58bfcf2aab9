// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteDeviceStorage's keys: practice key versions and their grants, conversation epochs, handovers, key
// requests and key backups. The coverage rules are checked inside the write's transaction, so a device
// registering at the same moment cannot slip between the check and the write.
#include "server/storage/sqlite/SqliteDeviceStorage.h"
#include "server/storage/sqlite/SqliteRows.h"

#include <algorithm>
#include <QJsonArray>
#include <QSet>

namespace larch::server {
namespace {

using namespace sqlite_rows;

/// Compares grants with the devices that must receive one: the first duplicate, stranger or missing device.
KeyConflict coverage(const QList<DeviceGrant> &grants, const QStringList &required, QString *detail)
{
    QSet<QString> seen;
    const QSet<QString> wanted(required.begin(), required.end());
    for (const DeviceGrant &g : grants) {
        if (seen.contains(g.deviceId)) {
            *detail = g.deviceId;
            return KeyConflict::DuplicateDevice;
        }
        seen.insert(g.deviceId);
        if (!wanted.contains(g.deviceId)) {
            *detail = g.deviceId;
            return KeyConflict::ExtraDevice;
        }
    }
    for (const QString &id : required) {
        if (!seen.contains(id)) {
            *detail = id;
            return KeyConflict::MissingDevice;
        }
    }
    return KeyConflict::None;
}

} // namespace

using namespace sqlite_rows;
std::optional<PracticeKeyVersion> SqliteDeviceStorage::currentPracticeKeyLocked(const QString &practiceId)
{
    auto s = m_db->prepare("SELECT version, public_key FROM practice_keys WHERE practice_id = ? "
                           "ORDER BY version DESC LIMIT 1");
    s.bind(1, practiceId);
    if (!s.step())
        return std::nullopt;
    return PracticeKeyVersion{s.integer(0), s.text(1)};
}

QStringList SqliteDeviceStorage::activeStaffDeviceIdsLocked(const QString &practiceId)
{
    auto s = m_db->prepare("SELECT d.id FROM devices d JOIN users u ON u.id = d.user_id WHERE u.practice_id = ? "
                           "AND u.role IN ('admin', 'clinician') AND u.deactivated_at IS NULL AND d.state = 'active'");
    s.bind(1, practiceId);
    QStringList out;
    while (s.step())
        out.append(s.text(0));
    return out;
}

QStringList SqliteDeviceStorage::activePatientDeviceIdsLocked(const QString &patientId)
{
    auto s = m_db->prepare("SELECT id FROM devices WHERE user_id = ? AND state = 'active'");
    s.bind(1, patientId);
    QStringList out;
    while (s.step())
        out.append(s.text(0));
    return out;
}

bool SqliteDeviceStorage::flagRotationLocked(const QString &practiceId)
{
    m_db->prepare("UPDATE practices SET key_rotation_needed = 1 WHERE id = ?1 AND key_rotation_needed = 0 "
                  "AND EXISTS (SELECT 1 FROM practice_keys WHERE practice_id = ?1)")
        .bind(1, practiceId)
        .exec();
    return m_db->changes() > 0;
}

PracticeKeyState SqliteDeviceStorage::practiceKeys(const QString &practiceId, const QString &deviceId)
{
    std::lock_guard lock(m_mutex);
    PracticeKeyState state;
    state.current = currentPracticeKeyLocked(practiceId);
    {
        auto s = m_db->prepare("SELECT key_rotation_needed FROM practices WHERE id = ?");
        s.bind(1, practiceId);
        state.rotationNeeded = s.step() && s.integer(0) != 0;
    }
    auto s =
        m_db->prepare("SELECT version, sealed_key FROM practice_key_grants WHERE practice_id = ? AND device_id = ? "
                      "ORDER BY version");
    s.bind(1, practiceId).bind(2, deviceId);
    while (s.step())
        state.grants.append(VersionGrant{s.integer(0), s.text(1)});
    return state;
}

KeyWriteResult SqliteDeviceStorage::createPracticeKey(const NewPracticeKey &key, const QStringList &staffIds)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    KeyWriteResult result;
    const auto current = currentPracticeKeyLocked(key.practiceId);
    const qint64 expected = current ? current->version + 1 : 1;
    if (key.version != expected) {
        result.conflict = KeyConflict::WrongVersion;
        result.detail = QString::number(expected);
        return result;
    }
    result.conflict = coverage(key.grants, activeStaffDeviceIdsLocked(key.practiceId), &result.detail);
    if (result.conflict != KeyConflict::None)
        return result;
    m_db->prepare("INSERT INTO practice_keys (practice_id, version, public_key, created_by_device, created_at) "
                  "VALUES (?, ?, ?, ?, ?)")
        .bind(1, key.practiceId)
        .bind(2, key.version)
        .bind(3, key.publicKey)
        .bind(4, key.creatorDeviceId)
        .bind(5, key.createdAt)
        .exec();
    for (const DeviceGrant &g : key.grants)
        m_db->prepare(
                "INSERT INTO practice_key_grants (practice_id, version, device_id, sealed_key) VALUES (?, ?, ?, ?)")
            .bind(1, key.practiceId)
            .bind(2, key.version)
            .bind(3, g.deviceId)
            .bind(4, g.sealedKey)
            .exec();
    m_db->prepare("UPDATE practices SET key_rotation_needed = 0 WHERE id = ?").bind(1, key.practiceId).exec();
    QList<NewEvent> events;
    addEvents(events, staffIds, KeyEventType::PracticeKeyRotated,
              compact({{"practiceId", key.practiceId}, {"version", key.version}}));
    result.events = sqlite_steps::appendEvents(*m_db, events, key.createdAt);
    tx.commit();
    return result;
}

ConversationKeys SqliteDeviceStorage::conversationKeys(const QString &conversationId, const QString &practiceId,
                                                       const QString &deviceId, bool staff)
{
    std::lock_guard lock(m_mutex);
    ConversationKeys keys;
    keys.practiceKey = currentPracticeKeyLocked(practiceId);
    QHash<qint64, QStringList> holders;
    QHash<qint64, QString> mine;
    {
        auto s = m_db->prepare("SELECT epoch, device_id, sealed_key FROM epoch_grants WHERE conversation_id = ? "
                               "ORDER BY created_at, device_id");
        s.bind(1, conversationId);
        while (s.step()) {
            holders[s.integer(0)].append(s.text(1));
            if (s.text(1) == deviceId)
                mine.insert(s.integer(0), s.text(2));
        }
    }
    auto s = m_db->prepare("SELECT epoch, practice_key_version, practice_grant, created_at FROM conversation_epochs "
                           "WHERE conversation_id = ? ORDER BY epoch DESC");
    s.bind(1, conversationId);
    while (s.step()) {
        EpochView e;
        e.epoch = s.integer(0);
        e.practiceKeyVersion = s.integer(1);
        e.deviceIds = holders.value(e.epoch);
        e.createdAt = s.integer(3);
        // Staff open every epoch through the practice key; a patient device only through its own grant.
        if (staff)
            e.sealedKey = s.text(2);
        else if (mine.contains(e.epoch))
            e.sealedKey = mine.value(e.epoch);
        keys.epochs.append(e);
    }
    keys.currentEpoch = keys.epochs.isEmpty() ? 0 : keys.epochs.first().epoch;
    return keys;
}

KeyWriteResult SqliteDeviceStorage::createEpoch(const NewEpoch &e, const QString &practiceId,
                                                const QStringList &recipients)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    KeyWriteResult result;
    qint64 current = 0;
    {
        auto s = m_db->prepare("SELECT COALESCE(MAX(epoch), 0) FROM conversation_epochs WHERE conversation_id = ?");
        s.bind(1, e.conversationId);
        s.step();
        current = s.integer(0);
    }
    if (e.epoch != current + 1) {
        result.conflict = KeyConflict::WrongEpoch;
        result.detail = QString::number(current + 1);
        return result;
    }
    const auto practiceKey = currentPracticeKeyLocked(practiceId);
    if (!practiceKey) {
        result.conflict = KeyConflict::NoPracticeKey;
        return result;
    }
    {
        auto s = m_db->prepare("SELECT key_rotation_needed FROM practices WHERE id = ?");
        s.bind(1, practiceId);
        if (s.step() && s.integer(0) != 0) {
            result.conflict = KeyConflict::RotationNeeded;
            return result;
        }
    }
    if (e.practiceKeyVersion != practiceKey->version) {
        result.conflict = KeyConflict::StalePracticeKey;
        result.detail = QString::number(practiceKey->version);
        return result;
    }
    result.conflict = coverage(e.deviceGrants, activePatientDeviceIdsLocked(e.patientId), &result.detail);
    if (result.conflict != KeyConflict::None)
        return result;
    m_db->prepare("INSERT INTO conversation_epochs (conversation_id, epoch, practice_key_version, practice_grant, "
                  "created_by_device, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, e.conversationId)
        .bind(2, e.epoch)
        .bind(3, e.practiceKeyVersion)
        .bind(4, e.practiceGrant)
        .bind(5, e.creatorDeviceId)
        .bind(6, e.createdAt)
        .exec();
    for (const DeviceGrant &g : e.deviceGrants)
        m_db->prepare("INSERT INTO epoch_grants (conversation_id, epoch, device_id, sealed_key, created_at) "
                      "VALUES (?, ?, ?, ?, ?)")
            .bind(1, e.conversationId)
            .bind(2, e.epoch)
            .bind(3, g.deviceId)
            .bind(4, g.sealedKey)
            .bind(5, e.createdAt)
            .exec();
    QList<NewEvent> events;
    addEvents(
        events, recipients, KeyEventType::ConversationEpoch,
        compact(
            {{"conversationId", e.conversationId}, {"epoch", e.epoch}, {"practiceKeyVersion", e.practiceKeyVersion}}));
    result.events = sqlite_steps::appendEvents(*m_db, events, e.createdAt);
    tx.commit();
    return result;
}

bool SqliteDeviceStorage::epochExists(const QString &conversationId, qint64 epoch)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT 1 FROM conversation_epochs WHERE conversation_id = ? AND epoch = ?");
    s.bind(1, conversationId).bind(2, epoch);
    return s.step();
}

KeyWriteResult SqliteDeviceStorage::handOverKeys(const QString &conversationId, const QString &patientId,
                                                 const QList<EpochGrant> &grants, qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    KeyWriteResult result;
    const QStringList active = activePatientDeviceIdsLocked(patientId);
    QSet<qint64> epochs;
    {
        auto s = m_db->prepare("SELECT epoch FROM conversation_epochs WHERE conversation_id = ?");
        s.bind(1, conversationId);
        while (s.step())
            epochs.insert(s.integer(0));
    }
    QSet<QPair<qint64, QString>> seen;
    QMap<QString, QList<qint64>> byDevice; // ordered, so events leave in a stable order
    for (const EpochGrant &g : grants) {
        if (!active.contains(g.deviceId)) {
            result.conflict = KeyConflict::ExtraDevice;
            result.detail = g.deviceId;
            return result;
        }
        if (!epochs.contains(g.epoch)) {
            result.conflict = KeyConflict::UnknownEpoch;
            result.detail = QString::number(g.epoch);
            return result;
        }
        if (seen.contains({g.epoch, g.deviceId})) {
            result.conflict = KeyConflict::DuplicateDevice;
            result.detail = g.deviceId;
            return result;
        }
        seen.insert({g.epoch, g.deviceId});
        byDevice[g.deviceId].append(g.epoch);
    }
    // A grant already held stays as it is: a handover can add what is missing, never replace a key.
    for (const EpochGrant &g : grants)
        m_db->prepare("INSERT OR IGNORE INTO epoch_grants (conversation_id, epoch, device_id, sealed_key, created_at) "
                      "VALUES (?, ?, ?, ?, ?)")
            .bind(1, conversationId)
            .bind(2, g.epoch)
            .bind(3, g.deviceId)
            .bind(4, g.sealedKey)
            .bind(5, now)
            .exec();
    QList<NewEvent> events;
    for (auto it = byDevice.begin(); it != byDevice.end(); ++it) {
        qint64 held = 0;
        {
            auto s = m_db->prepare("SELECT COUNT(*) FROM epoch_grants WHERE conversation_id = ? AND device_id = ?");
            s.bind(1, conversationId).bind(2, it.key());
            s.step();
            held = s.integer(0);
        }
        if (held == epochs.size()) {
            m_db->prepare("DELETE FROM key_requests WHERE conversation_id = ? AND device_id = ?")
                .bind(1, conversationId)
                .bind(2, it.key())
                .exec();
            if (m_db->changes() > 0)
                result.fulfilled.append(it.key());
        }
        QList<qint64> list = it.value();
        std::sort(list.begin(), list.end());
        QJsonArray granted;
        for (qint64 e : list)
            granted.append(e);
        addEvents(events, {patientId}, KeyEventType::ConversationKeys,
                  compact({{"conversationId", conversationId}, {"deviceId", it.key()}, {"epochs", granted}}));
    }
    result.events = sqlite_steps::appendEvents(*m_db, events, now);
    tx.commit();
    return result;
}

QList<KeyRequest> SqliteDeviceStorage::keyRequests(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT k.conversation_id, k.device_id, k.user_id, k.created_at FROM key_requests k "
                           "JOIN conversations c ON c.id = k.conversation_id WHERE c.practice_id = ? "
                           "ORDER BY k.created_at, k.conversation_id, k.device_id");
    s.bind(1, practiceId);
    QList<KeyRequest> out;
    while (s.step())
        out.append(KeyRequest{s.text(0), s.text(1), s.text(2), s.integer(3)});
    return out;
}

void SqliteDeviceStorage::putKeyBackup(const QString &userId, const QString &backup, const QString &entryKeyId,
                                       qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("INSERT INTO key_backups (user_id, backup, entry_key_id, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (user_id) DO UPDATE SET backup = excluded.backup, "
                  "entry_key_id = excluded.entry_key_id, updated_at = excluded.updated_at")
        .bind(1, userId)
        .bind(2, backup)
        .bind(3, entryKeyId)
        .bind(4, now)
        .exec();
    m_db->prepare("DELETE FROM key_backup_entries WHERE user_id = ?").bind(1, userId).exec();
    tx.commit();
}

BackupAppend SqliteDeviceStorage::appendKeyBackupEntry(const QString &userId, const QString &entryKeyId,
                                                       const QString &entry, int maxEntries, qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    auto current = m_db->prepare("SELECT entry_key_id FROM key_backups WHERE user_id = ?");
    current.bind(1, userId);
    if (!current.step())
        return BackupAppend::NoBackup;
    if (current.text(0) != entryKeyId)
        return BackupAppend::Replaced;
    auto count = m_db->prepare("SELECT COUNT(*) FROM key_backup_entries WHERE user_id = ?");
    count.bind(1, userId);
    count.step();
    if (count.integer(0) >= maxEntries)
        return BackupAppend::Full;
    m_db->prepare("INSERT INTO key_backup_entries (user_id, entry, created_at) VALUES (?, ?, ?)")
        .bind(1, userId)
        .bind(2, entry)
        .bind(3, now)
        .exec();
    tx.commit();
    return BackupAppend::Added;
}

std::optional<KeyBackup> SqliteDeviceStorage::keyBackup(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT backup, updated_at, entry_key_id FROM key_backups WHERE user_id = ?");
    s.bind(1, userId);
    if (!s.step())
        return std::nullopt;
    KeyBackup backup{s.text(0), s.integer(1), s.text(2), {}};
    auto e = m_db->prepare("SELECT entry FROM key_backup_entries WHERE user_id = ? ORDER BY id");
    e.bind(1, userId);
    while (e.step())
        backup.entries.append(e.text(0));
    return backup;
}

} // namespace larch::server
