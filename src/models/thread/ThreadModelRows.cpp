// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ThreadModel: how a row reads: built from a message, an echo or a notice, and its roles as QML sees them.
#include "models/thread/ThreadModel.h"

#include "client/sync/StandardText.h"
#include "models/conversations/TimeText.h"

namespace larch {

namespace {
qint32 localDay(qint64 ms) { return qint32(TimeText::fromMs(ms).date().toJulianDay()); }
} // namespace

QString ThreadModel::intern(const QString &text)
{
    const auto it = m_interned.constFind(text);
    if (it != m_interned.cend())
        return *it;
    m_interned.insert(text, text);
    return text;
}

QString ThreadModel::keyPendingText()
{
    return QStringLiteral("The key for this message is on its way. It opens as soon as someone at the practice is "
                          "online.");
}

ThreadModel::Row ThreadModel::rowFrom(const StoredMessage &sm)
{
    const Message &m = sm.message;
    Row r;
    r.messageId = m.id;
    r.clientId = m.clientId;
    r.verification = sm.verification;
    r.check = sm.check;
    // Text that did not verify is never shown.
    r.body = sm.verification == Verification::Verified ? m.body : QString();
    r.senderId = intern(m.senderId);
    r.senderName = intern(m.senderName);
    r.seq = m.seq;
    r.sentAt = m.sentAt;
    r.day = localDay(m.sentAt);
    r.state = State::Confirmed;
    r.delivery = deliveryOf(m);
    if (r.delivery == Delivery::Failed)
        m_deliveryDetails.insert(m.id, m.delivery->detail);
    if (m.note) {
        r.noteKind = intern(m.note->kind);
        r.link = m.note->kind == QLatin1String("secure_invited") ? m.note->conversationId : QString();
        r.body.clear();
    } else if (sm.verification == Verification::Verified) {
        // Like the text, the files of a message that did not verify never show.
        r.files = filesOf(sm.attachments, m.id);
    }
    return r;
}

ThreadModel::Delivery ThreadModel::deliveryOf(const Message &m)
{
    if (!m.delivery || m.note)
        return Delivery::None;
    const QString &state = m.delivery->state;
    if (state == QLatin1String("queued"))
        return Delivery::Queued;
    if (state == QLatin1String("sent"))
        return Delivery::Sent;
    if (state == QLatin1String("delivered"))
        return Delivery::Delivered;
    if (state == QLatin1String("failed"))
        return Delivery::Failed;
    if (state == QLatin1String("received"))
        return Delivery::Received;
    return Delivery::Queued; // a state a newer server knows: on its way, as far as this app can tell
}

QString ThreadModel::noteText(const Row &row) const
{
    Message note;
    note.senderId = row.senderId;
    note.sentAt = row.sentAt;
    note.note = MessageNote{row.noteKind, row.link};
    return StandardText::noteSentence(*note.note, row.senderName, StandardText::consentMethodOf(note, m_standard));
}

ThreadModel::Row ThreadModel::rowFrom(const ThreadNotice &n)
{
    Row r;
    r.body = n.text;
    r.seq = n.afterSeq;
    r.noticeId = n.id;
    r.sentAt = n.createdAt;
    r.day = localDay(n.createdAt);
    r.state = State::Notice;
    return r;
}

QList<ThreadModel::Row> ThreadModel::noticeRows(qint64 fromSeq, qint64 toSeq)
{
    QList<Row> rows;
    if (fromSeq > toSeq)
        return rows;
    for (const ThreadNotice &n : m_store->messages().notices(m_conversationId, fromSeq, toSeq))
        rows.append(rowFrom(n));
    return rows;
}

ThreadModel::Row ThreadModel::rowFrom(const OutboxEntry &e)
{
    Row r;
    r.clientId = e.clientId;
    r.body = e.body;
    r.senderId = intern(m_userId);
    r.senderName = intern(m_userName);
    r.sentAt = e.createdAt;
    r.day = localDay(e.createdAt);
    r.state = e.state == OutboxEntry::State::Failed ? State::Failed : State::Pending;
    if (e.state == OutboxEntry::State::Failed)
        m_failureReasons.insert(e.clientId, e.failureReason);
    r.files = filesOf(e);
    return r;
}

DeliveryState::Value ThreadModel::deliveryState(const Row &row) const
{
    switch (row.state) {
    case State::Pending: return DeliveryState::Pending;
    case State::Failed: return DeliveryState::Failed;
    case State::Notice: return DeliveryState::None;
    case State::Confirmed: break;
    }
    switch (row.delivery) {
    case Delivery::None: break;
    case Delivery::Queued: return DeliveryState::Queued;
    case Delivery::Sent: return DeliveryState::Sent;
    case Delivery::Delivered: return DeliveryState::Delivered;
    case Delivery::Failed: return DeliveryState::Failed;
    case Delivery::Received: return DeliveryState::Received;
    }
    if (row.isNote())
        return DeliveryState::None;
    if (row.senderId != m_userId)
        return DeliveryState::Received;
    return row.seq <= m_othersReadSeq ? DeliveryState::Read : DeliveryState::Sent;
}

QVariant ThreadModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole: return r.isNote() ? noteText(r) : r.body;
    case MessageIdRole: return r.messageId;
    case ClientIdRole: return r.clientId;
    case SenderNameRole: return r.isNote() ? QString() : r.senderName;
    case IsMineRole: return r.state != State::Notice && !r.isNote() && r.senderId == m_userId;
    case SentAtRole: return TimeText::fromMs(r.sentAt);
    case TimeTextRole: return TimeText::timeOfDay(TimeText::fromMs(r.sentAt));
    case DayTextRole: return TimeText::dayText(QDate::fromJulianDay(r.day));
    case ShowDaySeparatorRole: return bool(r.flags & DaySeparator);
    case DeliveryStateRole: return QVariant::fromValue(deliveryState(r));
    case IsFirstOfGroupRole: return bool(r.flags & FirstOfGroup);
    case FailureReasonRole:
        if (r.state == State::Confirmed)
            return r.delivery == Delivery::Failed ? m_deliveryDetails.value(r.messageId) : QString();
        return m_failureReasons.value(r.clientId);
    case KindRole:
        return QVariant::fromValue(r.state == State::Notice || r.isNote() ? MessageKind::Notice : MessageKind::Message);
    case LinkConversationIdRole: return r.link;
    case VerificationRole:
        switch (r.verification) {
        case Verification::Verified: return QVariant::fromValue(VerificationState::Verified);
        case Verification::Unverifiable: return QVariant::fromValue(VerificationState::Unverifiable);
        case Verification::Unopened:
        case Verification::KeyPending: break;
        }
        return QVariant::fromValue(VerificationState::KeyPending);
    case VerificationTextRole: return verificationText(r);
    case AttachmentCountRole: return r.files ? int(r.files->size()) : 0;
    default: return {};
    }
}

