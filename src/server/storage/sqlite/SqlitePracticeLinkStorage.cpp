// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqlitePracticeLinkStorage: Practice Links and the conversations they open (docs/practice-links.md).
#include "server/storage/sqlite/SqlitePracticeLinkStorage.h"

#include "server/storage/sqlite/SqliteRows.h"

#include <sodium.h>

namespace larch::server {
namespace {

#define PRACTICE_LINK_COLUMNS                                                                                          \
    "l.id, l.practice_id, l.code, l.label, l.tag, l.enabled, l.created_at, l.updated_at, "                             \
    "(SELECT COUNT(*) FROM conversations c WHERE c.practice_link_id = l.id)"

PracticeLinkRecord readLink(Statement &s)
{
    PracticeLinkRecord l;
    l.id = s.text(0);
    l.practiceId = s.text(1);
    l.code = s.text(2);
    l.label = s.text(3);
    l.tag = s.text(4);
    l.enabled = s.integer(5) != 0;
    l.createdAt = s.integer(6);
    l.updatedAt = s.integer(7);
    l.conversationCount = s.integer(8);
    return l;
}

/// 10 characters of the base64url alphabet from libsodium: 60 random bits, short enough to type from a flyer.
QString newLinkCode()
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString code;
    for (int i = 0; i < 10; ++i)
        code.append(QLatin1Char(alphabet[randombytes_uniform(64)]));
    return code;
}

} // namespace

void sqlite_steps::insertPracticeLink(SqliteConnection &db, PracticeLinkRecord &link)
{
    // A repeated code is all but impossible (2^60 codes); it is still never handed out twice.
    for (;;) {
        link.code = newLinkCode();
        auto taken = db.prepare("SELECT 1 FROM practice_links WHERE code = ?");
        taken.bind(1, link.code);
        if (!taken.step())
            break;
    }
    db.prepare("INSERT INTO practice_links (id, practice_id, code, label, tag, enabled, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, link.id)
        .bind(2, link.practiceId)
        .bind(3, link.code)
        .bind(4, link.label)
        .bind(5, link.tag)
        .bind(6, link.enabled ? 1 : 0)
        .bind(7, link.createdAt)
        .bind(8, link.updatedAt)
        .exec();
    link.conversationCount = 0;
}

std::optional<PracticeLinkRecord> SqlitePracticeLinkStorage::practiceLinkLocked(bool byCode, const QString &value)
{
    // Statements are cached by their literal, so each look-up has its own.
    auto s = byCode ? m_db->prepare("SELECT " PRACTICE_LINK_COLUMNS " FROM practice_links l WHERE l.code = ?")
                    : m_db->prepare("SELECT " PRACTICE_LINK_COLUMNS " FROM practice_links l WHERE l.id = ?");
    s.bind(1, value);
    if (!s.step())
        return std::nullopt;
    return readLink(s);
}

QList<PracticeLinkRecord> SqlitePracticeLinkStorage::linksOfPractice(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " PRACTICE_LINK_COLUMNS
                  " FROM practice_links l WHERE l.practice_id = ? ORDER BY l.created_at, l.rowid")
        .with(practiceId)
        .all(readLink);
}

std::optional<PracticeLinkRecord> SqlitePracticeLinkStorage::practiceLink(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return practiceLinkLocked(false, id);
}

std::optional<PracticeLinkRecord> SqlitePracticeLinkStorage::practiceLinkByCode(const QString &code)
{
    std::lock_guard lock(m_mutex);
    return practiceLinkLocked(true, code);
}

PracticeLinkWriteResult SqlitePracticeLinkStorage::createPracticeLink(const PracticeLinkRecord &link, int maxLinks,
                                                                      const PracticeLinkEvents &eventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    PracticeLinkWriteResult result;
    {
        // Counted inside the write's transaction: two admins adding the 50th link at once get one.
        auto count = m_db->prepare("SELECT COUNT(*) FROM practice_links WHERE practice_id = ?");
        count.bind(1, link.practiceId);
        count.step();
        if (count.integer(0) >= maxLinks) {
            result.status = PracticeLinkWriteResult::Status::TooMany;
            return result;
        }
    }
    result.link = link;
    sqlite_steps::insertPracticeLink(*m_db, result.link);
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(result.link), link.createdAt);
    tx.commit();
    result.status = PracticeLinkWriteResult::Status::Done;
    return result;
}

PracticeLinkWriteResult SqlitePracticeLinkStorage::updatePracticeLink(const PracticeLinkRecord &link,
                                                                      const PracticeLinkEvents &eventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    PracticeLinkWriteResult result;
    m_db->prepare("UPDATE practice_links SET label = ?, tag = ?, enabled = ?, updated_at = ? WHERE id = ?")
        .bind(1, link.label)
        .bind(2, link.tag)
        .bind(3, link.enabled ? 1 : 0)
        .bind(4, link.updatedAt)
        .bind(5, link.id)
        .exec();
    if (m_db->changes() == 0)
        return result;
    const auto stored = practiceLinkLocked(false, link.id);
    if (!stored)
        return result;
    result.link = *stored;
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(result.link), link.updatedAt);
    tx.commit();
    result.status = PracticeLinkWriteResult::Status::Done;
    return result;
}

LinkConversationResult SqlitePracticeLinkStorage::openLinkConversation(const ConversationRecord &c,
                                                                       const QString &linkId,
                                                                       const QList<NewEvent> &events,
                                                                       const PracticeLinkEvents &linkEventsOf)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    LinkConversationResult result;
    {
        // Checked and written in one transaction: a second sign-up through a link never opens a second thread.
        auto existing = m_db->prepare("SELECT id FROM conversations WHERE patient_id = ? AND practice_id = ? "
                                      "AND kind = 'secure' ORDER BY created_at LIMIT 1");
        existing.bind(1, c.patientId).bind(2, c.practiceId);
        if (existing.step()) {
            result.conversationId = existing.text(0);
            return result;
        }
    }
    m_db->prepare("INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at, "
                  "last_seq, tags, practice_link_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")
        .bind(1, c.id)
        .bind(2, c.practiceId)
        .bind(3, c.patientId)
        .bind(4, c.title)
        .bind(5, c.kind)
        .bind(6, c.createdAt)
        .bind(7, c.lastActivityAt)
        .bind(8, sqlite_rows::tagsJson(c.tags))
        .bind(9, linkId)
        .exec();
    // A patient who signed up through the link alone belongs to no practice yet: this one added them.
    m_db->prepare("UPDATE users SET practice_id = ? WHERE id = ? AND practice_id IS NULL")
        .bind(1, c.practiceId)
        .bind(2, c.patientId)
        .exec();
    QList<NewEvent> all = events;
    if (const auto link = practiceLinkLocked(false, linkId))
        all += linkEventsOf(*link);
    result.events = sqlite_steps::appendEvents(*m_db, all, c.createdAt);
    tx.commit();
    result.created = true;
    result.conversationId = c.id;
    return result;
}

} // namespace larch::server
