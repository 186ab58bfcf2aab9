// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/sync/SyncEngine.h"

#include "client/e2ee/SecureSync.h"
#include "client/net/ApiClient.h"
#include "client/net/EventStream.h"
#include "client/sync/Outbox.h"

#include <QJsonArray>

namespace larch {

SyncEngine::SyncEngine(LocalStore *store, ApiClient *api, QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_events(new EventStream(api, this)),
      m_outbox(new Outbox(store, api, this)), m_secure(new SecureSync(store, api, this))
{
    m_outbox->setSealer([this](const OutboxEntry &entry, Outbox::SealDone done) {
        m_secure->seal(entry, [done](const std::optional<QJsonObject> &envelope, const EpochPlanner::Failure &f) {
            done(envelope, f.sentence, f.retryLater);
        });
    });
    connect(m_secure, &SecureSync::messageOpened, this, &SyncEngine::messageOpened);
    connect(m_secure, &SecureSync::previewChanged, this, &SyncEngine::emitSummary);
    connect(m_secure, &SecureSync::noticeAdded, this, &SyncEngine::noticeAdded);
    connect(m_secure, &SecureSync::readyToSend, m_outbox, &Outbox::flush);
    // Messages to a practice whose identity changed wait for the person; the others go past them.
    connect(m_secure, &SecureSync::identityChanged, this, [this] { m_outbox->setHeld(m_secure->heldConversations()); });
    connect(m_events, &EventStream::eventArrived, this, &SyncEngine::applyEvent);
    connect(m_events, &EventStream::onlineChanged, this, [this](bool online) {
        if (online) {
            m_freshStart = false;
            m_secure->connected();
            m_outbox->flush();
            flushReads();
            if (!m_conversationsSynced && !m_fetchingPages)
                fetchConversationPage(QString());
        }
        emit onlineChanged(online);
    });
    connect(m_events, &EventStream::retryCountdownChanged, this, &SyncEngine::retryCountdownChanged);
    connect(m_events, &EventStream::sessionEnded, this, &SyncEngine::endSession);
    connect(m_events, &EventStream::connectFailed, this, [this] {
        // A refused upgrade does not say why; ask the REST side, which reports an ended session.
        if (m_checkingSession || !m_running)
            return;
        m_checkingSession = true;
        m_api->fetchMe(this, [this](const ApiResult &) { m_checkingSession = false; });
    });
    connect(m_api, &ApiClient::sessionEnded, this, [this] {
        if (m_running)
            endSession();
    });
    connect(m_outbox, &Outbox::pending, this, &SyncEngine::messagePending);
    connect(m_outbox, &Outbox::confirmed, this, [this](const QString &clientId, const StoredMessage &message) {
        emit messageConfirmed(clientId, message);
        emitSummary(message.message.conversationId);
    });
    connect(m_outbox, &Outbox::failed, this, &SyncEngine::messageFailed);
}

SyncEngine::~SyncEngine() = default;

bool SyncEngine::isOnline() const { return m_events->isOnline(); }

int SyncEngine::secondsUntilRetry() const { return m_events->secondsUntilRetry(); }

void SyncEngine::start(const Session &session, const DeviceKeys &device, bool deviceActive)
{
    stop();
    ++m_generation;
    m_running = true;
    m_userId = session.user.id;
    m_secure->start(session, device, deviceActive);
    m_freshStart = m_store->account().lastEventSeq() == 0;
    m_api->setToken(session.token);
    m_outbox->setUserId(m_userId);
    m_outbox->setHeld(m_secure->heldConversations());
    m_conversationsSynced = false;
    fetchConversationPage(QString());
    m_events->start(m_store->account().lastEventSeq());
    m_outbox->resume();
}

void SyncEngine::stop()
{
    m_running = false;
    ++m_generation;
    m_fetchingPages = false;
    m_fetchingConversations.clear();
    m_waitingForConversation.clear();
    m_pendingReads.clear();
    m_events->stop();
    m_outbox->pause();
    m_secure->stop();
}

void SyncEngine::endSession()
{
    stop();
    m_api->setToken(QString());
    m_store->account().clearSession();
    emit sessionEnded(ErrorText::sessionEnded());
}

void SyncEngine::retryNow()
{
    if (!m_running)
        return;
    m_events->reconnectNow();
    m_outbox->flush();
}

OutboxEntry SyncEngine::send(const QString &conversationId, const QString &body)
{
    return m_outbox->enqueue(conversationId, body);
}

void SyncEngine::emitSummary(const QString &conversationId)
{
    if (const auto summary = m_store->conversations().summary(conversationId))
        emit conversationChanged(*summary);
}

void SyncEngine::applyEvent(const Event &event)
{
    m_store->beginBatch();
    if (event.type == QLatin1String(EventType::MessageCreated)) {
        if (const auto message = Message::fromJson(event.data))
            applyMessageCreated(*message);
        else
            qWarning("larch sync: a message.created event without a valid message was skipped");
    } else if (event.type == QLatin1String(EventType::ConversationCreated)
               || event.type == QLatin1String(EventType::ConversationUpdated)) {
        if (!applyConversationJson(event.data))
            qWarning("larch sync: a %s event without a valid conversation was skipped", qPrintable(event.type));
    } else if (event.type == QLatin1String(EventType::MessageUpdated)) {
        if (const auto message = Message::fromJson(event.data))
            applyMessageUpdated(*message);
        else
            qWarning("larch sync: a message.updated event without a valid message was skipped");
    } else if (event.type == QLatin1String(EventType::InvitationUpdated)) {
        applyInvitation(event.data);
    } else if (event.type == QLatin1String(EventType::ConversationRead)) {
        const QString conversationId = event.data.value(QLatin1String("conversationId")).toString();
        const QString userId = event.data.value(QLatin1String("userId")).toString();
        const qint64 seq = event.data.value(QLatin1String("lastReadSeq")).toInteger(-1);
        if (!conversationId.isEmpty() && !userId.isEmpty() && seq >= 0)
            applyRead(conversationId, userId, seq);
    } else {
        // A new install replays every event ever sent: devices added long ago are not news to put in threads.
        m_secure->setNoticesQuiet(m_freshStart && !m_events->isOnline());
        m_secure->applyEvent(event);
    }
    // The seq is stored with the event's effects, so a crash can neither skip nor repeat it.
    m_store->account().setLastEventSeq(event.seq);
    m_store->endBatch();
}

void SyncEngine::applyMessageCreated(const Message &message)
{
    if (m_outbox->confirm(message))
        return; // our own, confirmed: the echo becomes the message
    receive(message, m_userId);
}

void SyncEngine::applyMessageUpdated(const Message &message)
{
    const auto stored = m_store->messages().messageById(message.id);
    if (!stored) {
        applyMessageCreated(message); // its creation is not here yet (or was ours, still pending): take it whole
        return;
    }
    if (!message.delivery || !m_store->messages().setMessageDelivery(message.id, *message.delivery))
        return;
    StoredMessage updated = *stored;
    updated.message.delivery = message.delivery;
    emit messageUpdated(updated);
}

std::optional<StoredMessage> SyncEngine::open(const Message &message)
{
    // A note is the server's account of what happened; the app words it, so there is no text to trust.
    if (message.note) {
        StoredMessage note{message, Verification::Verified, MessageCheck::Ok};
        note.message.body.clear();
        return note;
    }
    if (!message.envelope) {
        const QString kind = m_store->conversations().kind(message.conversationId);
        // A standard conversation's text travels plain, as the server has it: shown as it is.
        if (kind == QLatin1String("sms") || kind == QLatin1String("email"))
            return StoredMessage{message, Verification::Verified, MessageCheck::Ok};
        if (kind.isEmpty())
            return std::nullopt; // which kind of conversation it belongs to decides; wait until that is known
    }
    // A secure conversation: opened and checked; plain text there is never shown as genuine.
    return m_secure->open(message);
}

StoredMessage SyncEngine::storeFromServer(const Message &message)
{
    const auto maybe = open(message);
    if (!maybe)
        return StoredMessage{message, Verification::Unopened, MessageCheck::Ok}; // not stored: paged in again later
    const StoredMessage &opened = *maybe;
    const MessageApplied applied = m_store->messages().applyMessage(opened, QString());
    if (applied.conversationChanged)
        emitSummary(message.conversationId);
    return opened;
}

void SyncEngine::receive(const Message &message, const QString &myUserId)
{
    const auto maybe = open(message);
    if (!maybe) {
        // Received before its conversation: kept here (not stored) and received again once the conversation is.
        QList<Message> &waiting = m_waitingForConversation[message.conversationId];
        if (std::none_of(waiting.cbegin(), waiting.cend(), [&](const Message &m) { return m.id == message.id; }))
            waiting.append(message);
        fetchConversation(message.conversationId);
        return;
    }
    const StoredMessage &opened = *maybe;
    const MessageApplied applied = m_store->messages().applyMessage(opened, myUserId);
    if (applied.inserted)
        emit messageAdded(opened);
    else if (applied.updated)
        emit messageOpened(opened);
    if (!applied.conversationKnown)
        fetchConversation(message.conversationId);
    else if (applied.conversationChanged)
        emitSummary(message.conversationId);
}

void SyncEngine::applyConversation(const Conversation &conversation, bool fetchWhenHeldBack)
{
    bool contactHeldBack = false;
    const bool changed = m_store->conversations().upsert(conversation, &contactHeldBack);
    // A contact change (consent, STOP, an invitation) written just before a message this device already has (its
    // own, confirmed by the POST's answer before the change's event came) arrives in a copy that looks stale. The
    // conversation as the server has it now is newer than both.
    if (contactHeldBack && fetchWhenHeldBack)
        fetchConversation(conversation.id);
    if (conversation.lastMessage)
        receive(*conversation.lastMessage, QString());
    if (changed)
        emitSummary(conversation.id);
    for (const Member &member : conversation.members)
        emit readStateChanged(conversation.id, member.userId, member.lastReadSeq);
}

bool SyncEngine::applyConversationJson(const QJsonObject &json) { return applyConversationJson(json, true); }

bool SyncEngine::applyConversationJson(const QJsonObject &json, bool fetchWhenHeldBack)
{
    const auto conversation = Conversation::fromJson(json);
    if (!conversation)
        return false;
    m_store->beginBatch();
    applyConversation(*conversation, fetchWhenHeldBack);
    if (m_store->conversations().setInvitationState(conversation->id,
                                                    conversation->invitationState.value_or(QString())))
        emitSummary(conversation->id);
    for (const Message &waiting : m_waitingForConversation.take(conversation->id))
        receive(waiting, m_userId);
    m_store->endBatch();
    return true;
}

void SyncEngine::applyInvitation(const QJsonObject &invitation)
{
    const QString conversationId = invitation.value(QLatin1String("conversationId")).toString();
    const QString state = invitation.value(QLatin1String("state")).toString();
    if (conversationId.isEmpty() || state.isEmpty()) {
        qWarning("larch sync: an invitation.updated event without a conversation or state was skipped");
        return;
    }
    if (m_store->conversations().setInvitationState(conversationId, state))
        emitSummary(conversationId);
    emit invitationUpdated(invitation);
}

void SyncEngine::applyRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq)
{
    const bool moved = m_store->conversations().setMemberRead(conversationId, userId, lastReadSeq);
    if (userId == m_userId) {
        if (const auto summary = m_store->conversations().summary(conversationId)) {
            const qint64 unread = lastReadSeq >= summary->lastSeq
                ? 0
                : std::min(summary->unreadCount,
                           m_store->conversations().countUnread(conversationId, lastReadSeq, m_userId));
            if (unread != summary->unreadCount) {
                m_store->conversations().setUnreadCount(conversationId, unread);
                emitSummary(conversationId);
            }
        }
    }
    if (moved)
        emit readStateChanged(conversationId, userId, lastReadSeq);
}

void SyncEngine::fetchConversationPage(const QString &before)
{
    m_fetchingPages = true;
    const quint64 generation = m_generation;
    m_api->fetchConversations(before, ConversationPageSize, this, [this, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            // Tried again when the event stream comes back online.
            m_fetchingPages = false;
            return;
        }
        const QJsonArray list = result.body.value(QLatin1String("conversations")).toArray();
        m_store->beginBatch();
        for (const QJsonValue &value : list) {
            applyConversationJson(value.toObject());
        }
        m_store->endBatch();
        const QString next = result.body.value(QLatin1String("next")).toString();
        if (!next.isEmpty() && !list.isEmpty()) {
            fetchConversationPage(next);
            return;
        }
        m_fetchingPages = false;
        m_conversationsSynced = true;
        emit conversationsSyncedChanged();
    });
}

