// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/SignUpService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/accounts/CodeKey.h"
#include "server/api/RequestError.h"
#include "server/invites/InviteService.h"
#include "server/invites/PhoneNumbers.h"
#include "server/practicelinks/PracticeLinkService.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <sodium.h>

namespace larch::server {
namespace {

constexpr qint64 kHour = 3600 * 1000;

RequestError lockedError()
{
    return {423, QStringLiteral("code_locked"),
            QStringLiteral("Too many wrong codes. Ask for a new code in 15 minutes, or call your practice for help.")};
}

} // namespace

SignUpService::SignUpService(Storage &storage, EventHub &hub, ConversationService &conversations, Courier &courier,
                             CodeSettings settings)
    : m_storage(storage), m_hub(hub), m_conversations(conversations), m_courier(courier), m_settings(settings),
      m_perContact(settings.perContactPerHour, kHour), m_perAddress(settings.perAddressPerHour, kHour),
      m_verifyPerAddress(settings.perAddressPerHour * 5, kHour)
{ }

SignUpService::Contact SignUpService::contactOf(const QString &phone, const QString &email, const QString &region)
{
    Contact c;
    if (!phone.isEmpty() && !email.isEmpty())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("Give either phone or email, not both."));
    if (!phone.isEmpty()) {
        const PhoneNumber p = PhoneNumbers::parse(phone, region);
        if (!p.valid)
            throw RequestError(400, QStringLiteral("invalid_field"), p.error);
        c.phone = p.e164;
    } else if (!email.isEmpty()) {
        c.email = email.trimmed().toLower();
        if (c.email.size() > Limits::EmailMax || !isValidEmail(c.email))
            throw RequestError(
                400, QStringLiteral("invalid_field"),
                QStringLiteral("email is not a valid email address: it should look like name@example.com."));
    } else {
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("Give your phone number or email address."));
    }
    return c;
}

QString SignUpService::regionOf(const std::optional<InvitationRecord> &invitation,
                                const std::optional<PracticeLinkRecord> &link)
{
    if (invitation)
        return m_storage.invitations().practiceRegion(invitation->practiceId);
    if (link)
        return m_storage.invitations().practiceRegion(link->practiceId);
    return QStringLiteral("US");
}

std::optional<PracticeLinkRecord> SignUpService::practiceLinkOf(const QString &code, const QString &invitationToken)
{
    if (code.isEmpty())
        return std::nullopt;
    if (!invitationToken.isEmpty())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("Give either invitationToken or practiceLink, not both."));
    return usablePracticeLink(m_storage, code);
}

