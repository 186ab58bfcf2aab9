// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The device's SQLite cache: session, conversations, messages, read state, drafts, the outbox and cached keys.
#pragma once

#include "client/attachments/PendingAttachment.h"
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/crypto/SecretBytes.h"
#include "core/protocol/Protocol.h"

#include <optional>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace larch {

/// What the conversation list needs of a conversation; small so 10,000 of them load at once.
struct ConversationSummary {
    QString id;
    QString title;
    QString kind; ///< "secure" (end-to-end encrypted) or a standard kind such as "sms"
    QString preview; ///< the last message's text on one line, "" when there is none or it is not readable
    qint64 lastActivityAt = 0;
    qint64 unreadCount = 0;
    qint64 lastSeq = 0; ///< newest message seq known for the conversation
    QString invitationState; ///< the patient's invitation: "pending", "paired", "revoked", "expired"; "" for none
    QStringList tags = {}; ///< labels such as a Practice Link's tag; empty when none
    std::optional<StandardContact> standard = {}; ///< standard conversations, for staff: contact, consent, opt-out
    /// An SMS or email conversation: not end-to-end encrypted, its text travels plain.
    bool isStandard() const { return kind == QLatin1String("sms") || kind == QLatin1String("email"); }
    bool operator==(const ConversationSummary &) const = default;
};

/// What this device could make of a received message (docs/security.md, "Messages").
enum class Verification : int {
    Unopened = 0, ///< stored, not checked yet (the keys or devices it needs are being fetched)
    Verified = 1, ///< signature, key and replay checks passed; the text is genuine
    Unverifiable = 2, ///< a check failed; check says which; the text is never shown
    KeyPending = 3, ///< the key of its epoch has not reached this device yet
};

/// A message as this device keeps it: the server's copy plus the outcome of opening it.
struct StoredMessage {
    Message message; ///< body holds the text only when verification is Verified
    Verification verification = Verification::Unopened;
    MessageCheck check = MessageCheck::Ok; ///< why, when Unverifiable
    QList<AttachmentRef> attachments = {}; ///< the files it carries (verified messages only); keys included
};

/// A line the app itself writes into a thread, e.g. "Sam Lee added a new device."
struct ThreadNotice {
    qint64 id = 0; ///< local row id; orders notices after the same message
    QString conversationId;
    qint64 afterSeq = 0; ///< shown just after the message with this seq (0: before any message)
    qint64 createdAt = 0;
    QString text;
};

/// A message written on this device that the server has not confirmed yet.
struct OutboxEntry {
    enum class State { Pending, Failed };
    QString clientId;
    QString conversationId;
    QString body;
    qint64 createdAt = 0; ///< ms since the epoch, device time
    State state = State::Pending;
    QString failureReason; ///< why the server refused it, when Failed
    QJsonObject envelope; ///< the sealed form once made, so every retry sends the very same bytes
    std::optional<PendingAttachment> attachment = {}; ///< the file this entry sends (the body is its caption)
    std::optional<AttachmentRef> attachmentRef = {}; ///< set once the file's upload is complete; sealed with the body
};

/// Where the upload of an outbox entry's file stands, so it continues after a restart (LocalStoreUploads.cpp).
struct UploadRecord {
    QString clientId; ///< the outbox entry the file belongs to
    QString uploadId = {}; ///< the server's upload, later the blob's id; "" until the server made it
    qint64 ackedBytes = 0; ///< blob bytes the server has acknowledged (a chunk boundary)
    SecretBytes encryptor = {}; ///< AttachmentEncryptor state matching ackedBytes; holds the key
    QByteArray blobHash = {}; ///< Sha256Stream state of the blob's first ackedBytes bytes (ciphertext)
    std::optional<AttachmentRef> result = {}; ///< set once the blob is complete
};

/// What applying a message changed, so callers emit only what happened.
struct MessageApplied {
    bool inserted = false; ///< the message was new to the store
    bool updated = false; ///< a stored, unopened message got its outcome
    bool conversationChanged = false; ///< preview, activity, unread count or last seq moved
    bool conversationKnown = false; ///< false when the conversation is not in the store yet
};

