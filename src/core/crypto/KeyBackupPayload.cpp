// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/KeyBackupPayload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace larch {

namespace {

/// A key of KeyBytes in strict standard base64; empty otherwise.
SecretBytes keyOf(const QJsonValue &v)
{
    auto decoded = QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok
        || decoded.decoded.size() != KeyBackupPayload::KeyBytes) {
        SecretBytes::wipe(decoded.decoded);
        return {};
    }
    return SecretBytes(std::move(decoded.decoded));
}

QString base64(const SecretBytes &key) { return QString::fromLatin1(key.bytes().toBase64()); }

} // namespace

QByteArray KeyBackupPayload::toBytes() const
{
    QJsonArray practice;
    for (const PracticeKeyItem &k : practiceKeys)
        practice.append(QJsonObject{{"version", k.version}, {"secret", base64(k.secret)}});
    QJsonArray identity;
    for (const IdentityKeyItem &k : identityKeys)
        identity.append(QJsonObject{{"version", k.version}, {"seed", base64(k.seed)}});
    QJsonArray epochs;
    for (const EpochKeyItem &k : epochKeys)
        epochs.append(QJsonObject{{"conversationId", k.conversationId}, {"epoch", k.epoch}, {"key", base64(k.key)}});
    QJsonObject payload{{"v", 1}, {"practiceKeys", practice}, {"epochKeys", epochs}};
    if (!identity.isEmpty())
        payload.insert(QStringLiteral("identityKeys"), identity);
    return QJsonDocument(payload).toJson(QJsonDocument::Compact);
}

std::optional<KeyBackupPayload> KeyBackupPayload::fromBytes(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()
        || doc.object().value(QLatin1String("v")).toInt() != 1)
        return std::nullopt;
    const QJsonObject o = doc.object();
    KeyBackupPayload p;
    for (const QJsonValue &v : o.value(QLatin1String("practiceKeys")).toArray()) {
        PracticeKeyItem item{v[QLatin1String("version")].toInteger(), keyOf(v[QLatin1String("secret")])};
        if (item.version >= 1 && !item.secret.isEmpty())
            p.practiceKeys.append(std::move(item));
    }
    for (const QJsonValue &v : o.value(QLatin1String("identityKeys")).toArray()) {
        IdentityKeyItem item{v[QLatin1String("version")].toInteger(), keyOf(v[QLatin1String("seed")])};
        if (item.version >= 1 && !item.seed.isEmpty())
            p.identityKeys.append(std::move(item));
    }
    for (const QJsonValue &v : o.value(QLatin1String("epochKeys")).toArray()) {
        EpochKeyItem item{v[QLatin1String("conversationId")].toString(), v[QLatin1String("epoch")].toInteger(),
                          keyOf(v[QLatin1String("key")])};
        if (!item.conversationId.isEmpty() && item.epoch >= 1 && !item.key.isEmpty())
            p.epochKeys.append(std::move(item));
    }
    return p;
}

} // namespace larch
