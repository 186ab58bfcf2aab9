// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks and decrypts received secure messages, fetching the sender's devices or the epoch key when missing.
#pragma once

#include "client/store/LocalStore.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace larch {

class DeviceDirectory;
class KeyRing;

/// Verifies and decrypts received secure messages, fetching what it lacks once before deciding.
/// The checks run in the order of docs/security.md, "Messages": the sender device (known, the sender's own,
/// not revoked before the message was sent), the signature, the epoch key, the replay check. A missing device
/// refetches the device list once, a missing epoch key the conversation's keys; then the outcome is final.
class MessageOpener : public QObject {
    Q_OBJECT
public:
    MessageOpener(LocalStore *store, KeyRing *keys, DeviceDirectory *devices, QObject *parent = nullptr);

    /// The outcome with what is held now. Unopened means it waits for a fetch; messageOpened follows once
    /// the message (already in the store by then) is decided and stored.
    StoredMessage open(const Message &message);
    /// Opens the stored messages still to open (and those waiting for a key when includeKeyPending),
    /// in every conversation when conversationId is "". Fetches are tried anew.
    void reopen(const QString &conversationId, bool includeKeyPending);
    void stop();

signals:
    /// A stored message's outcome changed (it is already in the store).
    void messageOpened(const larch::StoredMessage &message);
    /// A conversation's preview changed because a message in it was opened.
    void previewChanged(const QString &conversationId);

private:
    enum class Missing { Nothing, Devices, Key };
    StoredMessage decide(const Message &message, Missing *missing);
    void wait(const QString &conversationId, const Message &message, Missing missing);
    void fetchFor(const QString &conversationId);
    void retryWaiting(const QString &conversationId);
    void record(const StoredMessage &opened);

    struct Waiting {
        QList<Message> messages;
        bool needDevices = false;
        bool needKeys = false;
        bool fetching = false;
    };

    LocalStore *m_store;
    KeyRing *m_keys;
    DeviceDirectory *m_devices;
    QHash<QString, Waiting> m_waiting;
    QSet<QString> m_devicesTried; ///< "conversation/device" pairs already refetched for
    QSet<QString> m_keysTried; ///< conversations whose keys were fetched since the last change
    quint64 m_generation = 0;
};

} // namespace larch
