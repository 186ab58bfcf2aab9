// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/invites/InviteService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/invites/PhoneNumbers.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace larch::server {
namespace {

QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QJsonValue orNull(const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); }

QString normalizedEmail(const QString &text)
{
    const QString email = text.trimmed().toLower();
    if (email.size() > Limits::EmailMax || !isValidEmail(email))
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("email is not a valid email address: it should look like name@example.com."));
    return email;
}

} // namespace

InviteService::InviteService(Storage &storage, EventHub &hub, ConversationService &conversations, Courier &courier,
                             InviteSettings settings)
    : m_storage(storage), m_hub(hub), m_conversations(conversations), m_courier(courier),
      m_settings(std::move(settings)), m_perPractice(m_settings.perPracticePerHour, 3600 * 1000),
      m_lookups(m_settings.lookupsPerAddressPerHour, 3600 * 1000)
{ }

QString InviteService::defaultText()
{
    return QStringLiteral("You're invited to message your care team securely on Larch. Join here: {link}");
}

QList<NewEvent> invitationEvents(const QList<User> &staff, const QJsonObject &invitation)
{
    const QByteArray data = compact(invitation);
    QList<NewEvent> out;
    for (const User &s : staff)
        out.append(NewEvent{s.id, QString::fromLatin1(EventType::InvitationUpdated), data});
    return out;
}

QString InviteService::stateAt(const InvitationRecord &i, qint64 now)
{
    return i.state == QLatin1String("pending") && i.expiresAt <= now ? QStringLiteral("expired") : i.state;
}

QJsonObject InviteService::toJson(const InvitationRecord &i, const QString &region, qint64 now)
{
    const QString display = i.phone.isEmpty() ? QString() : PhoneNumbers::parse(i.phone, region).display;
    return {
        {"id", i.id},
        {"conversationId", i.conversationId},
        {"patientName", i.patientName},
        {"phone", orNull(i.phone)},
        {"phoneDisplay", orNull(display)},
        {"email", orNull(i.email)},
        {"channel", i.channel},
        {"state", stateAt(i, now)},
        {"delivery",
         QJsonObject{{"state", i.deliveryState}, {"detail", orNull(i.deliveryDetail)}, {"updatedAt", i.deliveryAt}}},
        {"createdAt", i.createdAt},
        {"expiresAt", i.expiresAt},
        {"sentCount", i.sentCount}};
}

QString InviteService::contactHint(const QString &phone, const QString &email)
{
    if (!phone.isEmpty())
        return QStringLiteral("•••• ••• ") + phone.right(4);
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    if (at <= 0)
        return {};
    return email.left(1) + QStringLiteral("•••") + email.mid(at);
}

void InviteService::requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly)
{
    if (!caller.isStaff() || caller.practiceId != practiceId)
        throw RequestError::notFound();
    if (adminOnly && !caller.isAdmin())
        throw RequestError::forbidden();
}

InvitationRecord InviteService::staffInvitation(const User &caller, const QString &invitationId)
{
    if (!isValidId(invitationId))
        throw RequestError::notFound();
    const auto i = m_storage.invitations().invitation(invitationId);
    if (!i || !caller.isStaff() || i->practiceId != caller.practiceId)
        throw RequestError::notFound();
    return *i;
}

QString InviteService::parsePhone(const QString &text, const QString &region)
{
    const PhoneNumber p = PhoneNumbers::parse(text, region);
    if (!p.valid)
        throw RequestError(400, QStringLiteral("invalid_field"), p.error);
    return p.e164;
}

QJsonObject InviteService::checkContact(const User &caller, const QString &practiceId, const QString &phone,
                                        const QString &email)
{
    requireStaffOf(caller, practiceId, false);
    const QString region = m_storage.invitations().practiceRegion(practiceId);
    QJsonObject out{{"phone", QJsonValue::Null}, {"email", QJsonValue::Null}};
    QString e164, address;
    if (!phone.isEmpty()) {
        const PhoneNumber p = PhoneNumbers::parse(phone, region);
        if (!p.valid)
            throw RequestError(400, QStringLiteral("invalid_field"), p.error);
        e164 = p.e164;
        out.insert(
            "phone",
            QJsonObject{{"e164", p.e164}, {"display", p.display}, {"type", p.type}, {"warning", orNull(p.warning)}});
    }
    if (!email.isEmpty()) {
        address = normalizedEmail(email);
        out.insert("email", QJsonObject{{"address", address}});
    }
    QJsonArray matches;
    if (!e164.isEmpty() || !address.isEmpty())
        for (const ContactMatch &m : m_storage.invitations().contactMatches(practiceId, e164, address))
            matches.append(QJsonObject{{"conversationId", m.conversationId}, {"title", m.title}, {"state", m.state}});
    out.insert("matches", matches);
    return out;
}

