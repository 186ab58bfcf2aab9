// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_keys, one set per decoder, made as the app and the server make them: a keychain entry, a recovery
// key typed in several ways, a backup payload as KeyRing exports it (alone, encrypted as a backup, sealed as an
// entry), a grant sealed to the test device, the key routes' answers as docs/protocol.md shows them, and the
// requests devices send to the key routes.
#include "FuzzKeys.h"
#include "FuzzSeeds.h"

#include "core/crypto/Crypto.h"
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

    // The payload a backup holds (RecoveryBackup): practice keys and epoch keys.
    const QByteArray payloadBytes =
        json({{"v", 1},
              {"practiceKeys", QJsonArray{QJsonObject{{"version", 1}, {"secret", b64(QByteArray(32, '\x01'))}}}},
              {"epochKeys",
               QJsonArray{QJsonObject{
                   {"conversationId", conversation}, {"epoch", 1}, {"key", b64(QByteArray(32, '\x03'))}}}}});
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
