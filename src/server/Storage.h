// The storage interface of larch-server: everything the services persist, so another backend can replace SQLite.
#pragma once

#include "Protocol.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace larch::server {

/// A practice as stored.
struct PracticeRecord {
    QString id;
    QString name;
    qint64 createdAt = 0;
};

/// A user with the secret the server keeps for them.
struct UserRecord {
    User user;
    QByteArray passwordHash;  ///< Argon2id encoded string
    qint64 createdAt = 0;
};

/// A session found by its token digest.
struct SessionRecord {
    User user;
    qint64 expiresAt = 0;
    bool revoked = false;
};

/// A conversation as stored, independent of who looks at it.
struct ConversationRecord {
    QString id;
    QString practiceId;
    QString patientId;
    QString title;
    QString kind = QStringLiteral("secure");
    qint64 createdAt = 0;
    qint64 lastActivityAt = 0;
    qint64 lastSeq = 0;
};

/// An event to append for one user; the storage assigns its per-user seq.
struct NewEvent {
    QString userId;
    QString type;
    QByteArray data;  ///< compact JSON object
};

/// An event as stored: data stays serialized so fan-out never re-serializes it per recipient.
struct StoredEvent {
    QString userId;
    qint64 seq = 0;
    QString type;
    QByteArray data;  ///< compact JSON object

    /// The event as the wire carries it: {"seq":…,"type":…,"data":…}.
    QByteArray wire() const;
};

/// A message to store.
struct NewMessage {
    QString id;
    QString clientId;
    QString conversationId;
    QString senderId;
    QString senderName;
    QString body;
    qint64 sentAt = 0;
};

/// Outcome of storing a message.
struct SendResult {
    enum class Status { Created, Duplicate, Conflict, NoConversation };
    Status status = Status::NoConversation;
    Message message;             ///< the stored message (for Created and Duplicate)
    QList<StoredEvent> events;   ///< message.created per recipient (Created only)
};

/// Outcome of moving a read marker.
struct ReadResult {
    qint64 lastReadSeq = 0;
    bool moved = false;
    QList<StoredEvent> events;   ///< conversation.read per recipient (when moved)
};

/// Persistent state of a Larch server. Every method is atomic: a change of several rows happens in one
/// transaction, and the events of a change are stored in that same transaction.
/// Methods may be called from any thread.
class Storage {
public:
    virtual ~Storage() = default;

    // Practices and users. Creating returns false when the email is already in use.
    virtual bool createPractice(const PracticeRecord &practice, const UserRecord &admin) = 0;
    virtual bool createUser(const UserRecord &user) = 0;
    /// Adds a patient and their conversation, with the conversation.created events, in one transaction.
    virtual bool createPatient(const UserRecord &patient, const ConversationRecord &conversation,
                               const QList<NewEvent> &events, QList<StoredEvent> *stored) = 0;
    virtual std::optional<PracticeRecord> practice(const QString &id) = 0;
    virtual std::optional<UserRecord> userByEmail(const QString &email) = 0;
    virtual std::optional<User> user(const QString &id) = 0;
    /// Admins and clinicians of a practice, oldest first.
    virtual QList<User> staff(const QString &practiceId) = 0;

    // Sessions, keyed by the SHA-256 digest of the token.
    virtual void createSession(const QByteArray &digest, const QString &userId, qint64 createdAt,
                               qint64 expiresAt) = 0;
    virtual std::optional<SessionRecord> session(const QByteArray &digest) = 0;
    virtual void revokeSession(const QByteArray &digest) = 0;
    virtual void revokeSessions(const QString &userId) = 0;

    // Conversations and messages.
    virtual std::optional<ConversationRecord> conversation(const QString &id) = 0;
    /// A page of conversations, newest activity first, strictly after the keyset (activity, id) when given.
    /// Exactly one of patientId / practiceId is non-empty.
    virtual QList<ConversationRecord> conversations(const QString &patientId, const QString &practiceId,
                                                    std::optional<std::pair<qint64, QString>> after, int limit) = 0;
    /// userId → lastReadSeq of everyone who has read something in the conversation.
    virtual QHash<QString, qint64> readMarkers(const QString &conversationId) = 0;
    /// Messages after afterSeq not sent by userId.
    virtual qint64 unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq) = 0;
    virtual std::optional<Message> lastMessage(const QString &conversationId) = 0;
    /// Newest first, seq < beforeSeq.
    virtual QList<Message> messages(const QString &conversationId, qint64 beforeSeq, int limit) = 0;
    /// Stores a message idempotently by (conversation, clientId) and its message.created events for recipients.
    virtual SendResult sendMessage(const NewMessage &message, const QStringList &recipients) = 0;
    /// Moves userId's marker forward to seq (never back), with conversation.read events for recipients.
    virtual ReadResult markRead(const QString &conversationId, const QString &userId, qint64 seq,
                                const QStringList &recipients) = 0;

    // Events.
    virtual QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) = 0;
    virtual qint64 latestEventSeq(const QString &userId) = 0;
};

} // namespace larch::server
