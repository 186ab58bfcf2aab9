// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/MessageCache.h"

#include "client/store/LocalStore.h"
#include "client/sync/StandardText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
constexpr int PreviewMax = 200;

// SQLite stores a null QString as NULL; the schema wants text, so empty stays empty.
QVariant text(const QString &s) { return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s); }
QVariant blob(const QByteArray &b) { return b.isNull() ? QVariant(QByteArray("")) : QVariant(b); }

const char *const MessageColumns = "id, conversation_id, seq, client_id, sender_id, sender_name, envelope, body,"
                                   " verification, check_result, sent_at, delivery, note, attachments";

/// The list's line for a message with files: what it carries, then its caption.
QString previewOfAttachments(const QList<AttachmentRef> &attachments, const QString &caption)
{
    const QString &kind = attachments.first().kind;
    QString what = kind == QLatin1String("image") ? QStringLiteral("Photo")
        : kind == QLatin1String("video")          ? QStringLiteral("Video")
                                                  : QStringLiteral("PDF document");
    if (attachments.size() > 1)
        what = QStringLiteral("%1 attachments").arg(attachments.size());
    return caption.trimmed().isEmpty() ? what : what + QStringLiteral(" · ") + caption;
}

QString previewOfText(Verification verification, const QString &body, const QList<AttachmentRef> &attachments = {})
{
    switch (verification) {
    case Verification::Verified:
        return previewOf(attachments.isEmpty() ? body : previewOfAttachments(attachments, body));
    case Verification::Unverifiable: return QStringLiteral("A message that could not be verified");
    case Verification::Unopened:
    case Verification::KeyPending: break;
    }
    return QStringLiteral("An encrypted message whose key is on its way");
}

/// Attachment references as kept at rest (sealed by the caller: they hold the files' keys).
QByteArray attachmentsBytes(const QList<AttachmentRef> &attachments)
{
    if (attachments.isEmpty())
        return {};
    QJsonArray list;
    for (const AttachmentRef &a : attachments)
        list.append(a.toJson());
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

QList<AttachmentRef> attachmentsFrom(const QByteArray &bytes)
{
    QList<AttachmentRef> list;
    for (const QJsonValue &v : QJsonDocument::fromJson(bytes).array()) {
        if (auto a = AttachmentRef::fromJson(v.toObject()))
            list.append(std::move(*a));
    }
    return list;
}

template<typename T>
QString jsonText(const std::optional<T> &value)
{
    return value ? QString::fromUtf8(QJsonDocument(value->toJson()).toJson(QJsonDocument::Compact))
                 : QStringLiteral("");
}

template<typename T>
std::optional<T> fromJsonText(const QString &text)
{
    return text.isEmpty() ? std::nullopt : T::fromJson(QJsonDocument::fromJson(text.toUtf8()).object());
}
} // namespace

MessageCache::MessageCache(LocalStore &local) : m_local(local), m_db(local.connection()) { }

QString previewOf(const QString &body)
{
    QString line = body.simplified();
    if (line.size() > PreviewMax)
        line = line.left(PreviewMax - 1) + QChar(0x2026);
    return line;
}

QString MessageCache::previewFor(const StoredMessage &sm) const
{
    const Message &m = sm.message;
    if (!m.note)
        return previewOfText(sm.verification, m.body, sm.attachments);
    const auto summary = m_local.conversations().summary(m.conversationId);
    return StandardText::noteSentence(*m.note, m.senderName,
                                      StandardText::consentMethodOf(m, summary ? summary->standard : std::nullopt));
}

bool MessageCache::setMessageDelivery(const QString &messageId, const MessageDelivery &delivery)
{
    const auto stored = messageById(messageId);
    if (!stored)
        return false;
    const auto &before = stored->message.delivery;
    if (before && (*before == delivery || before->updatedAt > delivery.updatedAt))
        return false;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE messages SET delivery = ? WHERE id = ?"));
    q.addBindValue(jsonText(std::optional<MessageDelivery>(delivery)));
    q.addBindValue(messageId);
    if (!q.exec()) {
        m_local.fail(QStringLiteral("setMessageDelivery"), q);
        return false;
    }
    return true;
}

