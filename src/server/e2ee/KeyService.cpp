// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/e2ee/KeyService.h"

#include "server/api/KeyInput.h"
#include "server/api/RequestError.h"

#include <QDateTime>

namespace larch::server {

void KeyService::requireStaffOf(const User &caller, const QString &practiceId)
{
    if (caller.practiceId != practiceId)
        throw RequestError::notFound();
    if (!caller.isStaff())
        throw RequestError::forbidden();
}

PracticeKeyState KeyService::practiceKeys(const Authenticated &caller, const QString &practiceId)
{
    requireStaffOf(caller.user, practiceId);
    return m_storage.devices().practiceKeys(practiceId, caller.deviceId);
}

PracticeKeyState KeyService::createPracticeKey(const Authenticated &caller, const QString &practiceId, qint64 version,
                                               const QString &publicKey, const QList<DeviceGrant> &grants)
{
    requireStaffOf(caller.user, practiceId);
    requireActiveDevice(caller);
    const NewPracticeKey key{practiceId,      version, publicKey,
                             caller.deviceId, grants,  QDateTime::currentMSecsSinceEpoch()};
    const QStringList staff = m_devices.staffIds(practiceId);
    const KeyWriteResult r = m_hub.commit([&] { return m_storage.devices().createPracticeKey(key, staff); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    return m_storage.devices().practiceKeys(practiceId, caller.deviceId);
}

ConversationKeys KeyService::conversationKeys(const Authenticated &caller, const QString &conversationId)
{
    const ConversationRecord c = m_conversations.visible(caller.user, conversationId);
    return m_storage.devices().conversationKeys(c.id, c.practiceId, caller.deviceId, caller.user.isStaff());
}

EpochView KeyService::createEpoch(const Authenticated &caller, const QString &conversationId, qint64 epoch,
                                  qint64 practiceKeyVersion, const QString &practiceGrant,
                                  const QList<DeviceGrant> &deviceGrants)
{
    const ConversationRecord c = m_conversations.visible(caller.user, conversationId);
    if (c.kind != QLatin1String("secure"))
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This is a standard (SMS or email) conversation: it has no encryption keys."));
    requireActiveDevice(caller);
    NewEpoch e{c.id,          c.patientId,  epoch,           practiceKeyVersion,
               practiceGrant, deviceGrants, caller.deviceId, QDateTime::currentMSecsSinceEpoch()};
    const QStringList to = m_conversations.recipients(c);
    const KeyWriteResult r = m_hub.commit([&] { return m_storage.devices().createEpoch(e, c.practiceId, to); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    EpochView view;
    view.epoch = e.epoch;
    view.practiceKeyVersion = e.practiceKeyVersion;
    view.createdAt = e.createdAt;
    for (const DeviceGrant &g : deviceGrants) {
        view.deviceIds.append(g.deviceId);
        if (g.deviceId == caller.deviceId)
            view.sealedKey = g.sealedKey;
    }
    if (caller.user.isStaff())
        view.sealedKey = practiceGrant;
    return view;
}

QStringList KeyService::handOver(const Authenticated &caller, const QString &conversationId,
                                 const QList<EpochGrant> &grants)
{
    const ConversationRecord c = m_conversations.visible(caller.user, conversationId);
    if (!caller.user.isStaff())
        throw RequestError::forbidden();
    requireActiveDevice(caller);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const KeyWriteResult r =
        m_hub.commit([&] { return m_storage.devices().handOverKeys(c.id, c.patientId, grants, now); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    return r.fulfilled;
}

QList<KeyRequest> KeyService::keyRequests(const Authenticated &caller)
{
    if (!caller.user.isStaff())
        throw RequestError::forbidden();
    return m_storage.devices().keyRequests(caller.user.practiceId);
}

void KeyService::putBackup(const Authenticated &caller, const QString &backup, const QString &entryKeyId)
{
    m_storage.devices().putKeyBackup(caller.user.id, backup, entryKeyId, QDateTime::currentMSecsSinceEpoch());
}

void KeyService::appendBackupEntry(const Authenticated &caller, const QString &entryKeyId, const QString &entry)
{
    switch (m_storage.devices().appendKeyBackupEntry(caller.user.id, entryKeyId, entry, KeySizes::BackupEntriesMax,
                                                     QDateTime::currentMSecsSinceEpoch())) {
    case BackupAppend::Added: return;
    case BackupAppend::NoBackup:
        throw RequestError(404, QStringLiteral("not_found"),
                           QStringLiteral("No key backup is stored for this account. Make a recovery key first."));
    case BackupAppend::Replaced:
        throw RequestError(409, QStringLiteral("backup_replaced"),
                           QStringLiteral("A newer recovery key replaced this key backup. Entries for the old one are "
                                          "no longer kept."));
    case BackupAppend::Full:
        throw RequestError(
            409, QStringLiteral("backup_full"),
            QStringLiteral("The key backup holds %1 entries, its limit. Make a new recovery key to start "
                           "a fresh backup.")
                .arg(KeySizes::BackupEntriesMax));
    }
}

KeyBackup KeyService::backup(const Authenticated &caller)
{
    auto b = m_storage.devices().keyBackup(caller.user.id);
    if (!b)
        throw RequestError(404, QStringLiteral("not_found"),
                           QStringLiteral("No key backup is stored for this account."));
    return *b;
}

} // namespace larch::server
