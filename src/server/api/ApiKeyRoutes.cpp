// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The end-to-end encryption routes of ApiRouter: devices, practice keys, epochs, handovers, key requests
// and key backups (docs/protocol.md, "End-to-end encryption").
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"
#include "server/api/KeyInput.h"

#include <QJsonArray>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

ApiResponse noContent() { return ApiResponse{204, {}, {}}; }

QJsonValue nullable(const std::optional<QString> &s) { return s ? QJsonValue(*s) : QJsonValue(QJsonValue::Null); }

QJsonValue nullable(const std::optional<qint64> &n) { return n ? QJsonValue(*n) : QJsonValue(QJsonValue::Null); }

QJsonValue keyVersionJson(const std::optional<PracticeKeyVersion> &k)
{
    if (!k)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{"version", k->version},
                       {"publicKey", k->publicKey},
                       {"identityVersion", nullable(k->identityVersion)},
                       {"signature", nullable(k->signature)}};
}

/// The practice identity's versions (docs/protocol.md, "Practice identity"); null before the first.
QJsonValue identityJson(const QString &practiceId, const QString &practiceName,
                        const QList<PracticeIdentityRecord> &versions)
{
    if (versions.isEmpty())
        return QJsonValue(QJsonValue::Null);
    QJsonArray list;
    for (const PracticeIdentityRecord &v : versions)
        list.append(QJsonObject{{"version", v.version},
                                {"publicKey", v.publicKey},
                                {"rotationSignature", nullable(v.rotationSignature)},
                                {"createdAt", v.createdAt}});
    return QJsonObject{{"practiceId", practiceId}, {"practiceName", practiceName}, {"versions", list}};
}

QJsonArray versionGrantsJson(const QList<VersionGrant> &grants)
{
    QJsonArray list;
    for (const VersionGrant &g : grants)
        list.append(QJsonObject{{"version", g.version}, {"sealedKey", g.sealedKey}});
    return list;
}

QJsonObject devicesJson(const QList<DeviceRecord> &devices)
{
    QJsonArray list;
    for (const DeviceRecord &d : devices)
        list.append(d.toJson());
    return {{"devices", list}};
}

QJsonObject practiceKeysJson(const QString &practiceId, const PracticeKeyState &s)
{
    return {{"current", keyVersionJson(s.current)},
            {"rotationNeeded", s.rotationNeeded},
            {"grants", versionGrantsJson(s.grants)},
            {"practiceIdentity", identityJson(practiceId, QString(), s.identity)},
            {"identityGrants", versionGrantsJson(s.identityGrants)}};
}

QJsonObject epochJson(const EpochView &e)
{
    return {{"epoch", e.epoch},
            {"practiceKeyVersion", e.practiceKeyVersion},
            {"deviceIds", QJsonArray::fromStringList(e.deviceIds)},
            {"createdAt", e.createdAt},
            {"sealedKey", nullable(e.sealedKey)},
            {"createdByDevice", e.createdByDevice},
            {"identityVersion", nullable(e.identityVersion)},
            {"signature", nullable(e.signature)}};
}

/// Practice key versions and epochs are JSON integers, so they stay within what a double holds exactly.
constexpr qint64 kCounterMax = (qint64(1) << 53) - 1;

} // namespace

