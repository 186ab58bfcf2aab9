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
    auto s = m_db->prepare("SELECT version, public_key, identity_version, signature FROM practice_keys "
                           "WHERE practice_id = ? ORDER BY version DESC LIMIT 1");
    s.bind(1, practiceId);
    if (!s.step())
        return std::nullopt;
    PracticeKeyVersion key{s.integer(0), s.text(1), {}, {}};
    if (!s.isNull(2))
        key.identityVersion = s.integer(2);
    if (!s.isNull(3))
        key.signature = s.text(3);
    return key;
}

QList<PracticeIdentityRecord> SqliteDeviceStorage::practiceIdentityLocked(const QString &practiceId)
{
    return m_db
        ->prepare("SELECT version, public_key, rotation_signature, created_at FROM practice_identities "
                  "WHERE practice_id = ? ORDER BY version")
        .with(practiceId)
        .all([](Statement &s) {
            PracticeIdentityRecord r{s.integer(0), s.text(1), {}, s.integer(3)};
            if (!s.isNull(2))
                r.rotationSignature = s.text(2);
            return r;
        });
}

QList<PracticeIdentityRecord> SqliteDeviceStorage::practiceIdentity(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    return practiceIdentityLocked(practiceId);
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
    state.identity = practiceIdentityLocked(practiceId);
    state.identityGrants = m_db->prepare("SELECT version, sealed_key FROM practice_identity_grants "
                                         "WHERE practice_id = ? AND device_id = ? ORDER BY version")
                               .with(practiceId, deviceId)
                               .all([](Statement &g) {
                                   return VersionGrant{g.integer(0), g.text(1)};
                               });
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
    const QStringList staffDevices = activeStaffDeviceIdsLocked(key.practiceId);
    result.conflict = coverage(key.grants, staffDevices, &result.detail);
    if (result.conflict != KeyConflict::None)
        return result;
    const QList<PracticeIdentityRecord> identity = practiceIdentityLocked(key.practiceId);
    qint64 identityVersion = identity.isEmpty() ? 0 : identity.last().version;
    if (key.identity) {
        if (key.identity->version != identityVersion + 1) {
            result.conflict = KeyConflict::WrongIdentityVersion;
            result.detail = QString::number(identityVersion + 1);
            return result;
        }
        result.conflict = coverage(key.identity->grants, staffDevices, &result.detail);
        if (result.conflict != KeyConflict::None)
            return result;
        identityVersion = key.identity->version;
    }
    // Once a practice has an identity, every key version is signed by its current version.
    if ((identityVersion > 0 || key.identityVersion) && key.identityVersion != identityVersion) {
        result.conflict = KeyConflict::StaleIdentity;
        result.detail = QString::number(identityVersion);
        return result;
    }
    if (key.identity) {
        auto insert = m_db->prepare("INSERT INTO practice_identities (practice_id, version, public_key, "
                                    "rotation_signature, created_by_device, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        insert.bind(1, key.practiceId).bind(2, key.identity->version).bind(3, key.identity->publicKey);
        if (key.identity->rotationSignature)
            insert.bind(4, *key.identity->rotationSignature);
        else
            insert.bindNull(4);
        insert.bind(5, key.creatorDeviceId).bind(6, key.createdAt).exec();
        for (const DeviceGrant &g : key.identity->grants)
            m_db->prepare("INSERT INTO practice_identity_grants (practice_id, version, device_id, sealed_key) "
                          "VALUES (?, ?, ?, ?)")
                .with(key.practiceId, key.identity->version, g.deviceId, g.sealedKey)
                .exec();
    }
    auto insertKey = m_db->prepare("INSERT INTO practice_keys (practice_id, version, public_key, created_by_device, "
                                   "created_at, identity_version, signature) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insertKey.with(key.practiceId, key.version, key.publicKey, key.creatorDeviceId, key.createdAt);
    if (key.identityVersion && key.signature)
        insertKey.bind(6, *key.identityVersion).bind(7, *key.signature);
    else
        insertKey.bindNull(6).bindNull(7);
    insertKey.exec();
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
    keys.identity = practiceIdentityLocked(practiceId);
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
    auto s = m_db->prepare("SELECT epoch, practice_key_version, practice_grant, created_at, created_by_device, "
                           "identity_version, signature FROM conversation_epochs WHERE conversation_id = ? "
                           "ORDER BY epoch DESC");
    s.bind(1, conversationId);
    while (s.step()) {
        EpochView e;
        e.epoch = s.integer(0);
        e.practiceKeyVersion = s.integer(1);
        e.deviceIds = holders.value(e.epoch);
        e.createdAt = s.integer(3);
        e.createdByDevice = s.text(4);
        if (!s.isNull(5))
            e.identityVersion = s.integer(5);
        if (!s.isNull(6))
            e.signature = s.text(6);
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
    if (e.identityVersion) {
        auto s = m_db->prepare("SELECT 1 FROM practice_identities WHERE practice_id = ? AND version = ?");
        s.bind(1, practiceId).bind(2, *e.identityVersion);
        if (!s.step()) {
            result.conflict = KeyConflict::StaleIdentity;
            result.detail = QString::number(*e.identityVersion);
            return result;
        }
    }
    auto insert = m_db->prepare("INSERT INTO conversation_epochs (conversation_id, epoch, practice_key_version, "
                                "practice_grant, created_by_device, created_at, identity_version, signature) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.with(e.conversationId, e.epoch, e.practiceKeyVersion, e.practiceGrant, e.creatorDeviceId, e.createdAt);
    if (e.identityVersion)
        insert.bind(7, *e.identityVersion);
    else
        insert.bindNull(7);
    if (e.signature)
        insert.bind(8, *e.signature);
    else
        insert.bindNull(8);
    insert.exec();
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
