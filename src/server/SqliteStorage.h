// The embedded Storage backend: one SQLite file in WAL mode, one connection behind a mutex.
#pragma once

#include "SqliteConnection.h"
#include "Storage.h"

#include <memory>
#include <mutex>

namespace larch::server {

/// Storage in <data-dir>/larch.sqlite3. Opening applies pending migrations; closing checkpoints the WAL.
class SqliteStorage final : public Storage {
public:
    /// Opens (creating when absent) the database file at path; throws SqliteError on failure.
    explicit SqliteStorage(const QString &path);
    ~SqliteStorage() override;

    /// The schema version after migrations.
    int schemaVersion();

    bool createPractice(const PracticeRecord &practice, const UserRecord &admin) override;
    bool createUser(const UserRecord &user) override;
    bool createPatient(const UserRecord &patient, const ConversationRecord &conversation,
                       const QList<NewEvent> &events, QList<StoredEvent> *stored) override;
    std::optional<PracticeRecord> practice(const QString &id) override;
    std::optional<UserRecord> userByEmail(const QString &email) override;
    std::optional<User> user(const QString &id) override;
    QList<User> staff(const QString &practiceId) override;

    void createSession(const QByteArray &digest, const QString &userId, qint64 createdAt, qint64 expiresAt) override;
    std::optional<SessionRecord> session(const QByteArray &digest) override;
    void revokeSession(const QByteArray &digest) override;
    void revokeSessions(const QString &userId) override;

    std::optional<ConversationRecord> conversation(const QString &id) override;
    QList<ConversationRecord> conversations(const QString &patientId, const QString &practiceId,
                                            std::optional<std::pair<qint64, QString>> after, int limit) override;
    QHash<QString, qint64> readMarkers(const QString &conversationId) override;
    qint64 unreadCount(const QString &conversationId, const QString &userId, qint64 afterSeq) override;
    std::optional<Message> lastMessage(const QString &conversationId) override;
    QList<Message> messages(const QString &conversationId, qint64 beforeSeq, int limit) override;
    SendResult sendMessage(const NewMessage &message, const QStringList &recipients) override;
    ReadResult markRead(const QString &conversationId, const QString &userId, qint64 seq,
                        const QStringList &recipients) override;

    QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) override;
    qint64 latestEventSeq(const QString &userId) override;

private:
    void migrate();
    bool insertUser(const UserRecord &user);
    QList<StoredEvent> appendEvents(const QList<NewEvent> &events, qint64 now);

    std::mutex m_mutex;
    std::unique_ptr<SqliteConnection> m_db;
};

} // namespace larch::server
