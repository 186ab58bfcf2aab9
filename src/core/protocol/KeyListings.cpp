// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/KeyListings.h"

#include "core/protocol/Validation.h"

#include <algorithm>
#include <QJsonArray>

namespace larch {

namespace {

constexpr qsizetype PublicKeyBytes = 32;

/// Strict standard base64; empty when it is not (or absent, or not a string).
QByteArray fromBase64(const QJsonValue &v)
{
    auto decoded = QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok ? decoded.decoded : QByteArray();
}

/// A public key: a string of strict base64 that decodes to 32 bytes.
std::optional<QByteArray> publicKey(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    QByteArray key = fromBase64(v);
    if (key.size() != PublicKeyBytes)
        return std::nullopt;
    return key;
}

QList<KeyGrant> grantsOf(const QJsonValue &list)
{
    QList<KeyGrant> grants;
    for (const QJsonValue &v : list.toArray()) {
        KeyGrant g{v[QLatin1String("version")].toInteger(), fromBase64(v[QLatin1String("sealedKey")])};
        if (g.version >= 1 && !g.sealedKey.isEmpty())
            grants.append(g);
    }
    return grants;
}

} // namespace

std::optional<DeviceInfo> DeviceInfo::fromJson(const QJsonObject &o)
{
    DeviceInfo d;
    d.id = o.value(QLatin1String("id")).toString();
    d.userId = o.value(QLatin1String("userId")).toString();
    d.name = o.value(QLatin1String("name")).toString();
    d.state = o.value(QLatin1String("state")).toString();
    d.createdAt = o.value(QLatin1String("createdAt")).toInteger();
    const auto box = publicKey(o.value(QLatin1String("boxPublicKey")));
    const auto sign = publicKey(o.value(QLatin1String("signPublicKey")));
    if (!isValidId(d.id) || !isValidId(d.userId) || !box || !sign
        || (d.state != QLatin1String("pending") && d.state != QLatin1String("active")
            && d.state != QLatin1String("revoked")))
        return std::nullopt;
    d.boxPublic = *box;
    d.signPublic = *sign;
    const QJsonValue revoked = o.value(QLatin1String("revokedAt"));
    if (revoked.isDouble())
        d.revokedAt = revoked.toInteger();
    return d;
}

QList<DeviceInfo> DeviceInfo::listFromJson(const QJsonObject &body)
{
    QList<DeviceInfo> list;
    for (const QJsonValue &v : body.value(QLatin1String("devices")).toArray()) {
        if (auto d = fromJson(v.toObject()))
            list.append(*d);
    }
    return list;
}

PracticeKeyListing PracticeKeyListing::fromJson(const QJsonObject &body)
{
    PracticeKeyListing l;
    const QJsonValue current = body.value(QLatin1String("current"));
    if (current.isObject()) {
        l.currentVersion = current[QLatin1String("version")].toInteger();
        l.currentPublic = fromBase64(current[QLatin1String("publicKey")]);
    }
    l.rotationNeeded = body.value(QLatin1String("rotationNeeded")).toBool();
    const QJsonValue identity = body.value(QLatin1String("practiceIdentity"));
    if (identity.isObject())
        l.identity = IdentityChain::fromJson(identity.toObject());
    l.grants = grantsOf(body.value(QLatin1String("grants")));
    l.identityGrants = grantsOf(body.value(QLatin1String("identityGrants")));
    return l;
}

ConversationKeyState ConversationKeyState::fromJson(const QJsonObject &body, const QString &practiceId)
{
    ConversationKeyState state;
    state.currentEpoch = body.value(QLatin1String("currentEpoch")).toInteger();
    const QJsonValue practice = body.value(QLatin1String("practiceKey"));
    if (practice.isObject()) {
        state.practiceKeyVersion = practice[QLatin1String("version")].toInteger();
        state.practicePublic = fromBase64(practice[QLatin1String("publicKey")]);
        state.practiceKeyIdentityVersion = practice[QLatin1String("identityVersion")].toInteger();
        state.practiceKeySignature = fromBase64(practice[QLatin1String("signature")]);
    }
    for (const QJsonValue &v : body.value(QLatin1String("epochs")).toArray()) {
        EpochInfo e;
        e.epoch = v[QLatin1String("epoch")].toInteger();
        e.practiceKeyVersion = v[QLatin1String("practiceKeyVersion")].toInteger();
        for (const QJsonValue &id : v[QLatin1String("deviceIds")].toArray())
            e.deviceIds.append(id.toString());
        e.sealedKey = fromBase64(v[QLatin1String("sealedKey")]);
        e.createdByDevice = v[QLatin1String("createdByDevice")].toString();
        e.identityVersion = v[QLatin1String("identityVersion")].toInteger();
        e.signature = fromBase64(v[QLatin1String("signature")]);
        state.epochs.append(e);
    }
    std::sort(state.epochs.begin(), state.epochs.end(),
              [](const EpochInfo &a, const EpochInfo &b) { return a.epoch > b.epoch; });
    state.practiceId = practiceId;
    const QJsonValue listed = body.value(QLatin1String("practiceIdentity"));
    if (listed.isObject())
        state.identity = IdentityChain::fromJson(listed.toObject());
    // A list for another practice than the conversation's is no list of its practice.
    if (state.identity && !state.practiceId.isEmpty() && state.identity->practiceId != state.practiceId)
        state.identity.reset();
    if (state.practiceId.isEmpty() && state.identity)
        state.practiceId = state.identity->practiceId;
    return state;
}

QList<PendingKeyRequest> PendingKeyRequest::listFromJson(const QJsonObject &body)
{
    QList<PendingKeyRequest> out;
    for (const QJsonValue &v : body.value(QLatin1String("requests")).toArray())
        out.append(PendingKeyRequest{v[QLatin1String("conversationId")].toString(),
                                     v[QLatin1String("deviceId")].toString(), v[QLatin1String("userId")].toString()});
    return out;
}

StoredKeyBackup StoredKeyBackup::fromJson(const QJsonObject &body)
{
    const auto lenient = [](const QJsonValue &v) { return QByteArray::fromBase64(v.toString().toLatin1()); };
    StoredKeyBackup b;
    const QJsonValue backup = body.value(QLatin1String("backup"));
    b.exists = !backup.toString().isEmpty();
    b.backup = lenient(backup);
    b.entryKeyId = lenient(body.value(QLatin1String("entryKeyId")));
    for (const QJsonValue &entry : body.value(QLatin1String("entries")).toArray())
        b.entries.append(lenient(entry));
    return b;
}

} // namespace larch
