// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/e2ee/KeyService.h"

#include "core/crypto/PracticeIdentity.h"
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

namespace {

QByteArray decoded(const QString &base64) { return QByteArray::fromBase64(base64.toLatin1()); }

[[noreturn]] void notVerified(const QString &field, qint64 version)
{
    throw RequestError(400, QStringLiteral("invalid_field"),
                       QStringLiteral("%1 does not verify with practice identity version %2.").arg(field).arg(version));
}

} // namespace

PracticeKeyState KeyService::createPracticeKey(const Authenticated &caller, const QString &practiceId,
                                               NewPracticeKey key)
{
    requireStaffOf(caller.user, practiceId);
    requireActiveDevice(caller);
    key.practiceId = practiceId;
    key.creatorDeviceId = caller.deviceId;
    key.createdAt = QDateTime::currentMSecsSinceEpoch();
    // Versions are never changed once stored, so checking a signature against one outside the write's transaction is
    // safe; that the signer is still the current version is checked inside it.
    const QList<PracticeIdentityRecord> identity = m_storage.devices().practiceIdentity(practiceId);
    auto stored = [&identity](qint64 version) -> const PracticeIdentityRecord * {
        for (const PracticeIdentityRecord &r : identity)
            if (r.version == version)
                return &r;
        return nullptr;
    };
    if (key.identity) {
        const NewIdentity &next = *key.identity;
        if (!next.rotationSignature && !caller.user.isAdmin())
            throw RequestError(
                403, QStringLiteral("forbidden"),
                next.version == 1 ? QStringLiteral("Only an administrator's device can create the practice's identity.")
                                  : QStringLiteral("Only an administrator's device can replace the practice's "
                                                   "identity without the signature of its previous version."));
        if (next.rotationSignature) {
            const PracticeIdentityRecord *previous = stored(next.version - 1);
            if (!previous)
                throwKeyConflict(KeyConflict::WrongIdentityVersion,
                                 QString::number(identity.isEmpty() ? 1 : identity.last().version + 1));
            if (!IdentityStatement::verify(decoded(previous->publicKey),
                                           IdentityStatement::rotation(practiceId, next.version,
                                                                       decoded(previous->publicKey),
                                                                       decoded(next.publicKey)),
                                           decoded(*next.rotationSignature)))
                notVerified(QStringLiteral("identity.rotationSignature"), previous->version);
        }
    }
    // The key's signer: the new identity version, else the current one. Without either the practice has no identity
    // yet and its keys go unsigned, as before identities.
    const qint64 signerVersion = key.identity ? key.identity->version
        : identity.isEmpty()                  ? 0
                                              : identity.last().version;
    const QString signerKey = key.identity ? key.identity->publicKey
        : identity.isEmpty()               ? QString()
                                           : identity.last().publicKey;
    if (signerVersion > 0) {
        if (!key.signature)
            throw RequestError(400, QStringLiteral("missing_field"),
                               QStringLiteral("signature is required: the practice has an identity, which signs each "
                                              "practice key version."));
        if (key.identityVersion == signerVersion
            && !IdentityStatement::verify(
                decoded(signerKey),
                IdentityStatement::practiceKey(practiceId, key.version, decoded(key.publicKey), signerVersion),
                decoded(*key.signature)))
            notVerified(QStringLiteral("signature"), signerVersion);
    }
    const QStringList staff = m_devices.staffIds(practiceId);
    const KeyWriteResult r = m_hub.commit([&] { return m_storage.devices().createPracticeKey(key, staff); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    if (key.identity) {
        const QString action = key.identity->version == 1 ? QStringLiteral("practice_identity_created")
            : key.identity->rotationSignature             ? QStringLiteral("practice_identity_rotated")
                                                          : QStringLiteral("practice_identity_replaced");
        m_audit.record(AuditLog::of(caller.user, caller.deviceId), action, {practiceId});
    }
    return m_storage.devices().practiceKeys(practiceId, caller.deviceId);
}

ConversationKeys KeyService::conversationKeys(const Authenticated &caller, const QString &conversationId)
{
    const ConversationRecord c = m_conversations.visible(caller.user, conversationId);
    ConversationKeys keys =
        m_storage.devices().conversationKeys(c.id, c.practiceId, caller.deviceId, caller.user.isStaff());
    keys.practiceId = c.practiceId;
    if (const auto practice = m_storage.accounts().practice(c.practiceId))
        keys.practiceName = practice->name;
    return keys;
}

EpochView KeyService::createEpoch(const Authenticated &caller, const QString &conversationId, qint64 epoch,
                                  qint64 practiceKeyVersion, const QString &practiceGrant,
                                  const QList<DeviceGrant> &deviceGrants, std::optional<qint64> identityVersion,
                                  std::optional<QString> signature)
{
    const ConversationRecord c = m_conversations.visible(caller.user, conversationId);
    if (c.kind != QLatin1String("secure"))
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This is a standard (SMS or email) conversation: it has no encryption keys."));
    requireActiveDevice(caller);
    if (identityVersion && !caller.user.isStaff())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("identityVersion is for epochs staff start; a patient's device signs its "
                                          "own."));
    if (identityVersion && !signature)
        throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("signature is required"));
    NewEpoch e{c.id,
               c.patientId,
               epoch,
               practiceKeyVersion,
               practiceGrant,
               deviceGrants,
               caller.deviceId,
               QDateTime::currentMSecsSinceEpoch(),
               identityVersion,
               signature};
    const QStringList to = m_conversations.recipients(c);
    const KeyWriteResult r = m_hub.commit([&] { return m_storage.devices().createEpoch(e, c.practiceId, to); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    EpochView view;
    view.epoch = e.epoch;
    view.practiceKeyVersion = e.practiceKeyVersion;
    view.createdAt = e.createdAt;
    view.createdByDevice = e.creatorDeviceId;
    view.identityVersion = e.identityVersion;
    view.signature = e.signature;
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
