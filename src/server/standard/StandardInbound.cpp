// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StandardService's inbound side: texts and e-mails a contact sends, routed to their standard conversation, with the
// carrier keywords STOP, START and HELP (docs/standard-conversations.md, "Inbound").
#include "server/standard/StandardService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <QDateTime>
#include <QRegularExpression>

namespace larch::server {
namespace {

enum class Keyword { None, Stop, Start, Help };

/// The carrier keyword a whole text is, in any case and with surrounding spaces or a final full stop.
Keyword keywordOf(const QString &text)
{
    QString word = text.trimmed().toUpper();
    if (word.endsWith(QLatin1Char('.')) || word.endsWith(QLatin1Char('!')))
        word.chop(1);
    static const QStringList stop{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"};
    static const QStringList start{"START", "UNSTOP"};
    static const QStringList help{"HELP", "INFO"};
    if (stop.contains(word))
        return Keyword::Stop;
    if (start.contains(word))
        return Keyword::Start;
    if (help.contains(word))
        return Keyword::Help;
    return Keyword::None;
}

// The automatic replies name no one: not the patient, not the practice (the number may have changed hands).
const QString kStopReply = QStringLiteral(
    "You have been unsubscribed and will get no more texts from this number. Reply START to resubscribe.");
const QString kStartReply =
    QStringLiteral("You have been resubscribed and can get texts from this number again. Reply STOP to unsubscribe.");
const QString kHelpReply = QStringLiteral("Reply STOP to unsubscribe. For help, call your care team.");

/// The bare address of a From header: "Sam Lee <sam@example.org>" → "sam@example.org".
QString bareAddress(const QString &header)
{
    const qsizetype open = header.lastIndexOf(QLatin1Char('<'));
    const qsizetype close = header.lastIndexOf(QLatin1Char('>'));
    const QString address = open >= 0 && close > open ? header.mid(open + 1, close - open - 1) : header;
    return address.trimmed().toLower();
}

/// The reply token of a recipient such as "replies+3f2a…@clinic.example" (several may be comma-separated).
QStringList replyTokens(const QString &recipients)
{
    static const QRegularExpression token(QStringLiteral("\\+([0-9a-f]{32})@"));
    QStringList out;
    for (auto it = token.globalMatch(recipients.toLower()); it.hasNext();)
        out.append(it.next().captured(1));
    return out;
}

} // namespace

StandardService::Inbound StandardService::receive(const StandardContactRecord &contact, const QString &text,
                                                  const QString &inboundId)
{
    const auto record = m_storage.conversations().conversation(contact.conversationId);
    if (!record)
        return Inbound::Ignored;
    const qint64 now = nowMs();
    StandardChange change;
    change.conversationId = record->id;
    change.inboundId = inboundId;
    // The contact speaks as the conversation's patient, under the name the practice gave the thread.
    const NewMessage in{newId(),
                        newId(),
                        record->id,
                        record->patientId,
                        record->title,
                        textLeft(text, Limits::MessageBodyMax),
                        now,
                        {},
                        MessageDelivery{QStringLiteral("received"), QString(), now},
                        std::nullopt};
    change.messages.append(in);

    QString reply;
    bool updated = false;
    if (contact.channel == QLatin1String("sms")) {
        switch (keywordOf(text)) {
        case Keyword::Stop:
            reply = kStopReply;
            if (contact.optedOutAt == 0) {
                change.optedOutAt = now;
                change.messages.append(
                    noteMessage(record->id, record->patientId, record->title, QStringLiteral("opted_out"), {}, now));
                updated = true;
            }
            break;
        case Keyword::Start:
            if (contact.optedOutAt > 0) {
                reply = kStartReply;
                change.optedOutAt = 0;
                change.messages.append(
                    noteMessage(record->id, record->patientId, record->title, QStringLiteral("opted_in"), {}, now));
                updated = true;
            }
            break;
        case Keyword::Help: reply = kHelpReply; break;
        case Keyword::None: break;
        }
    }
    change.eventsOf = changeEvents(*record, updated);
    const StandardWriteResult w = m_hub.commit([&] { return m_storage.standard().changeStandard(change); });
    if (w.status == StandardWriteResult::Status::Duplicate)
        return Inbound::Duplicate;
    if (w.status != StandardWriteResult::Status::Done)
        return Inbound::Ignored;
    if (!reply.isEmpty()) {
        // The carrier's keywords get their answer through the courier, outside the thread (the note records it).
        Delivery d;
        d.channel = Channel::Sms;
        d.to = contact.address;
        d.body = reply;
        m_courier.enqueue(d);
    }
    log::info(std::string("inbound ") + (contact.channel == QLatin1String("sms") ? "text" : "e-mail")
              + " stored in a standard conversation");
    return Inbound::Stored;
}

StandardService::Inbound StandardService::receiveSms(const QString &from, const QString &body,
                                                     const QString &messageSid)
{
    const auto contact = m_storage.standard().standardByAddress(QStringLiteral("sms"), from.trimmed());
    if (!contact) {
        log::info("inbound text ignored: no conversation has its number");
        return Inbound::Ignored;
    }
    return receive(*contact, body, QStringLiteral("sms:") + messageSid);
}

StandardService::Inbound StandardService::receiveEmail(const QString &recipient, const QString &sender,
                                                       const QString &text, const QString &messageId)
{
    std::optional<StandardContactRecord> contact;
    for (const QString &token : replyTokens(recipient)) {
        contact = m_storage.standard().standardByReplyToken(token);
        if (contact)
            break;
    }
    if (!contact)
        contact = m_storage.standard().standardByAddress(QStringLiteral("email"), bareAddress(sender));
    if (!contact || contact->channel != QLatin1String("email")) {
        log::info("inbound e-mail ignored: no conversation matches it");
        return Inbound::Ignored;
    }
    return receive(*contact, text, messageId.isEmpty() ? QString() : QStringLiteral("email:") + messageId.trimmed());
}

} // namespace larch::server
