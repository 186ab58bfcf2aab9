// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The storage interface of larch-server: everything the services persist, so another backend can replace SQLite.
#pragma once

#include "core/protocol/Protocol.h"
#include "server/delivery/OutboxRecord.h"
#include "server/e2ee/KeyRecords.h"
#include "server/standard/StandardRecords.h"

#include <functional>
#include <optional>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

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
    QByteArray passwordHash; ///< Argon2id encoded string
    qint64 createdAt = 0;
    bool deactivated = false; ///< a removed staff member: sign-in refused
};

/// A session found by its token digest.
struct SessionRecord {
    User user;
    qint64 expiresAt = 0;
    bool revoked = false;
    bool deactivated = false; ///< the user was deactivated
    QString deviceId; ///< the device the session registered; empty when none
    QString deviceState; ///< that device's state; empty when none
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
    QStringList tags = {}; ///< the conversations.tags column (JSON array text): e.g. a Practice Link's tag
};

/// An event to append for one user; the storage assigns its per-user seq.
struct NewEvent {
    QString userId;
    QString type;
    QByteArray data; ///< compact JSON object
};

/// An event as stored: data stays serialized so fan-out never re-serializes it per recipient.
struct StoredEvent {
    QString userId;
    qint64 seq = 0;
    QString type;
    QByteArray data; ///< compact JSON object

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
    QByteArray envelope; ///< compact JSON of the encrypted form; empty for a plain message
    std::optional<MessageDelivery> delivery; ///< standard conversations: where the SMS/email stands
    std::optional<MessageNote> note; ///< a note the server writes (body "")
};

/// Outcome of storing a message.
struct SendResult {
    enum class Status { Created, Duplicate, Conflict, NoConversation };
    Status status = Status::NoConversation;
    Message message; ///< the stored message (for Created and Duplicate)
    QList<StoredEvent> events; ///< message.created per recipient (Created only)
};

/// Outcome of moving a read marker.
struct ReadResult {
    qint64 lastReadSeq = 0;
    bool moved = false;
    QList<StoredEvent> events; ///< conversation.read per recipient (when moved)
};

/// Outcome of registering a device.
struct RegisterDeviceResult {
    enum class Status { Created, Existing, KeysDiffer, Revoked, SessionHasOtherDevice };
    Status status = Status::KeysDiffer;
    DeviceRecord device; ///< as stored (Created and Existing)
    QList<StoredEvent> events; ///< device.added, and key.requested for a new patient device (Created only)
};

/// Outcome of a write guarded by key rules: applied, or refused with the reason.
struct KeyWriteResult {
    KeyConflict conflict = KeyConflict::None;
    QString detail; ///< the device id or version the conflict is about
    DeviceRecord device; ///< the approved device (approveDevice)
    QStringList fulfilled; ///< devices whose key request is now fulfilled (handOverKeys)
    QList<StoredEvent> events;
};

/// Outcome of revoking devices (one, or all of a deactivated user's).
struct RevokeResult {
    QList<DeviceRecord> revoked; ///< devices this call revoked, in their revoked state
    QList<QByteArray> sessionDigests; ///< sessions that ended with them
    bool rotationFlagged = false; ///< the practice key was newly marked for rotation
    QList<StoredEvent> events;
};

/// An invitation as stored (docs/invitations.md). Its token is kept only as a SHA-256 digest.
struct InvitationRecord {
    QString id;
    QString practiceId;
    QString conversationId;
    QString placeholderId; ///< the invited patient user (invited = 1) until pairing
    QString patientName;
    QString phone; ///< E.164, "" when none
    QString email; ///< lower-case, "" when none
    QString channel; ///< "sms" or "email"
    QString state; ///< "pending", "paired" or "revoked" ("expired" is derived from expiresAt)
    QString deliveryState = QStringLiteral("queued");
    QString deliveryDetail;
    qint64 deliveryAt = 0;
    QString createdBy;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 sentCount = 1;
    QString deliveryId; ///< the delivery carrying the current link; reports of older ones are ignored
};

