// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Storage of attachment uploads and their download tokens (the blob bytes live in a BlobStore).
#pragma once

#include <optional>
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace larch::server {

/// A resumable upload of one blob; once complete it is the blob members fetch (the blob id is the upload id).
struct UploadRecord {
    QString id;
    QString conversationId;
    QString practiceId; ///< the conversation's practice: whose storage quota the blob counts against
    QString uploaderId;
    qint64 size = 0; ///< the blob's declared size in bytes
    qint64 received = 0; ///< bytes acknowledged so far
    bool complete = false; ///< received == size; then the blob is fetchable and no longer written
    qint64 createdAt = 0;
    qint64 updatedAt = 0; ///< the last write: an incomplete upload idle for the expiry is swept

    bool operator==(const UploadRecord &) const = default;
};

/// What createUpload did: stored it, or refused it for the practice's quota or the uploader's open uploads.
enum class UploadCreateResult { Created, QuotaExceeded, TooManyUploads };

/// A short-lived download token, kept as the SHA-256 digest of the token only.
struct BlobTokenRecord {
    QString uploadId;
    qint64 expiresAt = 0;
    QByteArray sessionDigest; ///< the session that asked for it: the token lives only as long as that session
};

/// Uploads of encrypted blobs the server cannot open (docs/protocol.md, "Attachments"), and download tokens.
/// Every method is atomic: a change of several rows happens in one transaction with its events.
/// Methods may be called from any thread.
class AttachmentStorage {
public:
    virtual ~AttachmentStorage() = default;

    /// Stores a new upload unless its uploader already has maxOpenPerUploader incomplete uploads (TooManyUploads)
    /// or the practice's uploads (complete and reserved) plus its size exceed quotaBytes (QuotaExceeded). Counted
    /// and written in one transaction, so two uploads racing for the last bytes or the last slot get one.
    virtual UploadCreateResult createUpload(const UploadRecord &upload, qint64 quotaBytes, int maxOpenPerUploader) = 0;
    virtual std::optional<UploadRecord> upload(const QString &id) = 0;
    /// Saves how much was received and whether it is complete; false when the upload is gone. The commit that
    /// marks an upload complete is durable (synced to disk, not just to the OS) before this returns.
    virtual bool setUploadReceived(const QString &id, qint64 received, bool complete, qint64 now) = 0;
    /// Deletes an upload and its download tokens; false when it was gone.
    virtual bool deleteUpload(const QString &id) = 0;
    /// Incomplete uploads not written since before, oldest first.
    virtual QStringList staleUploads(qint64 before, int limit) = 0;
    /// Deletes the upload if it is still incomplete and not written since before (a write may have come meanwhile).
    virtual bool deleteStaleUpload(const QString &id, qint64 before) = 0;
    /// Those of ids that no upload has, in one query (the sweep's files without a row).
    virtual QStringList unknownUploads(const QStringList &ids) = 0;
    /// Stores a token for a complete upload; false (nothing stored) when the upload is gone or incomplete.
    virtual bool putBlobToken(const QByteArray &digest, const QString &uploadId, qint64 expiresAt,
                              const QByteArray &sessionDigest) = 0;
    virtual std::optional<BlobTokenRecord> blobToken(const QByteArray &digest) = 0;
    /// Deletes tokens expired at now; returns how many.
    virtual int pruneBlobTokens(qint64 now) = 0;
};

} // namespace larch::server
