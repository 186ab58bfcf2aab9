// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/DeviceSecurity.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/RecoveryBackup.h"
#include "client/e2ee/SecureSync.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/SafetyCode.h"
#include "models/app/AccountSession.h"
#include "models/conversations/CurrentConversation.h"
#include "models/security/PendingDeviceModel.h"

#include <QVariantMap>

namespace larch {

DeviceSecurity::DeviceSecurity(LocalStore *store, ApiClient *api, SyncEngine *sync, DeviceIdentity *identity,
                               AccountSession *session, CurrentConversation *current, QObject *parent)
    : QObject(parent), m_store(store), m_sync(sync), m_identity(identity), m_session(session), m_current(current),
      m_recovery(new RecoveryBackup(api, sync->secure()->keys(), store, this)),
      m_pending(new PendingDeviceModel(store, this))
{
    SecureSync *secure = m_sync->secure();
    connect(m_identity, &DeviceIdentity::stateChanged, this, &DeviceSecurity::deviceStateChanged);
    connect(secure, &SecureSync::pendingDevicesChanged, this, &DeviceSecurity::refreshPending);
    connect(secure, &SecureSync::deviceApproved, this, [this] {
        m_identity->setState(DeviceIdentity::State::Active);
        m_session->rememberDeviceState();
        refreshPending();
    });
    connect(m_session, &AccountSession::started, this,
            [this] { m_recovery->start(m_session->userId(), [this](bool exists) { setHasRecoveryKey(exists); }); });
    connect(m_session, &AccountSession::ended, this, [this] {
        m_recovery->stop();
        m_pending->setDevices({});
        setHasRecoveryKey(false);
    });
}

DeviceState::Value DeviceSecurity::deviceState() const
{
    switch (m_identity->state()) {
    case DeviceIdentity::State::None: break;
    case DeviceIdentity::State::Active: return DeviceState::Active;
    case DeviceIdentity::State::Pending: return DeviceState::Pending;
    case DeviceIdentity::State::KeychainUnavailable: return DeviceState::KeychainUnavailable;
    }
    return DeviceState::None;
}

QString DeviceSecurity::deviceName() const { return m_identity->name(); }

void DeviceSecurity::refreshPending() { m_pending->setDevices(m_sync->secure()->pendingStaffDevices()); }

void DeviceSecurity::setDeviceError(const QString &error)
{
    if (m_deviceError == error)
        return;
    m_deviceError = error;
    emit deviceErrorChanged();
}

void DeviceSecurity::setHasRecoveryKey(bool has)
{
    if (m_hasRecoveryKey == has)
        return;
    m_hasRecoveryKey = has;
    emit hasRecoveryKeyChanged();
}

bool DeviceSecurity::beginAction(const QString &signedOutSentence)
{
    setDeviceError(m_session->signedIn() ? QString() : signedOutSentence);
    return m_session->signedIn();
}

void DeviceSecurity::approveDevice(const QString &deviceId)
{
    if (!beginAction(QStringLiteral("Sign in to approve a device.")))
        return;
    m_sync->secure()->approveDevice(deviceId, [this](bool ok, const QString &sentence) {
        if (!ok)
            setDeviceError(sentence);
        refreshPending();
    });
}

void DeviceSecurity::declineDevice(const QString &deviceId)
{
    if (!beginAction(QStringLiteral("Sign in to decline a device.")))
        return;
    m_sync->secure()->declineDevice(deviceId, [this](bool ok, const QString &sentence) {
        if (!ok)
            setDeviceError(sentence);
        refreshPending();
    });
}

QVariantList DeviceSecurity::safetyCodes() const
{
    QVariantList out;
    const QString conversationId = m_current->id();
    if (!m_session->signedIn() || conversationId.isEmpty())
        return out;
    const QList<DeviceInfo> devices = m_sync->secure()->conversationDevices(conversationId);
    for (const Member &member : m_store->conversations().members(conversationId)) {
        QList<QByteArray> keys;
        for (const DeviceInfo &d : devices) {
            if (d.userId == member.userId && d.isActive())
                keys.append(d.signPublic);
        }
        out.append(QVariantMap{{QStringLiteral("userName"), member.name},
                               {QStringLiteral("role"), QVariant::fromValue(AccountRole::fromName(member.role))},
                               {QStringLiteral("code"), keys.isEmpty() ? QString() : safetyCode(keys)},
                               {QStringLiteral("deviceCount"), int(keys.size())},
                               {QStringLiteral("isMe"), member.userId == m_session->userId()}});
    }
    return out;
}

QString DeviceSecurity::createRecoveryKey()
{
    if (!beginAction(QStringLiteral("Sign in before making a recovery key.")))
        return {};
    return m_recovery->create([this](bool ok, const QString &sentence) {
        if (ok)
            setHasRecoveryKey(true);
        else
            setDeviceError(sentence);
    });
}

void DeviceSecurity::restoreFromRecoveryKey(const QString &text)
{
    if (!beginAction(QStringLiteral("Sign in before restoring from a recovery key.")))
        return;
    m_recovery->restore(text, [this](bool ok, const QString &sentence) {
        if (!ok) {
            setDeviceError(sentence);
            return;
        }
        setHasRecoveryKey(true);
        emit recoveryRestored();
    });
}

} // namespace larch
