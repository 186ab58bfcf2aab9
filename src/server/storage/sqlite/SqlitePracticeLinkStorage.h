// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// PracticeLinkStorage in SQLite.
#pragma once

#include "server/storage/PracticeLinkStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// PracticeLinkStorage of the SQLite backend: Practice Links.
class SqlitePracticeLinkStorage final : public PracticeLinkStorage, private SqliteFeature {
public:
    explicit SqlitePracticeLinkStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    QList<PracticeLinkRecord> linksOfPractice(const QString &practiceId) override;
    std::optional<PracticeLinkRecord> practiceLink(const QString &id) override;
    std::optional<PracticeLinkRecord> practiceLinkByCode(const QString &code) override;
    PracticeLinkWriteResult createPracticeLink(const PracticeLinkRecord &link, int maxLinks,
                                               const PracticeLinkEvents &eventsOf) override;
    PracticeLinkWriteResult updatePracticeLink(const PracticeLinkRecord &link,
                                               const PracticeLinkEvents &eventsOf) override;
    LinkConversationResult openLinkConversation(const ConversationRecord &conversation, const QString &linkId,
                                                const QList<NewEvent> &events,
                                                const PracticeLinkEvents &linkEventsOf) override;

private:
    std::optional<PracticeLinkRecord> practiceLinkLocked(bool byCode, const QString &value);
};

} // namespace larch::server
