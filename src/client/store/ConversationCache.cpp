// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/ConversationCache.h"

#include "client/store/LocalStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
// SQLite stores a null QString as NULL; the schema wants text, so empty stays empty.
QVariant text(const QString &s) { return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s); }
QVariant blob(const QByteArray &b) { return b.isNull() ? QVariant(QByteArray("")) : QVariant(b); }

const char *const SummaryColumns = "id, title, kind, preview, last_activity_at, unread_count, last_seq,"
                                   " invitation_state, tags, standard";
// The contact and consent note are the patient's: sealed like a preview, under their own associated data.
const char *const StandardSealTable = "conversations.standard";

QString tagsText(const QStringList &tags)
{
    if (tags.isEmpty())
        return QStringLiteral("");
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QStringList tagsFrom(const QString &text)
{
    QStringList tags;
    if (text.isEmpty())
        return tags;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        tags.append(v.toString());
    return tags;
}
} // namespace

ConversationCache::ConversationCache(LocalStore &local) : m_local(local), m_db(local.connection()) { }

ConversationSummary ConversationCache::summaryFrom(const QSqlQuery &q) const
{
    ConversationSummary c;
    c.id = q.value(0).toString();
    c.title = q.value(1).toString();
    c.kind = q.value(2).toString();
    c.preview = m_local.unseal("conversations", c.id, q.value(3).toByteArray());
    c.lastActivityAt = q.value(4).toLongLong();
    c.unreadCount = q.value(5).toLongLong();
    c.lastSeq = q.value(6).toLongLong();
    c.invitationState = q.value(7).toString();
    c.tags = tagsFrom(q.value(8).toString());
    const QByteArray standard = q.value(9).toByteArray();
    if (!standard.isEmpty()) {
        if (const auto json = m_local.unsealBytes(StandardSealTable, c.id, standard))
            c.standard = StandardContact::fromJson(QJsonDocument::fromJson(*json).object());
    }
    return c;
}

QList<ConversationSummary> ConversationCache::summaries() const
{
    QList<ConversationSummary> list;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM conversations ORDER BY last_activity_at DESC, id")
                    .arg(QLatin1String(SummaryColumns)))) {
        m_local.fail(QStringLiteral("conversationSummaries"), q);
        return list;
    }
    while (q.next())
        list.append(summaryFrom(q));
    return list;
}

std::optional<ConversationSummary> ConversationCache::summary(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM conversations WHERE id = ?").arg(QLatin1String(SummaryColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return summaryFrom(q);
}

QString ConversationCache::patient(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT patient_id FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QString ConversationCache::kind(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT kind FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QString ConversationCache::practice(const QString &id) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT practice_id FROM conversations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

bool ConversationCache::upsert(const Conversation &c, bool *contactHeldBack)
{
    if (contactHeldBack)
        *contactHeldBack = false;
    const auto before = summary(c.id);
    ConversationSummary next{c.id,
                             c.title,
                             c.kind,
                             before ? before->preview : QString(),
                             c.lastActivityAt,
                             c.unreadCount,
                             c.lastSeq,
                             before ? before->invitationState : QString(),
                             c.tags,
                             c.standard};
    // A conversation's kind never changes: a server claiming a secure thread became plain is not believed.
    if (before)
        next.kind = before->kind;
    // Events may have moved the conversation past this copy of it; never step back.
    if (before && before->lastSeq > c.lastSeq) {
        next.lastActivityAt = before->lastActivityAt;
        next.unreadCount = before->unreadCount;
        next.lastSeq = before->lastSeq;
        // Consent, opt-out and invitations each write a note: a copy older than the newest message is stale.
        next.standard = before->standard;
        if (contactHeldBack)
            *contactHeldBack = c.standard != before->standard;
    }
    const QByteArray standard = next.standard
        ? m_local.sealBytes(StandardSealTable, c.id,
                            QJsonDocument(next.standard->toJson()).toJson(QJsonDocument::Compact))
        : QByteArray();
    m_local.beginBatch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at,"
        " unread_count, last_seq, preview, tags, standard) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET practice_id = excluded.practice_id, patient_id = excluded.patient_id,"
        " title = excluded.title, created_at = excluded.created_at,"
        " last_activity_at = excluded.last_activity_at, unread_count = excluded.unread_count,"
        " last_seq = excluded.last_seq, tags = excluded.tags, standard = excluded.standard"));
    for (const QVariant &v :
         {text(c.id), text(c.practiceId), text(c.patientId), text(next.title), text(next.kind), QVariant(c.createdAt),
          QVariant(next.lastActivityAt), QVariant(next.unreadCount), QVariant(next.lastSeq),
          blob(m_local.seal("conversations", c.id, next.preview)), text(tagsText(c.tags)), blob(standard)})
        q.addBindValue(v);
    if (!q.exec())
        m_local.fail(QStringLiteral("upsertConversation"), q);
    QSqlQuery m(m_db);
    m.prepare(QStringLiteral("INSERT INTO members (conversation_id, user_id, name, role, last_read_seq) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT(conversation_id, user_id) DO UPDATE SET"
                             " name = excluded.name, role = excluded.role,"
                             " last_read_seq = MAX(last_read_seq, excluded.last_read_seq)"));
    for (const Member &member : c.members) {
        m.addBindValue(c.id);
        m.addBindValue(member.userId);
        m.addBindValue(text(member.name));
        m.addBindValue(text(member.role));
        m.addBindValue(member.lastReadSeq);
        if (!m.exec())
            m_local.fail(QStringLiteral("upsertConversation members"), m);
    }
    m_local.endBatch();
    return !before || !(*before == next);
}

