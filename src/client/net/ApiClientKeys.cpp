// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: the end-to-end encryption endpoints (devices, practice keys, epochs, handovers, key backup).
#include "client/net/ApiClient.h"

namespace larch {

namespace {
QString b64(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }
} // namespace

void ApiClient::registerDevice(const QString &deviceId, const QString &name, const QByteArray &boxPublic,
                               const QByteArray &signPublic, QObject *context, Callback done)
{
    const QJsonObject body{
        {"deviceId", deviceId}, {"name", name}, {"boxPublicKey", b64(boxPublic)}, {"signPublicKey", b64(signPublic)}};
    send(Method::Post, QStringLiteral("/v1/devices"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::fetchUserDevices(const QString &userId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/users/%1/devices").arg(pathSegment(userId)), nullptr, nullptr, true, context,
         std::move(done));
}

void ApiClient::fetchConversationDevices(const QString &conversationId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/conversations/%1/devices").arg(pathSegment(conversationId)), nullptr, nullptr,
         true, context, std::move(done));
}

void ApiClient::approveDevice(const QString &deviceId, const QJsonArray &grants, const QJsonArray &identityGrants,
                              QObject *context, Callback done)
{
    QJsonObject body{{"grants", grants}};
    if (!identityGrants.isEmpty())
        body.insert(QStringLiteral("identityGrants"), identityGrants);
    send(Method::Post, QStringLiteral("/v1/devices/%1/approve").arg(pathSegment(deviceId)), nullptr, &body, true,
         context, std::move(done));
}

void ApiClient::revokeDevice(const QString &deviceId, QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/devices/%1").arg(pathSegment(deviceId)), nullptr, nullptr, true, context,
         std::move(done));
}

void ApiClient::deactivateStaff(const QString &practiceId, const QString &userId, QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/practices/%1/staff/%2").arg(pathSegment(practiceId), pathSegment(userId)),
         nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::fetchPracticeKeys(const QString &practiceId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/practices/%1/keys").arg(pathSegment(practiceId)), nullptr, nullptr, true,
         context, std::move(done));
}

void ApiClient::createPracticeKey(const QString &practiceId, const QJsonObject &body, QObject *context, Callback done)
{
    send(Method::Post, QStringLiteral("/v1/practices/%1/keys").arg(pathSegment(practiceId)), nullptr, &body, true,
         context, std::move(done));
}

void ApiClient::fetchConversationKeys(const QString &conversationId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/conversations/%1/keys").arg(pathSegment(conversationId)), nullptr, nullptr,
         true, context, std::move(done));
}

void ApiClient::createEpoch(const QString &conversationId, const QJsonObject &body, QObject *context, Callback done)
{
    send(Method::Post, QStringLiteral("/v1/conversations/%1/epochs").arg(pathSegment(conversationId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::handOverKeys(const QString &conversationId, const QJsonArray &grants, QObject *context, Callback done)
{
    const QJsonObject body{{"grants", grants}};
    send(Method::Post, QStringLiteral("/v1/conversations/%1/keys").arg(pathSegment(conversationId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::fetchKeyRequests(QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/key-requests"), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::putKeyBackup(const QByteArray &backup, const QByteArray &entryKeyId, QObject *context, Callback done)
{
    const QJsonObject body{{"backup", b64(backup)}, {"entryKeyId", b64(entryKeyId)}};
    send(Method::Put, QStringLiteral("/v1/me/key-backup"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::appendKeyBackupEntry(const QByteArray &entryKeyId, const QByteArray &entry, QObject *context,
                                     Callback done)
{
    const QJsonObject body{{"entryKeyId", b64(entryKeyId)}, {"entry", b64(entry)}};
    send(Method::Post, QStringLiteral("/v1/me/key-backup/entries"), nullptr, &body, true, context, std::move(done));
}

void ApiClient::fetchKeyBackup(QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/me/key-backup"), nullptr, nullptr, true, context, std::move(done));
}

} // namespace larch