/// A conversation of a practice that already reaches a contact.
struct ContactMatch {
    QString conversationId;
    QString title;
    QString state; ///< "invited" or "joined"
};

/// Outcome of storing a new invitation or a changed contact: done, or refused because the practice already
/// reaches the contact in conversationId.
struct InvitationWriteResult {
    bool ok = false;
    QString conversationId; ///< the duplicate's conversation when !ok
    QList<StoredEvent> events;
};

/// A one-time code sent to a phone number or an email address; only its digest is kept.
struct ContactCode {
    QString contact;
    QByteArray codeDigest;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    int failures = 0;
    qint64 lockedUntil = 0; ///< 0 when not locked
};

/// Outcome of proving a contact with a code: the patient account and the invitations it was paired with.
struct PairResult {
    enum class Status { Done, NeedName, StaffContact };
    Status status = Status::Done;
    User user;
    bool created = false;
    QList<InvitationRecord> paired; ///< in their paired state
    QStringList movedStandard; ///< standard conversations of the proven contact moved to the account
};

// Standard conversations (docs/standard-conversations.md; records in StandardRecords.h).

/// One change of a standard conversation, stored in one transaction with its messages and events.
struct StandardChange {
    QString conversationId;
    /// An inbound message's gateway id ("sms:<MessageSid>", "email:<Message-Id>"): the change is stored once; a
    /// second one with the same id is a Duplicate and changes nothing. "" for changes staff make.
    QString inboundId;
    QList<NewMessage> messages; ///< stored in order with the conversation's next seqs
    std::optional<Consent> consent; ///< replaces the consent when set
    std::optional<qint64> optedOutAt; ///< sets (0: clears) the opt-out when set
    QString secureConversationId; ///< sets it when not ""
    /// The events of the change from the stored messages and the contact as it now is. It runs inside the
    /// storage's transaction, so it must not call the storage.
    std::function<QList<NewEvent>(const QList<Message> &, const StandardContactRecord &)> eventsOf;
};

/// Outcome of a write to a standard conversation.
struct StandardWriteResult {
    enum class Status { Done, Duplicate, DuplicateContact, NotFound };
    Status status = Status::NotFound;
    QString conversationId; ///< DuplicateContact: the conversation that already reaches the contact
    QList<Message> messages; ///< as stored
    StandardContactRecord contact; ///< after the change
    QList<StoredEvent> events;
};

/// Outcome of storing a message staff send in a standard conversation.
struct StandardSendResult {
    enum class Status { Created, Duplicate, Conflict, ConsentRequired, OptedOut, NoConversation };
    Status status = Status::NoConversation;
    Message message; ///< Created and Duplicate
    StandardContactRecord contact; ///< where it goes
    QList<StoredEvent> events;
};

// Practice Links (docs/practice-links.md).

/// A practice's shareable sign-up link as stored; its url is <public-url>/p/<code>, made when it is shown.
struct PracticeLinkRecord {
    QString id;
    QString practiceId;
    QString code; ///< 10 random URL-safe characters, chosen by the storage
    QString label;
    QString tag; ///< "" when none
    bool enabled = true;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 conversationCount = 0; ///< conversations opened through the link (read, never written)
};

/// Makes the events of a Practice Link as stored (inside the write's transaction; it must not call the storage).
using PracticeLinkEvents = std::function<QList<NewEvent>(const PracticeLinkRecord &)>;

/// Outcome of creating or changing a Practice Link.
struct PracticeLinkWriteResult {
    enum class Status { Done, TooMany, NotFound };
    Status status = Status::NotFound;
    PracticeLinkRecord link; ///< as stored (Done)
    QList<StoredEvent> events;
};

/// Outcome of opening a patient's secure conversation with a practice through one of its links.
struct LinkConversationResult {
    bool created = false; ///< false: the patient already had a secure conversation with the practice
    QString conversationId; ///< the new one, or the existing one
    QList<StoredEvent> events;
};

// Attachments (docs/protocol.md, "Attachments"): uploads of encrypted blobs the server cannot open.

