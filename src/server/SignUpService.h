// Sign-up and sign-in with a one-time code: a person proves a phone number or an email address and is paired
// with every practice that invited it (docs/invitations.md).
#pragma once

#include "ConversationService.h"
#include "Courier.h"
#include "EventHub.h"
#include "RateLimiter.h"
#include "Storage.h"

#include <QJsonObject>
#include <mutex>

namespace larch::server {

/// Settings of one-time codes, from the server's flags.
struct CodeSettings {
    qint64 codeLifetimeMs = 10 * 60 * 1000;
    qint64 sessionLifetimeMs = 30LL * 24 * 3600 * 1000;
    int perContactPerHour = 5;
    int perAddressPerHour = 20;   ///< codes asked for from one address
    int maxFailures = 5;
    qint64 lockMs = 15 * 60 * 1000;
    QByteArray codeKey;           ///< CodeKey::Size bytes keying the stored code digests (CodeKey.h)
};

/// Sends 6-digit codes (stored as digests only) and verifies them: creates or finds the patient account,
/// pairs it with every open invitation for the contact, merges other practices' placeholders, opens a session.
class SignUpService {
public:
    SignUpService(Storage &storage, EventHub &hub, ConversationService &conversations, Courier &courier,
                  CodeSettings settings);

    /// POST /v1/codes: sends a code to the phone or email, or to the invitation's contact when only its token is
    /// given. Throws 400, 404 (unknown token), 423 (locked) and 429.
    QJsonObject requestCode(const QString &phone, const QString &email, const QString &invitationToken,
                            const QString &remoteAddress);
    /// POST /v1/codes/verify: {"token","expiresAt","user","created","paired"}. Throws 400 wrong_code,
    /// 423 code_locked, 410 code_expired, 400 missing_field name, 429.
    /// invitationToken, when the patient came by a link, sets the region national numbers are read in.
    QJsonObject verify(const QString &phone, const QString &email, const QString &code, const QString &name,
                       const QString &invitationToken, const QString &remoteAddress);

private:
    /// The invitation of a link's token; nullopt without a token; 404 for an unknown or revoked one.
    std::optional<InvitationRecord> invitationOf(const QString &invitationToken);
    /// The E.164 number or lower-case address the code goes to; region reads national numbers.
    struct Contact {
        QString phone;
        QString email;
        QString key() const { return phone.isEmpty() ? email : phone; }
    };
    Contact contactOf(const QString &phone, const QString &email, const QString &region);
    QJsonObject locked(qint64 until);

    Storage &m_storage;
    EventHub &m_hub;
    ConversationService &m_conversations;
    Courier &m_courier;
    const CodeSettings m_settings;
    RateLimiter m_perContact;
    RateLimiter m_perAddress;
    RateLimiter m_verifyPerAddress;
    /// Makes checking, using and deleting a code one step: a code signs in once even when sent twice at once.
    std::mutex m_verifyMutex;
};

} // namespace larch::server
