// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Video calls on the server: who may call whom, ringing, answering on one device, ending, and relaying each side's
// sealed signalling (docs/protocol.md, "Video calls"). The server never sees a call's media or its descriptions.
#pragma once

#include "server/api/Authenticated.h"
#include "server/api/KeyInput.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

#include <mutex>
#include <QHash>
#include <QJsonObject>

namespace larch::server {

/// Settings of calls, from the server's flags.
struct CallSettings {
    qint64 ringMs = 45 * 1000; ///< unanswered this long, a call is missed
    qint64 callBackMs = 30 * 60 * 1000; ///< a patient may call back a missed call this long after it
    QString stunUrl; ///< "" when none is offered
    QString turnUrl; ///< "" when no relay is offered
    QByteArray turnSecret;
    qint64 turnCredentialMs = 2 * 3600 * 1000;
};

/// Starts, answers, declines and ends calls in secure conversations, relays their sealed offers, answers and
/// candidates between the two devices in the call, and hands out the relay's short-lived credentials. Every start,
/// answer and end writes an audit record (ids and outcome, never content).
class CallService {
public:
    /// Signals one call may relay: enough for trickled candidates and many renegotiations, not for a flood.
    static constexpr int SignalsPerCall = 400;

    CallService(Storage &storage, EventHub &hub, ConversationService &conversations, CallSettings settings)
        : m_storage(storage), m_hub(hub), m_conversations(conversations), m_settings(std::move(settings))
    { }

    /// POST /v1/conversations/{id}/calls: {"call": Call, "reachableDevices": n}.
    QJsonObject start(const Authenticated &caller, const QString &conversationId, const QString &callId,
                      const EnvelopeInput &offer);
    /// POST /v1/calls/{id}/answer: the callee's device takes the call; 409 call_not_ringing when another did first.
    QJsonObject answer(const Authenticated &callee, const QString &callId, const EnvelopeInput &answer);
    /// POST /v1/calls/{id}/signals: a candidate or renegotiation for the other device in the call.
    void signal(const Authenticated &from, const QString &callId, const EnvelopeInput &signal);
    /// POST /v1/calls/{id}/decline: the callee says no ("declined") or is in another call ("busy").
    QJsonObject decline(const Authenticated &callee, const QString &callId, const QString &reason);
    /// POST /v1/calls/{id}/end: hang up (or cancel while ringing); reason "failed" when the app could not connect.
    QJsonObject end(const Authenticated &party, const QString &callId, const QString &reason);
    /// GET /v1/conversations/{id}/calls: {"calls": [Call…]}, newest first.
    QJsonObject list(const User &caller, const QString &conversationId, qint64 before, int limit);
    /// GET /v1/calls/ice-servers: STUN and TURN with credentials valid for the next hours.
    QJsonObject iceServers(const Authenticated &caller);
    /// Ends every call ringing longer than ringMs as missed; the server runs it every second.
    void endUnanswered();

    /// The wire form of a call.
    static QJsonObject toJson(const CallRecord &call);

private:
    CallRecord partyCall(const Authenticated &party, const QString &callId);
    QString calleeFor(const Authenticated &caller, const ConversationRecord &conversation);
    /// The events of a change: call.updated to every member of the conversation (read before the write, since
    /// CallEvents may not touch the storage), and extraType with extra to one user when given.
    CallEvents eventsWith(const QString &conversationId, const QString &extraType = {}, const QString &to = {},
                          const QJsonObject &extra = {});
    QJsonObject ended(const Authenticated &party, const CallWriteResult &result);

    Storage &m_storage;
    EventHub &m_hub;
    ConversationService &m_conversations;
    AuditLog m_audit{m_storage};
    const CallSettings m_settings;
    std::mutex m_signalsMutex;
    QHash<QString, int> m_signals; ///< signals relayed per open call
};

} // namespace larch::server
