// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteDeviceStorage's devices: registering and binding sessions, listing, approving, revoking, and deactivating
// staff. Each write checks its rules inside its own transaction.
#include "server/storage/sqlite/SqliteDeviceStorage.h"
#include "server/storage/sqlite/SqliteRows.h"

#include <QDateTime>
#include <QSet>

namespace larch::server {

using namespace sqlite_rows;
void SqliteDeviceStorage::revokeDeviceLocked(const DeviceRecord &device, qint64 now, RevokeResult &result)
{
    m_db->prepare("UPDATE devices SET state = 'revoked', revoked_at = ? WHERE id = ?")
        .bind(1, now)
        .bind(2, device.id)
        .exec();
    {
        auto s = m_db->prepare("SELECT token_digest FROM sessions WHERE device_id = ? AND revoked = 0");
        s.bind(1, device.id);
        while (s.step())
            result.sessionDigests.append(s.blob(0));
    }
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE device_id = ?").bind(1, device.id).exec();
    m_db->prepare("DELETE FROM key_requests WHERE device_id = ?").bind(1, device.id).exec();
    DeviceRecord revoked = device;
    revoked.state = QStringLiteral("revoked");
    revoked.revokedAt = now;
    result.revoked.append(revoked);
}

RegisterDeviceResult SqliteDeviceStorage::registerDevice(const DeviceRecord &device, const QString &practiceId,
                                                         bool staff, const QByteArray &sessionDigest,
                                                         const QStringList &addedRecipients,
                                                         const QStringList &staffIds)
{
    using Status = RegisterDeviceResult::Status;
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    RegisterDeviceResult result;
    QString boundId;
    {
        auto s = m_db->prepare("SELECT device_id FROM sessions WHERE token_digest = ?");
        s.bind(1, sessionDigest);
        if (s.step() && !s.isNull(0))
            boundId = s.text(0);
    }
    std::optional<DeviceRecord> existing;
    {
        auto s = m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?");
        s.bind(1, device.id);
        if (s.step())
            existing = readDevice(s);
    }
    if (existing) {
        if (existing->userId != device.userId || existing->boxPublicKey != device.boxPublicKey
            || existing->signPublicKey != device.signPublicKey) {
            result.status = Status::KeysDiffer;
            return result;
        }
        if (existing->state == QLatin1String("revoked")) {
            result.status = Status::Revoked;
            return result;
        }
    }
    if (!boundId.isEmpty() && boundId != device.id) {
        result.status = Status::SessionHasOtherDevice;
        return result;
    }
    auto bind = [&] {
        m_db->prepare("UPDATE sessions SET device_id = ? WHERE token_digest = ?")
            .bind(1, device.id)
            .bind(2, sessionDigest)
            .exec();
    };
    if (existing) {
        bind();
        tx.commit();
        result.status = Status::Existing;
        result.device = *existing;
        return result;
    }

    DeviceRecord stored = device;
    // The first staff devices of a practice are trusted as they come: there is no key yet for anyone to
    // approve them with, and one of them makes the practice key.
    const bool pending = staff && currentPracticeKeyLocked(practiceId).has_value();
    stored.state = pending ? QStringLiteral("pending") : QStringLiteral("active");
    m_db->prepare("INSERT INTO devices (" DEVICE_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)")
        .bind(1, stored.id)
        .bind(2, stored.userId)
        .bind(3, stored.name)
        .bind(4, stored.boxPublicKey)
        .bind(5, stored.signPublicKey)
        .bind(6, stored.state)
        .bind(7, stored.createdAt)
        .exec();
    bind();
    QList<NewEvent> events;
    addEvents(events, addedRecipients, KeyEventType::DeviceAdded, compact(stored.toJson()));
    if (!staff) {
        // A conversation without an epoch has nothing to hand over, so only those with one get a request.
        QList<std::pair<QString, QString>> conversations; // id, practice
        {
            auto s =
                m_db->prepare("SELECT c.id, c.practice_id FROM conversations c WHERE c.patient_id = ? AND EXISTS "
                              "(SELECT 1 FROM conversation_epochs e WHERE e.conversation_id = c.id) ORDER BY c.id");
            s.bind(1, stored.userId);
            while (s.step())
                conversations.append({s.text(0), s.text(1)});
        }
        // A patient invited by several practices: each request goes only to the staff of its conversation's practice.
        QHash<QString, QStringList> staffOfPractice;
        for (const auto &[c, practice] : conversations) {
            if (!staffOfPractice.contains(practice)) {
                QStringList members;
                auto s = m_db->prepare("SELECT id FROM users WHERE practice_id = ? AND role IN ('admin', 'clinician')");
                s.bind(1, practice);
                while (s.step())
                    if (staffIds.contains(s.text(0)))
                        members.append(s.text(0));
                staffOfPractice.insert(practice, members);
            }
        }
        for (const auto &[c, practice] : conversations) {
            m_db->prepare(
                    "INSERT INTO key_requests (conversation_id, device_id, user_id, created_at) VALUES (?, ?, ?, ?)")
                .bind(1, c)
                .bind(2, stored.id)
                .bind(3, stored.userId)
                .bind(4, stored.createdAt)
                .exec();
            addEvents(events, staffOfPractice.value(practice), KeyEventType::KeyRequested,
                      compact({{"conversationId", c}, {"deviceId", stored.id}, {"userId", stored.userId}}));
        }
    }
    result.events = sqlite_steps::appendEvents(*m_db, events, stored.createdAt);
    tx.commit();
    result.status = Status::Created;
    result.device = stored;
    return result;
}

std::optional<DeviceRecord> SqliteDeviceStorage::device(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?").with(id).one(readDevice);
}

QList<DeviceRecord> SqliteDeviceStorage::userDevices(const QString &userId)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE user_id = ? ORDER BY created_at, id")
        .with(userId)
        .all(readDevice);
}

