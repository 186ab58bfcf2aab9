// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/standard/StandardService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/invites/PhoneNumbers.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <QDateTime>
#include <QJsonDocument>

namespace larch::server {
namespace {

QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

/// The longest text one SMS conversation message may be (the gateway splits it into at most ten segments).
constexpr int SmsBodyMax = 1600;

const QString kSms = QStringLiteral("sms");
const QString kEmail = QStringLiteral("email");

} // namespace

StandardService::StandardService(Storage &storage, EventHub &hub, ConversationService &conversations,
                                 InviteService &invites, Courier &courier, StandardSettings settings)
    : m_storage(storage), m_hub(hub), m_conversations(conversations), m_invites(invites), m_courier(courier),
      m_settings(std::move(settings))
{ }

QString StandardService::replyAddress(const QString &replyToken) const
{
    const qsizetype at = m_settings.replyAddress.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || replyToken.isEmpty())
        return {};
    return m_settings.replyAddress.left(at) + QLatin1Char('+') + replyToken + m_settings.replyAddress.mid(at);
}

ConversationRecord StandardService::staffConversation(const User &caller, const QString &conversationId)
{
    const ConversationRecord r = m_conversations.visible(caller, conversationId);
    if (!caller.isStaff())
        throw RequestError::notFound();
    return r;
}

bool StandardService::isStandard(const User &caller, const QString &conversationId)
{
    return m_conversations.visible(caller, conversationId).kind != QLatin1String("secure");
}

NewMessage StandardService::noteMessage(const QString &conversationId, const QString &senderId,
                                        const QString &senderName, const QString &kind,
                                        const QString &linkedConversationId, qint64 now)
{
    return NewMessage{newId(),
                      newId(),
                      conversationId,
                      senderId,
                      senderName,
                      QString(),
                      now,
                      {},
                      std::nullopt,
                      MessageNote{kind, linkedConversationId}};
}

std::function<QList<NewEvent>(const QList<Message> &, const StandardContactRecord &)>
StandardService::changeEvents(const ConversationRecord &record, bool updated)
{
    const QList<User> staff = m_storage.accounts().staff(record.practiceId);
    const User patient = m_storage.accounts().user(record.patientId).value_or(User{});
    const QString region = m_storage.invitations().practiceRegion(record.practiceId);
    // Each staff member's view as it is now; the change's messages and contact are laid over it inside the write.
    QList<Conversation> views;
    if (updated)
        for (const User &s : staff)
            views.append(m_conversations.view(record, s.id, staff, patient));
    return [staff, views, region](const QList<Message> &messages, const StandardContactRecord &contact) {
        QList<NewEvent> events;
        for (const Message &m : messages) {
            const QByteArray data = compact(m.toJson());
            for (const User &s : staff)
                events.append(NewEvent{s.id, QString::fromLatin1(EventType::MessageCreated), data});
        }
        for (qsizetype i = 0; i < views.size(); ++i) {
            Conversation v = views[i];
            for (const Message &m : messages) {
                v.lastMessage = m;
                v.lastSeq = m.seq;
                v.lastActivityAt = m.sentAt;
                if (m.senderId != staff[i].id)
                    v.unreadCount += 1;
            }
            v.standard = toStandardContact(contact, region);
            events.append(
                NewEvent{staff[i].id, QString::fromLatin1(EventType::ConversationUpdated), compact(v.toJson())});
        }
        return events;
    };
}

