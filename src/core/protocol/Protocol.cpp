// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/protocol/Protocol.h"

#include "core/protocol/JsonRead.h"

#include <QJsonArray>

namespace larch {
using namespace json;

QJsonObject User::toJson() const
{
    return {{"id", id}, {"name", name}, {"email", email}, {"role", role}, {"practiceId", practiceId}};
}

std::optional<User> User::fromJson(const QJsonObject &o)
{
    User u;
    if (!readString(o, "id", u.id) || !readString(o, "name", u.name) || !readString(o, "email", u.email)
        || !readString(o, "role", u.role) || !readString(o, "practiceId", u.practiceId))
        return std::nullopt;
    return u;
}

QJsonObject Message::toJson() const
{
    QJsonObject o{{"id", id},     {"clientId", clientId}, {"conversationId", conversationId},
                  {"seq", seq},   {"senderId", senderId}, {"senderName", senderName},
                  {"body", body}, {"sentAt", sentAt}};
    if (envelope)
        o.insert(QLatin1String("envelope"), *envelope);
    if (delivery)
        o.insert(QLatin1String("delivery"), delivery->toJson());
    if (note)
        o.insert(QLatin1String("note"), note->toJson());
    return o;
}

std::optional<Message> Message::fromJson(const QJsonObject &o)
{
    Message m;
    if (!readString(o, "id", m.id) || !readString(o, "clientId", m.clientId)
        || !readString(o, "conversationId", m.conversationId) || !readInt(o, "seq", m.seq)
        || !readString(o, "senderId", m.senderId) || !readString(o, "senderName", m.senderName)
        || !readString(o, "body", m.body) || !readInt(o, "sentAt", m.sentAt))
        return std::nullopt;
    const auto envelope = o.value(QLatin1String("envelope"));
    if (envelope.isObject())
        m.envelope = envelope.toObject();
    else if (!envelope.isNull() && !envelope.isUndefined())
        return std::nullopt;
    if (!readOptionalObject<MessageDelivery>(o, "delivery", m.delivery)
        || !readOptionalObject<MessageNote>(o, "note", m.note))
        return std::nullopt;
    return m;
}

QJsonObject Member::toJson() const
{
    return {{"userId", userId}, {"name", name}, {"role", role}, {"lastReadSeq", lastReadSeq}};
}

std::optional<Member> Member::fromJson(const QJsonObject &o)
{
    Member m;
    if (!readString(o, "userId", m.userId) || !readString(o, "name", m.name) || !readString(o, "role", m.role)
        || !readInt(o, "lastReadSeq", m.lastReadSeq))
        return std::nullopt;
    return m;
}

QJsonObject Conversation::toJson() const
{
    QJsonArray ms;
    for (const auto &m : members)
        ms.append(m.toJson());
    QJsonArray tagList;
    for (const auto &t : tags)
        tagList.append(t);
    return {{"id", id},
            {"practiceId", practiceId},
            {"patientId", patientId},
            {"title", title},
            {"kind", kind},
            {"createdAt", createdAt},
            {"lastActivityAt", lastActivityAt},
            {"lastMessage", lastMessage ? QJsonValue(lastMessage->toJson()) : QJsonValue(QJsonValue::Null)},
            {"unreadCount", unreadCount},
            {"lastSeq", lastSeq},
            {"members", ms},
            {"invitationState", invitationState ? QJsonValue(*invitationState) : QJsonValue(QJsonValue::Null)},
            {"standard", standard ? QJsonValue(standard->toJson()) : QJsonValue(QJsonValue::Null)},
            {"tags", tagList}};
}

std::optional<Conversation> Conversation::fromJson(const QJsonObject &o)
{
    Conversation c;
    if (!readString(o, "id", c.id) || !readString(o, "practiceId", c.practiceId)
        || !readString(o, "patientId", c.patientId) || !readString(o, "title", c.title)
        || !readString(o, "kind", c.kind) || !readInt(o, "createdAt", c.createdAt)
        || !readInt(o, "lastActivityAt", c.lastActivityAt) || !readInt(o, "unreadCount", c.unreadCount)
        || !readInt(o, "lastSeq", c.lastSeq))
        return std::nullopt;
    const auto last = o.value(QLatin1String("lastMessage"));
    if (last.isObject()) {
        c.lastMessage = Message::fromJson(last.toObject());
        if (!c.lastMessage)
            return std::nullopt;
    } else if (!last.isNull() && !last.isUndefined()) {
        return std::nullopt;
    }
    const auto ms = o.value(QLatin1String("members"));
    if (!ms.isArray())
        return std::nullopt;
    for (const auto &v : ms.toArray()) {
        auto m = Member::fromJson(v.toObject());
        if (!m)
            return std::nullopt;
        c.members.append(*m);
    }
    // Tolerant of servers that predate invitations: absent and null both mean none.
    const auto invitation = o.value(QLatin1String("invitationState"));
    if (invitation.isString())
        c.invitationState = invitation.toString();
    if (!readOptionalObject<StandardContact>(o, "standard", c.standard))
        return std::nullopt;
    // Tolerant of servers that predate tags: absent means none; every entry must be a string.
    const auto tagList = o.value(QLatin1String("tags"));
    if (tagList.isArray()) {
        for (const auto &t : tagList.toArray()) {
            if (!t.isString())
                return std::nullopt;
            c.tags.append(t.toString());
        }
    } else if (!tagList.isNull() && !tagList.isUndefined()) {
        return std::nullopt;
    }
    return c;
}

QJsonObject Session::toJson() const
{
    QJsonObject o{{"token", token}, {"expiresAt", expiresAt}, {"user", user.toJson()}};
    if (twoFactorEnrolmentRequired)
        o.insert(QLatin1String("twoFactorEnrolmentRequired"), true);
    return o;
}

std::optional<Session> Session::fromJson(const QJsonObject &o)
{
    Session s;
    if (!readString(o, "token", s.token) || !readInt(o, "expiresAt", s.expiresAt))
        return std::nullopt;
    auto u = User::fromJson(o.value(QLatin1String("user")).toObject());
    if (!u)
        return std::nullopt;
    s.user = *u;
    s.twoFactorEnrolmentRequired = o.value(QLatin1String("twoFactorEnrolmentRequired")).toBool();
    return s;
}

QJsonObject Event::toJson() const { return {{"seq", seq}, {"type", type}, {"data", data}}; }

std::optional<Event> Event::fromJson(const QJsonObject &o)
{
    Event e;
    if (!readInt(o, "seq", e.seq) || !readString(o, "type", e.type) || !o.value(QLatin1String("data")).isObject())
        return std::nullopt;
    e.data = o.value(QLatin1String("data")).toObject();
    return e;
}

QJsonObject errorBody(const QString &code, const QString &message)
{
    return {{"error", QJsonObject{{"code", code}, {"message", message}}}};
}

} // namespace larch