QList<DeviceRecord> SqliteDeviceStorage::conversationDevices(const QString &practiceId, const QString &patientId)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " DEVICE_COLUMNS_D
                  " FROM devices d JOIN users u ON u.id = d.user_id WHERE u.id = ? OR (u.practice_id = ? AND u.role IN "
                  "('admin', 'clinician')) ORDER BY d.created_at, d.id")
        .with(patientId, practiceId)
        .all(readDevice);
}

namespace {
/// The first version of grants that is repeated or not in versions, or of versions that grants lack; 0 when they
/// match exactly. extra tells which of the two it is.
qint64 versionMismatch(const QList<VersionGrant> &grants, const QList<qint64> &versions, bool *extra)
{
    QSet<qint64> seen;
    for (const VersionGrant &g : grants) {
        if (seen.contains(g.version) || !versions.contains(g.version)) {
            *extra = true;
            return g.version;
        }
        seen.insert(g.version);
    }
    for (qint64 v : versions) {
        if (!seen.contains(v)) {
            *extra = false;
            return v;
        }
    }
    return 0;
}
} // namespace

KeyWriteResult SqliteDeviceStorage::approveDevice(const QString &deviceId, const QString &practiceId,
                                                  const QList<VersionGrant> &grants,
                                                  const QList<VersionGrant> &identityGrants)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    KeyWriteResult result;
    std::optional<DeviceRecord> device;
    {
        auto s = m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?");
        s.bind(1, deviceId);
        if (s.step())
            device = readDevice(s);
    }
    if (!device || device->state != QLatin1String("pending")) {
        result.conflict = KeyConflict::NotPending;
        return result;
    }
    auto versionsOf = [&](const char *sql) {
        QList<qint64> versions;
        auto s = m_db->prepare(sql);
        s.bind(1, practiceId);
        while (s.step())
            versions.append(s.integer(0));
        return versions;
    };
    // A new staff device needs every practice key version (history) and every identity version (to sign and to
    // sign the next rotation).
    bool extra = false;
    if (const qint64 v = versionMismatch(
            grants, versionsOf("SELECT version FROM practice_keys WHERE practice_id = ? ORDER BY version"), &extra)) {
        result.conflict = extra ? KeyConflict::ExtraVersion : KeyConflict::MissingVersion;
        result.detail = QString::number(v);
        return result;
    }
    if (const qint64 v = versionMismatch(
            identityGrants,
            versionsOf("SELECT version FROM practice_identities WHERE practice_id = ? ORDER BY version"), &extra)) {
        result.conflict = extra ? KeyConflict::ExtraIdentityVersion : KeyConflict::MissingIdentityVersion;
        result.detail = QString::number(v);
        return result;
    }
    for (const VersionGrant &g : grants)
        m_db->prepare(
                "INSERT INTO practice_key_grants (practice_id, version, device_id, sealed_key) VALUES (?, ?, ?, ?)")
            .bind(1, practiceId)
            .bind(2, g.version)
            .bind(3, deviceId)
            .bind(4, g.sealedKey)
            .exec();
    for (const VersionGrant &g : identityGrants)
        m_db->prepare("INSERT INTO practice_identity_grants (practice_id, version, device_id, sealed_key) "
                      "VALUES (?, ?, ?, ?)")
            .bind(1, practiceId)
            .bind(2, g.version)
            .bind(3, deviceId)
            .bind(4, g.sealedKey)
            .exec();
    m_db->prepare("UPDATE devices SET state = 'active' WHERE id = ?").bind(1, deviceId).exec();
    device->state = QStringLiteral("active");
    result.device = *device;
    QList<NewEvent> events;
    addEvents(events, {device->userId}, KeyEventType::DeviceApproved, compact(device->toJson()));
    result.events = sqlite_steps::appendEvents(*m_db, events, QDateTime::currentMSecsSinceEpoch());
    tx.commit();
    return result;
}

