// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/e2ee/DeviceIdentity.h"

#include "client/net/ApiClient.h"

#include <QSysInfo>

namespace larch {

namespace {
QString keysDamagedSentence()
{
    return QStringLiteral("The keys Larch keeps in your system keychain for this account are damaged. Remove the "
                          "\"Larch\" entry for this account from your keychain, then sign in again.");
}

QString deviceRemovedSentence()
{
    return QStringLiteral("This device was removed from your account. Sign in again to set it up anew.");
}
} // namespace

DeviceIdentity::DeviceIdentity(ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api), m_name(defaultDeviceName())
{ }

QString DeviceIdentity::accountFor(const QUrl &server, const QString &userId)
{
    const int port = server.port(server.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("device/%1:%2/%3").arg(server.host().toLower()).arg(port).arg(userId);
}

QString DeviceIdentity::defaultDeviceName()
{
    const QString host = QSysInfo::machineHostName();
    const QString kind =
        (QSysInfo::productType() == QLatin1String("android") || QSysInfo::productType() == QLatin1String("ios"))
        ? QStringLiteral("Phone")
        : QStringLiteral("Desktop");
    return host.isEmpty() ? kind : QStringLiteral("%1 (%2)").arg(kind, host.left(100));
}

QString DeviceIdentity::stateText() const
{
    switch (m_state) {
    case State::None: return {};
    case State::Active: return QStringLiteral("active");
    case State::Pending: return QStringLiteral("pending");
    case State::KeychainUnavailable: return QStringLiteral("keychainUnavailable");
    }
    return {};
}

void DeviceIdentity::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged();
}

void DeviceIdentity::loadOrCreate(const QUrl &server, const QString &userId, Done done)
{
    forget();
    m_account = accountFor(server, userId);
    const quint64 generation = m_generation;
    m_keystore.loadOrCreate(
        m_account,
        [] {
            // Made only when the keychain is open and holds no entry for this account.
            return DeviceKeys::generate().serialize();
        },
        [this, generation, done](const KeystoreRead &read) {
            if (generation == m_generation)
                accept(read, done);
        });
}

void DeviceIdentity::load(const QUrl &server, const QString &userId, Done done)
{
    forget();
    m_account = accountFor(server, userId);
    const quint64 generation = m_generation;
    m_keystore.read(m_account, [this, generation, done](const KeystoreRead &read) {
        if (generation == m_generation)
            accept(read, done);
    });
}

void DeviceIdentity::accept(const KeystoreRead &read, Done done)
{
    if (read.isUnavailable()) {
        setState(State::KeychainUnavailable);
        done(false, read.reason);
        return;
    }
    if (read.isNotFound()) {
        done(false, QString());
        return;
    }
    QByteArray entry = read.secret;
    auto keys = DeviceKeys::deserialize(entry);
    SecretBytes::wipe(entry);
    if (!keys) {
        done(false, keysDamagedSentence());
        return;
    }
    m_keys = std::move(*keys);
    done(true, {});
}

void DeviceIdentity::registerDevice(Done done)
{
    if (!hasKeys()) {
        done(false, keysDamagedSentence());
        return;
    }
    const quint64 generation = m_generation;
    m_api->registerDevice(m_keys.deviceId, m_name, m_keys.boxPublic, m_keys.signPublic, this,
                          [this, generation, done](const ApiResult &result) {
                              if (generation != m_generation)
                                  return;
                              if (result.ok()) {
                                  const QString state = result.body.value(QLatin1String("state")).toString();
                                  if (state == QLatin1String("revoked")) {
                                      done(false, deviceRemovedSentence());
                                      return;
                                  }
                                  setState(state == QLatin1String("pending") ? State::Pending : State::Active);
                                  done(true, {});
                                  return;
                              }
                              if (result.error.kind == ApiError::Kind::Conflict) {
                                  // Revoked, or its id taken with other keys: these keys can never be used again on this account.
                                  m_keystore.remove(m_account, [](const KeystoreWrite &) {});
                                  forget();
                                  done(false, deviceRemovedSentence());
                                  return;
                              }
                              done(false, result.error.sentence);
                          });
}

void DeviceIdentity::forget()
{
    ++m_generation;
    m_keys = DeviceKeys();
    setState(State::None);
}

} // namespace larch
