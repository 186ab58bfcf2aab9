// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sign-up and sign-in with a one-time code: a person proves a phone number or an email address and is paired
// with every practice that invited it (docs/invitations.md).
#pragma once

#include "server/accounts/RateLimiter.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/delivery/Courier.h"
#include "server/storage/Storage.h"

#include <functional>
#include <mutex>
#include <QJsonObject>

namespace larch::server {

/// Settings of one-time codes, from the server's flags.
struct CodeSettings {
    qint64 codeLifetimeMs = 10 * 60 * 1000;
    qint64 sessionLifetimeMs = 30LL * 24 * 3600 * 1000;
    int perContactPerHour = 5;
    int perAddressPerHour = 20; ///< codes asked for from one address
    int maxFailures = 5;
    qint64 lockMs = 15 * 60 * 1000;
    QByteArray codeKey; ///< CodeKey::Size bytes keying the stored code digests (CodeKey.h)
    std::function<QString()> publicUrl; ///< for the urls in practice_link.updated when a link opens a conversation
};

/// Sends 6-digit codes (stored as digests only) and verifies them: creates or finds the patient account,
/// pairs it with every open invitation for the contact, merges other practices' placeholders, opens a session.
class SignUpService {
public:
    SignUpService(Storage &storage, EventHub &hub, ConversationService &conversations, Courier &courier,
                  CodeSettings settings);

    /// POST /v1/codes: sends a code to the phone or email, or to the invitation's contact when only its token is
    /// given. Throws 400, 404 (unknown token or Practice Link), 410 link_disabled, 423 (locked) and 429.
    /// practiceLink, a Practice Link's code, sets the region national numbers are read in.
    QJsonObject requestCode(const QString &phone, const QString &email, const QString &invitationToken,
                            const QString &practiceLink, const QString &remoteAddress);
    /// POST /v1/codes/verify: {"token","expiresAt","user","created","paired"}. Throws 400 wrong_code,
    /// 423 code_locked, 410 code_expired, 400 missing_field name, 429.
    /// invitationToken, when the patient came by a link, sets the region national numbers are read in.
    /// practiceLink (a Practice Link's code) does too, and after pairing opens the patient's secure conversation
    /// with the link's practice when there is none (docs/practice-links.md); 404 unknown, 410 link_disabled.
    QJsonObject verify(const QString &phone, const QString &email, const QString &code, const QString &name,
                       const QString &invitationToken, const QString &practiceLink, const QString &remoteAddress);

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
    /// The region national numbers are read in: the invitation's practice's, else the link's, else US.
    QString regionOf(const std::optional<InvitationRecord> &invitation, const std::optional<PracticeLinkRecord> &link);
    /// The Practice Link of a code; nullopt without one; 404 / 410 link_disabled; 400 beside an invitation token.
    std::optional<PracticeLinkRecord> practiceLinkOf(const QString &code, const QString &invitationToken);
    /// Opens the patient's secure conversation through the link unless they have one with its practice.
    LinkConversationResult openThroughLink(const User &patient, const PracticeLinkRecord &link, qint64 now);
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
