// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Keeps a signed-in device's end-to-end encryption in step: keys, devices, handovers and opened messages.
#pragma once

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/EpochPlanner.h"
#include "client/store/LocalStore.h"
#include "core/crypto/DeviceKeys.h"
#include "core/protocol/Protocol.h"

#include <functional>
#include <QObject>
#include <QSet>

namespace larch {

class ApiClient;
class KeyHandover;
class KeyRing;
class MessageOpener;
class PracticeIdentityPins;
class PracticeKeyKeeper;

/// Runs the end-to-end encryption of a signed-in session and applies its events.
/// docs/protocol.md, "E2EE events": device lists and thread notices, epoch and handover changes that open
/// waiting messages, practice key creation and rotation, and automatic answers to key requests on an approved
/// staff device.
class SecureSync : public QObject {
    Q_OBJECT
public:
    /// A sealed envelope, or why there is none (Failure::retryLater tells the outbox whether to keep trying).
    using Sealed = std::function<void(const std::optional<QJsonObject> &envelope, const EpochPlanner::Failure &)>;
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &sentence)>;

    SecureSync(LocalStore *store, ApiClient *api, QObject *parent = nullptr);
    ~SecureSync() override;

    /// Starts for the session's user and this device; deviceActive is false for a staff device awaiting approval.
    void start(const Session &session, const DeviceKeys &device, bool deviceActive);
    void stop();
    bool isRunning() const { return m_running; }

    /// The server confirmed this device's state at registration: an approval it missed takes effect now.
    void setDeviceActive(bool active);
    /// The event stream is connected: make or rotate the practice key, answer key requests, open what waits.
    void connected();
    /// While quiet, device events add no notices (a new install catching up on history).
    void setNoticesQuiet(bool quiet) { m_noticesQuiet = quiet; }
    /// Applies an E2EE event; false for other event types.
    bool applyEvent(const Event &event);

    /// Seals an outbox entry with the conversation's current epoch (making a new epoch when needed).
    void seal(const OutboxEntry &entry, Sealed done);
    /// Seals a message carrying files (up to MessageContent::AttachmentsMax, already uploaded) the same way; the
    /// outbox sends one file per message, a message with several comes from here (the demo's seeder).
    void sealContent(const QString &conversationId, const QString &clientId, const MessageContent &content,
                     Sealed done);

    /// Opens a received message with what is held; Unopened ones are opened later (messageOpened).
    StoredMessage open(const Message &message);

    /// Staff devices waiting for approval, oldest first (never this device).
    QList<DeviceInfo> pendingStaffDevices() const;
    void approveDevice(const QString &deviceId, Done done);
    void declineDevice(const QString &deviceId, Done done);
    /// Patients: looks at the practice identity listed for the conversation now (a thread opened), pinning or warning.
    void checkIdentity(const QString &conversationId);
    /// Patients: the person checked the practice's changed identity and trusts it (verified: they compared its
    /// fingerprint); messages held for the practice go. False when nothing waited.
    bool acceptIdentity(const QString &practiceId, bool verified);
    /// Patients: the conversations whose messages wait because their practice's identity changed.
    QSet<QString> heldConversations() const;
    /// Administrators: a new practice identity without the current one's signature (PracticeKeyKeeper).
    void replacePracticeIdentity(Done done);
    /// Fetches the conversation's devices so safety codes and sealing have them.
    void loadDevices(const QString &conversationId);
    QList<DeviceInfo> conversationDevices(const QString &conversationId) const;

    KeyRing *keys() const { return m_keys; }
    DeviceDirectory *devices() const { return m_devices; }
    MessageOpener *opener() const { return m_opener; }
    PracticeIdentityPins *pins() const { return m_pins; }
    bool deviceActive() const { return m_deviceActive; }

signals:
    void messageOpened(const larch::StoredMessage &message);
    void previewChanged(const QString &conversationId);
    void noticeAdded(const larch::ThreadNotice &notice);
    void pendingDevicesChanged();
    /// The server approved this (pending staff) device: it now holds the practice key.
    void deviceApproved();
    /// Sending may work now where it waited (the device was approved, the practice key was made).
    void readyToSend();
    /// A practice's identity pin changed: pinned, verified, changed (messages to it now wait) or accepted.
    void identityChanged(const QString &practiceId);

private:
    /// Seals content (text and files) when given, else the bare text, under the conversation's current epoch.
    void sealWith(const QString &conversationId, const QString &clientId, const std::optional<MessageContent> &content,
                  const QString &text, Sealed done);
    void deviceEvent(const QString &type, const DeviceInfo &device);
    /// True when a loaded device list shows no earlier device of the same person.
    bool isFirstDevice(const DeviceInfo &device, const QStringList &conversations) const;
    void addNotices(const DeviceInfo &device, bool added);
    void writeNotices(const DeviceInfo &device, bool added, bool first);
    void becomeActive();
    bool isActiveStaff() const;

    LocalStore *m_store;
    ApiClient *m_api;
    DeviceDirectory *m_devices;
    KeyRing *m_keys;
    MessageOpener *m_opener;
    PracticeKeyKeeper *m_keeper;
    PracticeIdentityPins *m_pins;
    KeyHandover *m_handover;
    EpochPlanner *m_planner;
    QString m_userId;
    QString m_deviceId;
    bool m_staff = false;
    bool m_admin = false;
    bool m_deviceActive = false;
    bool m_running = false;
    bool m_noticesQuiet = false;
    quint64 m_generation = 0;
};

} // namespace larch