bool ConversationCache::setInvitationState(const QString &conversationId, const QString &state)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE conversations SET invitation_state = ? WHERE id = ? AND invitation_state <> ?"));
    q.addBindValue(text(state));
    q.addBindValue(conversationId);
    q.addBindValue(text(state));
    if (!q.exec()) {
        m_local.fail(QStringLiteral("setInvitationState"), q);
        return false;
    }
    return q.numRowsAffected() > 0;
}

QList<Member> ConversationCache::members(const QString &conversationId) const
{
    QList<Member> list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT user_id, name, role, last_read_seq FROM members WHERE conversation_id = ?"));
    q.addBindValue(conversationId);
    if (!q.exec())
        return list;
    while (q.next())
        list.append(
            Member{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
    return list;
}

bool ConversationCache::setMemberRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE members SET last_read_seq = ? WHERE conversation_id = ? AND user_id = ?"
                             " AND last_read_seq < ?"));
    q.addBindValue(lastReadSeq);
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    q.addBindValue(lastReadSeq);
    if (!q.exec()) {
        m_local.fail(QStringLiteral("setMemberRead"), q);
        return false;
    }
    if (q.numRowsAffected() > 0)
        return true;
    // A member this device has not heard of yet (e.g. staff added later): remember their mark anyway.
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT OR IGNORE INTO members (conversation_id, user_id, name, role,"
                                  " last_read_seq) VALUES (?, ?, '', '', ?)"));
    insert.addBindValue(conversationId);
    insert.addBindValue(userId);
    insert.addBindValue(lastReadSeq);
    return insert.exec() && insert.numRowsAffected() > 0;
}

void ConversationCache::setUnreadCount(const QString &conversationId, qint64 unreadCount)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE conversations SET unread_count = ? WHERE id = ?"));
    q.addBindValue(unreadCount);
    q.addBindValue(conversationId);
    if (!q.exec())
        m_local.fail(QStringLiteral("setUnreadCount"), q);
}

qint64 ConversationCache::countUnread(const QString &conversationId, qint64 afterSeq, const QString &userId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id <> ?"));
    q.addBindValue(conversationId);
    q.addBindValue(afterSeq);
    q.addBindValue(userId);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

QStringList ConversationCache::conversationsWithMember(const QString &userId) const
{
    QStringList list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT conversation_id FROM members WHERE user_id = ? ORDER BY conversation_id"));
    q.addBindValue(userId);
    if (q.exec()) {
        while (q.next())
            list.append(q.value(0).toString());
    }
    return list;
}

QString ConversationCache::memberName(const QString &userId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT name FROM members WHERE user_id = ? AND name <> '' LIMIT 1"));
    q.addBindValue(userId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

} // namespace larch
