// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/CallSignal.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace larch {
namespace {

struct KindName {
    CallSignal::Kind kind;
    const char *name;
};
constexpr KindName kKinds[] = {
    {CallSignal::Kind::Offer, "offer"},
    {CallSignal::Kind::Answer, "answer"},
    {CallSignal::Kind::Candidate, "candidate"},
    {CallSignal::Kind::MediaState, "media"},
};

// A JSON number that is a whole number from min to max.
std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!(d >= double(min) && d <= double(max)) || d != double(qint64(d)))
        return std::nullopt;
    return qint64(d);
}

} // namespace

QByteArray CallSignal::toBytes() const
{
    QJsonObject o;
    for (const KindName &k : kKinds)
        if (k.kind == kind)
            o.insert(QStringLiteral("kind"), QLatin1String(k.name));
    o.insert(QStringLiteral("seq"), qint64(seq));
    switch (kind) {
    case Kind::Offer:
    case Kind::Answer: o.insert(QStringLiteral("sdp"), sdp); break;
    case Kind::Candidate:
        o.insert(QStringLiteral("mediaLine"), mediaLine);
        o.insert(QStringLiteral("candidate"), candidate);
        break;
    case Kind::MediaState:
        o.insert(QStringLiteral("microphoneMuted"), microphoneMuted);
        o.insert(QStringLiteral("cameraOff"), cameraOff);
        break;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<CallSignal> CallSignal::fromBytes(QByteArrayView bytes)
{
    if (bytes.size() > BytesMax)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    CallSignal s;
    const QString kind = o.value(QLatin1String("kind")).toString();
    const auto known = std::find_if(std::begin(kKinds), std::end(kKinds),
                                    [&](const KindName &k) { return kind == QLatin1String(k.name); });
    if (known == std::end(kKinds))
        return std::nullopt;
    s.kind = known->kind;
    const auto seq = wholeNumber(o.value(QLatin1String("seq")), 1, 0xFFFFFFFF);
    if (!seq)
        return std::nullopt;
    s.seq = quint32(*seq);
    switch (s.kind) {
    case Kind::Offer:
    case Kind::Answer: {
        const QJsonValue sdp = o.value(QLatin1String("sdp"));
        if (!sdp.isString() || sdp.toString().isEmpty() || sdp.toString().size() > SdpMax)
            return std::nullopt;
        s.sdp = sdp.toString();
        break;
    }
    case Kind::Candidate: {
        const auto line = wholeNumber(o.value(QLatin1String("mediaLine")), 0, MediaLineMax);
        const QJsonValue candidate = o.value(QLatin1String("candidate"));
        if (!line || !candidate.isString() || candidate.toString().size() > CandidateMax)
            return std::nullopt;
        s.mediaLine = int(*line);
        s.candidate = candidate.toString();
        break;
    }
    case Kind::MediaState: {
        const QJsonValue muted = o.value(QLatin1String("microphoneMuted"));
        const QJsonValue cameraOff = o.value(QLatin1String("cameraOff"));
        if (!muted.isBool() || !cameraOff.isBool())
            return std::nullopt;
        s.microphoneMuted = muted.toBool();
        s.cameraOff = cameraOff.toBool();
        break;
    }
    }
    return s;
}

} // namespace larch