MessageApplied MessageCache::applyMessage(const Message &message, const QString &myUserId)
{
    return applyMessage(StoredMessage{message, Verification::Unopened, MessageCheck::Ok}, myUserId);
}

MessageApplied MessageCache::applyMessage(const StoredMessage &sm, const QString &myUserId)
{
    const Message &m = sm.message;
    const bool verified = sm.verification == Verification::Verified;
    const QByteArray body = verified ? m_local.seal("messages", m.id, m.body) : QByteArray();
    const QByteArray attachments = verified && !sm.attachments.isEmpty()
        ? m_local.sealBytes("messages.attachments", m.id, attachmentsBytes(sm.attachments))
        : QByteArray();
    const QString envelope =
        m.envelope ? QString::fromUtf8(QJsonDocument(*m.envelope).toJson(QJsonDocument::Compact)) : QString();
    MessageApplied result;
    m_local.beginBatch();
    std::optional<Verification> stored;
    {
        QSqlQuery find(m_db);
        find.prepare(QStringLiteral("SELECT verification FROM messages WHERE id = ?"));
        find.addBindValue(m.id);
        if (find.exec() && find.next())
            stored = Verification(find.value(0).toInt());
    }
    if (!stored) {
        QSqlQuery insert(m_db);
        insert.prepare(
            QStringLiteral("INSERT OR IGNORE INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .arg(QLatin1String(MessageColumns)));
        for (const QVariant &v :
             {text(m.id), text(m.conversationId), QVariant(m.seq), text(m.clientId), text(m.senderId),
              text(m.senderName), text(envelope), blob(body), QVariant(int(sm.verification)), QVariant(int(sm.check)),
              QVariant(m.sentAt), text(jsonText(m.delivery)), text(jsonText(m.note)), blob(attachments)})
            insert.addBindValue(v);
        if (!insert.exec())
            m_local.fail(QStringLiteral("applyMessage"), insert);
        result.inserted = insert.numRowsAffected() > 0;
    } else if (sm.verification != Verification::Unopened
               && (*stored == Verification::Unopened || *stored == Verification::KeyPending)) {
        result.conversationChanged = setMessageOpened(m.id, sm.verification, sm.check, m.body, sm.attachments);
        result.updated = true;
    } else if (m.delivery && setMessageDelivery(m.id, *m.delivery)) {
        result.updated = true; // a thread page brought a newer delivery state than an event did
    }

    const auto summary = m_local.conversations().summary(m.conversationId);
    result.conversationKnown = summary.has_value();
    // An empty myUserId means "a copy from the server that already counts unread"; only move the summary forward.
    if (result.inserted && summary && m.seq > summary->lastSeq && !myUserId.isEmpty()) {
        qint64 unread = summary->unreadCount;
        if (m.senderId != myUserId) {
            QSqlQuery mark(m_db);
            mark.prepare(QStringLiteral("SELECT last_read_seq FROM members WHERE conversation_id = ? AND user_id = ?"));
            mark.addBindValue(m.conversationId);
            mark.addBindValue(myUserId);
            const qint64 myRead = mark.exec() && mark.next() ? mark.value(0).toLongLong() : 0;
            if (m.seq > myRead)
                ++unread;
        }
        QSqlQuery update(m_db);
        update.prepare(QStringLiteral("UPDATE conversations SET last_seq = ?, preview = ?, unread_count = ?,"
                                      " last_activity_at = MAX(last_activity_at, ?) WHERE id = ?"));
        update.addBindValue(m.seq);
        update.addBindValue(blob(m_local.seal("conversations", m.conversationId, previewFor(sm))));
        update.addBindValue(unread);
        update.addBindValue(m.sentAt);
        update.addBindValue(m.conversationId);
        if (!update.exec())
            m_local.fail(QStringLiteral("applyMessage summary"), update);
        result.conversationChanged = true;
    } else if (result.inserted && summary && m.seq == summary->lastSeq) {
        // The conversation's newest message, known from the list before its text: its preview now.
        updatePreviewIfLatest(m.conversationId, m.seq, previewFor(sm), &result.conversationChanged);
    }
    m_local.endBatch();
    return result;
}

void MessageCache::updatePreviewIfLatest(const QString &conversationId, qint64 seq, const QString &preview,
                                         bool *changed)
{
    const auto summary = m_local.conversations().summary(conversationId);
    if (!summary || summary->lastSeq != seq || summary->preview == preview)
        return;
    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE conversations SET preview = ? WHERE id = ?"));
    update.addBindValue(blob(m_local.seal("conversations", conversationId, preview)));
    update.addBindValue(conversationId);
    if (!update.exec()) {
        m_local.fail(QStringLiteral("preview"), update);
        return;
    }
    *changed = true;
}

bool MessageCache::setMessageOpened(const QString &messageId, Verification verification, MessageCheck check,
                                    const QString &plain, const QList<AttachmentRef> &attachments)
{
    const auto current = messageById(messageId);
    if (!current)
        return false;
    const bool verified = verification == Verification::Verified;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE messages SET body = ?, attachments = ?, verification = ?, check_result = ?"
                             " WHERE id = ?"));
    q.addBindValue(blob(verified ? m_local.seal("messages", messageId, plain) : QByteArray()));
    q.addBindValue(blob(verified && !attachments.isEmpty()
                            ? m_local.sealBytes("messages.attachments", messageId, attachmentsBytes(attachments))
                            : QByteArray()));
    q.addBindValue(int(verification));
    q.addBindValue(int(check));
    q.addBindValue(messageId);
    if (!q.exec()) {
        m_local.fail(QStringLiteral("setMessageOpened"), q);
        return false;
    }
    bool changed = false;
    updatePreviewIfLatest(current->message.conversationId, current->message.seq,
                          previewOfText(verification, verified ? plain : QString(), attachments), &changed);
    return changed;
}

