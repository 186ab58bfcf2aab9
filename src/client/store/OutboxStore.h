// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What this device wrote and has not sent yet: drafts, outbox entries and the uploads of their files.
#pragma once

#include "client/store/LocalRecords.h"

#include <optional>
#include <QJsonObject>
#include <QSqlDatabase>

class QSqlQuery;

namespace larch {

class LocalStore;

/// Drafts and outbox entries, their text sealed under the storage key, and where each file's upload stands so it
/// continues after a restart (OutboxStoreUploads.cpp).
class OutboxStore {
public:
    explicit OutboxStore(LocalStore &local);

    QString draft(const QString &conversationId) const;
    void saveDraft(const QString &conversationId, const QString &text);

    OutboxEntry enqueue(const QString &conversationId, const QString &body);
    /// In the order they were written; all conversations when conversationId is "".
    QList<OutboxEntry> entries(const QString &conversationId = {}) const;
    /// The oldest pending entry not of a conversation in skip (those held until the person acts).
    std::optional<OutboxEntry> nextPending(const QSet<QString> &skip = {}) const;
    std::optional<OutboxEntry> entry(const QString &clientId) const;
    /// Keeps the sealed form of an entry so a retry resends exactly what may already have arrived.
    void setEnvelope(const QString &clientId, const QJsonObject &envelope);
    /// Removes the entry and its upload record; true when the entry was there.
    bool remove(const QString &clientId);
    void markFailed(const QString &clientId, const QString &reason);

    /// Stores a pending message carrying a file (body = its caption). Without the storage key it comes back
    /// Failed and is not stored, like enqueue().
    OutboxEntry enqueueAttachment(const QString &conversationId, const QString &caption, const PendingAttachment &file);
    std::optional<UploadRecord> upload(const QString &clientId) const;
    /// Inserts or replaces the record; false when it could not be sealed or written.
    bool saveUpload(const UploadRecord &record);
    bool removeUpload(const QString &clientId);

private:
    /// Associated data of the sealed attachment columns.
    static constexpr const char *OutboxAttachmentSealTable = "outbox.attachment";
    static constexpr const char *UploadEncryptorSealTable = "uploads.encryptor";
    static constexpr const char *UploadResultSealTable = "uploads.result";

    OutboxEntry outboxFrom(const QSqlQuery &q) const;

    LocalStore &m_local;
    QSqlDatabase &m_db;
};

} // namespace larch
