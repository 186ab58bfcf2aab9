// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/calls/CallService.h"

#include "server/api/RequestError.h"
#include "server/calls/TurnCredentials.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace larch::server {
namespace {

qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }

QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QJsonObject envelopeJson(const EnvelopeInput &e) { return QJsonDocument::fromJson(e.canonical).object(); }

RequestError callNotFound()
{
    return RequestError(404, QStringLiteral("not_found"), QStringLiteral("There is no such call, or it is not yours."));
}

} // namespace

QJsonObject CallService::toJson(const CallRecord &c)
{
    return {{"id", c.id},
            {"conversationId", c.conversationId},
            {"callerId", c.callerId},
            {"callerDeviceId", c.callerDeviceId},
            {"calleeId", c.calleeId},
            {"state", c.state},
            {"outcome", c.outcome.isEmpty() ? QJsonValue() : QJsonValue(c.outcome)},
            {"answeredDeviceId", c.answeredDeviceId.isEmpty() ? QJsonValue() : QJsonValue(c.answeredDeviceId)},
            {"startedAt", c.startedAt},
            {"answeredAt", c.answeredAt ? QJsonValue(c.answeredAt) : QJsonValue()},
            {"endedAt", c.endedAt ? QJsonValue(c.endedAt) : QJsonValue()}};
}

QString CallService::calleeFor(const Authenticated &caller, const ConversationRecord &conversation)
{
    if (caller.user.isStaff())
        return conversation.patientId;
    // A patient calls back the staff member who last called them here: once, within callBackMs of a call they
    // missed (the conversation's latest call), or at any time when the practice lets patients start calls.
    const QList<CallRecord> recent = m_storage.calls().callsOfConversation(conversation.id, 0, 20);
    const auto lastFromStaff =
        std::find_if(recent.begin(), recent.end(), [&](const CallRecord &c) { return c.callerId != caller.user.id; });
    const bool allowed = m_storage.security().practicePolicy(conversation.practiceId).patientsMayCall;
    const bool missedJustNow = !recent.isEmpty() && recent.first().callerId != caller.user.id
        && (recent.first().outcome == QLatin1String("missed") || recent.first().outcome == QLatin1String("cancelled"))
        && recent.first().endedAt >= now() - m_settings.callBackMs;
    if (!allowed && !missedJustNow)
        throw RequestError(403, QStringLiteral("calls_not_allowed"),
                           QStringLiteral("Your practice starts video calls. You can call back within 30 minutes of "
                                          "a call you missed."));
    if (lastFromStaff == recent.end())
        throw RequestError(409, QStringLiteral("no_one_to_call"),
                           QStringLiteral("No one at the practice has called you in this conversation yet; send a "
                                          "message and they can call you."));
    return lastFromStaff->callerId;
}

CallEvents CallService::eventsWith(const QString &conversationId, const QString &extraType, const QString &to,
                                   const QJsonObject &extra)
{
    // Every member's app learns how the call stands (its line in the thread); one side also gets the sealed part.
    const auto conversation = m_storage.conversations().conversation(conversationId);
    const QStringList members = conversation ? m_conversations.recipients(*conversation) : QStringList();
    return [members, extraType, to, extra](const CallRecord &call) {
        QList<NewEvent> events;
        const QByteArray updated = compact(toJson(call));
        for (const QString &member : members)
            events.append({member, QStringLiteral("call.updated"), updated});
        if (!extraType.isEmpty()) {
            QJsonObject data = extra;
            data.insert(QStringLiteral("call"), toJson(call));
            events.append({to, extraType, compact(data)});
        }
        return events;
    };
}

