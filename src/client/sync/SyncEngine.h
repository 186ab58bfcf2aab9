// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Keeps the local store in step with the server and tells the models precisely what changed.
#pragma once

#include "client/store/LocalStore.h"
#include "core/protocol/Protocol.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace larch {

class ApiClient;
class EventStream;
class Outbox;
class SecureSync;
struct DeviceKeys;

/// Runs a signed-in session: conversation pages, the event stream, the outbox, read marks and (through
/// SecureSync) the end-to-end encryption of every message sent and received.
class SyncEngine : public QObject {
    Q_OBJECT
public:
    static constexpr int ConversationPageSize = 200;

    SyncEngine(LocalStore *store, ApiClient *api, QObject *parent = nullptr);
    ~SyncEngine() override;

    /// Starts syncing for the session as this device (the store's cache is already usable before this
    /// returns). deviceActive is false for a staff device still waiting for approval.
    void start(const Session &session, const DeviceKeys &device, bool deviceActive);
    /// Stops network activity; the store keeps everything.
    void stop();
    bool isRunning() const { return m_running; }

    QString userId() const { return m_userId; }
    bool isOnline() const;
    int secondsUntilRetry() const;
    /// True once the conversation list has been fetched in full this session.
    bool conversationsSynced() const { return m_conversationsSynced; }

    /// Puts a message in the durable outbox; it shows as pending until the server confirms it.
    OutboxEntry send(const QString &conversationId, const QString &body);
    /// Marks everything in the conversation read, on the server too (retried when the connection returns).
    void markRead(const QString &conversationId);
    /// Reconnects now instead of waiting for the backoff.
    void retryNow();
    /// Opens and stores a message fetched from the server (a thread page); announces only summary changes.
    StoredMessage storeFromServer(const Message &message);
    /// Stores a conversation as the server sent it (with its invitationState) and announces the change;
    /// false when the JSON is not a conversation.
    bool applyConversationJson(const QJsonObject &json);

    EventStream *events() const { return m_events; }
    Outbox *outbox() const { return m_outbox; }
    SecureSync *secure() const { return m_secure; }

signals:
    void conversationChanged(const larch::ConversationSummary &summary);
    /// A confirmed message new to this device (not the confirmation of one of our own pending ones).
    void messageAdded(const larch::StoredMessage &message);
    /// A stored message was opened (or its outcome changed): its text or its verification.
    void messageOpened(const larch::StoredMessage &message);
    /// A standard message's delivery moved (queued → sent → delivered, or failed): the stored message.
    void messageUpdated(const larch::StoredMessage &message);
    /// A line the app wrote into a thread (a member's device was added or removed).
    void noticeAdded(const larch::ThreadNotice &notice);
    /// An invitation of the practice changed (created, delivery, resend, edit, revoke, paired): its JSON.
    void invitationUpdated(const QJsonObject &invitation);
    void messagePending(const larch::OutboxEntry &entry);
    void messageConfirmed(const QString &clientId, const larch::StoredMessage &message);
    void messageFailed(const QString &clientId, const QString &reason);
    /// A member's read mark moved forward.
    void readStateChanged(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    void onlineChanged(bool online);
    void retryCountdownChanged(int seconds);
    void conversationsSyncedChanged();
    /// The session is over (expired or revoked); sentence says so to the person. Syncing has stopped.
    void sessionEnded(const QString &sentence);

private:
    void applyEvent(const Event &event);
    void applyMessageCreated(const Message &message);
    void applyMessageUpdated(const Message &message);
    /// How this device reads a message: a note, a standard conversation's plain text, or opened as a secure
    /// message. nullopt for plain text whose conversation is not known yet.
    std::optional<StoredMessage> open(const Message &message);
    /// Opens and stores a message from the server; myUserId "" for a copy whose unread state the server counted.
    void receive(const Message &message, const QString &myUserId);
    /// Stores a conversation; one whose contact the store held back as older than its newest message is fetched
    /// again when fetchWhenHeldBack (never for what such a fetch brought back).
    void applyConversation(const Conversation &conversation, bool fetchWhenHeldBack);
    bool applyConversationJson(const QJsonObject &json, bool fetchWhenHeldBack);
    void applyInvitation(const QJsonObject &invitation);
    void applyRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    void fetchConversationPage(const QString &before);
    /// GET one conversation as it is now (one not known here yet, or one whose contact change was overtaken).
    void fetchConversation(const QString &id);
    void sendRead(const QString &conversationId, qint64 seq);
    void flushReads();
    void endSession();
    void emitSummary(const QString &conversationId);

    LocalStore *m_store;
    ApiClient *m_api;
    EventStream *m_events;
    Outbox *m_outbox;
    SecureSync *m_secure;
    QString m_userId;
    QHash<QString, qint64> m_pendingReads; ///< read marks the server has not acknowledged yet
    QSet<QString> m_fetchingConversations;
    QHash<QString, QList<Message>> m_waitingForConversation; ///< plain messages that arrived before their conversation
    bool m_running = false;
    bool m_conversationsSynced = false;
    bool m_fetchingPages = false;
    bool m_checkingSession = false;
    bool m_freshStart = false; ///< started with an empty cache: the first catch-up replays history
    quint64 m_generation = 0; ///< answers from an earlier session are ignored
};

} // namespace larch