StoredMessage MessageCache::messageFrom(const QSqlQuery &q) const
{
    StoredMessage sm;
    Message &m = sm.message;
    m.id = q.value(0).toString();
    m.conversationId = q.value(1).toString();
    m.seq = q.value(2).toLongLong();
    m.clientId = q.value(3).toString();
    m.senderId = q.value(4).toString();
    m.senderName = q.value(5).toString();
    const QString envelope = q.value(6).toString();
    if (!envelope.isEmpty())
        m.envelope = QJsonDocument::fromJson(envelope.toUtf8()).object();
    sm.verification = Verification(q.value(8).toInt());
    sm.check = MessageCheck(q.value(9).toInt());
    m.sentAt = q.value(10).toLongLong();
    m.delivery = fromJsonText<MessageDelivery>(q.value(11).toString());
    m.note = fromJsonText<MessageNote>(q.value(12).toString());
    if (sm.verification == Verification::Verified) {
        const auto plain = m_local.unsealBytes("messages", m.id, q.value(7).toByteArray());
        const QByteArray sealedAttachments = q.value(13).toByteArray();
        const auto attachments = sealedAttachments.isEmpty()
            ? std::optional<QByteArray>(QByteArray())
            : m_local.unsealBytes("messages.attachments", m.id, sealedAttachments);
        if (plain && attachments) {
            m.body = QString::fromUtf8(*plain);
            sm.attachments = attachmentsFrom(*attachments);
        } else {
            // Written under another storage key or altered on disk: open it again from its envelope.
            sm.verification = Verification::Unopened;
        }
    }
    return sm;
}

QList<StoredMessage> MessageCache::messagesBefore(const QString &conversationId, qint64 beforeSeq, int limit) const
{
    QList<StoredMessage> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE conversation_id = ? AND seq < ? "
                             "ORDER BY seq DESC LIMIT ?")
                  .arg(QLatin1String(MessageColumns)));
    q.addBindValue(conversationId);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    q.addBindValue(limit);
    if (!q.exec()) {
        m_local.fail(QStringLiteral("messagesBefore"), q);
        return list;
    }
    list.reserve(limit);
    while (q.next())
        list.append(messageFrom(q));
    return list;
}

