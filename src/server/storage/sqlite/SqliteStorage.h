// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The embedded Storage backend: one SQLite file in WAL mode, one connection behind a mutex.
#pragma once

#include "server/storage/sqlite/SqliteConnection.h"
#include "server/storage/Storage.h"

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
    bool createPatient(const UserRecord &patient, const ConversationRecord &conversation, const QList<NewEvent> &events,
                       QList<StoredEvent> *stored) override;
    std::optional<PracticeRecord> practice(const QString &id) override;
    std::optional<UserRecord> userByEmail(const QString &email) override;
    std::optional<User> user(const QString &id) override;
    QList<User> staff(const QString &practiceId) override;
    QStringList practicePatients(const QString &practiceId) override;

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

    // Devices: SqliteDeviceStorage.cpp; keys and backups: SqliteKeyStorage.cpp.
    RegisterDeviceResult registerDevice(const DeviceRecord &device, const QString &practiceId, bool staff,
                                        const QByteArray &sessionDigest, const QStringList &addedRecipients,
                                        const QStringList &staffIds) override;
    std::optional<DeviceRecord> device(const QString &id) override;
    QList<DeviceRecord> userDevices(const QString &userId) override;
    QList<DeviceRecord> conversationDevices(const QString &practiceId, const QString &patientId) override;
    KeyWriteResult approveDevice(const QString &deviceId, const QString &practiceId,
                                 const QList<VersionGrant> &grants) override;
    RevokeResult revokeDevice(const QString &deviceId, const QString &practiceId, bool staffDevice,
                              const QStringList &recipients, const QStringList &staffIds) override;
    RevokeResult deactivateStaff(const QString &userId, const QString &practiceId, qint64 now,
                                 const QStringList &recipients, const QStringList &staffIds) override;
    PracticeKeyState practiceKeys(const QString &practiceId, const QString &deviceId) override;
    KeyWriteResult createPracticeKey(const NewPracticeKey &key, const QStringList &staffIds) override;
    ConversationKeys conversationKeys(const QString &conversationId, const QString &practiceId, const QString &deviceId,
                                      bool staff) override;
    KeyWriteResult createEpoch(const NewEpoch &epoch, const QString &practiceId,
                               const QStringList &recipients) override;
    bool epochExists(const QString &conversationId, qint64 epoch) override;
    KeyWriteResult handOverKeys(const QString &conversationId, const QString &patientId,
                                const QList<EpochGrant> &grants, qint64 now) override;
    QList<KeyRequest> keyRequests(const QString &practiceId) override;
    void putKeyBackup(const QString &userId, const QString &backup, const QString &entryKeyId, qint64 now) override;
    BackupAppend appendKeyBackupEntry(const QString &userId, const QString &entryKeyId, const QString &entry,
                                      int maxEntries, qint64 now) override;
    std::optional<KeyBackup> keyBackup(const QString &userId) override;

    // Outbox: SqliteOutboxStorage.cpp.
    void addDelivery(const OutboxRecord &delivery) override;
    std::optional<OutboxRecord> delivery(const QString &id) override;
    QList<OutboxRecord> dueDeliveries(qint64 now, int limit) override;
    std::optional<qint64> nextDeliveryAttempt() override;
    void updateDelivery(const OutboxRecord &delivery) override;
    std::optional<OutboxRecord> deliveryByProviderId(const QString &providerId) override;
    QList<OutboxRecord> deliveries(Transport transport, int limit) override;
    int pruneDeliveries(qint64 before) override;

    // Invitations and codes: SqliteInviteStorage.cpp.
    QString practiceRegion(const QString &practiceId) override;
    QString invitationText(const QString &practiceId) override;
    void setInvitationText(const QString &practiceId, const QString &text) override;
    void setPracticeRegion(const QString &practiceId, const QString &region) override;
    QList<ContactMatch> contactMatches(const QString &practiceId, const QString &phone, const QString &email) override;
    InvitationWriteResult createInvitation(const UserRecord &placeholder, const ConversationRecord &conversation,
                                           const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                           const QList<NewEvent> &events) override;
    std::optional<InvitationRecord> invitation(const QString &id) override;
    std::optional<InvitationRecord> invitationOfConversation(const QString &conversationId) override;
    std::optional<InvitationRecord> invitationByToken(const QByteArray &tokenDigest) override;
    QString invitationState(const QString &conversationId, qint64 now) override;
    InvitationWriteResult updateInvitation(const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                           bool checkContact, const QList<NewEvent> &events) override;
    InvitationWriteResult
    updateInvitationDelivery(const QString &invitationId, const QString &deliveryId, const QString &state,
                             const QString &detail, qint64 at,
                             const std::function<QList<NewEvent>(const InvitationRecord &)> &eventsOf) override;
    std::optional<ContactCode> contactCode(const QString &contact) override;
    void putContactCode(const ContactCode &code) override;
    int recordCodeFailure(const QString &contact, int maxFailures, qint64 lockUntil) override;
    void deleteContactCode(const QString &contact) override;
    PairResult pairContact(const QString &phone, const QString &email, const QString &name, qint64 now) override;
    QList<StoredEvent> storeEvents(const QList<NewEvent> &events) override;

    // Standard conversations: SqliteStandardStorage.cpp.
    std::optional<User> practicePatientByContact(const QString &practiceId, const QString &phone,
                                                 const QString &email) override;
    StandardWriteResult createStandardConversation(const std::optional<UserRecord> &placeholder,
                                                   const ConversationRecord &conversation,
                                                   const StandardContactRecord &contact,
                                                   const QList<NewEvent> &events) override;
    std::optional<StandardContactRecord> standardContact(const QString &conversationId) override;
    std::optional<Message> messageById(const QString &messageId) override;
    std::optional<StandardContactRecord> standardByReplyToken(const QString &replyToken) override;
    std::optional<StandardContactRecord> standardByAddress(const QString &channel, const QString &address) override;
    StandardSendResult sendStandardMessage(const NewMessage &message, const QStringList &recipients) override;
    StandardWriteResult changeStandard(const StandardChange &change) override;
    StandardWriteResult updateMessageDelivery(const QString &messageId, const MessageDelivery &delivery,
                                              const std::function<QList<NewEvent>(const Message &)> &eventsOf) override;
    StandardWriteResult createSecureInvitation(const ConversationRecord &secure, const InvitationRecord &invitation,
                                               const QByteArray &tokenDigest, const QList<NewEvent> &events,
                                               const StandardChange &change) override;

    // Practice Links: SqlitePracticeLinkStorage.cpp.
    QList<PracticeLinkRecord> practiceLinks(const QString &practiceId) override;
    std::optional<PracticeLinkRecord> practiceLink(const QString &id) override;
    std::optional<PracticeLinkRecord> practiceLinkByCode(const QString &code) override;
    PracticeLinkWriteResult createPracticeLink(const PracticeLinkRecord &link, int maxLinks,
                                               const PracticeLinkEvents &eventsOf) override;
    PracticeLinkWriteResult updatePracticeLink(const PracticeLinkRecord &link,
                                               const PracticeLinkEvents &eventsOf) override;
    LinkConversationResult openLinkConversation(const ConversationRecord &conversation, const QString &linkId,
                                                const QList<NewEvent> &events,
                                                const PracticeLinkEvents &linkEventsOf) override;

    // Attachments: SqliteAttachmentStorage.cpp.
    UploadCreateResult createUpload(const UploadRecord &upload, qint64 quotaBytes, int maxOpenPerUploader) override;
    std::optional<UploadRecord> upload(const QString &id) override;
    bool setUploadReceived(const QString &id, qint64 received, bool complete, qint64 now) override;
    bool deleteUpload(const QString &id) override;
    QStringList staleUploads(qint64 before, int limit) override;
    bool deleteStaleUpload(const QString &id, qint64 before) override;
    QStringList unknownUploads(const QStringList &ids) override;
    bool putBlobToken(const QByteArray &digest, const QString &uploadId, qint64 expiresAt,
                      const QByteArray &sessionDigest) override;
    std::optional<BlobTokenRecord> blobToken(const QByteArray &digest) override;
    int pruneBlobTokens(qint64 now) override;

    QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) override;
    qint64 latestEventSeq(const QString &userId) override;