QJsonObject CallService::start(const Authenticated &caller, const QString &conversationId, const QString &callId,
                               const EnvelopeInput &offer)
{
    const ConversationRecord conversation = m_conversations.visible(caller.user, conversationId);
    if (conversation.kind != QLatin1String("secure"))
        throw RequestError(409, QStringLiteral("not_secure"),
                           QStringLiteral("Video calls are for secure conversations; invite this contact to a secure "
                                          "conversation first."));
    m_conversations.requireSender(caller, conversationId, offer, QStringLiteral("calling"));
    CallRecord call;
    call.id = callId;
    call.conversationId = conversationId;
    call.practiceId = conversation.practiceId;
    call.callerId = caller.user.id;
    call.callerDeviceId = caller.deviceId;
    call.calleeId = calleeFor(caller, conversation);
    call.startedAt = now();
    // A device is in one call at a time: a call of this conversation it still holds open was left behind (its app
    // quit or crashed mid-call) and ends as failed, rather than keeping both people busy.
    for (const CallRecord &open : m_storage.calls().callsOfConversation(conversationId, 0, 5)) {
        const bool held = open.callerDeviceId == caller.deviceId || open.answeredDeviceId == caller.deviceId;
        if (open.state != QLatin1String("ended") && open.id != callId && held) {
            const CallWriteResult left = m_hub.commit([&] {
                return m_storage.calls().endCall(open.id, true, true, QStringLiteral("failed"), now(),
                                                 eventsWith(conversationId));
            });
            if (left.status == CallWriteResult::Status::Done)
                ended(caller, left);
        }
    }
    // On storage's side the check for a call already open and the insert are one transaction with the events.
    const CallWriteResult result = m_hub.commit([&] {
        return m_storage.calls().startCall(call,
                                           eventsWith(conversationId, QStringLiteral("call.ringing"), call.calleeId,
                                                      {{"envelope", envelopeJson(offer)}}));
    });
    switch (result.status) {
    case CallWriteResult::Status::Done: break;
    case CallWriteResult::Status::Duplicate:
        if (result.call.callerId != caller.user.id || result.call.conversationId != conversationId)
            throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("This call id is already in use."));
        return {{"call", toJson(result.call)}, {"reachableDevices", qint64(m_hub.sinkCountOf(result.call.calleeId))}};
    case CallWriteResult::Status::Busy:
        throw RequestError(409, QStringLiteral("busy"),
                           QStringLiteral("One of you is already in a call. Try again when it has ended."));
    default: throw RequestError::notFound();
    }
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("call_started"),
                   {callId, conversationId});
    return {{"call", toJson(result.call)}, {"reachableDevices", qint64(m_hub.sinkCountOf(call.calleeId))}};
}

CallRecord CallService::partyCall(const Authenticated &party, const QString &callId)
{
    const auto call = m_storage.calls().call(callId);
    if (!call || (call->callerId != party.user.id && call->calleeId != party.user.id))
        throw callNotFound();
    return *call;
}

QJsonObject CallService::answer(const Authenticated &callee, const QString &callId, const EnvelopeInput &answer)
{
    const CallRecord call = partyCall(callee, callId);
    if (call.calleeId != callee.user.id)
        throw RequestError(403, QStringLiteral("forbidden"), QStringLiteral("Only the person called can answer."));
    m_conversations.requireSender(callee, call.conversationId, answer, QStringLiteral("answering a call"));
    const CallWriteResult result = m_hub.commit([&] {
        return m_storage.calls().answerCall(callId, callee.deviceId, now(),
                                            eventsWith(call.conversationId, QStringLiteral("call.answered"),
                                                       call.callerId, {{"envelope", envelopeJson(answer)}}));
    });
    if (result.status == CallWriteResult::Status::WrongState)
        throw RequestError(409, QStringLiteral("call_not_ringing"),
                           result.call.state == QLatin1String("active")
                               ? QStringLiteral("This call was answered on another device.")
                               : QStringLiteral("This call has ended."));
    if (result.status != CallWriteResult::Status::Done)
        throw callNotFound();
    m_audit.record(AuditLog::of(callee.user, callee.deviceId), QStringLiteral("call_answered"), {callId});
    return {{"call", toJson(result.call)}};
}

void CallService::signal(const Authenticated &from, const QString &callId, const EnvelopeInput &signal)
{
    const CallRecord call = partyCall(from, callId);
    const bool fromCaller = from.user.id == call.callerId && from.deviceId == call.callerDeviceId;
    const bool fromCallee =
        from.user.id == call.calleeId && !from.deviceId.isEmpty() && from.deviceId == call.answeredDeviceId;
    if (!fromCaller && !fromCallee)
        throw RequestError(403, QStringLiteral("forbidden"),
                           QStringLiteral("Only the two devices in the call send its signalling."));
    if (call.state == QLatin1String("ended"))
        throw RequestError(409, QStringLiteral("call_ended"), QStringLiteral("This call has ended."));
    m_conversations.requireSender(from, call.conversationId, signal, QStringLiteral("calling"));
    {
        std::lock_guard lock(m_signalsMutex);
        if (++m_signals[callId] > SignalsPerCall)
            throw RequestError(429, QStringLiteral("rate_limited"),
                               QStringLiteral("This call has sent too much signalling; hang up and call again."));
    }
    const QJsonObject data{{"callId", callId}, {"fromDeviceId", from.deviceId}, {"envelope", envelopeJson(signal)}};
    const QString to = fromCaller ? call.calleeId : call.callerId;
    m_hub.commit([&] {
        return m_storage.conversations().storeEvents({{to, QStringLiteral("call.signal"), compact(data)}});
    });
}

