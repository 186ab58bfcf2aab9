// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SqliteAttachmentStorage: uploads and download tokens of attachment blobs (docs/protocol.md, "Attachments").
#include "server/storage/sqlite/SqliteAttachmentStorage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace larch::server {
namespace {

#define UPLOAD_COLUMNS "id, conversation_id, practice_id, uploader_id, size, received, complete, created_at, updated_at"

UploadRecord readUpload(Statement &s)
{
    UploadRecord u;
    u.id = s.text(0);
    u.conversationId = s.text(1);
    u.practiceId = s.text(2);
    u.uploaderId = s.text(3);
    u.size = s.integer(4);
    u.received = s.integer(5);
    u.complete = s.integer(6) != 0;
    u.createdAt = s.integer(7);
    u.updatedAt = s.integer(8);
    return u;
}

} // namespace

UploadCreateResult SqliteAttachmentStorage::createUpload(const UploadRecord &upload, qint64 quotaBytes,
                                                         int maxOpenPerUploader)
{
    std::lock_guard lock(m_mutex);
    Transaction tx(*m_db);
    {
        // Incomplete uploads only: the partial index holds just those, so this never scans the complete blobs.
        auto open = m_db->prepare("SELECT COUNT(*) FROM uploads INDEXED BY uploads_stale "
                                  "WHERE complete = 0 AND uploader_id = ?");
        open.bind(1, upload.uploaderId);
        open.step();
        if (open.integer(0) >= maxOpenPerUploader)
            return UploadCreateResult::TooManyUploads;
    }
    {
        // Complete blobs and the declared size of uploads in progress both count: a started upload has its room.
        auto used = m_db->prepare("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE practice_id = ?");
        used.bind(1, upload.practiceId);
        used.step();
        if (used.integer(0) + upload.size > quotaBytes)
            return UploadCreateResult::QuotaExceeded;
    }
    m_db->prepare("INSERT INTO uploads (" UPLOAD_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, upload.id)
        .bind(2, upload.conversationId)
        .bind(3, upload.practiceId)
        .bind(4, upload.uploaderId)
        .bind(5, upload.size)
        .bind(6, upload.received)
        .bind(7, upload.complete ? 1 : 0)
        .bind(8, upload.createdAt)
        .bind(9, upload.updatedAt)
        .exec();
    tx.commit();
    return UploadCreateResult::Created;
}

std::optional<UploadRecord> SqliteAttachmentStorage::upload(const QString &id)
{
    std::lock_guard lock(m_mutex);
    return m_db->prepare("SELECT " UPLOAD_COLUMNS " FROM uploads WHERE id = ?").with(id).one(readUpload);
}

bool SqliteAttachmentStorage::setUploadReceived(const QString &id, qint64 received, bool complete, qint64 now)
{
    std::lock_guard lock(m_mutex);
    // Under synchronous=NORMAL a commit reaches the WAL but is synced only at the next checkpoint: a power loss
    // could take "complete" back after the client was told, and the sweep would then remove a blob a message
    // uses. So the completing commit alone runs with synchronous=FULL (the WAL is synced before it returns); the
    // lock keeps every other commit out of that window, and NORMAL comes back even when the update throws.
    struct DurableCommit {
        SqliteConnection &db;
        bool on;
        DurableCommit(SqliteConnection &db, bool on) : db(db), on(on)
        {
            if (on)
                db.execScript("PRAGMA synchronous=FULL");
        }
        ~DurableCommit()
        {
            if (!on)
                return;
            try {
                db.execScript("PRAGMA synchronous=NORMAL");
            } catch (...) {
                // Staying on FULL is slower, never less safe.
            }
        }
    } durable(*m_db, complete);
    m_db->prepare("UPDATE uploads SET received = ?, complete = ?, updated_at = ? WHERE id = ?")
        .bind(1, received)
        .bind(2, complete ? 1 : 0)
        .bind(3, now)
        .bind(4, id)
        .exec();
    return m_db->changes() > 0;
}

bool SqliteAttachmentStorage::deleteUpload(const QString &id)
{
    std::lock_guard lock(m_mutex);
    // Its tokens go with it (ON DELETE CASCADE).
    m_db->prepare("DELETE FROM uploads WHERE id = ?").bind(1, id).exec();
    return m_db->changes() > 0;
}

QStringList SqliteAttachmentStorage::staleUploads(qint64 before, int limit)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id FROM uploads WHERE complete = 0 AND updated_at < ? ORDER BY updated_at LIMIT ?");
    s.bind(1, before).bind(2, limit);
    QStringList out;
    while (s.step())
        out.append(s.text(0));
    return out;
}

bool SqliteAttachmentStorage::deleteStaleUpload(const QString &id, qint64 before)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("DELETE FROM uploads WHERE id = ? AND complete = 0 AND updated_at < ?")
        .bind(1, id)
        .bind(2, before)
        .exec();
    return m_db->changes() > 0;
}

QStringList SqliteAttachmentStorage::unknownUploads(const QStringList &ids)
{
    if (ids.isEmpty())
        return {};
    const QByteArray list = QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact);
    QSet<QString> known;
    {
        std::lock_guard lock(m_mutex);
        // One query for the whole batch (an indexed look-up per id), not one per file.
        auto s = m_db->prepare("SELECT u.id FROM json_each(?) AS j JOIN uploads AS u ON u.id = j.value");
        s.bind(1, QString::fromUtf8(list));
        while (s.step())
            known.insert(s.text(0));
    }
    QStringList out;
    for (const QString &id : ids)
        if (!known.contains(id))
            out.append(id);
    return out;
}

bool SqliteAttachmentStorage::putBlobToken(const QByteArray &digest, const QString &uploadId, qint64 expiresAt,
                                           const QByteArray &sessionDigest)
{
    std::lock_guard lock(m_mutex);
    // Inserted only while the blob exists and is complete, in the same statement: a DELETE that removed it
    // after the caller looked it up stores nothing (no foreign-key failure), and the caller answers 404.
    m_db->prepare("INSERT INTO blob_tokens (token_digest, upload_id, expires_at, session_digest) "
                  "SELECT ?, id, ?, ? FROM uploads WHERE id = ? AND complete = 1")
        .bind(1, digest)
        .bind(2, expiresAt)
        .bind(3, sessionDigest)
        .bind(4, uploadId)
        .exec();
    return m_db->changes() > 0;
}

std::optional<BlobTokenRecord> SqliteAttachmentStorage::blobToken(const QByteArray &digest)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT upload_id, expires_at, session_digest FROM blob_tokens WHERE token_digest = ?");
    s.bind(1, digest);
    if (!s.step())
        return std::nullopt;
    return BlobTokenRecord{s.text(0), s.integer(1), s.blob(2)};
}

int SqliteAttachmentStorage::pruneBlobTokens(qint64 now)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("DELETE FROM blob_tokens WHERE expires_at <= ?").bind(1, now).exec();
    return static_cast<int>(m_db->changes());
}

} // namespace larch::server
