// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Answers the server's queued key requests: hands a conversation's earlier epoch keys to a new patient device.
#pragma once

#include <QObject>
#include <QString>

namespace larch {

class ApiClient;
class DeviceDirectory;
class KeyRing;
class LocalStore;

/// Hands a conversation's epoch keys to a patient's new device, answering the server's queued key requests.
/// docs/security.md, "Conversation keys and epochs": after checking the device is the conversation patient's
/// own and active, every epoch key is sealed to it, so the welcome note and all history open there.
class KeyHandover : public QObject {
    Q_OBJECT
public:
    KeyHandover(LocalStore *store, ApiClient *api, KeyRing *keys, DeviceDirectory *devices, QObject *parent = nullptr);

    /// GET /v1/key-requests and answers each; a call while one runs makes it run once more afterwards.
    void answerAll();
    void stop();

signals:
    /// A device received the keys of a conversation.
    void handedOver(const QString &conversationId, const QString &deviceId);

private:
    void answer(const QString &conversationId, const QString &deviceId, const QString &userId);
    void finishOne();

    LocalStore *m_store;
    ApiClient *m_api;
    KeyRing *m_keys;
    DeviceDirectory *m_devices;
    int m_inFlight = 0;
    bool m_running = false;
    bool m_again = false;
    quint64 m_generation = 0;
};

} // namespace larch
