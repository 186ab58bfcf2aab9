// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/keychain/SecretServiceProbe.h"

#include "core/threads/PostTo.h"

#include <QDBusConnection>
#include <QDBusError>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QMap>
#include <QPointer>

namespace larch {

namespace {

const QString kSecretsName = QStringLiteral("org.freedesktop.secrets");
const QString kSecretsPath = QStringLiteral("/org/freedesktop/secrets");
const QString kServiceInterface = QStringLiteral("org.freedesktop.Secret.Service");
const QString kCollectionInterface = QStringLiteral("org.freedesktop.Secret.Collection");

using Attributes = QMap<QString, QString>;
using Paths = QList<QDBusObjectPath>;

bool meansNoService(const QDBusError &error)
{
    switch (error.type()) {
    case QDBusError::ServiceUnknown:
    case QDBusError::Disconnected:
    case QDBusError::NoServer: return true;
    default: return error.name() == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner");
    }
}

// The probe only asks a Secret Service that is already running: starting one (say GNOME Keyring
// on a KDE desktop, where QtKeychain uses KWallet) would change the very thing being inspected.
QDBusMessage secretsCall(const QString &path, const QString &interface, const QString &method)
{
    QDBusMessage message = QDBusMessage::createMethodCall(kSecretsName, path, interface, method);
    message.setAutoStartService(false);
    return message;
}

// Runs `handle` when `call` finishes, as long as `context` lives.
template<typename Handler>
void whenFinished(const QDBusPendingCall &call, QObject *context, Handler handle)
{
    auto *watcher = new QDBusPendingCallWatcher(call, context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context,
                     [watcher, handle](QDBusPendingCallWatcher *) {
                         watcher->deleteLater();
                         handle(*watcher);
                     });
}

void postFinding(QObject *context, const SecretServiceProbe::Done &done, SecretServiceProbe::Finding finding,
                 const QString &detail = {})
{
    postTo(context, [done, finding, detail] { done(finding, detail); });
}

// A missing entry is only truly missing if the collection it would be written to is open too:
// otherwise the user has not unlocked the keychain yet and Larch must not make keys.
void inspectDefaultCollection(const QDBusConnection &bus, QObject *context, const SecretServiceProbe::Done &done)
{
    QDBusMessage readAlias = secretsCall(kSecretsPath, kServiceInterface, QStringLiteral("ReadAlias"));
    readAlias << QStringLiteral("default");
    whenFinished(bus.asyncCall(readAlias), context, [bus, context, done](QDBusPendingCallWatcher &watcher) {
        QDBusPendingReply<QDBusObjectPath> reply = watcher;
        if (reply.isError()) {
            done(SecretServiceProbe::Finding::Failed, reply.error().message());
            return;
        }
        const QString collection = reply.value().path();
        if (collection == QLatin1String("/")) {
            // No default collection yet: writing will create it or fail, and either way
            // nothing existing can be overwritten.
            done(SecretServiceProbe::Finding::Open, {});
            return;
        }
        QDBusMessage get =
            secretsCall(collection, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
        get << kCollectionInterface << QStringLiteral("Locked");
        whenFinished(bus.asyncCall(get), context, [done](QDBusPendingCallWatcher &w) {
            QDBusPendingReply<QDBusVariant> locked = w;
            if (locked.isError()) {
                done(SecretServiceProbe::Finding::Failed, locked.error().message());
                return;
            }
            done(locked.value().variant().toBool() ? SecretServiceProbe::Finding::Locked
                                                   : SecretServiceProbe::Finding::Open,
                 {});
        });
    });
}

} // namespace

void SecretServiceProbe::inspect(const QString &service, const QString &account, QObject *context, Done done)
{
    static const int registered = [] {
        qDBusRegisterMetaType<Attributes>();
        qDBusRegisterMetaType<Paths>();
        return 0;
    }();
    Q_UNUSED(registered);

    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        postFinding(context, done, Finding::NoService);
        return;
    }

    // The attributes QtKeychain files its entries under ("type" is left out so both its text
    // and binary entries match).
    const Attributes attributes{{QStringLiteral("server"), service}, {QStringLiteral("user"), account}};
    QDBusMessage search = secretsCall(kSecretsPath, kServiceInterface, QStringLiteral("SearchItems"));
    search << QVariant::fromValue(attributes);
    whenFinished(bus.asyncCall(search), context, [bus, context, done](QDBusPendingCallWatcher &watcher) {
        QDBusPendingReply<Paths, Paths> reply = watcher;
        if (reply.isError()) {
            if (meansNoService(reply.error()))
                done(Finding::NoService, {});
            else
                done(Finding::Failed, reply.error().message());
            return;
        }
        if (!reply.argumentAt<1>().isEmpty()) {
            done(Finding::Locked, {});
            return;
        }
        inspectDefaultCollection(bus, context, done);
    });
}

} // namespace larch