/// A resumable upload of one blob; once complete it is the blob members fetch (the blob id is the upload id).
struct UploadRecord {
    QString id;
    QString conversationId;
    QString practiceId; ///< the conversation's practice: whose storage quota the blob counts against
    QString uploaderId;
    qint64 size = 0; ///< the blob's declared size in bytes
    qint64 received = 0; ///< bytes acknowledged so far
    bool complete = false; ///< received == size; then the blob is fetchable and no longer written
    qint64 createdAt = 0;
    qint64 updatedAt = 0; ///< the last write: an incomplete upload idle for the expiry is swept
};

/// What createUpload did: stored it, or refused it for the practice's quota or the uploader's open uploads.
enum class UploadCreateResult { Created, QuotaExceeded, TooManyUploads };

/// A short-lived download token, kept as the SHA-256 digest of the token only.
struct BlobTokenRecord {
    QString uploadId;
    qint64 expiresAt = 0;
    QByteArray sessionDigest; ///< the session that asked for it: the token lives only as long as that session
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
    /// Admins and clinicians of a practice who are not deactivated, oldest first.
    virtual QList<User> staff(const QString &practiceId) = 0;
    /// Ids of the patients with a secure conversation in the practice: who shares a conversation with its staff.
    virtual QStringList practicePatients(const QString &practiceId) = 0;

    // Sessions, keyed by the SHA-256 digest of the token.
    virtual void createSession(const QByteArray &digest, const QString &userId, qint64 createdAt, qint64 expiresAt) = 0;
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

    // Devices (docs/protocol.md, "End-to-end encryption").
    /// Registers a device and binds the session to it. A staff device is pending when its practice has a
    /// practice key, else active; a patient device is active. On creation stores device.added for
    /// addedRecipients and, for a patient device, a key request (and key.requested for staffIds) for each
    /// of the patient's conversations that already has an epoch.
    virtual RegisterDeviceResult registerDevice(const DeviceRecord &device, const QString &practiceId, bool staff,
                                                const QByteArray &sessionDigest, const QStringList &addedRecipients,
                                                const QStringList &staffIds) = 0;
    virtual std::optional<DeviceRecord> device(const QString &id) = 0;
    /// Every device of a user, revoked ones included, oldest first.
    virtual QList<DeviceRecord> userDevices(const QString &userId) = 0;
    /// Every device of the patient and of the practice's staff (deactivated staff included), oldest first.
    virtual QList<DeviceRecord> conversationDevices(const QString &practiceId, const QString &patientId) = 0;
    /// Makes a pending staff device active with a grant of every practice key version; device.approved to its user.
    virtual KeyWriteResult approveDevice(const QString &deviceId, const QString &practiceId,
                                         const QList<VersionGrant> &grants) = 0;
    /// Revokes a device and ends its sessions; a revoked active staff device marks the practice key for
    /// rotation. Stores device.revoked for recipients and practice.key.rotation_needed for staffIds.
    virtual RevokeResult revokeDevice(const QString &deviceId, const QString &practiceId, bool staffDevice,
                                      const QStringList &recipients, const QStringList &staffIds) = 0;
    /// Deactivates a staff member: sign-in refused, sessions and devices revoked, practice key marked for
    /// rotation; device.revoked for recipients and practice.key.rotation_needed for staffIds.
    virtual RevokeResult deactivateStaff(const QString &userId, const QString &practiceId, qint64 now,
                                         const QStringList &recipients, const QStringList &staffIds) = 0;

