// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/ProtocolStandard.h"

#include "core/protocol/JsonRead.h"

namespace larch {
using namespace json;

namespace {

QJsonValue orNull(const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); }

} // namespace

QJsonObject Consent::toJson() const
{
    return {{"method", method},
            {"note", orNull(note)},
            {"recordedBy", recordedBy},
            {"recordedByName", recordedByName},
            {"at", at}};
}

std::optional<Consent> Consent::fromJson(const QJsonObject &o)
{
    Consent c;
    if (!readString(o, "method", c.method) || !readOptionalString(o, "note", c.note)
        || !readString(o, "recordedBy", c.recordedBy) || !readString(o, "recordedByName", c.recordedByName)
        || !readInt(o, "at", c.at))
        return std::nullopt;
    return c;
}

QJsonObject StandardContact::toJson() const
{
    return {{"address", address},
            {"display", display},
            {"consent", consent ? QJsonValue(consent->toJson()) : QJsonValue(QJsonValue::Null)},
            {"optedOutAt", optedOutAt ? QJsonValue(optedOutAt) : QJsonValue(QJsonValue::Null)},
            {"secureConversationId", orNull(secureConversationId)}};
}

std::optional<StandardContact> StandardContact::fromJson(const QJsonObject &o)
{
    StandardContact s;
    if (!readString(o, "address", s.address) || !readString(o, "display", s.display)
        || !readOptionalString(o, "secureConversationId", s.secureConversationId))
        return std::nullopt;
    const auto consent = o.value(QLatin1String("consent"));
    if (consent.isObject()) {
        s.consent = Consent::fromJson(consent.toObject());
        if (!s.consent)
            return std::nullopt;
    } else if (!consent.isNull() && !consent.isUndefined()) {
        return std::nullopt;
    }
    const auto optedOut = o.value(QLatin1String("optedOutAt"));
    if (!optedOut.isNull() && !optedOut.isUndefined() && !readInt(o, "optedOutAt", s.optedOutAt))
        return std::nullopt;
    return s;
}

QJsonObject MessageDelivery::toJson() const
{
    return {{"state", state}, {"detail", orNull(detail)}, {"updatedAt", updatedAt}};
}

std::optional<MessageDelivery> MessageDelivery::fromJson(const QJsonObject &o)
{
    MessageDelivery d;
    if (!readString(o, "state", d.state) || !readOptionalString(o, "detail", d.detail)
        || !readInt(o, "updatedAt", d.updatedAt))
        return std::nullopt;
    return d;
}

QJsonObject MessageNote::toJson() const { return {{"kind", kind}, {"conversationId", orNull(conversationId)}}; }

std::optional<MessageNote> MessageNote::fromJson(const QJsonObject &o)
{
    MessageNote n;
    if (!readString(o, "kind", n.kind) || !readOptionalString(o, "conversationId", n.conversationId))
        return std::nullopt;
    return n;
}

QJsonObject PracticeLink::toJson() const
{
    return {{"id", id},       {"practiceId", practiceId}, {"code", code},
            {"label", label}, {"tag", orNull(tag)},       {"enabled", enabled},
            {"url", url},     {"createdAt", createdAt},   {"conversationCount", conversationCount}};
}

std::optional<PracticeLink> PracticeLink::fromJson(const QJsonObject &o)
{
    PracticeLink l;
    const auto enabled = o.value(QLatin1String("enabled"));
    if (!readString(o, "id", l.id) || !readString(o, "practiceId", l.practiceId) || !readString(o, "code", l.code)
        || !readString(o, "label", l.label) || !readOptionalString(o, "tag", l.tag) || !enabled.isBool()
        || !readString(o, "url", l.url) || !readInt(o, "createdAt", l.createdAt)
        || !readInt(o, "conversationCount", l.conversationCount))
        return std::nullopt;
    l.enabled = enabled.toBool();
    return l;
}

} // namespace larch