QJsonObject CallService::ended(const Authenticated &party, const CallWriteResult &result)
{
    if (result.status == CallWriteResult::Status::WrongState)
        throw RequestError(409, QStringLiteral("call_ended"), QStringLiteral("This call has already ended."));
    if (result.status != CallWriteResult::Status::Done)
        throw callNotFound();
    {
        std::lock_guard lock(m_signalsMutex);
        m_signals.remove(result.call.id);
    }
    m_audit.record(AuditLog::of(party.user, party.deviceId), QStringLiteral("call_ended"),
                   {result.call.id, QStringLiteral("outcome=") + result.call.outcome});
    return {{"call", toJson(result.call)}};
}

QJsonObject CallService::decline(const Authenticated &callee, const QString &callId, const QString &reason)
{
    const CallRecord call = partyCall(callee, callId);
    if (call.calleeId != callee.user.id)
        throw RequestError(403, QStringLiteral("forbidden"), QStringLiteral("Only the person called can decline."));
    return ended(callee, m_hub.commit([&] {
        return m_storage.calls().endCall(callId, true, false, reason, now(), eventsWith(call.conversationId));
    }));
}

QJsonObject CallService::end(const Authenticated &party, const QString &callId, const QString &reason)
{
    const CallRecord call = partyCall(party, callId);
    // Hanging up a call still ringing cancels it (the callee sees a missed call); a callee who has not answered
    // declines instead.
    const bool ringing = call.state == QLatin1String("ringing");
    if (ringing && call.calleeId == party.user.id)
        throw RequestError(409, QStringLiteral("call_not_answered"),
                           QStringLiteral("Decline a call you have not answered."));
    const QString outcome = reason == QLatin1String("failed") ? reason
        : ringing                                             ? QStringLiteral("cancelled")
                                                              : QStringLiteral("completed");
    return ended(party, m_hub.commit([&] {
        return m_storage.calls().endCall(callId, true, true, outcome, now(), eventsWith(call.conversationId));
    }));
}

QJsonObject CallService::list(const User &caller, const QString &conversationId, qint64 before, int limit)
{
    m_conversations.visible(caller, conversationId);
    QJsonArray calls;
    for (const CallRecord &c : m_storage.calls().callsOfConversation(conversationId, before, limit))
        calls.append(toJson(c));
    return {{"calls", calls}};
}

QJsonObject CallService::iceServers(const Authenticated &caller)
{
    QJsonArray servers;
    if (!m_settings.stunUrl.isEmpty())
        servers.append(QJsonObject{{"urls", QJsonArray{m_settings.stunUrl}}});
    qint64 expiresAt = 0;
    if (!m_settings.turnUrl.isEmpty()) {
        // The relay sees the user id only as a label of the credential, never a name.
        const TurnCredential credential =
            turnCredential(m_settings.turnSecret, caller.user.id, now(), m_settings.turnCredentialMs);
        expiresAt = credential.expiresAt;
        servers.append(QJsonObject{{"urls", QJsonArray{m_settings.turnUrl}},
                                   {"username", credential.username},
                                   {"credential", credential.password}});
    }
    return {{"iceServers", servers}, {"expiresAt", expiresAt ? QJsonValue(expiresAt) : QJsonValue()}};
}

void CallService::endUnanswered()
{
    for (const CallRecord &ringing : m_storage.calls().unansweredCalls(now() - m_settings.ringMs)) {
        // Answered or ended since it was read: endCall leaves it alone (WrongState).
        const CallWriteResult r = m_hub.commit([&] {
            return m_storage.calls().endCall(ringing.id, true, false, QStringLiteral("missed"), now(),
                                             eventsWith(ringing.conversationId));
        });
        if (r.status != CallWriteResult::Status::Done)
            continue;
        {
            std::lock_guard lock(m_signalsMutex);
            m_signals.remove(r.call.id);
        }
        // The server ends it: the record names the practice and no person or device.
        m_audit.record(AuditLog::Actor{r.call.practiceId, QString(), QString(), QString()},
                       QStringLiteral("call_ended"), {r.call.id, QStringLiteral("outcome=missed")});
    }
}

} // namespace larch::server