    // Practice keys and conversation epochs.
    virtual PracticeKeyState practiceKeys(const QString &practiceId, const QString &deviceId) = 0;
    /// Adds version current + 1 with grants exactly covering the practice's active staff devices; clears
    /// the rotation mark; practice.key.rotated for staffIds.
    virtual KeyWriteResult createPracticeKey(const NewPracticeKey &key, const QStringList &staffIds) = 0;
    virtual ConversationKeys conversationKeys(const QString &conversationId, const QString &practiceId,
                                              const QString &deviceId, bool staff) = 0;
    /// Adds epoch current + 1 sealed to the current practice key and exactly the patient's active devices;
    /// conversation.epoch for recipients.
    virtual KeyWriteResult createEpoch(const NewEpoch &epoch, const QString &practiceId,
                                       const QStringList &recipients) = 0;
    virtual bool epochExists(const QString &conversationId, qint64 epoch) = 0;
    /// Stores earlier epoch keys for active devices of the patient (a grant already held is kept), and
    /// fulfils the key request of each device that now holds every epoch; conversation.keys to the patient.
    virtual KeyWriteResult handOverKeys(const QString &conversationId, const QString &patientId,
                                        const QList<EpochGrant> &grants, qint64 now) = 0;
    /// Open key requests of a practice's conversations, oldest first.
    virtual QList<KeyRequest> keyRequests(const QString &practiceId) = 0;

    // Key backups.
    /// Replaces the user's backup snapshot and drops the entries appended to the one before.
    virtual void putKeyBackup(const QString &userId, const QString &backup, const QString &entryKeyId, qint64 now) = 0;
    /// Appends an entry to the user's backup, unless there is no backup, its entry key is another, or it
    /// holds maxEntries already.
    virtual BackupAppend appendKeyBackupEntry(const QString &userId, const QString &entryKeyId, const QString &entry,
                                              int maxEntries, qint64 now) = 0;
    virtual std::optional<KeyBackup> keyBackup(const QString &userId) = 0;

    // Outbox (SqliteOutboxStorage.cpp): the courier's durable queue and the development outbox.
    virtual void addDelivery(const OutboxRecord &delivery) = 0;
    virtual std::optional<OutboxRecord> delivery(const QString &id) = 0;
    /// Queued deliveries whose next attempt is at or before now, oldest due first.
    virtual QList<OutboxRecord> dueDeliveries(qint64 now, int limit) = 0;
    /// The earliest next attempt of any queued delivery, or nullopt when none is queued.
    virtual std::optional<qint64> nextDeliveryAttempt() = 0;
    /// Writes a delivery's state, detail, attempts, next attempt, provider id, body and updatedAt.
    virtual void updateDelivery(const OutboxRecord &delivery) = 0;
    virtual std::optional<OutboxRecord> deliveryByProviderId(const QString &providerId) = 0;
    /// Deliveries of one transport, newest first.
    virtual QList<OutboxRecord> deliveries(Transport transport, int limit) = 0;
    /// Deletes deliveries no longer queued whose last change is older than before; returns how many.
    virtual int pruneDeliveries(qint64 before) = 0;

