// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/e2ee/DeviceService.h"

#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"

#include <QDateTime>

namespace larch::server {

void requireActiveDevice(const Authenticated &caller)
{
    if (!caller.hasActiveDevice())
        throw RequestError(403, QStringLiteral("device_required"),
                           QStringLiteral("This needs a registered, active device: register this device (and have a "
                                          "staff device approved) first."));
}

void throwKeyConflict(KeyConflict conflict, const QString &detail)
{
    QString message;
    switch (conflict) {
    case KeyConflict::WrongVersion:
        message = QStringLiteral("version must be %1, the current practice key version + 1.").arg(detail);
        break;
    case KeyConflict::WrongEpoch:
        message = QStringLiteral("epoch must be %1, the current epoch + 1; fetch the conversation's keys and try "
                                 "again.")
                      .arg(detail);
        break;
    case KeyConflict::NoPracticeKey:
        message = QStringLiteral("The practice has no practice key yet; a staff device must create it first.");
        break;
    case KeyConflict::RotationNeeded:
        message = QStringLiteral("The practice key must be rotated before a new epoch starts, because a staff "
                                 "device was removed.");
        break;
    case KeyConflict::StalePracticeKey:
        message = QStringLiteral("practiceKeyVersion must be %1, the current practice key version.").arg(detail);
        break;
    case KeyConflict::MissingDevice:
        message = QStringLiteral("Device %1 has no grant: the grants must cover every active device this key is "
                                 "for.")
                      .arg(detail);
        break;
    case KeyConflict::ExtraDevice:
        message =
            QStringLiteral("Device %1 must not get a grant: it is not an active device this key is for.").arg(detail);
        break;
    case KeyConflict::DuplicateDevice:
        message = QStringLiteral("Device %1 has more than one grant for the same key.").arg(detail);
        break;
    case KeyConflict::UnknownEpoch:
        message = QStringLiteral("Epoch %1 does not exist in this conversation.").arg(detail);
        break;
    case KeyConflict::NotPending: message = QStringLiteral("This device is not waiting for approval."); break;
    case KeyConflict::MissingVersion:
        message = QStringLiteral("grants must include practice key version %1: a new staff device needs every "
                                 "version.")
                      .arg(detail);
        break;
    case KeyConflict::ExtraVersion:
        message =
            QStringLiteral("grants has practice key version %1, which does not exist or appears twice.").arg(detail);
        break;
    case KeyConflict::WrongIdentityVersion:
        message = QStringLiteral("identity.version must be %1, the current practice identity version + 1.").arg(detail);
        break;
    case KeyConflict::StaleIdentity:
        message = detail == QLatin1String("0")
            ? QStringLiteral("The practice has no identity yet, so nothing can be signed by one.")
            : QStringLiteral("identityVersion must be %1, the current practice identity version.").arg(detail);
        break;
    case KeyConflict::MissingIdentityVersion:
        message = QStringLiteral("identityGrants must include practice identity version %1: a new staff device "
                                 "needs every version.")
                      .arg(detail);
        break;
    case KeyConflict::ExtraIdentityVersion:
        message = QStringLiteral("identityGrants has practice identity version %1, which does not exist or appears "
                                 "twice.")
                      .arg(detail);
        break;
    case KeyConflict::None: message = QStringLiteral("The keys changed meanwhile; fetch them and try again."); break;
    }
    throw RequestError(409, QStringLiteral("conflict"), message);
}

QStringList DeviceService::staffIds(const QString &practiceId)
{
    QStringList out;
    for (const User &s : m_storage.accounts().staff(practiceId))
        out.append(s.id);
    return out;
}

QStringList DeviceService::patientStaffIds(const QString &patientId)
{
    QStringList out;
    QStringList practices;
    for (const ConversationRecord &c : m_storage.conversations().conversationPage(patientId, {}, std::nullopt, 1000))
        if (!practices.contains(c.practiceId))
            practices.append(c.practiceId);
    for (const QString &p : practices)
        out += staffIds(p);
    return out;
}

QStringList DeviceService::audienceOf(const User &user)
{
    QStringList out = user.isStaff() ? staffIds(user.practiceId) : patientStaffIds(user.id);
    if (user.isStaff())
        out += m_storage.accounts().practicePatients(user.practiceId);
    if (!out.contains(user.id))
        out.append(user.id);
    return out;
}

User DeviceService::visibleUser(const User &caller, const QString &userId)
{
    if (userId == caller.id)
        return caller;
    const auto target = isValidId(userId) ? m_storage.accounts().user(userId) : std::nullopt;
    if (!target || target->practiceId != caller.practiceId)
        throw RequestError::notFound();
    // Staff share a conversation with everyone of their practice; a patient only with its staff.
    if (!caller.isStaff() && !target->isStaff())
        throw RequestError::notFound();
    return *target;
}

DeviceService::Registered DeviceService::registerDevice(const Authenticated &caller, const QString &deviceId,
                                                        const QString &name, const QString &boxPublicKey,
                                                        const QString &signPublicKey)
{
    using Status = RegisterDeviceResult::Status;
    const User &user = caller.user;
    DeviceRecord d{deviceId, user.id, name, boxPublicKey, signPublicKey, {}, QDateTime::currentMSecsSinceEpoch(), {}};
    const QStringList audience = audienceOf(user);
    // A patient's key requests go to the staff of each practice they have a conversation with.
    const QStringList staff = user.isStaff() ? staffIds(user.practiceId) : patientStaffIds(user.id);
    const RegisterDeviceResult r = m_hub.commit([&] {
        return m_storage.devices().registerDevice(d, user.practiceId, user.isStaff(), caller.sessionDigest, audience,
                                                  staff);
    });
    switch (r.status) {
    case Status::Created:
        m_audit.record(AuditLog::of(user, deviceId), QStringLiteral("device_registered"), {deviceId});
        return {r.device, true};
    case Status::Existing: return {r.device, false};
    case Status::KeysDiffer:
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This device id is already registered with other keys; use a new device id."));
    case Status::Revoked:
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("This device was removed; make new keys under a new device id."));
    case Status::SessionHasOtherDevice: break;
    }
    throw RequestError(
        409, QStringLiteral("conflict"),
        QStringLiteral("This session already acts as another device; sign in again to register a new one."));
}

