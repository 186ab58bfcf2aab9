// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteInvitationStorage: invitations, contact codes and pairing (docs/invitations.md).
#include "server/storage/sqlite/SqliteInvitationStorage.h"

#include "core/crypto/Crypto.h"
#include "server/transport/Clock.h"

#include <QDateTime>

namespace larch::server {
namespace {

#define INVITATION_COLUMNS                                                                                             \
    "id, practice_id, conversation_id, placeholder_id, patient_name, phone, email, channel, state, "                   \
    "delivery_state, delivery_detail, delivery_at, created_by, created_at, expires_at, sent_count, delivery_id"

InvitationRecord readInvitation(Statement &s)
{
    InvitationRecord r;
    r.id = s.text(0);
    r.practiceId = s.text(1);
    r.conversationId = s.text(2);
    r.placeholderId = s.text(3);
    r.patientName = s.text(4);
    r.phone = s.text(5);
    r.email = s.text(6);
    r.channel = s.text(7);
    r.state = s.text(8);
    r.deliveryState = s.text(9);
    r.deliveryDetail = s.text(10);
    r.deliveryAt = s.integer(11);
    r.createdBy = s.text(12);
    r.createdAt = s.integer(13);
    r.expiresAt = s.integer(14);
    r.sentCount = s.integer(15);
    r.deliveryId = s.text(16);
    return r;
}

} // namespace

QString SqliteInvitationStorage::practiceRegion(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT default_region FROM practices WHERE id = ?");
    s.bind(1, practiceId);
    return s.step() ? s.text(0) : QStringLiteral("US");
}

QString SqliteInvitationStorage::invitationText(const QString &practiceId)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT invitation_text FROM practices WHERE id = ?");
    s.bind(1, practiceId);
    return s.step() && !s.isNull(0) ? s.text(0) : QString();
}

void SqliteInvitationStorage::setInvitationText(const QString &practiceId, const QString &text)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("UPDATE practices SET invitation_text = ? WHERE id = ?");
    s.bindOrNull(1, text).bind(2, practiceId).exec();
}

void SqliteInvitationStorage::setPracticeRegion(const QString &practiceId, const QString &region)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE practices SET default_region = ? WHERE id = ?").bind(1, region).bind(2, practiceId).exec();
}

QList<ContactMatch> SqliteInvitationStorage::contactMatches(const QString &practiceId, const QString &phone,
                                                            const QString &email)
{
    std::lock_guard lock(m_mutex);
    QList<ContactMatch> out;
    {
        auto s = m_db->prepare("SELECT i.conversation_id, c.title FROM invitations i "
                               "JOIN conversations c ON c.id = i.conversation_id "
                               "WHERE i.practice_id = ? AND i.state = 'pending' AND (i.phone = ? OR i.email = ?) "
                               "ORDER BY i.created_at");
        s.bind(1, practiceId);
        s.bindOrNull(2, phone);
        s.bindOrNull(3, email);
        while (s.step())
            out.append(ContactMatch{s.text(0), s.text(1), QStringLiteral("invited")});
    }
    auto s = m_db->prepare("SELECT c.id, c.title FROM conversations c JOIN users u ON u.id = c.patient_id "
                           "WHERE c.practice_id = ? AND c.kind = 'secure' AND u.invited = 0 AND u.role = 'patient' "
                           "AND (u.phone = ? OR u.email = ?) ORDER BY c.created_at");
    s.bind(1, practiceId);
    s.bindOrNull(2, phone);
    s.bindOrNull(3, email);
    while (s.step())
        out.append(ContactMatch{s.text(0), s.text(1), QStringLiteral("joined")});
    return out;
}

QString sqlite_steps::contactConversation(SqliteConnection &db, const QString &practiceId, const QString &phone,
                                          const QString &email, const QString &exceptInvitationId)
{
    {
        auto s = db.prepare("SELECT conversation_id FROM invitations WHERE practice_id = ? AND state = 'pending' "
                            "AND (phone = ? OR email = ?) AND id <> ? ORDER BY created_at LIMIT 1");
        s.bind(1, practiceId);
        s.bindOrNull(2, phone);
        s.bindOrNull(3, email);
        s.bind(4, exceptInvitationId);
        if (s.step())
            return s.text(0);
    }
    auto s = db.prepare("SELECT c.id FROM conversations c JOIN users u ON u.id = c.patient_id "
                        "WHERE c.practice_id = ? AND c.kind = 'secure' AND u.invited = 0 AND u.role = 'patient' "
                        "AND (u.phone = ? OR u.email = ?) ORDER BY c.created_at LIMIT 1");
    s.bind(1, practiceId);
    s.bindOrNull(2, phone);
    s.bindOrNull(3, email);
    return s.step() ? s.text(0) : QString();
}