std::optional<StoredMessage> MessageCache::messageById(const QString &messageId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE id = ?").arg(QLatin1String(MessageColumns)));
    q.addBindValue(messageId);
    if (q.exec() && q.next())
        return messageFrom(q);
    return std::nullopt;
}

std::optional<StoredMessage> MessageCache::messageByClientId(const QString &clientId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE client_id = ? ORDER BY seq LIMIT 1")
                  .arg(QLatin1String(MessageColumns)));
    q.addBindValue(clientId);
    if (q.exec() && q.next())
        return messageFrom(q);
    return std::nullopt;
}

QList<StoredMessage> MessageCache::messagesToOpen(const QString &conversationId, bool includeKeyPending) const
{
    QList<StoredMessage> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    const QString states = includeKeyPending ? QStringLiteral("(0, 3)") : QStringLiteral("(0)");
    if (conversationId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE verification IN %2 ORDER BY conversation_id, seq")
                      .arg(QLatin1String(MessageColumns), states));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE verification IN %2 AND conversation_id = ? "
                                 "ORDER BY seq")
                      .arg(QLatin1String(MessageColumns), states));
        q.addBindValue(conversationId);
    }
    if (!q.exec())
        return list;
    while (q.next())
        list.append(messageFrom(q));
    return list;
}

bool MessageCache::clientIdSeen(const QString &conversationId, const QString &clientId,
                                const QString &exceptMessageId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM messages WHERE client_id = ? AND conversation_id = ? AND id <> ?"
                             " AND verification = 1 LIMIT 1"));
    q.addBindValue(clientId);
    q.addBindValue(conversationId);
    q.addBindValue(exceptMessageId);
    return q.exec() && q.next();
}

std::optional<ThreadNotice> MessageCache::addNotice(const QString &conversationId, const QString &key,
                                                    const QString &noticeText, qint64 createdAt)
{
    const auto summary = m_local.conversations().summary(conversationId);
    if (!summary || !m_local.hasStorageKey())
        return std::nullopt;
    ThreadNotice notice{0, conversationId, summary->lastSeq, createdAt, noticeText};
    m_local.beginBatch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO notices (conversation_id, notice_key, after_seq, created_at, text)"
                             " VALUES (?, ?, ?, ?, x'')"));
    q.addBindValue(conversationId);
    q.addBindValue(key);
    q.addBindValue(notice.afterSeq);
    q.addBindValue(createdAt);
    if (!q.exec() || q.numRowsAffected() == 0) {
        m_local.endBatch();
        return std::nullopt;
    }
    notice.id = q.lastInsertId().toLongLong();
    // The row id is the associated data, so the text is sealed once the id exists.
    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE notices SET text = ? WHERE id = ?"));
    update.addBindValue(m_local.seal("notices", QString::number(notice.id), noticeText));
    update.addBindValue(notice.id);
    if (!update.exec())
        m_local.fail(QStringLiteral("addNotice"), update);
    m_local.endBatch();
    return notice;
}

QList<ThreadNotice> MessageCache::notices(const QString &conversationId, qint64 fromSeq, qint64 toSeq) const
{
    QList<ThreadNotice> list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, after_seq, created_at, text FROM notices WHERE conversation_id = ?"
                             " AND after_seq >= ? AND after_seq <= ? ORDER BY after_seq DESC, id DESC"));
    q.addBindValue(conversationId);
    q.addBindValue(fromSeq);
    q.addBindValue(toSeq);
    if (!q.exec())
        return list;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        list.append(ThreadNotice{id, conversationId, q.value(1).toLongLong(), q.value(2).toLongLong(),
                                 m_local.unseal("notices", QString::number(id), q.value(3).toByteArray())});
    }
    return list;
}

} // namespace larch