private:
    void migrate();
    bool insertUser(const UserRecord &user);
    QList<StoredEvent> appendEvents(const QList<NewEvent> &events, qint64 now);
    // Helpers of the key and device files; each expects the lock held and, for writes, a transaction open.
    std::optional<PracticeKeyVersion> currentPracticeKeyLocked(const QString &practiceId);
    QStringList activeStaffDeviceIdsLocked(const QString &practiceId);
    QStringList activePatientDeviceIdsLocked(const QString &patientId);
    /// Marks the practice key for rotation; true when it was not marked already and a key exists.
    bool flagRotationLocked(const QString &practiceId);
    /// Revokes one device and its sessions, collecting them into result.
    void revokeDeviceLocked(const DeviceRecord &device, qint64 now, RevokeResult &result);
    /// The first conversation of the practice reaching phone or email (invited or joined); "" when none.
    QString contactConversationLocked(const QString &practiceId, const QString &phone, const QString &email,
                                      const QString &exceptInvitationId);
    /// Inserts an invitation and its conversation (the placeholder is already stored).
    void insertInvitationLocked(const ConversationRecord &conversation, const InvitationRecord &invitation,
                                const QByteArray &tokenDigest);
    // Helpers of SqliteStandardStorage.cpp.
    std::optional<StandardContactRecord> standardContactLocked(const QString &conversationId);
    /// Inserts a message with the conversation's next seq and moves its activity; the message as stored.
    Message insertMessageLocked(const NewMessage &message);
    StandardWriteResult changeStandardLocked(const StandardChange &change, qint64 now);
    /// Moves the standard conversations whose address is phone or email to accountId; returns their ids.
    QStringList moveStandardConversationsLocked(const QString &phone, const QString &email, const QString &accountId,
                                                qint64 now);

    /// Inserts a link with a fresh unique code (written into link).
    void insertPracticeLinkLocked(PracticeLinkRecord &link);
    std::optional<PracticeLinkRecord> practiceLinkLocked(bool byCode, const QString &value);

    std::mutex m_mutex;
    std::unique_ptr<SqliteConnection> m_db;
};

} // namespace larch::server
