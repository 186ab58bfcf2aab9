// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/KeyInput.h"

#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"

#include <cmath>
#include <QJsonArray>
#include <QJsonDocument>

namespace larch::server {
namespace {

[[noreturn]] void missing(const QString &field)
{
    throw RequestError(400, QStringLiteral("missing_field"), QStringLiteral("%1 is required").arg(field));
}

[[noreturn]] void invalid(const QString &message) { throw RequestError(400, QStringLiteral("invalid_field"), message); }

QJsonValue required(const QJsonObject &o, const QString &field)
{
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        missing(field);
    return v;
}

QString base64Of(const QJsonValue &v, const QString &field, qsizetype minBytes, qsizetype maxBytes)
{
    if (!v.isString())
        invalid(QStringLiteral("%1 must be a base64 string").arg(field));
    const QString text = v.toString();
    // Checked on the encoded length first, so an oversized value is refused before it is decoded.
    if (text.size() > (maxBytes + 2) / 3 * 4)
        invalid(QStringLiteral("%1 is larger than %2 bytes").arg(field).arg(maxBytes));
    const QByteArray encoded = text.toLatin1();
    const auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    // Only the canonical form is accepted (standard alphabet, padded), so one key has one spelling.
    if (!decoded || text.isEmpty() || decoded.decoded.toBase64() != encoded)
        invalid(QStringLiteral("%1 must be standard base64 with padding").arg(field));
    const qsizetype n = decoded.decoded.size();
    if (n < minBytes || n > maxBytes) {
        if (minBytes == maxBytes)
            invalid(QStringLiteral("%1 must decode to %2 bytes, not %3").arg(field).arg(minBytes).arg(n));
        invalid(
            QStringLiteral("%1 must decode to %2 to %3 bytes, not %4").arg(field).arg(minBytes).arg(maxBytes).arg(n));
    }
    return text;
}

QString idOf(const QJsonValue &v, const QString &field)
{
    if (!v.isString() || !isValidId(v.toString()))
        invalid(QStringLiteral("%1 must be a lower-case UUID without braces").arg(field));
    return v.toString();
}

qint64 integerOf(const QJsonValue &v, const QString &field, qint64 min, qint64 max)
{
    const double d = v.toDouble();
    // Converting a number at or beyond 2^63 to qint64 is undefined behaviour: such a number is refused before.
    constexpr double Bound = 9223372036854775808.0;
    const bool whole = v.isDouble() && d >= -Bound && d < Bound && d == std::trunc(d);
    const qint64 n = whole ? static_cast<qint64>(d) : 0;
    if (!whole || n < min || n > max)
        invalid(QStringLiteral("%1 must be a whole number from %2 to %3").arg(field).arg(min).arg(max));
    return n;
}

} // namespace

QString readId(const QJsonObject &o, const char *field)
{
    const QString name = QLatin1String(field);
    return idOf(required(o, name), name);
}

qint64 readInteger(const QJsonObject &o, const char *field, qint64 min, qint64 max)
{
    const QString name = QLatin1String(field);
    return integerOf(required(o, name), name, min, max);
}

QString readBase64(const QJsonObject &o, const char *field, qsizetype minBytes, qsizetype maxBytes)
{
    const QString name = QLatin1String(field);
    return base64Of(required(o, name), name, minBytes, maxBytes);
}

QJsonArray readArray(const QJsonObject &o, const char *field, qsizetype maxItems)
{
    const QString name = QLatin1String(field);
    const QJsonValue v = required(o, name);
    if (!v.isArray())
        invalid(QStringLiteral("%1 must be an array").arg(name));
    const QJsonArray a = v.toArray();
    if (a.size() > maxItems)
        invalid(QStringLiteral("%1 must have at most %2 items").arg(name).arg(maxItems));
    for (const QJsonValue &item : a)
        if (!item.isObject())
            invalid(QStringLiteral("each item of %1 must be an object").arg(name));
    return a;
}

QList<DeviceGrant> readDeviceGrants(const QJsonObject &o, const char *field)
{
    QList<DeviceGrant> out;
    for (const QJsonValue &item : readArray(o, field, 1000)) {
        const QJsonObject g = item.toObject();
        out.append(
            DeviceGrant{readId(g, "deviceId"), readBase64(g, "sealedKey", KeySizes::SealedKey, KeySizes::SealedKey)});
    }
    return out;
}

std::optional<QString> readOptionalBase64(const QJsonObject &o, const char *field, qsizetype minBytes,
                                          qsizetype maxBytes)
{
    const QString name = QLatin1String(field);
    const QJsonValue v = o.value(name);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return base64Of(v, name, minBytes, maxBytes);
}

std::optional<qint64> readOptionalInteger(const QJsonObject &o, const char *field, qint64 min, qint64 max)
{
    const QString name = QLatin1String(field);
    const QJsonValue v = o.value(name);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return integerOf(v, name, min, max);
}

NewPracticeKey readNewPracticeKey(const QJsonObject &body)
{
    constexpr qint64 counterMax = (qint64(1) << 53) - 1;
    NewPracticeKey key;
    key.version = readInteger(body, "version", 1, counterMax);
    key.publicKey = readBase64(body, "publicKey", KeySizes::PublicKey, KeySizes::PublicKey);
    key.grants = readDeviceGrants(body, "grants");
    key.identityVersion = readOptionalInteger(body, "identityVersion", 1, counterMax);
    key.signature = readOptionalBase64(body, "signature", KeySizes::Signature, KeySizes::Signature);
    if (key.identityVersion.has_value() != key.signature.has_value())
        missing(key.signature ? QStringLiteral("identityVersion") : QStringLiteral("signature"));
    const QJsonValue identity = body.value(QStringLiteral("identity"));
    if (!identity.isUndefined() && !identity.isNull()) {
        if (!identity.isObject())
            invalid(QStringLiteral("identity must be an object with version, publicKey, rotationSignature and grants"));
        const QJsonObject i = identity.toObject();
        key.identity = NewIdentity{
            integerOf(required(i, QStringLiteral("version")), QStringLiteral("identity.version"), 1, counterMax),
            base64Of(required(i, QStringLiteral("publicKey")), QStringLiteral("identity.publicKey"),
                     KeySizes::PublicKey, KeySizes::PublicKey),
            readOptionalBase64(i, "rotationSignature", KeySizes::Signature, KeySizes::Signature),
            readDeviceGrants(i, "grants")};
    }
    return key;
}

EnvelopeInput readEnvelope(const QJsonObject &body, EnvelopeUse use)
{
    const QJsonValue v = required(body, QStringLiteral("envelope"));
    if (!v.isObject())
        invalid(QStringLiteral("envelope must be an object with epoch, senderDeviceId, ciphertext and signature"));
    const QJsonObject e = v.toObject();
    EnvelopeInput in;
    in.epoch =
        integerOf(required(e, QStringLiteral("epoch")), QStringLiteral("envelope.epoch"), 1, (qint64(1) << 53) - 1);
    in.senderDeviceId = idOf(required(e, QStringLiteral("senderDeviceId")), QStringLiteral("envelope.senderDeviceId"));
    const QString ciphertext =
        base64Of(required(e, QStringLiteral("ciphertext")), QStringLiteral("envelope.ciphertext"),
                 KeySizes::Nonce + KeySizes::Tag + 1, KeySizes::CiphertextMax);
    const QString signature = base64Of(required(e, QStringLiteral("signature")), QStringLiteral("envelope.signature"),
                                       KeySizes::Signature, KeySizes::Signature);
    QJsonObject canonical{{"epoch", in.epoch},
                          {"senderDeviceId", in.senderDeviceId},
                          {"ciphertext", ciphertext},
                          {"signature", signature}};
    // Format 2 (text and attachments) is signed into the envelope: it must come back exactly as sent. Format 1 stays
    // implicit, so earlier envelopes keep their bytes.
    if (use == EnvelopeUse::CallSignal) {
        // A call's signalling is sealed as format 3, so it can never be replayed as a message, nor a message as it.
        integerOf(required(e, QStringLiteral("format")), QStringLiteral("envelope.format"), 3, 3);
        canonical.insert(QStringLiteral("format"), 3);
    } else if (e.contains(QStringLiteral("format"))) {
        const qint64 format = integerOf(e.value(QStringLiteral("format")), QStringLiteral("envelope.format"), 1, 2);
        if (format == 2)
            canonical.insert(QStringLiteral("format"), 2);
    }
    in.canonical = QJsonDocument(canonical).toJson(QJsonDocument::Compact);
    return in;
}

} // namespace larch::server