InvitationWriteResult SqliteInvitationStorage::createInvitation(const UserRecord &placeholder,
                                                                const ConversationRecord &c, const InvitationRecord &i,
                                                                const QByteArray &tokenDigest,
                                                                const QList<NewEvent> &events,
                                                                const std::optional<OutboxRecord> &delivery)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    InvitationWriteResult result;
    // The duplicate check and the inserts share one IMMEDIATE transaction: two staff inviting the same contact at
    // once get one conversation, and the second is told which.
    result.conversationId = sqlite_steps::contactConversation(*m_db, i.practiceId, i.phone, i.email, QString());
    if (!result.conversationId.isEmpty())
        return result;
    m_db->prepare("INSERT INTO users (id, practice_id, email, phone, name, role, password_hash, created_at, invited) "
                  "VALUES (?, ?, NULL, NULL, ?, 'patient', '', ?, 1)")
        .bind(1, placeholder.user.id)
        .bind(2, placeholder.user.practiceId)
        .bind(3, placeholder.user.name)
        .bind(4, placeholder.createdAt)
        .exec();
    sqlite_steps::insertInvitation(*m_db, c, i, tokenDigest);
    if (delivery)
        sqlite_steps::insertDelivery(*m_db, *delivery);
    result.events = sqlite_steps::appendEvents(*m_db, events, i.createdAt);
    tx.commit();
    result.ok = true;
    return result;
}

void sqlite_steps::insertInvitation(SqliteConnection &db, const ConversationRecord &c, const InvitationRecord &i,
                                    const QByteArray &tokenDigest)
{
    db.prepare("INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at, "
               "last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")
        .bind(1, c.id)
        .bind(2, c.practiceId)
        .bind(3, c.patientId)
        .bind(4, c.title)
        .bind(5, c.kind)
        .bind(6, c.createdAt)
        .bind(7, c.lastActivityAt)
        .exec();
    auto s = db.prepare("INSERT INTO invitations (" INVITATION_COLUMNS ", token_digest) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, i.id).bind(2, i.practiceId).bind(3, i.conversationId).bind(4, i.placeholderId).bind(5, i.patientName);
    s.bindOrNull(6, i.phone);
    s.bindOrNull(7, i.email);
    s.bind(8, i.channel).bind(9, i.state).bind(10, i.deliveryState).bind(11, i.deliveryDetail).bind(12, i.deliveryAt);
    s.bind(13, i.createdBy).bind(14, i.createdAt).bind(15, i.expiresAt).bind(16, i.sentCount).bind(17, i.deliveryId);
    s.bind(18, tokenDigest);
    s.exec();
}

std::optional<InvitationRecord> SqliteInvitationStorage::invitation(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " INVITATION_COLUMNS " FROM invitations WHERE id = ?").with(id).one(readInvitation);
}

std::optional<InvitationRecord> SqliteInvitationStorage::invitationOfConversation(const QString &conversationId)
{
    std::lock_guard lock(m_mutex);
    return m_db
        ->prepare("SELECT " INVITATION_COLUMNS
                  " FROM invitations WHERE conversation_id = ? ORDER BY created_at DESC LIMIT 1")
        .with(conversationId)
        .one(readInvitation);
}

std::optional<InvitationRecord> SqliteInvitationStorage::invitationByToken(const QByteArray &tokenDigest)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " INVITATION_COLUMNS " FROM invitations WHERE token_digest = ?")
        .with(tokenDigest)
        .one(readInvitation);
}

QString SqliteInvitationStorage::invitationState(const QString &conversationId, qint64 now)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT state, expires_at FROM invitations WHERE conversation_id = ? "
                           "ORDER BY created_at DESC LIMIT 1");
    s.bind(1, conversationId);
    if (!s.step())
        return {};
    const QString state = s.text(0);
    return state == QLatin1String("pending") && s.integer(1) <= now ? QStringLiteral("expired") : state;
}