Conversation StandardService::create(const User &caller, const QString &practiceId, const QString &channel,
                                     const QString &contactText, const QString &name)
{
    if (!caller.isStaff() || caller.practiceId != practiceId)
        throw RequestError::notFound();
    const QString region = m_storage.invitations().practiceRegion(practiceId);
    StandardContactRecord contact;
    contact.practiceId = practiceId;
    contact.channel = channel;
    // Lower-case hex, so that a mail system that folds the case of the address's local part still routes replies.
    contact.replyToken = newId().remove(QLatin1Char('-'));
    QString display;
    if (channel == kSms) {
        const PhoneNumber p = PhoneNumbers::parse(contactText, region);
        if (!p.valid)
            throw RequestError(400, QStringLiteral("invalid_field"), p.error);
        if (p.type == QLatin1String("landline"))
            throw RequestError(400, QStringLiteral("invalid_field"),
                               QStringLiteral("phone is a landline, which cannot receive text messages; give a mobile "
                                              "number, or start an email conversation instead."));
        contact.address = p.e164;
        display = p.display;
    } else {
        const QString email = contactText.trimmed().toLower();
        if (email.size() > Limits::EmailMax || !isValidEmail(email))
            throw RequestError(
                400, QStringLiteral("invalid_field"),
                QStringLiteral("email is not a valid email address: it should look like name@example.com."));
        contact.address = email;
        display = email;
    }
    const qint64 now = nowMs();
    const QString title = name.isEmpty() ? display : name;

    // The practice's own patient with this contact, joined or still invited, is the conversation's patient; anyone
    // else gets a placeholder who cannot sign in, as invitations make.
    std::optional<UserRecord> placeholder;
    User patient;
    if (const auto existing =
            m_storage.standard().practicePatientByContact(practiceId, channel == kSms ? contact.address : QString(),
                                                          channel == kEmail ? contact.address : QString())) {
        patient = *existing;
    } else {
        placeholder = UserRecord{};
        placeholder->user = User{newId(), title, QString(), QStringLiteral("patient"), practiceId};
        placeholder->createdAt = now;
        patient = placeholder->user;
    }
    ConversationRecord c;
    c.id = newId();
    c.practiceId = practiceId;
    c.patientId = patient.id;
    c.title = title;
    c.kind = channel;
    c.createdAt = c.lastActivityAt = now;
    contact.conversationId = c.id;

    const QList<User> staff = m_storage.accounts().staff(practiceId);
    Conversation view = m_conversations.view(c, caller.id, staff, patient);
    view.standard = toStandardContact(contact, region);
    const QByteArray data = compact(view.toJson());
    QList<NewEvent> events;
    for (const User &s : staff)
        events.append(NewEvent{s.id, QString::fromLatin1(EventType::ConversationCreated), data});
    const StandardWriteResult r =
        m_hub.commit([&] { return m_storage.standard().createStandardConversation(placeholder, c, contact, events); });
    if (r.status == StandardWriteResult::Status::DuplicateContact)
        throw DuplicateContact{r.conversationId};
    m_audit.record(AuditLog::of(caller), QStringLiteral("standard_conversation_created"), {view.id});
    log::info("standard conversation created");
    return view;
}

Conversation StandardService::recordConsent(const User &caller, const QString &conversationId, const QString &method,
                                            const QString &note)
{
    const ConversationRecord r = staffConversation(caller, conversationId);
    if (r.kind == QLatin1String("secure"))
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This conversation is end-to-end encrypted; consent to unencrypted messages is "
                           "recorded on SMS and email conversations only."));
    const qint64 now = nowMs();
    StandardChange change;
    change.conversationId = r.id;
    change.consent = Consent{method, note, caller.id, caller.name, now};
    change.messages.append(noteMessage(r.id, caller.id, caller.name, QStringLiteral("consent_recorded"), {}, now));
    change.eventsOf = changeEvents(r, true);
    const StandardWriteResult w = m_hub.commit([&] { return m_storage.standard().changeStandard(change); });
    if (w.status != StandardWriteResult::Status::Done)
        throw RequestError::notFound();
    m_audit.record(AuditLog::of(caller), QStringLiteral("consent_recorded"), {r.id});
    log::info("consent to unencrypted messages recorded");
    return m_conversations.get(caller, r.id);
}

Message StandardService::send(const User &caller, const QString &conversationId, const QString &clientId,
                              const QString &text, bool *created)
{
    const ConversationRecord r = staffConversation(caller, conversationId);
    // The gateway's limit, in UTF-16 units as an SMS carries text beyond GSM's alphabet (UCS-2): a transport
    // bound, not what a person counts.
    if (r.kind == kSms && text.size() > SmsBodyMax)
        throw RequestError(
            400, QStringLiteral("invalid_field"),
            QStringLiteral("A text message holds at most 1,600 characters; shorten it or send it in two parts."));
    const qint64 now = nowMs();
    const NewMessage m{newId(),     clientId,    r.id,
                       caller.id,   caller.name, text,
                       now,         {},          MessageDelivery{QStringLiteral("queued"), QString(), now},
                       std::nullopt};
    const QStringList to = m_conversations.recipients(r);
    // The message and the delivery that sends it are one write: a crash keeps both or neither, and a retry with the
    // same clientId finds a message that is already on its way.
    const auto deliveryOf = [&](const StandardContactRecord &contact, const Message &message) {
        Delivery d;
        d.channel = r.kind == kSms ? Channel::Sms : Channel::Email;
        d.to = contact.address;
        d.subject = QStringLiteral("Message from your care team");
        d.body = text;
        d.messageId = message.id;
        d.replyTo = d.channel == Channel::Email ? replyAddress(contact.replyToken) : QString();
        return m_courier.prepare(d);
    };
    const StandardSendResult result =
        m_hub.commit([&] { return m_storage.standard().sendStandardMessage(m, to, deliveryOf); });
    switch (result.status) {
    case StandardSendResult::Status::Created: break;
    case StandardSendResult::Status::Duplicate: *created = false; return result.message;
    case StandardSendResult::Status::Conflict:
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This clientId was already used for another message; send with a new clientId."));
    case StandardSendResult::Status::ConsentRequired:
        throw RequestError(
            409, QStringLiteral("consent_required"),
            QStringLiteral("Record the patient's consent to unencrypted messages before the first message."));
    case StandardSendResult::Status::OptedOut:
        throw RequestError(409, QStringLiteral("opted_out"),
                           QStringLiteral("This number replied STOP and can't be texted until they reply START."));
    case StandardSendResult::Status::NoConversation: throw RequestError::notFound();
    }
    if (result.delivery)
        m_courier.queued(*result.delivery);
    m_audit.record(AuditLog::of(caller), QStringLiteral("standard_message_sent"), {r.id, result.message.id});
    *created = true;
    return result.message;
}

