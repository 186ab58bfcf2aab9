// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of Practice Links and the conversations opened through them.
#pragma once

#include "server/storage/StorageRecords.h"

#include <functional>
#include <optional>
#include <QList>

namespace larch::server {

/// A practice's shareable sign-up link as stored; its url is <public-url>/p/<code>, made when it is shown.
struct PracticeLinkRecord {
    QString id;
    QString practiceId;
    QString code; ///< 10 random URL-safe characters, chosen by the storage
    QString label;
    QString tag; ///< "" when none
    bool enabled = true;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 conversationCount = 0; ///< conversations opened through the link (read, never written)
};

/// Makes the events of a Practice Link as stored (inside the write's transaction; it must not call the storage).
using PracticeLinkEvents = std::function<QList<NewEvent>(const PracticeLinkRecord &)>;

/// Outcome of creating or changing a Practice Link.
struct PracticeLinkWriteResult {
    enum class Status { Done, TooMany, NotFound };
    Status status = Status::NotFound;
    PracticeLinkRecord link; ///< as stored (Done)
    QList<StoredEvent> events;
};

/// Outcome of opening a patient's secure conversation with a practice through one of its links.
struct LinkConversationResult {
    bool created = false; ///< false: the patient already had a secure conversation with the practice
    QString conversationId; ///< the new one, or the existing one
    QList<StoredEvent> events;
};

/// Practice Links (docs/practice-links.md).
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class PracticeLinkStorage {
public:
    virtual ~PracticeLinkStorage() = default;

    /// The practice's links, oldest first, with their conversation counts.
    virtual QList<PracticeLinkRecord> linksOfPractice(const QString &practiceId) = 0;
    virtual std::optional<PracticeLinkRecord> practiceLink(const QString &id) = 0;
    virtual std::optional<PracticeLinkRecord> practiceLinkByCode(const QString &code) = 0;
    /// Stores a new link with a fresh unique code, unless the practice has maxLinks already (TooMany), with the
    /// events eventsOf makes of the stored link.
    virtual PracticeLinkWriteResult createPracticeLink(const PracticeLinkRecord &link, int maxLinks,
                                                       const PracticeLinkEvents &eventsOf) = 0;
    /// Saves a link's label, tag, enabled and updatedAt (NotFound when it is gone), with eventsOf's events.
    virtual PracticeLinkWriteResult updatePracticeLink(const PracticeLinkRecord &link,
                                                       const PracticeLinkEvents &eventsOf) = 0;
    /// In one transaction: when conversation.patientId has no secure conversation with conversation.practiceId,
    /// stores conversation (with its tags) as opened through linkId, gives a patient without a practice this one,
    /// and stores events plus linkEventsOf's events of the link with its new count; otherwise changes nothing.
    virtual LinkConversationResult openLinkConversation(const ConversationRecord &conversation, const QString &linkId,
                                                        const QList<NewEvent> &events,
                                                        const PracticeLinkEvents &linkEventsOf) = 0;
};

} // namespace larch::server
