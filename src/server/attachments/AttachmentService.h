// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Attachments: resumable uploads of encrypted blobs by members of secure conversations, short-lived download
// tokens, the per-practice storage quota and the sweep of abandoned uploads (docs/protocol.md, "Attachments").
#pragma once

#include "server/api/Authenticated.h"
#include "server/attachments/BlobStore.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/ConversationService.h"
#include "server/storage/Storage.h"

#include <array>
#include <mutex>
#include <optional>
#include <QByteArrayView>
#include <QJsonObject>

namespace larch::server {

/// Settings of attachments, from the server's flags.
struct AttachmentSettings {
    qint64 attachmentMaxBytes = 100LL * 1024 * 1024; ///< --attachment-max-mb: the largest plaintext
    qint64 practiceQuotaBytes = 50LL * 1024 * 1024 * 1024; ///< --practice-storage-gb: blobs of one practice
    qint64 uploadExpiryMs = 24LL * 3600 * 1000; ///< --upload-expiry-hours: idle incomplete uploads
    qint64 tokenLifetimeMs = 5LL * 60 * 1000; ///< --download-token-seconds
};

/// What a PUT of upload bytes says its body is, so damage on the way is refused before anything is stored.
struct BodyCheck {
    enum class Kind { Crc32c, Sha256 };
    Kind kind = Kind::Crc32c;
    QByteArray hex; ///< lower case: 8 digits (CRC-32C) or 64 (SHA-256)
};

/// The answer to a PUT of upload bytes: stored, or refused because offset is past what the server holds.
struct UploadPutResult {
    bool offsetMismatch = false; ///< nothing stored; received says where to continue
    qint64 received = 0;
    bool complete = false;
};

/// A complete blob a download token opened: the file to stream and its size.
struct BlobContent {
    QString path;
    qint64 size = 0;
};

/// The business rules of attachments. Blob bytes go to the BlobStore, rows to the Storage; work on one upload is
/// serialised by a lock per upload, so a resent chunk never interleaves with the one it repeats, nor with the sweep,
/// and a download token is never made for a blob a DELETE is removing.
class AttachmentService {
public:
    /// The largest body of one PUT of upload bytes (uploadRequestMaxBytes).
    static constexpr qint64 UploadRequestMaxBytes = 4 * 1024 * 1024;
    /// Incomplete uploads one person may hold at once: each reserves its declared size of the practice's quota.
    static constexpr int MaxOpenUploadsPerUploader = 10;
    /// Blob files the sweep checks against the database per query.
    static constexpr int SweepFileBatch = 1000;

    AttachmentService(Storage &storage, BlobStore &blobs, ConversationService &conversations,
                      AttachmentSettings settings);

    /// GET /v1/limits: {"attachmentMaxBytes", "uploadRequestMaxBytes"}.
    QJsonObject limits() const;
    /// The largest blob: the encrypted size of the largest plaintext.
    qint64 maxBlobBytes() const;
    /// POST …/uploads: 404 for non-members, 409 not_secure, 400 under the smallest blob, 413 attachment_too_large,
    /// 409 too_many_uploads (MaxOpenUploadsPerUploader), 409 storage_quota_exceeded.
    /// → {"uploadId","size","received":0,"expiresAt"}.
    QJsonObject create(const User &caller, const QString &conversationId, qint64 size);
    /// GET /v1/uploads/{id} (uploader only, else 404): {"uploadId","size","received","complete","expiresAt"}.
    QJsonObject status(const User &caller, const QString &uploadId);
    /// PUT /v1/uploads/{id}?offset=N: cuts the blob to offset and appends body when it matches check. bodyCrc32c:
    /// body's CRC-32C when the transport computed it on the way in (it is not computed again).
    /// 400 empty body, 404 unless the caller's, 409 complete, 400 past the declared size, 422 chunk_corrupted
    /// (nothing stored), 507 insufficient_storage (disk full: nothing of body kept, the upload holds offset bytes).
    UploadPutResult put(const User &caller, const QString &uploadId, qint64 offset, QByteArrayView body,
                        const BodyCheck &check, std::optional<quint32> bodyCrc32c = std::nullopt);
    /// DELETE /v1/uploads/{id}: removes the upload, or the blob when complete. The uploader, or an admin of the
    /// blob's practice (to free its quota); 404 for everyone else.
    void cancel(const User &caller, const QString &uploadId);
    /// POST /v1/blobs/{id}/download-token: members of the blob's conversation (else 404, also when a DELETE won
    /// the race); 409 incomplete. → {"url","expiresAt","size"}. The token is bound to the caller's session.
    QJsonObject downloadToken(const Authenticated &caller, const QString &blobId);
    /// GET /v1/blobs/{id}/content?token=…: the blob when token is unexpired, was issued for it, and the session
    /// that asked for it still stands (not signed out or revoked, its user not deactivated, its device not
    /// removed, still a member of the blob's conversation); else 403 invalid_token.
    BlobContent content(const QString &blobId, const QString &token);
    /// Removes incomplete uploads idle for the expiry, blob files no upload refers to (one query per
    /// SweepFileBatch files) and expired tokens. Returns the number of uploads and files removed.
    int sweep();

    /// Lower-case hex SHA-256 (OpenSSL).
    static QByteArray sha256Hex(QByteArrayView bytes);
    /// True when bytes match check; crc32c is their CRC-32C when already known.
    static bool matches(QByteArrayView bytes, const BodyCheck &check, std::optional<quint32> crc32c = std::nullopt);

private:
    std::mutex &lockOf(const QString &uploadId);
    /// The upload when caller uploaded it, else 404.
    UploadRecord ownUpload(const User &caller, const QString &uploadId);
    /// What the server really holds: never more than the file, which is short after a power loss.
    qint64 received(const UploadRecord &upload);
    QJsonObject statusJson(const UploadRecord &upload, qint64 received) const;

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    BlobStore &m_blobs;
    ConversationService &m_conversations;
    const AttachmentSettings m_settings;
    std::array<std::mutex, 64> m_locks; ///< striped by upload id
};

} // namespace larch::server