InviteService::Created InviteService::create(const User &caller, const QString &practiceId, const QString &patientName,
                                             const QString &phone, const QString &email)
{
    requireStaffOf(caller, practiceId, false);
    const QString region = m_storage.invitations().practiceRegion(practiceId);
    InvitationRecord i;
    i.phone = phone.isEmpty() ? QString() : parsePhone(phone, region);
    i.email = email.isEmpty() ? QString() : normalizedEmail(email);
    if (i.phone.isEmpty() && i.email.isEmpty())
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("Give the patient's mobile phone number or email address."));
    UserRecord placeholder;
    placeholder.user = User{newId(), patientName, QString(), QStringLiteral("patient"), practiceId};
    placeholder.createdAt = nowMs();
    const Draft d = draft(caller, practiceId, placeholder.user, patientName, i.phone, i.email);
    // The invitation and the delivery that sends it are one write.
    const OutboxRecord delivery = deliveryOf(d.invitation, d.token);
    const InvitationWriteResult r = m_hub.commit([&] {
        return m_storage.invitations().createInvitation(placeholder, d.conversation, d.invitation, tokenDigest(d.token),
                                                        d.events, delivery);
    });
    if (!r.ok)
        throw DuplicateContact{r.conversationId};
    m_courier.queued(delivery);
    m_audit.record(AuditLog::of(caller), QStringLiteral("invitation_created"), {d.invitation.id, d.conversation.id});
    log::info("invitation created");
    return d.created;
}

InviteService::Draft InviteService::draft(const User &caller, const QString &practiceId, const User &patient,
                                          const QString &patientName, const QString &phone, const QString &email)
{
    const QString region = m_storage.invitations().practiceRegion(practiceId);
    const qint64 now = nowMs();
    if (!m_perPractice.take(practiceId, now))
        throw RequestError(
            429, QStringLiteral("rate_limited"),
            QStringLiteral("This practice has sent many invitations in the last hour; try again later."));

    ConversationRecord c;
    c.id = newId();
    c.practiceId = practiceId;
    c.patientId = patient.id;
    c.title = patientName;
    c.createdAt = c.lastActivityAt = now;

    InvitationRecord i;
    i.phone = phone;
    i.email = email;
    i.id = newId();
    i.practiceId = practiceId;
    i.conversationId = c.id;
    i.placeholderId = patient.id;
    i.patientName = patientName;
    i.channel = i.phone.isEmpty() ? QStringLiteral("email") : QStringLiteral("sms");
    i.state = QStringLiteral("pending");
    i.deliveryAt = now;
    i.createdBy = caller.id;
    i.createdAt = now;
    i.expiresAt = now + m_settings.lifetimeMs;
    i.sentCount = 1;
    i.deliveryId = newId();
    const QString token = newToken();

    const QList<User> staff = m_storage.accounts().staff(practiceId);
    Conversation view = m_conversations.view(c, caller.id, staff, patient);
    view.invitationState = QStringLiteral("pending");
    const QJsonObject invitation = toJson(i, region, now);
    // Staff hear of the conversation and of its invitation; the placeholder receives nothing until pairing.
    QList<NewEvent> events;
    const QByteArray data = compact(view.toJson());
    for (const User &s : staff)
        events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationCreated), data});
    events += invitationEvents(staff, invitation);
    return Draft{c, i, token, events, Created{invitation, view}};
}

QJsonObject InviteService::ofConversation(const User &caller, const QString &conversationId)
{
    const ConversationRecord c = m_conversations.visible(caller, conversationId);
    if (!caller.isStaff())
        throw RequestError::notFound();
    const auto i = m_storage.invitations().invitationOfConversation(c.id);
    if (!i)
        throw RequestError::notFound();
    return toJson(*i, m_storage.invitations().practiceRegion(i->practiceId), nowMs());
}

