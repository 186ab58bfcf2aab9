// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// This device's keys for the signed-in account: read from (or made once into) the OS keychain, then registered.
#pragma once

#include "client/keychain/Keystore.h"
#include "core/crypto/DeviceKeys.h"

#include <functional>
#include <QObject>
#include <QString>
#include <QUrl>

namespace larch {

class ApiClient;

/// This device's keys for one account: read from the keychain (made once when absent) and registered.
/// docs/security.md, "Device keys": the keychain is read before anything is sent; only when it is open and
/// holds no entry are keys made. A locked or missing keychain stops sign-in with the Keystore's sentence;
/// there is no plaintext fallback.
class DeviceIdentity : public QObject {
    Q_OBJECT
public:
    /// "" (none yet), "active", "pending" (a staff device waiting for approval) or "keychainUnavailable".
    enum class State { None, Active, Pending, KeychainUnavailable };
    /// ok, or the sentence saying why not.
    using Done = std::function<void(bool ok, const QString &sentence)>;

    explicit DeviceIdentity(ApiClient *api, QObject *parent = nullptr);

    /// The keychain account of a device: "device/<server host:port>/<user id>".
    static QString accountFor(const QUrl &server, const QString &userId);
    /// How this device is named to the account's other devices, e.g. "Desktop (hostname)".
    static QString defaultDeviceName();

    /// Sign-in: reads the account's keys, making them only when the keychain holds none.
    void loadOrCreate(const QUrl &server, const QString &userId, Done done);
    /// Restart with a cached session: reads only. Not found answers ok = false with an empty sentence.
    void load(const QUrl &server, const QString &userId, Done done);
    /// POST /v1/devices: registers (or confirms) the keys and binds the session to this device.
    /// A device the server revoked is taken out of the keychain so the next sign-in makes new keys.
    void registerDevice(Done done);
    /// Forgets the keys held in memory (sign-out); the keychain keeps them for the next sign-in.
    void forget();

    bool hasKeys() const { return !m_keys.deviceId.isEmpty(); }
    const DeviceKeys &keys() const { return m_keys; }
    State state() const { return m_state; }
    /// The contract's spelling of state(): "", "active", "pending", "keychainUnavailable".
    QString stateText() const;
    QString name() const { return m_name; }
    void setState(State state);
    Keystore *keystore() { return &m_keystore; }

signals:
    void stateChanged();

private:
    void accept(const KeystoreRead &read, Done done);

    ApiClient *m_api;
    Keystore m_keystore;
    DeviceKeys m_keys;
    QString m_account;
    QString m_name;
    State m_state = State::None;
    quint64 m_generation = 0;
};

} // namespace larch
