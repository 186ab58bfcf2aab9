// The device's SQLite cache: session, conversations, messages, read state, drafts and the outbox.
#pragma once

#include "Protocol.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace larch {

/// What the conversation list needs of a conversation; small so 10,000 of them load at once.
struct ConversationSummary {
    QString id;
    QString title;
    QString kind;          ///< "secure" (end-to-end encrypted) or a standard kind such as "sms"
    QString preview;       ///< the last message's body on one line, "" when there is none
    qint64 lastActivityAt = 0;
    qint64 unreadCount = 0;
    qint64 lastSeq = 0;    ///< newest message seq known for the conversation
    bool operator==(const ConversationSummary &) const = default;
};

/// A message written on this device that the server has not confirmed yet.
struct OutboxEntry {
    enum class State { Pending, Failed };
    QString clientId;
    QString conversationId;
    QString body;
    qint64 createdAt = 0;  ///< ms since the epoch, device time
    State state = State::Pending;
    QString failureReason; ///< why the server refused it, when Failed
};

/// What applying a message changed, so callers emit only what happened.
struct MessageApplied {
    bool inserted = false;             ///< the message was new to the store
    bool conversationChanged = false;  ///< preview, activity, unread count or last seq moved
    bool conversationKnown = false;    ///< false when the conversation is not in the store yet
};

/// One class owns every byte the app keeps on the device, so encryption at rest can wrap it in one place.
class LocalStore {
public:
    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else QStandardPaths::AppDataLocation.
    explicit LocalStore(const QString &dataDir = {});
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    static QString defaultDataDir();
    static constexpr int SchemaVersion = 1;

    /// Opens (creating or migrating) the database; false with errorString() set on failure.
    bool open();
    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString dataDir() const { return m_dataDir; }

    /// Groups many writes into one commit; nested calls join the outer one.
    void beginBatch();
    void endBatch();

    // Settings and session.
    QString setting(const QString &key, const QString &fallback = {}) const;
    void setSetting(const QString &key, const QString &value);
    std::optional<Session> session() const;
    void saveSession(const Session &session);
    void clearSession();
    qint64 lastEventSeq() const;
    void setLastEventSeq(qint64 seq);
    /// Forgets everything but settings: used on sign-out and when another account signs in.
    void clearAccountData();

    // Conversations.
    /// The whole conversation list in one query, most recent first.
    QList<ConversationSummary> conversationSummaries() const;
    std::optional<ConversationSummary> conversationSummary(const QString &id) const;
    /// Stores a conversation from the server; the newer of stored and given state wins. True when it changed.
    bool upsertConversation(const Conversation &conversation);
    QList<Member> members(const QString &conversationId) const;
    /// Moves a member's read mark forward (never back). True when it moved.
    bool setMemberRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    void setUnreadCount(const QString &conversationId, qint64 unreadCount);
    /// Messages after afterSeq not sent by userId among those stored.
    qint64 countUnread(const QString &conversationId, qint64 afterSeq, const QString &userId) const;

    // Messages.
    /// Stores a confirmed message and moves its conversation's summary forward. myUserId decides unread counting.
    MessageApplied applyMessage(const Message &message, const QString &myUserId);
    /// Newest first, seq < beforeSeq (no bound when beforeSeq <= 0), at most limit.
    QList<Message> messagesBefore(const QString &conversationId, qint64 beforeSeq, int limit) const;
    std::optional<Message> messageByClientId(const QString &clientId) const;

    // Drafts.
    QString draft(const QString &conversationId) const;
    void saveDraft(const QString &conversationId, const QString &text);

    // Outbox.
    OutboxEntry enqueue(const QString &conversationId, const QString &body);
    /// In the order they were written; all conversations when conversationId is "".
    QList<OutboxEntry> outbox(const QString &conversationId = {}) const;
    std::optional<OutboxEntry> nextPending() const;
    std::optional<OutboxEntry> outboxEntry(const QString &clientId) const;
    bool removeFromOutbox(const QString &clientId);
    void markFailed(const QString &clientId, const QString &reason);

private:
    bool migrate();
    bool exec(const QString &sql);
    void fail(const QString &what, const class QSqlQuery &query) const;

    QString m_dataDir;
    QString m_connectionName;
    QSqlDatabase m_db;
    int m_batchDepth = 0;
    mutable QString m_error;
};

} // namespace larch