QJsonObject InviteService::save(const InvitationRecord &i, const QString &token, bool checkContact)
{
    const qint64 now = nowMs();
    const QJsonObject json = toJson(i, m_storage.invitations().practiceRegion(i.practiceId), now);
    const QList<User> staff = m_storage.accounts().staff(i.practiceId);
    auto events = invitationEvents(staff, json);
    // When the conversation's row changes for staff (its title, or the invitation state lists show), they get
    // conversation.updated as well.
    const auto record = m_storage.conversations().conversation(i.conversationId);
    if (record
        && (record->title != i.patientName
            || m_storage.invitations().invitationState(i.conversationId, now) != stateAt(i, now))) {
        ConversationRecord renamed = *record;
        renamed.title = i.patientName;
        const User patient = m_storage.accounts().user(record->patientId).value_or(User{});
        for (const User &s : staff) {
            Conversation view = m_conversations.view(renamed, s.id, staff, patient);
            view.invitationState = stateAt(i, now);
            events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationUpdated), compact(view.toJson())});
        }
    }
    // A new link goes out in the same write as the invitation that carries it.
    const std::optional<OutboxRecord> delivery =
        token.isEmpty() ? std::nullopt : std::optional<OutboxRecord>(deliveryOf(i, token));
    const InvitationWriteResult r = m_hub.commit([&] {
        return m_storage.invitations().updateInvitation(i, token.isEmpty() ? QByteArray() : tokenDigest(token),
                                                        checkContact, events, delivery);
    });
    if (!r.ok)
        throw DuplicateContact{r.conversationId};
    if (delivery)
        m_courier.queued(*delivery);
    return json;
}

OutboxRecord InviteService::deliveryOf(const InvitationRecord &i, const QString &token) const
{
    QString text = m_storage.invitations().invitationText(i.practiceId);
    if (text.isEmpty())
        text = defaultText();
    Delivery d;
    d.channel = i.channel == QLatin1String("sms") ? Channel::Sms : Channel::Email;
    d.to = d.channel == Channel::Sms ? i.phone : i.email;
    d.subject = QStringLiteral("Your invitation to Larch");
    d.body = text.replace(QStringLiteral("{link}"),
                          (m_settings.publicUrl ? m_settings.publicUrl() : QString()) + QStringLiteral("/i/") + token);
    d.invitationId = i.id;
    d.id = i.deliveryId;
    return m_courier.prepare(d);
}

QJsonObject InviteService::resend(const User &caller, const QString &invitationId)
{
    InvitationRecord i = staffInvitation(caller, invitationId);
    if (i.state != QLatin1String("pending"))
        throw RequestError(409, QStringLiteral("conflict"),
                           i.state == QLatin1String("paired")
                               ? QStringLiteral("The patient has already joined; there is nothing to resend.")
                               : QStringLiteral("This invitation was revoked; invite the patient again."));
    const QString token = renewLink(i);
    const QJsonObject json = save(i, token, false);
    m_audit.record(AuditLog::of(caller), QStringLiteral("invitation_resent"), {i.id});
    return json;
}

QString InviteService::renewLink(InvitationRecord &i)
{
    const qint64 now = nowMs();
    if (!m_perPractice.take(i.practiceId, now))
        throw RequestError(
            429, QStringLiteral("rate_limited"),
            QStringLiteral("This practice has sent many invitations in the last hour; try again later."));
    i.expiresAt = now + m_settings.lifetimeMs;
    i.sentCount += 1;
    i.deliveryState = QStringLiteral("queued");
    i.deliveryDetail.clear();
    i.deliveryAt = now;
    i.deliveryId = newId();
    return newToken();
}