void SyncEngine::fetchConversation(const QString &id)
{
    if (m_fetchingConversations.contains(id))
        return;
    m_fetchingConversations.insert(id);
    const quint64 generation = m_generation;
    m_api->fetchConversation(id, this, [this, id, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        m_fetchingConversations.remove(id);
        if (!result.ok())
            return;
        applyConversationJson(result.body, false);
    });
}

void SyncEngine::markRead(const QString &conversationId)
{
    const auto summary = m_store->conversations().summary(conversationId);
    if (!summary || summary->lastSeq <= 0)
        return;
    qint64 myRead = 0;
    for (const Member &member : m_store->conversations().members(conversationId)) {
        if (member.userId == m_userId)
            myRead = member.lastReadSeq;
    }
    // The count drops at once; the server is told now or as soon as it can be reached.
    if (summary->unreadCount != 0) {
        m_store->conversations().setUnreadCount(conversationId, 0);
        emitSummary(conversationId);
    }
    if (myRead >= summary->lastSeq && !m_pendingReads.contains(conversationId))
        return;
    m_pendingReads[conversationId] = std::max(m_pendingReads.value(conversationId), summary->lastSeq);
    if (m_running)
        sendRead(conversationId, m_pendingReads.value(conversationId));
}

void SyncEngine::sendRead(const QString &conversationId, qint64 seq)
{
    const quint64 generation = m_generation;
    m_api->markRead(conversationId, seq, this, [this, conversationId, seq, generation](const ApiResult &result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            if (!result.error.isTransient())
                m_pendingReads.remove(conversationId);
            return;
        }
        if (m_pendingReads.value(conversationId) <= seq)
            m_pendingReads.remove(conversationId);
        m_store->beginBatch();
        applyRead(conversationId, m_userId, result.body.value(QLatin1String("lastReadSeq")).toInteger(seq));
        m_store->endBatch();
    });
}

void SyncEngine::flushReads()
{
    const auto reads = m_pendingReads;
    for (auto it = reads.cbegin(); it != reads.cend(); ++it)
        sendRead(it.key(), it.value());
}

} // namespace larch