    // Invitations and codes (SqliteInviteStorage.cpp).
    /// The practice's ISO region for national phone numbers and its invitation text ("" = the default).
    virtual QString practiceRegion(const QString &practiceId) = 0;
    virtual QString invitationText(const QString &practiceId) = 0;
    virtual void setInvitationText(const QString &practiceId, const QString &text) = 0;
    /// Sets the practice's ISO region (a region libphonenumber supports, upper case).
    virtual void setPracticeRegion(const QString &practiceId, const QString &region) = 0;
    /// Conversations of the practice reaching the phone or the email (either may be ""): open invitations
    /// ("invited") and patients who joined ("joined").
    virtual QList<ContactMatch> contactMatches(const QString &practiceId, const QString &phone,
                                               const QString &email) = 0;
    /// In one transaction: refuses when contactMatches finds a pending invitation or a joined patient, else adds
    /// the placeholder patient, the conversation, the invitation and the events.
    virtual InvitationWriteResult createInvitation(const UserRecord &placeholder,
                                                   const ConversationRecord &conversation,
                                                   const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                                   const QList<NewEvent> &events) = 0;
    virtual std::optional<InvitationRecord> invitation(const QString &id) = 0;
    /// The newest invitation of a conversation.
    virtual std::optional<InvitationRecord> invitationOfConversation(const QString &conversationId) = 0;
    virtual std::optional<InvitationRecord> invitationByToken(const QByteArray &tokenDigest) = 0;
    /// The state a staff member sees on the conversation ("pending", "paired", "revoked", "expired"), "" when none.
    virtual QString invitationState(const QString &conversationId, qint64 now) = 0;
    /// Saves a changed invitation (name, contact, token when tokenDigest is non-empty, state, delivery) with its
    /// events; when checkContact, refuses a contact another conversation of the practice already reaches. A new
    /// name also renames the placeholder and the conversation.
    virtual InvitationWriteResult updateInvitation(const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                                   bool checkContact, const QList<NewEvent> &events) = 0;
    /// Stores a delivery state of the invitation only when deliveryId is still its current delivery, with the
    /// events eventsOf makes from the updated invitation; !ok when the invitation or that delivery is gone.
    virtual InvitationWriteResult
    updateInvitationDelivery(const QString &invitationId, const QString &deliveryId, const QString &state,
                             const QString &detail, qint64 at,
                             const std::function<QList<NewEvent>(const InvitationRecord &)> &eventsOf) = 0;
    virtual std::optional<ContactCode> contactCode(const QString &contact) = 0;
    /// Replaces the contact's code.
    virtual void putContactCode(const ContactCode &code) = 0;
    /// Counts a wrong code; locks it until lockUntil when failures reach maxFailures. Returns the failures.
    virtual int recordCodeFailure(const QString &contact, int maxFailures, qint64 lockUntil) = 0;
    virtual void deleteContactCode(const QString &contact) = 0;
    /// In one transaction: finds or creates the patient account of a proven phone or email, and pairs it with
    /// every open invitation for that contact in any practice (the first placeholder becomes the account when
    /// none exists, the others are merged into it).
    virtual PairResult pairContact(const QString &phone, const QString &email, const QString &name, qint64 now) = 0;
    /// Stores events of a change already made (pairing), returning them numbered.
    virtual QList<StoredEvent> storeEvents(const QList<NewEvent> &events) = 0;

    // Standard conversations (SqliteStandardStorage.cpp). pairContact also moves the standard conversations whose
    // address is the proven contact to the patient account.
    /// The practice's patient reached by the phone or email (either may be ""): a joined patient of one of its
    /// conversations, else the placeholder of one of its open invitations; nullopt when none.
    virtual std::optional<User> practicePatientByContact(const QString &practiceId, const QString &phone,
                                                         const QString &email) = 0;
    /// In one transaction: DuplicateContact (and its conversation) when the practice already has a standard
    /// conversation of the channel with the address; else adds the placeholder (when given), the conversation,
    /// its contact and the events.
    virtual StandardWriteResult createStandardConversation(const std::optional<UserRecord> &placeholder,
                                                           const ConversationRecord &conversation,
                                                           const StandardContactRecord &contact,
                                                           const QList<NewEvent> &events) = 0;
    virtual std::optional<StandardContactRecord> standardContact(const QString &conversationId) = 0;
    virtual std::optional<Message> messageById(const QString &messageId) = 0;
    /// The standard conversation an email reply token belongs to.
    virtual std::optional<StandardContactRecord> standardByReplyToken(const QString &replyToken) = 0;
    /// The most recently active standard conversation of the channel with the address, in any practice.
    virtual std::optional<StandardContactRecord> standardByAddress(const QString &channel, const QString &address) = 0;
    /// Stores a message staff send (delivery queued) unless consent is missing or the contact opted out, idempotent
    /// by (conversation, clientId), with message.created for recipients.
    virtual StandardSendResult sendStandardMessage(const NewMessage &message, const QStringList &recipients) = 0;
    /// Applies a change (messages, consent, opt-out, secure conversation) with its events.
    virtual StandardWriteResult changeStandard(const StandardChange &change) = 0;
    /// Stores a message's new delivery state, unless it has that state already or is delivered or failed (reports
    /// arrive out of order); the events come from eventsOf with the updated message.
    virtual StandardWriteResult
    updateMessageDelivery(const QString &messageId, const MessageDelivery &delivery,
                          const std::function<QList<NewEvent>(const Message &)> &eventsOf) = 0;
    /// In one transaction: DuplicateContact when the practice already reaches the invitation's contact securely (an
    /// open invitation or a joined patient's secure conversation); else adds the secure conversation and its
    /// invitation, whose placeholder is the standard conversation's patient, the events, and applies change.
    virtual StandardWriteResult createSecureInvitation(const ConversationRecord &secure,
                                                       const InvitationRecord &invitation,
                                                       const QByteArray &tokenDigest, const QList<NewEvent> &events,
                                                       const StandardChange &change) = 0;