QString ThreadModel::verificationText(const Row &row) const
{
    switch (row.verification) {
    case Verification::Verified: return {};
    case Verification::Unverifiable: return describe(row.check);
    case Verification::Unopened:
    case Verification::KeyPending: break;
    }
    return keyPendingText();
}

QHash<int, QByteArray> ThreadModel::roleNames() const
{
    return {{MessageIdRole, "messageId"},
            {ClientIdRole, "clientId"},
            {BodyRole, "body"},
            {SenderNameRole, "senderName"},
            {IsMineRole, "isMine"},
            {SentAtRole, "sentAt"},
            {TimeTextRole, "timeText"},
            {DayTextRole, "dayText"},
            {ShowDaySeparatorRole, "showDaySeparator"},
            {DeliveryStateRole, "deliveryState"},
            {IsFirstOfGroupRole, "isFirstOfGroup"},
            {FailureReasonRole, "failureReason"},
            {KindRole, "kind"},
            {VerificationRole, "verification"},
            {VerificationTextRole, "verificationText"},
            {LinkConversationIdRole, "linkConversationId"},
            {AttachmentCountRole, "attachmentCount"}};
}

quint8 ThreadModel::groupingOf(int row) const
{
    const Row &r = m_rows.at(row);
    if (row + 1 >= m_rows.size())
        return DaySeparator | FirstOfGroup;
    const Row &older = m_rows.at(row + 1);
    // A note is nobody's bubble: it ends the group above it like a notice does.
    const auto groupOf = [](const Row &x) { return x.isNote() ? QString() : x.senderId; };
    quint8 flags = 0;
    if (older.day != r.day)
        flags |= DaySeparator | FirstOfGroup;
    else if (groupOf(older) != groupOf(r) || r.isNote())
        flags |= FirstOfGroup;
    return flags;
}

} // namespace larch
