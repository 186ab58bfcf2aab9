// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the E2EE unit tests share: a conversation in a real LocalStore, devices with real keys, and the server played
// in-process by a StandInServer behind the real ApiClient.
#pragma once

#include "client/e2ee/DeviceDirectory.h"
#include "client/e2ee/KeyRing.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/DeviceKeys.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"
#include "StandInServer.h"

#include <memory>
#include <optional>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

namespace e2eeunit {

/// How long a test waits for the stand-in server (it answers at once).
inline constexpr int Wait = 10000;

inline QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
inline QByteArray unb64(const QJsonValue &v) { return QByteArray::fromBase64(v.toString().toLatin1()); }

/// A registered device: its real key pairs, whose it is and its state as the server lists it.
struct Device {
    larch::DeviceKeys keys = larch::DeviceKeys::generate();
    QString userId;
    QString state = QStringLiteral("active");
    std::optional<qint64> revokedAt = std::nullopt;

    QString id() const { return keys.deviceId; }
    /// The device as GET /v1/conversations/{id}/devices lists it (docs/protocol.md, "Device").
    QJsonObject json() const
    {
        QJsonObject o{{"id", id()},
                      {"userId", userId},
                      {"name", QStringLiteral("Test device")},
                      {"boxPublicKey", b64(keys.boxPublic)},
                      {"signPublicKey", b64(keys.signPublic)},
                      {"state", state},
                      {"createdAt", 1000}};
        if (revokedAt)
            o.insert("revokedAt", *revokedAt);
        return o;
    }
};

/// One epoch as GET /v1/conversations/{id}/keys lists it; sealedKey "" when this device has no grant.
inline QJsonObject epochJson(qint64 epoch, qint64 practiceKeyVersion, const QStringList &deviceIds,
                             const QByteArray &sealedKey = {})
{
    return {{"epoch", epoch},
            {"practiceKeyVersion", practiceKeyVersion},
            {"deviceIds", QJsonArray::fromStringList(deviceIds)},
            {"sealedKey", b64(sealedKey)}};
}

/// The answer of GET /v1/conversations/{id}/keys; practice nullptr when the practice has no key yet.
inline QJsonObject keysJson(qint64 currentEpoch, const larch::PracticeKey *practice, const QJsonArray &epochs)
{
    return {{"currentEpoch", currentEpoch},
            {"practiceKey",
             practice ? QJsonValue(QJsonObject{{"version", practice->version}, {"publicKey", b64(practice->boxPublic)}})
                      : QJsonValue(QJsonValue::Null)},
            {"epochs", epochs}};
}

/// A secure conversation between a practice and its patient, as one device of it sees it: the device's LocalStore
/// (with a storage key), the real ApiClient talking to a StandInServer that lists `devices`, and ids for everyone.
struct Scene {
    QTemporaryDir dir;
    larch::SecretBytes storageKey = larch::SecretBytes::random(32);
    std::unique_ptr<larch::LocalStore> store = std::make_unique<larch::LocalStore>(dir.path());
    StandInServer server;
    larch::ApiClient api;
    const QString practiceId = larch::newId();
    const QString conversationId = larch::newId();
    const QString patientId = larch::newId();
    const QString staffId = larch::newId();
    QList<Device> devices; ///< what the server lists for the conversation

    Scene()
    {
        store->open();
        store->setStorageKey(storageKey);
        store->conversations().upsert(conversation());
        api.setServerUrl(server.url());
        api.setToken(QStringLiteral("token"));
        server.route("GET", path("/devices"), [this](const StandInServer::Request &) {
            QJsonArray list;
            for (const Device &d : std::as_const(devices))
                list.append(d.json());
            return StandInServer::Reply{200, {{"devices", list}}};
        });
    }

    /// The conversation's path under /v1/conversations/ followed by tail ("/keys", "/devices"…).
    QByteArray path(const char *tail) const { return "/v1/conversations/" + conversationId.toUtf8() + tail; }

    larch::Conversation conversation() const
    {
        larch::Conversation c;
        c.id = conversationId;
        c.practiceId = practiceId;
        c.patientId = patientId;
        c.title = QStringLiteral("Sam Lee");
        c.lastActivityAt = 1000;
        c.members = {larch::Member{staffId, QStringLiteral("Dr. Ben Okafor"), QStringLiteral("clinician"), 0},
                     larch::Member{patientId, QStringLiteral("Sam Lee"), QStringLiteral("patient"), 0}};
        return c;
    }

    /// Adds a device the server lists for the conversation; the copy returned keeps its keys.
    Device addDevice(const QString &userId, const QString &state = QStringLiteral("active"))
    {
        Device d;
        d.userId = userId;
        d.state = state;
        devices.append(d);
        return d;
    }

    /// Answers GET …/keys with whatever keys holds when the request comes.
    void serveKeys(const QJsonObject *keys)
    {
        server.route("GET", path("/keys"), [keys](const StandInServer::Request &) {
            return StandInServer::Reply{200, *keys};
        });
    }

    /// Loads the device list into directory, as the app has it after its first fetch.
    bool load(larch::DeviceDirectory &directory)
    {
        std::optional<bool> ok;
        directory.fetch(conversationId, [&ok](bool fetched) { ok = fetched; });
        return QTest::qWaitFor([&] { return ok.has_value(); }, Wait) && *ok;
    }

    /// Refreshes the conversation's keys into keys (the real GET …/keys round trip).
    bool refresh(larch::KeyRing &keys)
    {
        std::optional<bool> ok;
        keys.refreshConversation(conversationId, [&ok](bool fetched) { ok = fetched; });
        return QTest::qWaitFor([&] { return ok.has_value(); }, Wait) && *ok;
    }
};

} // namespace e2eeunit