QJsonObject InviteService::edit(const User &caller, const QString &invitationId,
                                const std::optional<QString> &patientName, const std::optional<QString> &phone,
                                const std::optional<QString> &email)
{
    InvitationRecord i = staffInvitation(caller, invitationId);
    if (i.state != QLatin1String("pending"))
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("Only an invitation that is still waiting for the patient can be changed."));
    const QString region = m_storage.invitations().practiceRegion(i.practiceId);
    if (patientName)
        i.patientName = *patientName;
    if (phone)
        i.phone = phone->isEmpty() ? QString() : parsePhone(*phone, region);
    if (email)
        i.email = email->isEmpty() ? QString() : normalizedEmail(*email);
    if (i.phone.isEmpty() && i.email.isEmpty())
        throw RequestError(400, QStringLiteral("missing_field"),
                           QStringLiteral("Keep the patient's mobile phone number or email address."));
    const bool contactChanged = phone || email;
    QString token;
    if (contactChanged) {
        i.channel = i.phone.isEmpty() ? QStringLiteral("email") : QStringLiteral("sms");
        token = renewLink(i);
    }
    const QJsonObject json = save(i, token, contactChanged);
    m_audit.record(AuditLog::of(caller), QStringLiteral("invitation_edited"), {i.id});
    return json;
}

void InviteService::revoke(const User &caller, const QString &invitationId)
{
    InvitationRecord i = staffInvitation(caller, invitationId);
    if (i.state == QLatin1String("paired"))
        throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("The patient has already joined."));
    i.state = QStringLiteral("revoked");
    save(i, {}, false);
    m_audit.record(AuditLog::of(caller), QStringLiteral("invitation_revoked"), {i.id});
}

QJsonObject InviteService::text(const User &caller, const QString &practiceId)
{
    requireStaffOf(caller, practiceId, false);
    const QString own = m_storage.invitations().invitationText(practiceId);
    return {{"text", own.isEmpty() ? defaultText() : own}, {"isDefault", own.isEmpty()}};
}

QJsonObject InviteService::setText(const User &caller, const QString &practiceId, const QString &text)
{
    requireStaffOf(caller, practiceId, true);
    static const QRegularExpression placeholders(QStringLiteral("\\{[^}]*\\}"));
    const QString trimmed = text.trimmed();
    const int length = textLength(trimmed);
    if (length < 20 || length > 320)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("text must be 20 to 320 characters long."));
    qsizetype links = 0;
    for (auto it = placeholders.globalMatch(trimmed); it.hasNext();) {
        if (it.next().captured() != QLatin1String("{link}"))
            throw RequestError(400, QStringLiteral("invalid_field"),
                               QStringLiteral("text may hold only the {link} placeholder; remove the other {…}."));
        ++links;
    }
    if (links != 1)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("text must contain {link} exactly once, where the invitation link goes."));
    m_storage.invitations().setInvitationText(practiceId, trimmed == defaultText() ? QString() : trimmed);
    m_audit.record(AuditLog::of(caller), QStringLiteral("practice_settings_changed"), {practiceId});
    return this->text(caller, practiceId);
}

QJsonObject InviteService::byToken(const QString &token, const QString &remoteAddress)
{
    if (!m_lookups.take(remoteAddress, nowMs()))
        throw RequestError(
            429, QStringLiteral("rate_limited"),
            QStringLiteral("Too many invitation look-ups from this address; wait an hour and try again."));
    if (token.isEmpty() || token.size() > 100)
        throw RequestError::notFound();
    const auto i = m_storage.invitations().invitationByToken(tokenDigest(token));
    if (!i)
        throw RequestError::notFound();
    return {{"state", stateAt(*i, nowMs())}, {"channel", i->channel}, {"contactHint", contactHint(i->phone, i->email)}};
}

bool InviteService::deliveryChanged(const DeliveryUpdate &update, const OutboxRecord &row)
{
    try {
        const auto i = m_storage.invitations().invitation(update.invitationId);
        if (!i)
            return false;
        const QString region = m_storage.invitations().practiceRegion(i->practiceId);
        const QList<User> staff = m_storage.accounts().staff(i->practiceId);
        const qint64 now = nowMs();
        // The write re-checks the delivery id, so a resend that lands in between still wins (and a delivery it
        // replaced only writes its row).
        m_hub.commit([&] {
            return m_storage.invitations().updateInvitationDelivery(
                i->id, update.deliveryId, QString::fromLatin1(deliveryStateName(update.state)), update.detail,
                update.at > 0 ? update.at : now,
                [&](const InvitationRecord &updated) { return invitationEvents(staff, toJson(updated, region, now)); },
                row);
        });
        return true;
    } catch (const std::exception &e) {
        log::error(std::string("could not record an invitation's delivery state: ") + e.what());
        return false;
    }
}

} // namespace larch::server