RevokeResult SqliteDeviceStorage::revokeDevice(const QString &deviceId, const QString &practiceId, bool staffDevice,
                                               const QStringList &recipients, const QStringList &staffIds)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    RevokeResult result;
    std::optional<DeviceRecord> device;
    {
        auto s = m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?");
        s.bind(1, deviceId);
        if (s.step())
            device = readDevice(s);
    }
    if (!device || device->state == QLatin1String("revoked"))
        return result;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // A pending device never held the practice key, so its removal leaves the key intact.
    const bool heldPracticeKey = staffDevice && device->isActive();
    revokeDeviceLocked(*device, now, result);
    if (heldPracticeKey)
        result.rotationFlagged = flagRotationLocked(practiceId);
    QList<NewEvent> events;
    addEvents(events, recipients, KeyEventType::DeviceRevoked, compact(result.revoked.first().toJson()));
    if (result.rotationFlagged)
        addEvents(events, staffIds, KeyEventType::RotationNeeded, compact({{"practiceId", practiceId}}));
    result.events = sqlite_steps::appendEvents(*m_db, events, now);
    tx.commit();
    return result;
}

RevokeResult SqliteDeviceStorage::deactivateStaff(const QString &userId, const QString &practiceId, qint64 now,
                                                  const QStringList &recipients, const QStringList &staffIds)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    RevokeResult result;
    m_db->prepare("UPDATE users SET deactivated_at = ? WHERE id = ? AND deactivated_at IS NULL")
        .bind(1, now)
        .bind(2, userId)
        .exec();
    if (m_db->changes() == 0)
        return result;
    QList<DeviceRecord> devices;
    {
        auto s = m_db->prepare("SELECT " DEVICE_COLUMNS " FROM devices WHERE user_id = ? AND state != 'revoked'");
        s.bind(1, userId);
        while (s.step())
            devices.append(readDevice(s));
    }
    for (const DeviceRecord &d : devices)
        revokeDeviceLocked(d, now, result);
    {
        auto s = m_db->prepare("SELECT token_digest FROM sessions WHERE user_id = ? AND revoked = 0");
        s.bind(1, userId);
        while (s.step())
            result.sessionDigests.append(s.blob(0));
    }
    m_db->prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ?").bind(1, userId).exec();
    flagRotationLocked(practiceId);
    {
        // Whoever held the practice key may have copied it, so a rotation is due even if it was due already.
        auto s = m_db->prepare("SELECT key_rotation_needed FROM practices WHERE id = ?");
        s.bind(1, practiceId);
        result.rotationFlagged = s.step() && s.integer(0) != 0;
    }
    QList<NewEvent> events;
    for (const DeviceRecord &d : result.revoked)
        addEvents(events, recipients, KeyEventType::DeviceRevoked, compact(d.toJson()));
    if (result.rotationFlagged)
        addEvents(events, staffIds, KeyEventType::RotationNeeded, compact({{"practiceId", practiceId}}));
    result.events = sqlite_steps::appendEvents(*m_db, events, now);
    tx.commit();
    return result;
}

} // namespace larch::server