/// One class owns every byte the app keeps on the device, so encryption at rest wraps it in one place.
///
/// Message text, previews, drafts, outbox text, notices, cached keys and the session are encrypted with
/// StorageCipher under the device's storage key (held only in the OS keychain), with the table name and
/// row id as associated data. Until setStorageKey() is called those values read as empty and are not written.
class LocalStore {
public:
    /// dataDir "" means $LARCH_CLIENT_DATA_DIR, else QStandardPaths::AppDataLocation.
    explicit LocalStore(const QString &dataDir = {});
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    static QString defaultDataDir();
    static constexpr int SchemaVersion = 5;

    /// Opens (creating or migrating) the database; false with errorString() set on failure.
    bool open();
    bool isOpen() const;
    QString errorString() const { return m_error; }
    QString dataDir() const { return m_dataDir; }

    /// Sets the key that encrypts secret columns. When the stored data was written under another key
    /// (the keychain entry was replaced), the account data is dropped: it could never be read again.
    /// Returns false when that happened.
    bool setStorageKey(const SecretBytes &key);
    bool hasStorageKey() const { return !m_storageKey.isEmpty(); }
    /// Forgets the key (sign-out); secret columns read as empty afterwards.
    void forgetStorageKey();

    /// Groups many writes into one commit; nested calls join the outer one.
    void beginBatch();
    void endBatch();

    // Settings and session (LocalStoreSession.cpp).
    QString setting(const QString &key, const QString &fallback = {}) const;
    void setSetting(const QString &key, const QString &value);
    /// The cached session; needs the storage key.
    std::optional<Session> session() const;
    /// True when an encrypted session is stored, readable or not (used before the keychain is read).
    bool hasStoredSession() const;
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
    /// The patient of a conversation ("" when unknown): key handovers go only to that patient's devices.
    QString conversationPatient(const QString &id) const;
    QString conversationPractice(const QString &id) const;
    /// "secure", "sms" or "email"; "" for a conversation not in the store.
    QString conversationKind(const QString &id) const;
    /// Stores a conversation from the server; the newer of stored and given state wins. True when it changed.
    /// Its lastMessage is not stored here: it goes through opening like any received message. A copy older than
    /// the newest stored message keeps the stored standard contact; contactHeldBack then says whether the copy's
    /// contact differed (it may still be news: a change written just before a message this device already has).
    bool upsertConversation(const Conversation &conversation, bool *contactHeldBack = nullptr);
    /// Records the state of a conversation's invitation ("" for none). True when it changed.
    bool setInvitationState(const QString &conversationId, const QString &state);
    QList<Member> members(const QString &conversationId) const;
    /// The conversations a user belongs to (a patient's own; every one of the practice for staff).
    QStringList conversationsWithMember(const QString &userId) const;
    /// A member's name as any conversation lists it; "" when unknown.
    QString memberName(const QString &userId) const;
    /// Moves a member's read mark forward (never back). True when it moved.
    bool setMemberRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    void setUnreadCount(const QString &conversationId, qint64 unreadCount);
    /// Messages after afterSeq not sent by userId among those stored.
    qint64 countUnread(const QString &conversationId, qint64 afterSeq, const QString &userId) const;

    // Messages.
    /// Stores a message from the server as received (Unopened) and moves its conversation's summary
    /// forward. myUserId decides unread counting ("" for a copy whose unread state the server counted).
    MessageApplied applyMessage(const Message &message, const QString &myUserId);
    /// Stores a message with its opening outcome; an outcome replaces a stored Unopened or KeyPending one.
    MessageApplied applyMessage(const StoredMessage &message, const QString &myUserId);
    /// Records the outcome of opening a stored message (with the files it carries, kept sealed). True when its
    /// conversation's preview changed.
    bool setMessageOpened(const QString &messageId, Verification verification, MessageCheck check, const QString &text,
                          const QList<AttachmentRef> &attachments = {});
    /// Newest first, seq < beforeSeq (no bound when beforeSeq <= 0), at most limit.
    QList<StoredMessage> messagesBefore(const QString &conversationId, qint64 beforeSeq, int limit) const;
    std::optional<StoredMessage> messageById(const QString &messageId) const;
    std::optional<StoredMessage> messageByClientId(const QString &clientId) const;
    /// Messages still to open (Unopened, or KeyPending when includeKeyPending), oldest first;
    /// every conversation when conversationId is "".
    QList<StoredMessage> messagesToOpen(const QString &conversationId, bool includeKeyPending) const;
    /// True when another message of the conversation already carries this client id (the replay check).
    bool clientIdSeen(const QString &conversationId, const QString &clientId, const QString &exceptMessageId) const;
    /// Records a standard message's newer delivery (an older report than the stored one changes nothing).
    /// True when it changed; false too for a message not in the store.
    bool setMessageDelivery(const QString &messageId, const MessageDelivery &delivery);

