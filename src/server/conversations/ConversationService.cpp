// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/conversations/ConversationService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"

#include <QDateTime>

namespace larch::server {
namespace {

QString encodeCursor(const ConversationRecord &c)
{
    return QString::number(c.lastActivityAt) + QLatin1Char('_') + c.id;
}

std::optional<std::pair<qint64, QString>> decodeCursor(const QString &cursor)
{
    const qsizetype sep = cursor.indexOf(QLatin1Char('_'));
    if (sep <= 0)
        return std::nullopt;
    bool ok = false;
    const qint64 at = cursor.left(sep).toLongLong(&ok);
    const QString id = cursor.mid(sep + 1);
    if (!ok || !isValidId(id))
        return std::nullopt;
    return std::make_pair(at, id);
}

} // namespace

ConversationRecord ConversationService::visible(const User &caller, const QString &id)
{
    if (!isValidId(id))
        throw RequestError::notFound();
    auto c = m_storage.conversations().conversation(id);
    if (!c)
        throw RequestError::notFound();
    // Patients never see standard (SMS/email) conversations: those are the practice's record of texts and e-mails.
    const bool allowed = caller.isStaff() ? c->practiceId == caller.practiceId
                                          : c->patientId == caller.id && c->kind == QLatin1String("secure");
    if (!allowed)
        throw RequestError::notFound();
    return *c;
}

QStringList ConversationService::recipients(const ConversationRecord &record)
{
    QStringList out;
    if (record.kind == QLatin1String("secure"))
        out.append(record.patientId); // a standard conversation's events go to staff only
    for (const User &s : m_storage.accounts().staff(record.practiceId))
        out.append(s.id);
    return out;
}

Conversation ConversationService::view(const ConversationRecord &r, const QString &viewerId, const QList<User> &staff,
                                       const User &patient)
{
    Conversation c;
    c.id = r.id;
    c.practiceId = r.practiceId;
    c.patientId = r.patientId;
    c.title = r.title;
    c.kind = r.kind;
    c.createdAt = r.createdAt;
    c.lastActivityAt = r.lastActivityAt;
    c.lastSeq = r.lastSeq;
    const auto markers = r.lastSeq > 0 ? m_storage.conversations().readMarkers(r.id) : QHash<QString, qint64>();
    c.members.append(Member{patient.id, patient.name, patient.role, markers.value(patient.id)});
    for (const User &s : staff)
        c.members.append(Member{s.id, s.name, s.role, markers.value(s.id)});
    // Staff see where the conversation's invitation stands and its tags (their own labels); the patient never does.
    if (viewerId != r.patientId) {
        c.tags = r.tags;
        const QString invitation = m_storage.invitations().invitationState(r.id, QDateTime::currentMSecsSinceEpoch());
        if (!invitation.isEmpty())
            c.invitationState = invitation;
        if (r.kind != QLatin1String("secure"))
            if (const auto contact = m_storage.standard().standardContact(r.id))
                c.standard = toStandardContact(*contact, m_storage.invitations().practiceRegion(r.practiceId));
    }
    if (r.lastSeq > 0) {
        c.lastMessage = m_storage.conversations().lastMessage(r.id);
        c.unreadCount = m_storage.conversations().unreadCount(r.id, viewerId, markers.value(viewerId));
    }
    return c;
}

ConversationPage ConversationService::list(const User &caller, int limit, const QString &before)
{
    std::optional<std::pair<qint64, QString>> after;
    if (!before.isEmpty()) {
        after = decodeCursor(before);
        if (!after)
            throw RequestError(400, QStringLiteral("invalid_field"),
                               QStringLiteral("before must be a cursor returned as next by this endpoint"));
    }
    // One extra row tells whether another page exists.
    auto rows = caller.isStaff() ? m_storage.conversations().conversationPage({}, caller.practiceId, after, limit + 1)
                                 : m_storage.conversations().conversationPage(caller.id, {}, after, limit + 1);
    ConversationPage page;
    if (rows.size() > limit) {
        rows.resize(limit);
        page.next = encodeCursor(rows.last());
    }
    QHash<QString, QList<User>> staffByPractice;
    for (const auto &r : rows) {
        if (!staffByPractice.contains(r.practiceId))
            staffByPractice.insert(r.practiceId, m_storage.accounts().staff(r.practiceId));
        const auto patient =
            r.patientId == caller.id ? std::optional<User>(caller) : m_storage.accounts().user(r.patientId);
        page.conversations.append(view(r, caller.id, staffByPractice.value(r.practiceId), patient.value_or(User{})));
    }
    return page;
}

Conversation ConversationService::get(const User &caller, const QString &id)
{
    const auto r = visible(caller, id);
    const auto patient = m_storage.accounts().user(r.patientId);
    return view(r, caller.id, m_storage.accounts().staff(r.practiceId), patient.value_or(User{}));
}

MessagePage ConversationService::messages(const User &caller, const QString &id, qint64 before, int limit)
{
    visible(caller, id);
    MessagePage page;
    page.messages = m_storage.conversations().messages(id, before, limit + 1);
    if (page.messages.size() > limit) {
        page.messages.resize(limit);
        page.hasMore = true;
    }
    return page;
}

void ConversationService::requireSender(const Authenticated &caller, const QString &conversationId,
                                        const EnvelopeInput &envelope, const QString &beforeWhat)
{
    if (!caller.hasActiveDevice())
        throw RequestError(403, QStringLiteral("device_required"),
                           QStringLiteral("Register this device, and have it approved if it is a staff device, before "
                                          "%1.")
                               .arg(beforeWhat));
    if (envelope.senderDeviceId != caller.deviceId)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("envelope.senderDeviceId must be the device this session registered."));
    if (!m_storage.devices().epochExists(conversationId, envelope.epoch))
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("Epoch %1 does not exist in this conversation; fetch its keys and encrypt "
                                          "under an existing epoch.")
                               .arg(envelope.epoch));
}

Message ConversationService::send(const Authenticated &caller, const QString &id, const QString &clientId,
                                  const EnvelopeInput &envelope, bool *created)
{
    const auto r = visible(caller.user, id);
    requireSender(caller, id, envelope, QStringLiteral("sending in a secure conversation"));
    const QStringList to = recipients(r);
    NewMessage m{newId(),
                 clientId,
                 id,
                 caller.user.id,
                 caller.user.name,
                 QString(),
                 QDateTime::currentMSecsSinceEpoch(),
                 envelope.canonical,
                 std::nullopt,
                 std::nullopt};
    const SendResult result = m_hub.commit([&] { return m_storage.conversations().sendMessage(m, to); });
    switch (result.status) {
    case SendResult::Status::Created: *created = true; return result.message;
    case SendResult::Status::Duplicate: *created = false; return result.message;
    case SendResult::Status::Conflict:
        throw RequestError(
            409, QStringLiteral("conflict"),
            QStringLiteral("This clientId was already used for another message; send with a new clientId."));
    case SendResult::Status::NoConversation: break;
    }
    throw RequestError::notFound();
}

ReadState ConversationService::markRead(const User &caller, const QString &id, qint64 seq)
{
    const auto r = visible(caller, id);
    // A marker past the newest message would hide messages that have not been written yet.
    const qint64 target = std::min(seq, r.lastSeq);
    const QStringList to = recipients(r);
    const ReadResult result =
        m_hub.commit([&] { return m_storage.conversations().markRead(id, caller.id, target, to); });
    return ReadState{id, caller.id, result.lastReadSeq,
                     m_storage.conversations().unreadCount(id, caller.id, result.lastReadSeq)};
}

} // namespace larch::server