bool StandardService::deliveryChanged(const DeliveryUpdate &update, const OutboxRecord &row)
{
    // Queued is what the message was stored with, in the same write as its row.
    if (update.messageId.isEmpty() || update.state == DeliveryState::Queued)
        return false;
    try {
        const auto message = m_storage.conversations().messageById(update.messageId);
        const auto record = message ? m_storage.conversations().conversation(message->conversationId) : std::nullopt;
        if (!record)
            return false;
        const QStringList to = m_conversations.recipients(*record);
        const MessageDelivery delivery{QString::fromLatin1(deliveryStateName(update.state)), update.detail,
                                       update.at > 0 ? update.at : nowMs()};
        m_hub.commit([&] {
            return m_storage.standard().updateMessageDelivery(
                update.messageId, delivery,
                [&](const Message &m) {
                    QList<NewEvent> events;
                    const QByteArray data = compact(m.toJson());
                    for (const QString &id : to)
                        events.append(NewEvent{id, QString::fromLatin1(EventType::MessageUpdated), data});
                    return events;
                },
                row);
        });
        return true;
    } catch (const std::exception &e) {
        log::error(std::string("could not record a message's delivery state: ") + e.what());
        return false;
    }
}

InviteService::Created StandardService::inviteToSecure(const User &caller, const QString &conversationId)
{
    const ConversationRecord r = staffConversation(caller, conversationId);
    if (r.kind == QLatin1String("secure"))
        throw RequestError(409, QStringLiteral("conflict"), QStringLiteral("This conversation is already secure."));
    const auto contact = m_storage.standard().standardContact(r.id);
    if (!contact)
        throw RequestError::notFound();
    if (contact->channel == kSms && contact->optedOutAt > 0)
        throw RequestError(409, QStringLiteral("opted_out"),
                           QStringLiteral("This number replied STOP, so no invitation can be texted to it until they "
                                          "reply START. Invite them by email instead."));
    const User patient = m_storage.accounts().user(r.patientId).value_or(User{});
    const bool sms = contact->channel == kSms;
    // The invitation's placeholder is this conversation's patient: pairing makes both threads the same patient's.
    const InviteService::Draft d = m_invites.draft(
        caller, r.practiceId, patient, r.title, sms ? contact->address : QString(), sms ? QString() : contact->address);
    StandardChange change;
    change.conversationId = r.id;
    change.secureConversationId = d.conversation.id;
    change.messages.append(
        noteMessage(r.id, caller.id, caller.name, QStringLiteral("secure_invited"), d.conversation.id, nowMs()));
    change.eventsOf = changeEvents(r, true);
    const OutboxRecord delivery = m_invites.deliveryOf(d.invitation, d.token);
    const StandardWriteResult w = m_hub.commit([&] {
        return m_storage.standard().createSecureInvitation(d.conversation, d.invitation, tokenDigest(d.token), d.events,
                                                           change, delivery);
    });
    if (w.status == StandardWriteResult::Status::DuplicateContact)
        throw DuplicateContact{w.conversationId};
    if (w.status != StandardWriteResult::Status::Done)
        throw RequestError::notFound();
    m_courier.queued(delivery);
    m_audit.record(AuditLog::of(caller), QStringLiteral("invitation_created"),
                   {d.invitation.id, d.conversation.id, r.id});
    log::info("invitation to a secure conversation sent from a standard conversation");
    return d.created;
}

} // namespace larch::server
