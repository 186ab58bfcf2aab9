// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_keys, one set per decoder, made as the app and the server make them: a keychain entry, a recovery
// key typed in several ways, a backup payload as KeyRing exports it (alone, encrypted as a backup, sealed as an
// entry), a grant sealed to the test device, the practice identity, the key routes' answers as docs/protocol.md shows
// them, and the requests devices send to the key routes.
#include "FuzzKeys.h"
#include "FuzzSeeds.h"

#include "core/crypto/Crypto.h"
#include "core/crypto/KeyBackupPayload.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/PracticeIdentity.h"
#include "core/crypto/RecoveryKey.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using fuzzkeys::KeyDecoder;

namespace {

QString b64(const QByteArray &b) { return QString::fromLatin1(b.toBase64()); }

QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QByteArray seed(KeyDecoder decoder, const QByteArray &bytes) { return QByteArray(1, char(decoder)) + bytes; }

} // namespace

QList<QByteArray> fuzzSeeds()
{
    larch::initCrypto();
    const larch::DeviceKeys device = fuzzkeys::testDevice();
    const auto recovery = *larch::RecoveryKey::fromBytes(QByteArray(32, '\x5a'));
    const QString conversation = QStringLiteral("0b9e2c4e-1f6a-4d3b-9a51-2c7d8e9f0a1b");
    const QString patient = QStringLiteral("5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e");

    // The payload a backup holds (RecoveryBackup): practice keys, a staff device's identity seed and epoch keys.
    larch::KeyBackupPayload payload;
    payload.practiceKeys.append({1, larch::SecretBytes(QByteArray(32, '\x01'))});
    payload.practiceKeys.append({2, larch::SecretBytes(QByteArray(32, '\x02'))});
    payload.identityKeys.append({1, larch::SecretBytes(QByteArray(32, '\x0c'))});
    payload.epochKeys.append({conversation, 1, larch::SecretBytes(QByteArray(32, '\x03'))});
    payload.epochKeys.append({conversation, 2, larch::SecretBytes(QByteArray(32, '\x04'))});
    const QByteArray payloadBytes = payload.toBytes();
    const QJsonObject identity{{"practiceId", patient},
                               {"practiceName", QStringLiteral("Birch Family Medicine")},
                               {"versions",
                                QJsonArray{QJsonObject{{"version", 1},
                                                       {"publicKey", b64(device.signPublic)},
                                                       {"rotationSignature", QJsonValue::Null},
                                                       {"createdAt", 1}},
                                           QJsonObject{{"version", 2},
                                                       {"publicKey", b64(QByteArray(32, '\x0a'))},
                                                       {"rotationSignature", b64(QByteArray(64, '\x0b'))},
                                                       {"createdAt", 2}}}}};
    const QByteArray grant = larch::sealTo(device.boxPublic, QByteArray(32, '\x01'));
    const QByteArray identityGrant = larch::sealTo(device.boxPublic, QByteArray(32, '\x0c'));
    const QString display = recovery.display();

    QList<QByteArray> seeds{
        seed(KeyDecoder::KeychainEntry, device.serialize()),
        seed(KeyDecoder::KeychainEntry, device.deviceId.toUtf8()),
        seed(KeyDecoder::TypedRecoveryKey, display.toUtf8()),
        seed(KeyDecoder::TypedRecoveryKey, display.toLower().replace(QLatin1Char(' '), QLatin1Char('-')).toUtf8()),
        seed(KeyDecoder::TypedRecoveryKey,
             QString(display)
                 .replace(QLatin1Char('0'), QLatin1Char('o'))
                 .replace(QLatin1Char('1'), QLatin1Char('l'))
                 .toUtf8()),
        seed(KeyDecoder::TypedRecoveryKey, display.left(50).toUtf8()),
        seed(KeyDecoder::KeyBackup, payloadBytes),
        seed(KeyDecoder::KeyBackup, recovery.encryptBackup(payloadBytes)),
        seed(KeyDecoder::BackupEntry, payloadBytes),
        seed(KeyDecoder::BackupEntry, larch::RecoveryKey::sealEntry(payloadBytes, recovery.entryPublicKey())),
        seed(KeyDecoder::IdentityChain, json(identity)),
        seed(KeyDecoder::IdentityChain, R"({"practiceId":"x","versions":[{"version":0,"publicKey":"AA=="}]})"),
        seed(KeyDecoder::SealedGrant, QByteArray(32, '\x01')),
        seed(KeyDecoder::SealedGrant, grant),
        seed(KeyDecoder::IdentityFingerprint, larch::IdentityFingerprint::linkText(device.signPublic).toUtf8()),
        seed(KeyDecoder::IdentityFingerprint, larch::IdentityFingerprint::displayText(device.signPublic).toUtf8()),
        seed(KeyDecoder::BackupPayload, payloadBytes),
        seed(KeyDecoder::BackupPayload,
             R"({"v":1,"practiceKeys":[{"version":0,"secret":"AA=="}],"identityKeys":{"version":1},)"
             R"("epochKeys":[{"conversationId":"","epoch":1},{"conversationId":"c","epoch":1e300,"key":7}]})"),
        seed(KeyDecoder::PracticeKeys,
             json({{"current", QJsonObject{{"version", 2}, {"publicKey", b64(device.boxPublic)}, {"createdAt", 1}}},
                   {"rotationNeeded", true},
                   {"practiceIdentity", identity},
                   {"grants",
                    QJsonArray{QJsonObject{{"version", 1}, {"sealedKey", b64(grant)}},
                               QJsonObject{{"version", 2}, {"sealedKey", b64(QByteArray(80, '\x09'))}},
                               QJsonObject{{"version", -1}, {"sealedKey", "not base64"}}}},
                   {"identityGrants", QJsonArray{QJsonObject{{"version", 1}, {"sealedKey", b64(identityGrant)}}}}})),
        seed(KeyDecoder::ConversationKeys,
             json({{"currentEpoch", 2},
                   {"practiceKey",
                    QJsonObject{{"version", 2},
                                {"publicKey", b64(device.boxPublic)},
                                {"identityVersion", 2},
                                {"signature", b64(QByteArray(64, '\x0d'))}}},
                   {"epochs",
                    QJsonArray{QJsonObject{{"epoch", 1},
                                           {"practiceKeyVersion", 1},
                                           {"deviceIds", QJsonArray{device.deviceId}},
                                           {"createdAt", 5},
                                           {"createdByDevice", device.deviceId},
                                           {"identityVersion", 0},
                                           {"signature", b64(QByteArray(64, '\x0e'))},
                                           {"sealedKey", b64(grant)}},
                               QJsonObject{{"epoch", 2},
                                           {"practiceKeyVersion", 2},
                                           {"deviceIds", QJsonArray{}},
                                           {"createdAt", 6},
                                           {"createdByDevice", device.deviceId},
                                           {"identityVersion", 2},
                                           {"signature", QJsonValue::Null},
                                           {"sealedKey", QJsonValue::Null}}}},
                   {"practiceIdentity", identity}})),
        seed(KeyDecoder::DeviceList,
             json({{"devices",
                    QJsonArray{QJsonObject{{"id", device.deviceId},
                                           {"userId", patient},
                                           {"name", QStringLiteral("Sam's phone")},
                                           {"boxPublicKey", b64(device.boxPublic)},
                                           {"signPublicKey", b64(device.signPublic)},
                                           {"state", QStringLiteral("active")},
                                           {"createdAt", qint64(1764000000000)},
                                           {"revokedAt", QJsonValue::Null}},
                               QJsonObject{{"id", conversation},
                                           {"userId", patient},
                                           {"boxPublicKey", b64(device.boxPublic).left(40)},
                                           {"signPublicKey", b64(device.signPublic)},
                                           {"state", QStringLiteral("revoked")},
                                           {"revokedAt", 2}}}}})),
        seed(KeyDecoder::KeyRequests,
             json({{"requests",
                    QJsonArray{QJsonObject{{"conversationId", conversation},
                                           {"deviceId", device.deviceId},
                                           {"userId", patient},
                                           {"createdAt", 7}}}}})),
        seed(KeyDecoder::StoredBackup,
             json({{"backup", b64(recovery.encryptBackup(payloadBytes))},
                   {"updatedAt", qint64(1764000000000)},
                   {"entryKeyId", b64(larch::RecoveryKey::entryKeyId(recovery.entryPublicKey()))},
                   {"entries",
                    QJsonArray{b64(larch::RecoveryKey::sealEntry(payloadBytes, recovery.entryPublicKey()))}}})),
        seed(KeyDecoder::ServerKeyInput,
             json({{"deviceId", device.deviceId},
                   {"boxPublicKey", b64(device.boxPublic)},
                   {"signPublicKey", b64(device.signPublic)},
                   {"version", 2},
                   {"publicKey", b64(device.boxPublic)},
                   {"grants", QJsonArray{QJsonObject{{"deviceId", device.deviceId}, {"sealedKey", b64(grant)}}}}})),
        seed(KeyDecoder::ServerKeyInput,
             json({{"epoch", 3},
                   {"practiceKeyVersion", 2},
                   {"practiceGrant", b64(grant)},
                   {"deviceGrants", QJsonArray{QJsonObject{{"deviceId", device.deviceId}, {"sealedKey", b64(grant)}}}},
                   {"grants", QJsonArray{QJsonObject{{"epoch", 1}, {"sealedKey", b64(grant)}}}}})),
        seed(KeyDecoder::ServerKeyInput,
             json({{"entryKeyId", b64(QByteArray(16, '\x06'))},
                   {"backup", b64(recovery.encryptBackup(payloadBytes))},
                   {"entry", b64(QByteArray(100, '\x07'))}})),
        seed(KeyDecoder::ServerKeyInput,
             json({{"clientId", conversation},
                   {"envelope",
                    QJsonObject{{"epoch", 3},
                                {"senderDeviceId", device.deviceId},
                                {"format", 2},
                                {"ciphertext", b64(QByteArray(60, '\x08'))},
                                {"signature", b64(QByteArray(64, '\x05'))}}}})),
    };
    return seeds;
}
