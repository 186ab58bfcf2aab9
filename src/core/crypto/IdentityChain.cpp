// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/IdentityChain.h"

#include "core/crypto/PracticeIdentity.h"
#include "core/protocol/JsonRead.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace larch {

namespace {

/// JSON integers stay within what a double holds exactly.
constexpr qint64 kCounterMax = (qint64(1) << 53) - 1;

/// Strict standard base64 of exactly size decoded bytes; nullopt otherwise.
std::optional<QByteArray> decodeExact(const QJsonValue &v, qsizetype size)
{
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s.size() != (size + 2) / 3 * 4)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok || decoded.decoded.size() != size
        || QString::fromLatin1(decoded.decoded.toBase64()) != s)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace

const IdentityVersion *IdentityChain::version(qint64 version) const
{
    // Versions rise by one (fromJson insists), so a version's place is its distance from the first.
    if (versions.isEmpty() || version < versions.first().version || version > versions.last().version)
        return nullptr;
    const IdentityVersion &found = versions.at(version - versions.first().version);
    return found.version == version ? &found : nullptr;
}

std::optional<IdentityChain> IdentityChain::fromJson(const QJsonObject &o)
{
    IdentityChain chain;
    if (!json::readString(o, "practiceId", chain.practiceId) || !isValidId(chain.practiceId))
        return std::nullopt;
    if (!json::readOptionalString(o, "practiceName", chain.practiceName)
        || textLength(chain.practiceName) > Limits::NameMax)
        return std::nullopt;
    const QJsonValue list = o.value(QLatin1String("versions"));
    if (!list.isArray())
        return std::nullopt;
    const QJsonArray array = list.toArray();
    if (array.isEmpty() || array.size() > VersionsMax)
        return std::nullopt;
    for (const QJsonValue &item : array) {
        if (!item.isObject())
            return std::nullopt;
        const QJsonObject v = item.toObject();
        IdentityVersion version;
        if (!json::readInt(v, "version", version.version) || version.version < 1 || version.version > kCounterMax)
            return std::nullopt;
        if (!chain.versions.isEmpty() && version.version != chain.versions.last().version + 1)
            return std::nullopt;
        const auto publicKey = decodeExact(v.value(QLatin1String("publicKey")), PracticeIdentityKey::PublicBytes);
        if (!publicKey)
            return std::nullopt;
        version.publicKey = *publicKey;
        const QJsonValue signature = v.value(QLatin1String("rotationSignature"));
        if (!signature.isNull() && !signature.isUndefined()) {
            const auto bytes = decodeExact(signature, PracticeIdentityKey::SignatureBytes);
            if (!bytes)
                return std::nullopt;
            version.rotationSignature = *bytes;
        }
        const QJsonValue createdAt = v.value(QLatin1String("createdAt"));
        if (!createdAt.isUndefined() && (!json::readInt(v, "createdAt", version.createdAt) || version.createdAt < 0))
            return std::nullopt;
        chain.versions.append(version);
    }
    return chain;
}

QJsonObject IdentityChain::toJson() const
{
    QJsonArray list;
    for (const IdentityVersion &v : versions)
        list.append(QJsonObject{{"version", v.version},
                                {"publicKey", QString::fromLatin1(v.publicKey.toBase64())},
                                {"rotationSignature",
                                 v.rotationSignature.isEmpty()
                                     ? QJsonValue(QJsonValue::Null)
                                     : QJsonValue(QString::fromLatin1(v.rotationSignature.toBase64()))},
                                {"createdAt", v.createdAt}});
    return {{"practiceId", practiceId}, {"practiceName", practiceName}, {"versions", list}};
}

ChainVerdict IdentityChain::check(const std::optional<IdentityPin> &pin) const
{
    if (versions.isEmpty())
        return pin ? ChainVerdict::Changed : ChainVerdict::FirstUse;
    if (!pin)
        return ChainVerdict::FirstUse;
    const IdentityVersion *pinned = version(pin->version);
    if (!pinned || pinned->publicKey != pin->publicKey)
        return ChainVerdict::Changed;
    if (pinned == current())
        return ChainVerdict::Unchanged;
    // Every step from the pinned version to the current one carries the previous version's signature.
    const IdentityVersion *previous = pinned;
    for (qint64 v = pin->version + 1; v <= current()->version; ++v) {
        const IdentityVersion *next = version(v);
        if (!next
            || !IdentityStatement::verify(
                previous->publicKey, IdentityStatement::rotation(practiceId, v, previous->publicKey, next->publicKey),
                next->rotationSignature))
            return ChainVerdict::Changed;
        previous = next;
    }
    return ChainVerdict::SignedRotation;
}

std::optional<IdentityChain> decodeIdentityChain(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return IdentityChain::fromJson(doc.object());
}

} // namespace larch
