// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// InvitationStorage in SQLite.
#pragma once

#include "server/storage/InvitationStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// InvitationStorage of the SQLite backend: invitations, contact codes and the practice's invitation settings.
class SqliteInvitationStorage final : public InvitationStorage, private SqliteFeature {
public:
    explicit SqliteInvitationStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    QString practiceRegion(const QString &practiceId) override;
    QString invitationText(const QString &practiceId) override;
    void setInvitationText(const QString &practiceId, const QString &text) override;
    void setPracticeRegion(const QString &practiceId, const QString &region) override;
    QList<ContactMatch> contactMatches(const QString &practiceId, const QString &phone, const QString &email) override;
    InvitationWriteResult createInvitation(const UserRecord &placeholder, const ConversationRecord &conversation,
                                           const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                           const QList<NewEvent> &events,
                                           const std::optional<OutboxRecord> &delivery) override;
    std::optional<InvitationRecord> invitation(const QString &id) override;
    std::optional<InvitationRecord> invitationOfConversation(const QString &conversationId) override;
    std::optional<InvitationRecord> invitationByToken(const QByteArray &tokenDigest) override;
    QString invitationState(const QString &conversationId, qint64 now) override;
    InvitationWriteResult updateInvitation(const InvitationRecord &invitation, const QByteArray &tokenDigest,
                                           bool checkContact, const QList<NewEvent> &events,
                                           const std::optional<OutboxRecord> &delivery) override;
    InvitationWriteResult
    updateInvitationDelivery(const QString &invitationId, const QString &deliveryId, const QString &state,
                             const QString &detail, qint64 at,
                             const std::function<QList<NewEvent>(const InvitationRecord &)> &eventsOf,
                             const std::optional<OutboxRecord> &row) override;
    std::optional<ContactCode> contactCode(const QString &contact) override;
    void putContactCode(const ContactCode &code) override;
    int recordCodeFailure(const QString &contact, int maxFailures, qint64 lockUntil) override;
    void deleteContactCode(const QString &contact) override;
    PairResult pairContact(const QString &phone, const QString &email, const QString &name, qint64 now) override;
};

} // namespace larch::server
