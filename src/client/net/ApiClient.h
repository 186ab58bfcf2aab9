// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The REST side of docs/protocol.md over QNetworkAccessManager, with failures turned into ApiError sentences.
#pragma once

#include "client/net/ApiError.h"
#include "core/protocol/Protocol.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

class QNetworkReply;
#include <functional>

namespace larch {

/// Where an upload's bytes go (PUT …/v1/uploads/{id}) and the credentials to send with them.
struct UploadTarget {
    QUrl url; ///< the upload's address, without a query
    QByteArray authorization; ///< the Authorization header's value
    int timeoutMs = 15000; ///< how long the server may stay silent before a request fails as a timeout
    bool isValid() const { return url.isValid() && !url.isEmpty(); }
};

/// Which audit records an administrator asks for (docs/protocol.md, "Audit log").
struct AuditFilter {
    qint64 from = 0; ///< ms since the epoch, inclusive; 0 for no bound
    qint64 to = 0; ///< ms since the epoch, exclusive; 0 for no bound
    QString staffId; ///< only what this staff member did; "" for everyone
    QString patientId; ///< only what this patient did or what touched them; "" for everyone
};

/// A finished request: the JSON body on success, or what went wrong.
struct ApiResult {
    ApiError error;
    int httpStatus = 0;
    QJsonObject body;
    bool ok() const { return error.isNone(); }
};

/// Talks to one Larch server; every call answers once, on the given context's thread, unless the context is gone.
class ApiClient : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit ApiClient(QObject *parent = nullptr);