    // Notices (LocalStoreSession.cpp).
    /// Adds a notice once per key (repeated events add nothing); the stored notice, or nullopt when known.
    std::optional<ThreadNotice> addNotice(const QString &conversationId, const QString &key, const QString &text,
                                          qint64 createdAt);
    /// Notices with afterSeq in [fromSeq, toSeq], newest first.
    QList<ThreadNotice> notices(const QString &conversationId, qint64 fromSeq, qint64 toSeq) const;

    // Cached keys (LocalStoreSession.cpp): what opens history offline after a restart.
    void saveEpochKey(const QString &conversationId, qint64 epoch, const SecretBytes &key);
    /// Every cached epoch key: (conversation id, epoch) → key.
    QList<std::tuple<QString, qint64, SecretBytes>> epochKeys() const;
    void savePracticeKey(qint64 version, const SecretBytes &secret);
    QList<std::pair<qint64, SecretBytes>> practiceKeys() const;

    // Drafts (LocalStoreOutbox.cpp).
    QString draft(const QString &conversationId) const;
    void saveDraft(const QString &conversationId, const QString &text);

    // Outbox (LocalStoreOutbox.cpp).
    OutboxEntry enqueue(const QString &conversationId, const QString &body);
    /// In the order they were written; all conversations when conversationId is "".
    QList<OutboxEntry> outbox(const QString &conversationId = {}) const;
    std::optional<OutboxEntry> nextPending() const;
    std::optional<OutboxEntry> outboxEntry(const QString &clientId) const;
    /// Keeps the sealed form of an entry so a retry resends exactly what may already have arrived.
    void setOutboxEnvelope(const QString &clientId, const QJsonObject &envelope);
    /// Removes the entry and its upload record; true when the entry was there.
    bool removeFromOutbox(const QString &clientId);
    void markFailed(const QString &clientId, const QString &reason);

    // Attachments on their way (LocalStoreUploads.cpp); everything sealed under the storage key.
    /// Stores a pending message carrying a file (body = its caption). Without the storage key it comes back
    /// Failed and is not stored, like enqueue().
    OutboxEntry enqueueAttachment(const QString &conversationId, const QString &caption, const PendingAttachment &file);
    std::optional<UploadRecord> upload(const QString &clientId) const;
    /// Inserts or replaces the record; false when it could not be sealed or written.
    bool saveUpload(const UploadRecord &record);
    bool removeUpload(const QString &clientId);

private:
    /// Associated data of the sealed attachment columns (LocalStoreOutbox.cpp, LocalStoreUploads.cpp).
    static constexpr const char *OutboxAttachmentSealTable = "outbox.attachment";
    static constexpr const char *UploadEncryptorSealTable = "uploads.encryptor";
    static constexpr const char *UploadResultSealTable = "uploads.result";

    bool migrate();
    bool exec(const QString &sql);
    void fail(const QString &what, const class QSqlQuery &query) const;
    /// Encrypts a secret column value for (table, rowId); empty without a storage key.
    QByteArray seal(const char *table, const QString &rowId, const QString &plain) const;
    /// The plaintext of a sealed column value; "" when it cannot be opened.
    QString unseal(const char *table, const QString &rowId, const QByteArray &sealed) const;
    QByteArray sealBytes(const char *table, const QString &rowId, const QByteArray &plain) const;
    std::optional<QByteArray> unsealBytes(const char *table, const QString &rowId, const QByteArray &sealed) const;
    StoredMessage messageFrom(const class QSqlQuery &q) const;
    ConversationSummary summaryFrom(const class QSqlQuery &q) const;
    /// The preview a message gives its conversation: its text, a note's sentence, or why it cannot show.
    QString previewFor(const StoredMessage &message) const;
    OutboxEntry outboxFrom(const class QSqlQuery &q) const;
    void updatePreviewIfLatest(const QString &conversationId, qint64 seq, const QString &preview, bool *changed);

    QString m_dataDir;
    QString m_connectionName;
    QSqlDatabase m_db;
    SecretBytes m_storageKey;
    int m_batchDepth = 0;
    mutable QString m_error;
};

/// The one-line preview of a message text as the conversation list shows it.
QString previewOf(const QString &body);

} // namespace larch