QJsonObject SignUpService::requestCode(const QString &phone, const QString &email, const QString &invitationToken,
                                       const QString &practiceLink, const QString &remoteAddress)
{
    const qint64 now = nowMs();
    if (!m_perAddress.take(remoteAddress, now))
        throw RequestError(
            429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many codes were asked for from this network; wait an hour and try again."));
    const std::optional<PracticeLinkRecord> link = practiceLinkOf(practiceLink, invitationToken);
    const std::optional<InvitationRecord> invitation = invitationOf(invitationToken);
    const QString region = regionOf(invitation, link);
    Contact c;
    if (phone.isEmpty() && email.isEmpty() && invitation) {
        c.phone = invitation->phone;
        c.email = c.phone.isEmpty() ? invitation->email : QString();
    } else {
        c = contactOf(phone, email, region);
    }
    const auto existing = m_storage.invitations().contactCode(c.key());
    if (existing && existing->lockedUntil > now)
        throw lockedError();
    if (!m_perContact.take(c.key(), now))
        throw RequestError(
            429, QStringLiteral("rate_limited"),
            QStringLiteral("Several codes were sent to this contact in the last hour; use the newest one "
                           "or try again later."));
    char digits[8];
    std::snprintf(digits, sizeof digits, "%06u", static_cast<unsigned>(randombytes_uniform(1000000)));
    const QString code = QString::fromLatin1(digits);
    ContactCode stored{
        c.key(), CodeKey::digest(m_settings.codeKey, c.key(), code), now, now + m_settings.codeLifetimeMs, 0, 0};
    m_storage.invitations().putContactCode(stored);
    Delivery d;
    d.channel = c.phone.isEmpty() ? Channel::Email : Channel::Sms;
    d.to = c.key();
    d.subject = QStringLiteral("Your Larch code");
    d.body = QStringLiteral("Your Larch code is %1. It expires in %2 minutes.")
                 .arg(code)
                 .arg(m_settings.codeLifetimeMs / 60000);
    m_courier.enqueue(d);
    return {{"contactHint", InviteService::contactHint(c.phone, c.email)}, {"expiresAt", stored.expiresAt}};
}

std::optional<InvitationRecord> SignUpService::invitationOf(const QString &invitationToken)
{
    if (invitationToken.isEmpty())
        return std::nullopt;
    auto invitation = invitationToken.size() <= 100
        ? m_storage.invitations().invitationByToken(tokenDigest(invitationToken))
        : std::nullopt;
    if (!invitation || invitation->state == QLatin1String("revoked"))
        throw RequestError(
            404, QStringLiteral("not_found"),
            QStringLiteral("This invitation link does not work any more; ask your practice for a new one."));
    return invitation;
}

LinkConversationResult SignUpService::openThroughLink(const User &patient, const PracticeLinkRecord &link, qint64 now)
{
    const QList<User> staff = m_storage.accounts().staff(link.practiceId);
    ConversationRecord c;
    c.id = newId();
    c.practiceId = link.practiceId;
    c.patientId = patient.id;
    c.title = patient.name;
    c.createdAt = c.lastActivityAt = now;
    if (!link.tag.isEmpty())
        c.tags = QStringList{link.tag};
    QList<NewEvent> events;
    for (const User &s : staff)
        events.append(NewEvent{
            s.id, QString::fromLatin1(EventType::ConversationCreated),
            QJsonDocument(m_conversations.view(c, s.id, staff, patient).toJson()).toJson(QJsonDocument::Compact)});
    events.append(NewEvent{
        patient.id, QString::fromLatin1(EventType::ConversationCreated),
        QJsonDocument(m_conversations.view(c, patient.id, staff, patient).toJson()).toJson(QJsonDocument::Compact)});
    const QString url = m_settings.publicUrl ? m_settings.publicUrl() : QString();
    // The link's conversationCount changed: its practice_link.updated goes with the conversation.
    return m_storage.practiceLinks().openLinkConversation(c, link.id, events, [&](const PracticeLinkRecord &updated) {
        return PracticeLinkService::updatedEvents(staff, PracticeLinkService::toWire(updated, url));
    });
}

QJsonObject SignUpService::verify(const QString &phone, const QString &email, const QString &code, const QString &name,
                                  const QString &invitationToken, const QString &practiceLink,
                                  const QString &remoteAddress)
{
    const qint64 now = nowMs();
    if (!m_verifyPerAddress.take(remoteAddress, now))
        throw RequestError(429, QStringLiteral("rate_limited"),
                           QStringLiteral("Too many attempts from this network; wait an hour and try again."));
    // A national number is read in the region of the practice whose link the patient followed. A Practice Link
    // turned off is refused before the code is looked at, so the code still works without it.
    const std::optional<PracticeLinkRecord> link = practiceLinkOf(practiceLink, invitationToken);
    const std::optional<InvitationRecord> invitation = invitationOf(invitationToken);
    const Contact c = contactOf(phone, email, regionOf(invitation, link));
    static const QRegularExpression sixDigits(QStringLiteral("^[0-9]{6}$"));
    if (!sixDigits.match(code).hasMatch())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("code must be the 6 digits we sent you."));
    std::lock_guard verifying(m_verifyMutex);
    const auto stored = m_storage.invitations().contactCode(c.key());
    if (stored && stored->lockedUntil > now)
        throw lockedError();
    if (!stored || stored->expiresAt <= now)
        throw RequestError(410, QStringLiteral("code_expired"),
                           QStringLiteral("This code has expired; ask for a new one."));
    const QByteArray digest = CodeKey::digest(m_settings.codeKey, c.key(), code);
    if (digest.size() != stored->codeDigest.size()
        || sodium_memcmp(digest.constData(), stored->codeDigest.constData(), static_cast<size_t>(digest.size())) != 0) {
        const int failures =
            m_storage.invitations().recordCodeFailure(c.key(), m_settings.maxFailures, now + m_settings.lockMs);
        if (failures >= m_settings.maxFailures)
            throw lockedError();
        const int left = m_settings.maxFailures - failures;
        throw RequestError(400, QStringLiteral("wrong_code"),
                           left == 1 ? QStringLiteral("That code is not right; 1 try remains.")
                                     : QStringLiteral("That code is not right; %1 tries remain.").arg(left));
    }

    // Pairing and its events are stored under the hub's lock, so staff screens see the change in order.
    PairResult pair;
    LinkConversationResult linked;
    m_hub.commit([&] {
        pair = m_storage.invitations().pairContact(c.phone, c.email, name, now);
        QList<NewEvent> events;
        for (const InvitationRecord &i : pair.paired) {
            const QList<User> staff = m_storage.accounts().staff(i.practiceId);
            const QString region = m_storage.invitations().practiceRegion(i.practiceId);
            events += invitationEvents(staff, InviteService::toJson(i, region, now));
            const auto record = m_storage.conversations().conversation(i.conversationId);
            if (!record)
                continue;
            // Each staff member gets the conversation as they see it (their own unread count).
            for (const User &s : staff)
                events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationUpdated),
                                       QJsonDocument(m_conversations.view(*record, s.id, staff, pair.user).toJson())
                                           .toJson(QJsonDocument::Compact)});
            const QByteArray forPatient =
                QJsonDocument(m_conversations.view(*record, pair.user.id, staff, pair.user).toJson())
                    .toJson(QJsonDocument::Compact);
            events.append(NewEvent{pair.user.id, QString::fromLatin1(EventType::ConversationCreated), forPatient});
        }
        // Standard (SMS/email) threads that moved to the account: staff see their new patientId; the patient nothing.
        for (const QString &id : pair.movedStandard) {
            const auto record = m_storage.conversations().conversation(id);
            if (!record)
                continue;
            const QList<User> staff = m_storage.accounts().staff(record->practiceId);
            for (const User &s : staff)
                events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationUpdated),
                                       QJsonDocument(m_conversations.view(*record, s.id, staff, pair.user).toJson())
                                           .toJson(QJsonDocument::Compact)});
        }
        QList<StoredEvent> stored =
            events.isEmpty() ? QList<StoredEvent>() : m_storage.conversations().storeEvents(events);
        if (pair.status == PairResult::Status::Done && link) {
            linked = openThroughLink(pair.user, *link, now);
            stored += linked.events;
        }
        return stored;
    });
    if (pair.status == PairResult::Status::NeedName)
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("name is required: tell us your name."));
    if (pair.status == PairResult::Status::StaffContact)
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This contact belongs to a staff account; sign in with your password instead."));
    m_storage.invitations().deleteContactCode(c.key());

    Session s;
    s.token = newToken();
    s.expiresAt = now + m_settings.sessionLifetimeMs;
    s.user = pair.user;
    m_storage.accounts().createSession(tokenDigest(s.token), pair.user.id, now, s.expiresAt);
    QJsonArray paired;
    for (const InvitationRecord &i : pair.paired)
        paired.append(i.conversationId);
    if (linked.created) {
        paired.append(linked.conversationId);
        if (s.user.practiceId.isEmpty())
            s.user.practiceId = link->practiceId;
        log::info("secure conversation opened through a practice link");
    }
    QJsonObject out = s.toJson();
    out.insert("created", pair.created);
    out.insert("paired", paired);
    // The conversation with the link's practice, new or not, so the app can open it.
    if (link)
        out.insert("conversationId", linked.conversationId);
    log::info(pair.created ? "patient account created with a code" : "patient signed in with a code");
    return out;
}

} // namespace larch::server
