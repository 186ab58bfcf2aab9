// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conversations on the device: the list's summaries, members and their read marks.
#pragma once

#include "client/store/LocalRecords.h"

#include <optional>
#include <QSqlDatabase>
#include <QStringList>

class QSqlQuery;

namespace larch {

class LocalStore;

/// Conversations as the server last described them, with previews and unread counts kept current.
class ConversationCache {
public:
    explicit ConversationCache(LocalStore &local);

    /// The whole conversation list in one query, most recent first.
    QList<ConversationSummary> summaries() const;
    std::optional<ConversationSummary> summary(const QString &id) const;
    /// The patient of a conversation ("" when unknown): key handovers go only to that patient's devices.
    QString patient(const QString &id) const;
    QString practice(const QString &id) const;
    /// "secure", "sms" or "email"; "" for a conversation not in the store.
    QString kind(const QString &id) const;
    /// Stores a conversation from the server; the newer of stored and given state wins. True when it changed.
    /// Its lastMessage is not stored here: it goes through opening like any received message. A copy older than
    /// the newest stored message keeps the stored standard contact; contactHeldBack then says whether the copy's
    /// contact differed (it may still be news: a change written just before a message this device already has).
    bool upsert(const Conversation &conversation, bool *contactHeldBack = nullptr);
    /// Records the state of a conversation's invitation ("" for none). True when it changed.
    bool setInvitationState(const QString &conversationId, const QString &state);
    QList<Member> members(const QString &conversationId) const;
    /// The conversations a user belongs to (a patient's own; every one of the practice for staff).
    QStringList conversationsWithMember(const QString &userId) const;
    /// A member's name as any conversation lists it; "" when unknown.
    QString memberName(const QString &userId) const;
    /// Moves a member's read mark forward (never back). True when it moved.
    bool setMemberRead(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    void setUnreadCount(const QString &conversationId, qint64 unreadCount);
    /// Messages after afterSeq not sent by userId among those stored.
    qint64 countUnread(const QString &conversationId, qint64 afterSeq, const QString &userId) const;

private:
    ConversationSummary summaryFrom(const QSqlQuery &q) const;

    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
