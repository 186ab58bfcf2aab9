// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conversation list as a flat model keyed by conversation id; sorting and filtering live in the proxy.
#pragma once

#include "client/store/LocalStore.h"
#include "models/conversations/ConversationStates.h"

#include <QAbstractListModel>
#include <QHash>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace larch {

/// Every conversation the signed-in user has, one row each, updated role by role as events arrive.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The conversation list belongs to App.conversations.")
public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1, ///< conversationId: the protocol id
        TitleRole, ///< title: the patient's name (for staff) or the practice's (for a patient)
        PreviewRole, ///< preview: the last message body on one line; "" when there is none
        LastActivityAtRole, ///< lastActivityAt: QDateTime of the newest activity, local time
        TimeTextRole, ///< timeText: "14:05" today, "Mon" within the week, "12 Nov" older
        UnreadCountRole, ///< unreadCount: messages from others after the user's read mark
        IsSecureRole, ///< isSecure: true for an end-to-end encrypted conversation
        InitialsRole, ///< initials: up to two letters for the avatar, e.g. "SL"
        InvitationStateRole, ///< invitationState (InvitationState): Pending, Paired, Revoked, Expired; None without an
        ///< invitation
        IsInvitedRole, ///< isInvited: the patient was invited and hasn't created an account yet ("Invited")
        ChannelRole, ///< channel (Channel): Secure (end-to-end encrypted), Sms or Email (standard, not encrypted)
        ContactDisplayRole, ///< contactDisplay: a standard conversation's number or email as people write it, e.g.
        ///< "(201) 555-0123"; "" for secure conversations
        TagsRole, ///< tags: QStringList of labels, e.g. a Practice Link's tag; empty when none
        NeedsConsentRole, ///< needsConsent: a standard conversation without the patient's recorded consent
        OptedOutRole, ///< optedOut: an SMS conversation whose number replied STOP
    };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Replaces every row (start-up from the cache, sign-out).
    void reset(const QList<ConversationSummary> &conversations);
    /// Inserts a new conversation or updates the changed roles of a known one.
    void upsert(const ConversationSummary &conversation);
    void remove(const QString &conversationId);
    /// The row of a conversation, or -1.
    int rowOf(const QString &conversationId) const { return m_rowById.value(conversationId, -1); }
    const ConversationSummary *conversation(const QString &conversationId) const;
    const ConversationSummary &at(int row) const { return m_rows.at(row); }

    static QString initialsOf(const QString &title);
    /// What the standard roles read for a conversation (shared with StandardThread so both agree).
    static Channel::Value channelOf(const ConversationSummary &c);
    static QString contactDisplayOf(const ConversationSummary &c);
    static bool needsConsent(const ConversationSummary &c);
    static bool optedOut(const ConversationSummary &c);

private:
    void rebuildIndexFrom(int row);
    void scheduleMidnightRefresh();

    QList<ConversationSummary> m_rows;
    QHash<QString, int> m_rowById;
    QTimer m_midnight; ///< "14:05" becomes "Tue" when the day turns
};

} // namespace larch