    /// Plain http:// is refused for any host but this computer (127.0.0.0/8, ::1, localhost).
    static ApiError checkServerUrl(const QUrl &url);
    /// Sets the server; returns the reason when the address is refused (and keeps no server then).
    ApiError setServerUrl(const QUrl &url);
    QUrl serverUrl() const { return m_serverUrl; }

    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }
    bool hasToken() const { return !m_token.isEmpty(); }

    /// How long a request may wait for the server before it fails as a timeout.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    /// Answers a session, or {"twoFactor": {"challenge", "expiresAt"}} for an account with two-factor sign-in.
    void signIn(const QString &email, const QString &password, const QString &deviceName, QObject *context,
                Callback done);
    void signOut(QObject *context, Callback done);
    void revokeAllSessions(const QString &userId, QObject *context, Callback done);
    void fetchMe(QObject *context, Callback done);
    /// Adds a staff member to the practice (administrators only); role is "clinician" or "admin".
    void addStaff(const QString &practiceId, const QString &name, const QString &email, const QString &password,
                  const QString &role, QObject *context, Callback done);
    /// One page of conversations; pass the previous page's "next" as before ("" for the first page).
    void fetchConversations(const QString &before, int limit, QObject *context, Callback done);
    void fetchConversation(const QString &id, QObject *context, Callback done);
    /// Newest first, messages with seq < beforeSeq (all when beforeSeq is 0).
    void fetchMessages(const QString &conversationId, qint64 beforeSeq, int limit, QObject *context, Callback done);
    /// Sends a secure message: its client id and the sealed envelope (MessageEnvelope::toJson()).
    void postEnvelope(const QString &conversationId, const QString &clientId, const QJsonObject &envelope,
                      QObject *context, Callback done);
    void markRead(const QString &conversationId, qint64 seq, QObject *context, Callback done);

    // End-to-end encryption (docs/protocol.md, "End-to-end encryption"; ApiClientKeys.cpp).
    /// Registers this device's public keys and binds the session to it.
    void registerDevice(const QString &deviceId, const QString &name, const QByteArray &boxPublic,
                        const QByteArray &signPublic, QObject *context, Callback done);
    void fetchUserDevices(const QString &userId, QObject *context, Callback done);
    void fetchConversationDevices(const QString &conversationId, QObject *context, Callback done);
    /// grants: [{"version", "sealedKey"}] sealing every practice key version to the pending device; identityGrants the
    /// same for every practice identity version (left out when empty).
    void approveDevice(const QString &deviceId, const QJsonArray &grants, const QJsonArray &identityGrants,
                       QObject *context, Callback done);
    void revokeDevice(const QString &deviceId, QObject *context, Callback done);
    void deactivateStaff(const QString &practiceId, const QString &userId, QObject *context, Callback done);
    void fetchPracticeKeys(const QString &practiceId, QObject *context, Callback done);
    /// body: {"version", "publicKey", "grants": [{"deviceId", "sealedKey"}]}, with a practice identity its
    /// "identityVersion" and "signature", and a new identity version as "identity" (docs/protocol.md).
    void createPracticeKey(const QString &practiceId, const QJsonObject &body, QObject *context, Callback done);
    void fetchConversationKeys(const QString &conversationId, QObject *context, Callback done);
    /// body: {"epoch", "practiceKeyVersion", "practiceGrant", "deviceGrants": [{"deviceId", "sealedKey"}], "signature",
    /// "identityVersion" (staff signing with the practice identity)}.
    void createEpoch(const QString &conversationId, const QJsonObject &body, QObject *context, Callback done);
    /// grants: [{"epoch", "deviceId", "sealedKey"}] handing earlier epoch keys to a patient device.
    void handOverKeys(const QString &conversationId, const QJsonArray &grants, QObject *context, Callback done);
    void fetchKeyRequests(QObject *context, Callback done);
    void putKeyBackup(const QByteArray &backup, const QByteArray &entryKeyId, QObject *context, Callback done);
    void appendKeyBackupEntry(const QByteArray &entryKeyId, const QByteArray &entry, QObject *context, Callback done);
    void fetchKeyBackup(QObject *context, Callback done);

    // Secure conversation invitations (docs/protocol.md, "Invitations"; ApiClientInvites.cpp).
    /// Parses a phone and/or email as the practice would invite them; matches name existing conversations.
    void checkContact(const QString &practiceId, const QString &phone, const QString &email, QObject *context,
                      Callback done);
    /// Creates the patient's secure conversation and sends the invitation (SMS when a phone is given).
    void createInvitation(const QString &practiceId, const QString &patientName, const QString &phone,
                          const QString &email, QObject *context, Callback done);
    void fetchInvitation(const QString &conversationId, QObject *context, Callback done);
    /// Sends the invitation again with a new link; the old link stops working.
    void resendInvitation(const QString &invitationId, QObject *context, Callback done);
    /// Changes the name and/or contact (empty strings are left out) and sends to the new contact.
    void editInvitation(const QString &invitationId, const QJsonObject &changes, QObject *context, Callback done);
    void revokeInvitation(const QString &invitationId, QObject *context, Callback done);
    void fetchInvitationText(const QString &practiceId, QObject *context, Callback done);
    void saveInvitationText(const QString &practiceId, const QString &text, QObject *context, Callback done);
    /// The practice's settings: {"defaultRegion", "invitationText", "invitationTextIsDefault", "twoFactorRequired",
    /// "idleLockMinutes"} (staff).
    void fetchPracticeSettings(const QString &practiceId, QObject *context, Callback done);
    /// Changes some settings (any of the fields above but the last; administrators); answers all of them.
    void updatePracticeSettings(const QString &practiceId, const QJsonObject &changes, QObject *context, Callback done);
    /// Public: the state and a masked contact of an invitation link's token.
    void fetchInvitationByToken(const QString &token, QObject *context, Callback done);
    /// Public: sends a 6-digit code to a phone or email (exactly one non-empty); token "" when none.
    void requestCode(const QString &phone, const QString &email, const QString &invitationToken, QObject *context,
                     Callback done);
    /// Public: checks a code; on success the body is a session like signIn's plus "created" and "paired".
    /// invitationToken ("" without a link) lets the server read a national number in the practice's region.
    void verifyCode(const QString &phone, const QString &email, const QString &code, const QString &name,
                    const QString &deviceName, const QString &invitationToken, QObject *context, Callback done);

    // Practice Links (docs/practice-links.md; ApiClientPracticeLinks.cpp).
    /// The practice's links, oldest first: {"links": [PracticeLink…]} (staff).
    void fetchPracticeLinks(const QString &practiceId, QObject *context, Callback done);
    /// Adds a link (administrators); tag "" for none. Answers the new PracticeLink.
    void createPracticeLink(const QString &practiceId, const QString &label, const QString &tag, QObject *context,
                            Callback done);
    /// Changes a link (administrators): changes holds any of "label", "tag" (null removes it) and "enabled".
    void updatePracticeLink(const QString &practiceId, const QString &linkId, const QJsonObject &changes,
                            QObject *context, Callback done);
    /// Public: {"practiceName", "enabled"} of the practice a link's code belongs to.
    void fetchPracticeLinkByCode(const QString &code, QObject *context, Callback done);
    /// Public: sends a 6-digit code to a phone or email for signing up through a Practice Link.
    void requestCodeForPracticeLink(const QString &phone, const QString &email, const QString &linkCode,
                                    QObject *context, Callback done);
    /// Public: checks a code from a Practice Link; a new patient's secure conversation with the practice is then in
    /// the answer's "paired".
    void verifyCodeForPracticeLink(const QString &phone, const QString &email, const QString &code, const QString &name,
                                   const QString &deviceName, const QString &linkCode, QObject *context, Callback done);

    // Two-factor sign-in (docs/protocol.md, "Two-factor sign-in"; ApiClientTwoFactor.cpp).
    /// Public: the second step of a sign-in, the challenge of signIn and a code; answers a session.
    void answerTwoFactor(const QString &challenge, const QString &code, QObject *context, Callback done);
    /// {"enabled", "required", "recoveryCodesLeft"} of the signed-in account.
    void fetchTwoFactor(QObject *context, Callback done);
    /// Starts enrolment: {"secret" (base32), "uri" (otpauth://)}.
    void beginTwoFactor(QObject *context, Callback done);
    /// Turns it on with the first code: {"recoveryCodes": [10]}.
    void confirmTwoFactor(const QString &code, QObject *context, Callback done);
    /// Turns it off with a code or a recovery code.
    void disableTwoFactor(const QString &code, QObject *context, Callback done);
    /// Ten new recovery codes for a current code: {"recoveryCodes"}.
    void renewRecoveryCodes(const QString &code, QObject *context, Callback done);

    // The practice's staff, for administrators (docs/protocol.md, "Staff"; ApiClientStaff.cpp).
    /// {"staff": [StaffMember…]}: each a User with "twoFactor" and "passwordSet".
    void fetchStaff(const QString &practiceId, QObject *context, Callback done);
    /// Adds a colleague (role "clinician" or "admin") who chooses a password through an emailed link: StaffMember.
    void addStaff(const QString &practiceId, const QString &name, const QString &email, const QString &role,
                  QObject *context, Callback done);
    void changeStaffRole(const QString &practiceId, const QString &userId, const QString &role, QObject *context,
                         Callback done);
    /// Emails a new setup link to someone who has not chosen a password yet.
    void resendStaffSetupLink(const QString &practiceId, const QString &userId, QObject *context, Callback done);
    /// Turns off a member's two-factor sign-in (a lost phone); they enrol again.
    void resetStaffTwoFactor(const QString &practiceId, const QString &userId, QObject *context, Callback done);

    // Standard (SMS/email) conversations (docs/protocol.md, "Standard conversations"; ApiClientStandard.cpp).
    /// Opens an SMS ("sms", contact = a phone number) or email ("email") conversation; name "" for none.
    void createStandardConversation(const QString &practiceId, const QString &channel, const QString &contact,
                                    const QString &name, QObject *context, Callback done);
    /// Records the patient's consent to unencrypted messages: method "verbal", "written" or "patient_initiated".
    void recordConsent(const QString &conversationId, const QString &method, const QString &note, QObject *context,
                       Callback done);
    /// Invites a standard conversation's contact to a secure conversation: {"invitation", "conversation"}.
    void inviteToSecure(const QString &conversationId, QObject *context, Callback done);
    /// Sends a message in a standard conversation: the text travels plain (no envelope).
    void postPlainMessage(const QString &conversationId, const QString &clientId, const QString &body, QObject *context,
                          Callback done);

    // The practice's audit log, for its administrators (docs/protocol.md, "Audit log"; ApiClientAudit.cpp).
    /// One page of records, newest first, with seq < beforeSeq (0: from the newest): {"records", "next", "names"}.
    void fetchAuditLog(const QString &practiceId, const AuditFilter &filter, qint64 beforeSeq, int limit,
                       QObject *context, Callback done);
    /// Whom the log can be filtered by: {"staff": [{id, name, role, active}], "patients": [{id, name}]}, patients
    /// whose name contains search ("" for the first of all).
    void fetchAuditPeople(const QString &practiceId, const QString &search, QObject *context, Callback done);
    /// How long the practice keeps its records: {"years", "isDefault", "defaultYears", "minYears", "maxYears"}.
    void fetchAuditRetention(const QString &practiceId, QObject *context, Callback done);
    /// Changes it (6 to 30 years); answers like fetchAuditRetention.
    void saveAuditRetention(const QString &practiceId, int years, QObject *context, Callback done);
    /// Starts a GET of every record matching filter as CSV (the server records the export). The caller owns the
    /// reply and reads it as it arrives; an error answer is JSON for interpretAnswer. nullptr when no usable server
    /// is set.
    QNetworkReply *getAuditCsv(const QString &practiceId, const AuditFilter &filter);

    // Attachments (docs/protocol.md, "Attachments"; ApiClientAttachments.cpp).
    /// The server's limits: {"attachmentMaxBytes" (plaintext), "uploadRequestMaxBytes"}.
    void attachmentLimits(QObject *context, Callback done);
    /// Reserves an upload of blobSize encrypted bytes in a secure conversation: {"uploadId", "size", "received",
    /// "expiresAt"}.
    void createUpload(const QString &conversationId, qint64 blobSize, QObject *context, Callback done);
    /// Where an upload stands: {"uploadId", "size", "received", "complete", "expiresAt"} (uploader only).
    void uploadStatus(const QString &uploadId, QObject *context, Callback done);
    /// Where an upload's bytes go and as whom: UploadConnection sends them on the upload's own thread
    /// (docs/attachments.md, "Sending"). An empty target when no usable server is set.
    UploadTarget uploadTarget(const QString &uploadId) const;
    /// Drops an upload, partial or complete (uploader only).
    void cancelUpload(const QString &uploadId, QObject *context, Callback done);
    /// A short-lived address of a blob's bytes (members only): {"url" (relative, with its token), "expiresAt", "size"}.
    void blobDownloadToken(const QString &blobId, QObject *context, Callback done);
    /// Starts a GET of a blob address from blobDownloadToken (no bearer: the token is in it), from byte rangeStart
    /// when > 0. The reply holds at most readBufferBytes unread, so memory stays bounded: read it on readyRead.
    /// The caller owns the reply; nullptr when no usable server is set.
    QNetworkReply *getBlob(const QString &relativeUrl, qint64 rangeStart = 0, qint64 readBufferBytes = 256 * 1024);

    /// ws:// or wss:// URL of the event stream, resuming after the given seq.
    QUrl eventsUrl(qint64 since) const;
    /// A request to the server carrying the bearer token.
    QNetworkRequest authorizedRequest(const QUrl &url) const;

    /// An answer of HTTP status with body raw, as every call reports it (authorized: the request carried the token).
    static ApiResult interpretAnswer(int httpStatus, const QByteArray &raw, bool authorized);
    /// For answers that came another way (UploadConnection): emits sessionEnded when result says so.
    void noteAnswer(const ApiResult &result);

signals:
    /// An authenticated request was refused because the session is over (expired, revoked or signed out).
    void sessionEnded();
    /// An authenticated request was refused because the practice requires two-factor sign-in and this account has
    /// not set it up.
    void twoFactorEnrolmentRequired();

private:
    enum class Method { Get, Post, Put, Patch, Delete };
    void send(Method method, const QString &path, const QUrlQuery *query, const QJsonObject *body, bool authorized,
              QObject *context, Callback done);
    static ApiResult interpret(class QNetworkReply *reply, bool authorized);
    static QString pathSegment(const QString &id);
    /// The server address with path (and query) appended.
    QUrl urlFor(const QString &path, const QUrlQuery *query = nullptr) const;
    /// Answers done with the interpreted reply once it finished (emits sessionEnded on a 401 when authorized).
    void answerWhenFinished(class QNetworkReply *reply, bool authorized, QObject *context, Callback done);

    QNetworkAccessManager m_network;
    QUrl m_serverUrl;
    QString m_token;
    int m_timeoutMs = 15000;
};

} // namespace larch