ApiResponse ApiRouter::keyRoute(const Match &m, const ApiRequest &request)
{
    const QString method = QString::fromLatin1(request.method);
    const bool reading = method == QLatin1String("GET");
    const Authenticated a = auth(request);

    switch (m.route) {
    case Route::Devices: {
        const QJsonObject body = jsonBody(request);
        FieldReader r(body);
        const QString name = r.string("name", 1, Limits::NameMax);
        checkFields(r);
        const QString deviceId = readId(body, "deviceId");
        const QString box = readBase64(body, "boxPublicKey", KeySizes::PublicKey, KeySizes::PublicKey);
        const QString sign = readBase64(body, "signPublicKey", KeySizes::PublicKey, KeySizes::PublicKey);
        const auto registered = m_devices.registerDevice(a, deviceId, name, box, sign);
        return json(registered.created ? 201 : 200, registered.device.toJson());
    }
    case Route::UserDevices: return json(200, devicesJson(m_devices.userDevices(a.user, m.id)));
    case Route::ConversationDevices:
        return json(200, devicesJson(m_devices.conversationDevices(m_conversations.visible(a.user, m.id))));
    case Route::DeviceApprove: {
        const QJsonObject body = jsonBody(request);
        auto versionGrants = [&body](const char *field, bool required) {
            QList<VersionGrant> grants;
            if (!required && !body.contains(QLatin1String(field)))
                return grants; // identityGrants may be left out while the practice has no identity
            for (const QJsonValue &item : readArray(body, field, 10000)) {
                const QJsonObject g = item.toObject();
                grants.append(VersionGrant{readInteger(g, "version", 1, kCounterMax),
                                           readBase64(g, "sealedKey", KeySizes::SealedKey, KeySizes::SealedKey)});
            }
            return grants;
        };
        const QList<VersionGrant> grants = versionGrants("grants", true);
        return json(200, m_devices.approve(a, m.id, grants, versionGrants("identityGrants", false)).toJson());
    }
    case Route::Device: m_devices.revoke(a, m.id); return noContent();
    case Route::PracticeKeys: {
        if (reading)
            return json(200, practiceKeysJson(m.id, m_keys.practiceKeys(a, m.id)));
        return json(201,
                    practiceKeysJson(m.id, m_keys.createPracticeKey(a, m.id, readNewPracticeKey(jsonBody(request)))));
    }
    case Route::ConversationKeys: {
        if (reading) {
            const ConversationKeys keys = m_keys.conversationKeys(a, m.id);
            QJsonArray epochs;
            for (const EpochView &e : keys.epochs)
                epochs.append(epochJson(e));
            return json(200,
                        {{"currentEpoch", keys.currentEpoch},
                         {"practiceKey", keyVersionJson(keys.practiceKey)},
                         {"epochs", epochs},
                         {"practiceIdentity", identityJson(keys.practiceId, keys.practiceName, keys.identity)}});
        }
        const QJsonObject body = jsonBody(request);
        QList<EpochGrant> grants;
        for (const QJsonValue &item : readArray(body, "grants", 10000)) {
            const QJsonObject g = item.toObject();
            grants.append(EpochGrant{readInteger(g, "epoch", 1, kCounterMax), readId(g, "deviceId"),
                                     readBase64(g, "sealedKey", KeySizes::SealedKey, KeySizes::SealedKey)});
        }
        if (grants.isEmpty())
            invalidField(QStringLiteral("grants must hold at least one grant"));
        const QStringList fulfilled = m_keys.handOver(a, m.id, grants);
        return json(200, {{"conversationId", m.id}, {"fulfilled", QJsonArray::fromStringList(fulfilled)}});
    }
    case Route::Epochs: {
        const QJsonObject body = jsonBody(request);
        const qint64 epoch = readInteger(body, "epoch", 1, kCounterMax);
        const qint64 version = readInteger(body, "practiceKeyVersion", 1, kCounterMax);
        const QString practiceGrant = readBase64(body, "practiceGrant", KeySizes::SealedKey, KeySizes::SealedKey);
        const QList<DeviceGrant> grants = readDeviceGrants(body, "deviceGrants");
        const auto identityVersion = readOptionalInteger(body, "identityVersion", 1, kCounterMax);
        const auto signature = readOptionalBase64(body, "signature", KeySizes::Signature, KeySizes::Signature);
        return json(
            201,
            epochJson(m_keys.createEpoch(a, m.id, epoch, version, practiceGrant, grants, identityVersion, signature)));
    }
    case Route::KeyRequests: {
        QJsonArray list;
        for (const KeyRequest &k : m_keys.keyRequests(a))
            list.append(QJsonObject{{"conversationId", k.conversationId},
                                    {"deviceId", k.deviceId},
                                    {"userId", k.userId},
                                    {"createdAt", k.createdAt}});
        return json(200, {{"requests", list}});
    }
    case Route::KeyBackup: {
        if (reading) {
            const KeyBackup b = m_keys.backup(a);
            return json(200,
                        {{"backup", b.backup},
                         {"updatedAt", b.updatedAt},
                         {"entryKeyId", b.entryKeyId},
                         {"entries", QJsonArray::fromStringList(b.entries)}});
        }
        const QJsonObject body = jsonBody(request);
        m_keys.putBackup(a, readBase64(body, "backup", 1, KeySizes::BackupMax),
                         readBase64(body, "entryKeyId", KeySizes::EntryKeyId, KeySizes::EntryKeyId));
        return noContent();
    }
    case Route::KeyBackupEntries: {
        const QJsonObject body = jsonBody(request);
        m_keys.appendBackupEntry(a, readBase64(body, "entryKeyId", KeySizes::EntryKeyId, KeySizes::EntryKeyId),
                                 readBase64(body, "entry", 1, KeySizes::BackupEntryMax));
        return noContent();
    }
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