    // Practice Links (SqlitePracticeLinkStorage.cpp). createPractice also stores the practice's default link.
    /// The practice's links, oldest first, with their conversation counts.
    virtual QList<PracticeLinkRecord> practiceLinks(const QString &practiceId) = 0;
    virtual std::optional<PracticeLinkRecord> practiceLink(const QString &id) = 0;
    virtual std::optional<PracticeLinkRecord> practiceLinkByCode(const QString &code) = 0;
    /// Stores a new link with a fresh unique code, unless the practice has maxLinks already (TooMany), with the
    /// events eventsOf makes of the stored link.
    virtual PracticeLinkWriteResult createPracticeLink(const PracticeLinkRecord &link, int maxLinks,
                                                       const PracticeLinkEvents &eventsOf) = 0;
    /// Saves a link's label, tag, enabled and updatedAt (NotFound when it is gone), with eventsOf's events.
    virtual PracticeLinkWriteResult updatePracticeLink(const PracticeLinkRecord &link,
                                                       const PracticeLinkEvents &eventsOf) = 0;
    /// In one transaction: when conversation.patientId has no secure conversation with conversation.practiceId,
    /// stores conversation (with its tags) as opened through linkId, gives a patient without a practice this one,
    /// and stores events plus linkEventsOf's events of the link with its new count; otherwise changes nothing.
    virtual LinkConversationResult openLinkConversation(const ConversationRecord &conversation, const QString &linkId,
                                                        const QList<NewEvent> &events,
                                                        const PracticeLinkEvents &linkEventsOf) = 0;

    // Attachments (SqliteAttachmentStorage.cpp). Blob bytes live in a BlobStore; these are the rows about them.
    /// Stores a new upload unless its uploader already has maxOpenPerUploader incomplete uploads (TooManyUploads)
    /// or the practice's uploads (complete and reserved) plus its size exceed quotaBytes (QuotaExceeded). Counted
    /// and written in one transaction, so two uploads racing for the last bytes or the last slot get one.
    virtual UploadCreateResult createUpload(const UploadRecord &upload, qint64 quotaBytes, int maxOpenPerUploader) = 0;
    virtual std::optional<UploadRecord> upload(const QString &id) = 0;
    /// Saves how much was received and whether it is complete; false when the upload is gone. The commit that
    /// marks an upload complete is durable (synced to disk, not just to the OS) before this returns.
    virtual bool setUploadReceived(const QString &id, qint64 received, bool complete, qint64 now) = 0;
    /// Deletes an upload and its download tokens; false when it was gone.
    virtual bool deleteUpload(const QString &id) = 0;
    /// Incomplete uploads not written since before, oldest first.
    virtual QStringList staleUploads(qint64 before, int limit) = 0;
    /// Deletes the upload if it is still incomplete and not written since before (a write may have come meanwhile).
    virtual bool deleteStaleUpload(const QString &id, qint64 before) = 0;
    /// Those of ids that no upload has, in one query (the sweep's files without a row).
    virtual QStringList unknownUploads(const QStringList &ids) = 0;
    /// Stores a token for a complete upload; false (nothing stored) when the upload is gone or incomplete.
    virtual bool putBlobToken(const QByteArray &digest, const QString &uploadId, qint64 expiresAt,
                              const QByteArray &sessionDigest) = 0;
    virtual std::optional<BlobTokenRecord> blobToken(const QByteArray &digest) = 0;
    /// Deletes tokens expired at now; returns how many.
    virtual int pruneBlobTokens(qint64 now) = 0;

    // Events.
    virtual QList<StoredEvent> eventsAfter(const QString &userId, qint64 since, int limit) = 0;
    virtual qint64 latestEventSeq(const QString &userId) = 0;
};

} // namespace larch::server
