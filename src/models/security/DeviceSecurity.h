// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// This device's security (App.security): its state, colleagues' devices to approve, safety codes, the recovery key.
#pragma once

#include "models/app/AccountStates.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <QVariantList>

namespace larch {

class AccountSession;
class ApiClient;
class CurrentConversation;
class DeviceIdentity;
class LocalStore;
class PendingDeviceModel;
class RecoveryBackup;
class SyncEngine;

/// Where this device stands, the staff devices waiting for approval, the open conversation's safety codes, and the
/// recovery key that restores history on a new device.
class DeviceSecurity : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("This device's security is App.security.")
    Q_MOC_INCLUDE("models/security/PendingDeviceModel.h")
    /// This device: None (no device yet, or signed out), Active, Pending (a staff device waiting for a
    /// colleague's approval) or KeychainUnavailable (App.session.signInError then says what to do).
    Q_PROPERTY(larch::DeviceState::Value deviceState READ deviceState NOTIFY deviceStateChanged)
    /// This device's name as the account's other devices see it, e.g. "Desktop (hostname)".
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY deviceStateChanged)
    /// Staff devices waiting for approval that this approved staff device may approve.
    Q_PROPERTY(larch::PendingDeviceModel *pendingDevices READ pendingDevices CONSTANT)
    /// The last error sentence of an approve, decline or recovery key action; "" when none.
    Q_PROPERTY(QString deviceError READ deviceError NOTIFY deviceErrorChanged)
    /// A key backup exists on the server for this user (a recovery key was made).
    Q_PROPERTY(bool hasRecoveryKey READ hasRecoveryKey NOTIFY hasRecoveryKeyChanged)
public:
    DeviceSecurity(LocalStore *store, ApiClient *api, SyncEngine *sync, DeviceIdentity *identity,
                   AccountSession *session, CurrentConversation *current, QObject *parent = nullptr);

    DeviceState::Value deviceState() const;
    QString deviceName() const;
    PendingDeviceModel *pendingDevices() const { return m_pending; }
    QString deviceError() const { return m_deviceError; }
    bool hasRecoveryKey() const { return m_hasRecoveryKey; }

    /// Seals the practice key(s) to a pending staff device (an approved staff device only).
    Q_INVOKABLE void approveDevice(const QString &deviceId);
    /// Removes a pending device (administrators only; others get a sentence in deviceError).
    Q_INVOKABLE void declineDevice(const QString &deviceId);
    /// For the open conversation, one map per member: {userName, role (AccountRole), code ("12345 67890 …",
    /// 12 groups; "" without devices), deviceCount, isMe}.
    Q_INVOKABLE QVariantList safetyCodes() const;
    /// Makes a recovery key and uploads the encrypted key backup; returns its display text, shown once and
    /// never stored; "" on failure (deviceError says why).
    Q_INVOKABLE QString createRecoveryKey();
    /// Restores the keys of the backup with a typed recovery key; recoveryRestored() or deviceError follows.
    Q_INVOKABLE void restoreFromRecoveryKey(const QString &text);

signals:
    void deviceStateChanged();
    void deviceErrorChanged();
    void hasRecoveryKeyChanged();
    /// restoreFromRecoveryKey succeeded: the backup's keys are on this device and history opens.
    void recoveryRestored();

private:
    /// Clears deviceError; false (with a sentence naming the action) when nobody is signed in.
    bool beginAction(const QString &signedOutSentence);
    void refreshPending();
    void setDeviceError(const QString &error);
    void setHasRecoveryKey(bool has);

    LocalStore *m_store;
    SyncEngine *m_sync;
    DeviceIdentity *m_identity;
    AccountSession *m_session;
    CurrentConversation *m_current;
    RecoveryBackup *m_recovery;
    PendingDeviceModel *m_pending;
    QString m_deviceError;
    bool m_hasRecoveryKey = false;
};

} // namespace larch
