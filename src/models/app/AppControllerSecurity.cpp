// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: this device's state, approvals of colleagues' devices, safety codes and the recovery key.
#include "models/app/AppController.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/RecoveryBackup.h"
#include "client/e2ee/SecureSync.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/SafetyCode.h"
#include "models/conversations/ConversationListModel.h"
#include "models/security/PendingDeviceModel.h"

#include <QVariantMap>

namespace larch {

void AppController::connectSecurity()
{
    SecureSync *secure = m_sync->secure();
    connect(m_identity, &DeviceIdentity::stateChanged, this, &AppController::deviceStateChanged);
    connect(secure, &SecureSync::pendingDevicesChanged, this,
            [this, secure] { m_pending->setDevices(secure->pendingStaffDevices()); });
    connect(secure, &SecureSync::deviceApproved, this, [this, secure] {
        m_identity->setState(DeviceIdentity::State::Active);
        m_store->setSetting(QStringLiteral("deviceState"), m_identity->stateText());
        m_pending->setDevices(secure->pendingStaffDevices());
    });
}

bool AppController::currentConversationSecure() const
{
    const ConversationSummary *c = m_list->conversation(m_currentConversationId);
    return c && c->kind == QLatin1String("secure");
}

DeviceState::Value AppController::deviceStateValue() const
{
    switch (m_identity->state()) {
    case DeviceIdentity::State::None: break;
    case DeviceIdentity::State::Active: return DeviceState::Active;
    case DeviceIdentity::State::Pending: return DeviceState::Pending;
    case DeviceIdentity::State::KeychainUnavailable: return DeviceState::KeychainUnavailable;
    }
    return DeviceState::None;
}

QString AppController::deviceState() const { return m_identity->stateText(); }

QString AppController::deviceName() const { return m_identity->name(); }

QObject *AppController::pendingDevices() const { return m_pending; }

void AppController::setDeviceError(const QString &error)
{
    if (m_deviceError == error)
        return;
    m_deviceError = error;
    emit deviceErrorChanged();
}

void AppController::setHasRecoveryKey(bool has)
{
    if (m_hasRecoveryKey == has)
        return;
    m_hasRecoveryKey = has;
    emit hasRecoveryKeyChanged();
}

void AppController::approveDevice(const QString &deviceId)
{
    setDeviceError(QString());
    if (!m_signedIn) {
        setDeviceError(QStringLiteral("Sign in to approve a device."));
        return;
    }
    SecureSync *secure = m_sync->secure();
    secure->approveDevice(deviceId, [this, secure](bool ok, const QString &sentence) {
        if (!ok)
            setDeviceError(sentence);
        m_pending->setDevices(secure->pendingStaffDevices());
    });
}

void AppController::declineDevice(const QString &deviceId)
{
    setDeviceError(QString());
    if (!m_signedIn) {
        setDeviceError(QStringLiteral("Sign in to decline a device."));
        return;
    }
    SecureSync *secure = m_sync->secure();
    secure->declineDevice(deviceId, [this, secure](bool ok, const QString &sentence) {
        if (!ok)
            setDeviceError(sentence);
        m_pending->setDevices(secure->pendingStaffDevices());
    });
}

QVariantList AppController::safetyCodes() const
{
    QVariantList out;
    if (!m_signedIn || m_currentConversationId.isEmpty())
        return out;
    const QList<DeviceInfo> devices = m_sync->secure()->conversationDevices(m_currentConversationId);
    for (const Member &member : m_store->members(m_currentConversationId)) {
        QList<QByteArray> keys;
        for (const DeviceInfo &d : devices) {
            if (d.userId == member.userId && d.isActive())
                keys.append(d.signPublic);
        }
        out.append(QVariantMap{{QStringLiteral("userName"), member.name},
                               {QStringLiteral("role"), QVariant::fromValue(AccountRole::fromName(member.role))},
                               {QStringLiteral("code"), keys.isEmpty() ? QString() : safetyCode(keys)},
                               {QStringLiteral("deviceCount"), int(keys.size())},
                               {QStringLiteral("isMe"), member.userId == userId()}});
    }
    return out;
}

QString AppController::createRecoveryKey()
{
    setDeviceError(QString());
    if (!m_signedIn) {
        setDeviceError(QStringLiteral("Sign in before making a recovery key."));
        return {};
    }
    return m_recovery->create([this](bool ok, const QString &sentence) {
        if (ok)
            setHasRecoveryKey(true);
        else
            setDeviceError(sentence);
    });
}

void AppController::restoreFromRecoveryKey(const QString &text)
{
    setDeviceError(QString());
    if (!m_signedIn) {
        setDeviceError(QStringLiteral("Sign in before restoring from a recovery key."));
        return;
    }
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