QList<DeviceRecord> DeviceService::userDevices(const User &caller, const QString &userId)
{
    return m_storage.devices().userDevices(visibleUser(caller, userId).id);
}

QList<DeviceRecord> DeviceService::conversationDevices(const ConversationRecord &c)
{
    return m_storage.devices().conversationDevices(c.practiceId, c.patientId);
}

DeviceRecord DeviceService::approve(const Authenticated &caller, const QString &deviceId,
                                    const QList<VersionGrant> &grants, const QList<VersionGrant> &identityGrants)
{
    const auto device = isValidId(deviceId) ? m_storage.devices().device(deviceId) : std::nullopt;
    if (!device)
        throw RequestError::notFound();
    const User owner = visibleUser(caller.user, device->userId);
    if (!caller.user.isStaff())
        throw RequestError::forbidden();
    requireActiveDevice(caller);
    if (!owner.isStaff())
        throwKeyConflict(KeyConflict::NotPending, {});
    const KeyWriteResult r = m_hub.commit(
        [&] { return m_storage.devices().approveDevice(deviceId, owner.practiceId, grants, identityGrants); });
    if (r.conflict != KeyConflict::None)
        throwKeyConflict(r.conflict, r.detail);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("device_approved"), {deviceId, owner.id});
    return r.device;
}

void DeviceService::revoke(const Authenticated &caller, const QString &deviceId)
{
    const auto device = isValidId(deviceId) ? m_storage.devices().device(deviceId) : std::nullopt;
    if (!device)
        throw RequestError::notFound();
    const User owner = visibleUser(caller.user, device->userId);
    // The user, or an administrator for a staff device; a patient's devices are theirs alone.
    if (owner.id != caller.user.id && !(caller.user.isAdmin() && owner.isStaff()))
        throw RequestError::forbidden();
    const QStringList audience = audienceOf(owner);
    const QStringList staff = staffIds(owner.practiceId);
    const RevokeResult r = m_hub.commit(
        [&] { return m_storage.devices().revokeDevice(deviceId, owner.practiceId, owner.isStaff(), audience, staff); });
    m_hub.closeSessions(owner.id, r.sessionDigests, SessionEndedCloseCode);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("device_removed"), {deviceId, owner.id});
}

void DeviceService::deactivateStaff(const Authenticated &caller, const QString &practiceId, const QString &userId)
{
    if (caller.user.practiceId != practiceId)
        throw RequestError::notFound();
    if (!caller.user.isAdmin())
        throw RequestError::forbidden();
    const auto target = isValidId(userId) ? m_storage.accounts().user(userId) : std::nullopt;
    if (!target || target->practiceId != practiceId || !target->isStaff())
        throw RequestError::notFound();
    if (target->id == caller.user.id)
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("You cannot deactivate your own account; ask another administrator."));
    const QStringList audience = audienceOf(*target);
    QStringList staff = staffIds(practiceId);
    staff.removeAll(target->id);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_hub.commit([&] { return m_storage.devices().deactivateStaff(target->id, practiceId, now, audience, staff); });
    m_hub.closeUser(target->id, SessionEndedCloseCode);
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("staff_deactivated"), {target->id});
}

} // namespace larch::server