InvitationWriteResult SqliteInvitationStorage::updateInvitation(const InvitationRecord &i,
                                                                const QByteArray &tokenDigest, bool checkContact,
                                                                const QList<NewEvent> &events,
                                                                const std::optional<OutboxRecord> &delivery)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    InvitationWriteResult result;
    if (checkContact) {
        result.conversationId = sqlite_steps::contactConversation(*m_db, i.practiceId, i.phone, i.email, i.id);
        if (!result.conversationId.isEmpty())
            return result;
    }
    auto s = m_db->prepare("UPDATE invitations SET patient_name = ?, phone = ?, email = ?, channel = ?, state = ?, "
                           "delivery_state = ?, delivery_detail = ?, delivery_at = ?, expires_at = ?, sent_count = ?, "
                           "token_digest = CASE WHEN ? <> '' THEN ? ELSE token_digest END, delivery_id = ? "
                           "WHERE id = ?");
    s.bind(1, i.patientName);
    s.bindOrNull(2, i.phone);
    s.bindOrNull(3, i.email);
    s.bind(4, i.channel).bind(5, i.state).bind(6, i.deliveryState).bind(7, i.deliveryDetail).bind(8, i.deliveryAt);
    s.bind(9, i.expiresAt).bind(10, i.sentCount).bind(11, tokenDigest).bind(12, tokenDigest).bind(13, i.deliveryId);
    s.bind(14, i.id);
    s.exec();
    m_db->prepare("UPDATE users SET name = ? WHERE id = ? AND invited = 1")
        .bind(1, i.patientName)
        .bind(2, i.placeholderId)
        .exec();
    m_db->prepare("UPDATE conversations SET title = ? WHERE id = ?")
        .bind(1, i.patientName)
        .bind(2, i.conversationId)
        .exec();
    if (delivery)
        sqlite_steps::insertDelivery(*m_db, *delivery);
    result.events = sqlite_steps::appendEvents(*m_db, events, nowMs());
    tx.commit();
    result.ok = true;
    return result;
}

InvitationWriteResult SqliteInvitationStorage::updateInvitationDelivery(
    const QString &invitationId, const QString &deliveryId, const QString &state, const QString &detail, qint64 at,
    const std::function<QList<NewEvent>(const InvitationRecord &)> &eventsOf, const std::optional<OutboxRecord> &row)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    // The courier's row and the invitation's delivery state move together.
    if (row)
        sqlite_steps::writeDelivery(*m_db, *row);
    InvitationWriteResult result;
    // Only the current delivery may write: a resend in between has already replaced delivery_id.
    m_db->prepare("UPDATE invitations SET delivery_state = ?, delivery_detail = ?, delivery_at = ? "
                  "WHERE id = ? AND delivery_id = ?")
        .bind(1, state)
        .bind(2, detail)
        .bind(3, at)
        .bind(4, invitationId)
        .bind(5, deliveryId)
        .exec();
    if (m_db->changes() == 0) {
        tx.commit();
        return result;
    }
    auto s = m_db->prepare("SELECT " INVITATION_COLUMNS " FROM invitations WHERE id = ?");
    s.bind(1, invitationId);
    if (!s.step()) {
        tx.commit();
        return result;
    }
    const InvitationRecord updated = readInvitation(s);
    result.events = sqlite_steps::appendEvents(*m_db, eventsOf(updated), nowMs());
    tx.commit();
    result.ok = true;
    return result;
}

std::optional<ContactCode> SqliteInvitationStorage::contactCode(const QString &contact)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT contact, code_digest, created_at, expires_at, failures, COALESCE(locked_until, 0) "
                           "FROM contact_codes WHERE contact = ?");
    s.bind(1, contact);
    if (!s.step())
        return std::nullopt;
    return ContactCode{s.text(0), s.blob(1), s.integer(2), s.integer(3), static_cast<int>(s.integer(4)), s.integer(5)};
}

void SqliteInvitationStorage::putContactCode(const ContactCode &c)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("INSERT OR REPLACE INTO contact_codes (contact, code_digest, created_at, expires_at, failures, "
                  "locked_until) VALUES (?, ?, ?, ?, 0, NULL)")
        .bind(1, c.contact)
        .bind(2, c.codeDigest)
        .bind(3, c.createdAt)
        .bind(4, c.expiresAt)
        .exec();
}

int SqliteInvitationStorage::recordCodeFailure(const QString &contact, int maxFailures, qint64 lockUntil)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    m_db->prepare("UPDATE contact_codes SET failures = failures + 1 WHERE contact = ?").bind(1, contact).exec();
    auto s = m_db->prepare("SELECT failures FROM contact_codes WHERE contact = ?");
    s.bind(1, contact);
    const int failures = s.step() ? static_cast<int>(s.integer(0)) : 0;
    if (failures >= maxFailures)
        m_db->prepare("UPDATE contact_codes SET locked_until = ? WHERE contact = ? AND locked_until IS NULL")
            .bind(1, lockUntil)
            .bind(2, contact)
            .exec();
    tx.commit();
    return failures;
}

void SqliteInvitationStorage::deleteContactCode(const QString &contact)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("DELETE FROM contact_codes WHERE contact = ?").bind(1, contact).exec();
}

PairResult SqliteInvitationStorage::pairContact(const QString &phone, const QString &email, const QString &name,
                                                qint64 now)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    PairResult result;
    QString accountId;
    {
        auto s = m_db->prepare("SELECT id, role FROM users WHERE invited = 0 AND (phone = ? OR email = ?)");
        s.bindOrNull(1, phone);
        s.bindOrNull(2, email);
        if (s.step()) {
            if (s.text(1) != QLatin1String("patient")) {
                result.status = PairResult::Status::StaffContact;
                return result;
            }
            accountId = s.text(0);
        }
    }
    QList<InvitationRecord> open;
    {
        auto s = m_db->prepare("SELECT " INVITATION_COLUMNS " FROM invitations WHERE state = 'pending' "
                               "AND expires_at > ? AND (phone = ? OR email = ?) ORDER BY created_at");
        s.bind(1, now);
        s.bindOrNull(2, phone);
        s.bindOrNull(3, email);
        while (s.step())
            open.append(readInvitation(s));
    }
    if (accountId.isEmpty()) {
        if (open.isEmpty() && name.isEmpty()) {
            result.status = PairResult::Status::NeedName;
            return result;
        }
        result.created = true;
        if (open.isEmpty()) {
            accountId = newId();
            auto s = m_db->prepare("INSERT INTO users (id, practice_id, email, phone, name, role, password_hash, "
                                   "created_at, invited) VALUES (?, NULL, ?, ?, ?, 'patient', '', ?, 0)");
            s.bind(1, accountId);
            s.bindOrNull(2, email);
            s.bindOrNull(3, phone);
            s.bind(4, name).bind(5, now).exec();
        } else {
            // The first placeholder becomes the account: its conversation and welcome notes stay as they are.
            accountId = open.first().placeholderId;
            auto s = m_db->prepare("UPDATE users SET invited = 0, email = ?, phone = ?, "
                                   "name = CASE WHEN ? <> '' THEN ? ELSE name END WHERE id = ?");
            s.bindOrNull(1, email);
            s.bindOrNull(2, phone);
            s.bind(3, name).bind(4, name).bind(5, accountId).exec();
        }
    }
    // Standard (SMS/email) threads with the proven contact become the account's too (staff only ever see them).
    result.movedStandard = sqlite_steps::moveStandardConversations(*m_db, phone, email, accountId, now);
    for (InvitationRecord &i : open) {
        if (i.placeholderId != accountId) {
            // Another practice's placeholder for the same person: its conversation moves to the account.
            m_db->prepare("UPDATE conversations SET patient_id = ? WHERE patient_id = ?")
                .bind(1, accountId)
                .bind(2, i.placeholderId)
                .exec();
            m_db->prepare("UPDATE OR IGNORE reads SET user_id = ? WHERE user_id = ?")
                .bind(1, accountId)
                .bind(2, i.placeholderId)
                .exec();
            m_db->prepare("UPDATE users SET deactivated_at = ? WHERE id = ? AND invited = 1")
                .bind(1, now)
                .bind(2, i.placeholderId)
                .exec();
        }
        m_db->prepare("UPDATE invitations SET state = 'paired', paired_at = ? WHERE id = ?")
            .bind(1, now)
            .bind(2, i.id)
            .exec();
        i.state = QStringLiteral("paired");
        result.paired.append(i);
    }
    if (!open.isEmpty())
        m_db->prepare("UPDATE users SET practice_id = COALESCE(practice_id, ?) WHERE id = ?")
            .bind(1, open.first().practiceId)
            .bind(2, accountId)
            .exec();
    auto s =
        m_db->prepare("SELECT id, COALESCE(practice_id, ''), COALESCE(email, ''), name, role FROM users WHERE id = ?");
    s.bind(1, accountId);
    s.step();
    result.user = User{s.text(0), s.text(3), s.text(2), s.text(4), s.text(1)};
    tx.commit();
    return result;
}

} // namespace larch::server
