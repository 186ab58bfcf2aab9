// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AttachmentStorage in SQLite.
#pragma once

#include "server/storage/AttachmentStorage.h"
#include "server/storage/sqlite/SqliteFeature.h"

namespace larch::server {

/// AttachmentStorage of the SQLite backend: attachment uploads and download tokens.
class SqliteAttachmentStorage final : public AttachmentStorage, private SqliteFeature {
public:
    explicit SqliteAttachmentStorage(SqliteDatabase &db) : SqliteFeature(db) { }

    UploadCreateResult createUpload(const UploadRecord &upload, qint64 quotaBytes, int maxOpenPerUploader) override;
    std::optional<UploadRecord> upload(const QString &id) override;
    bool setUploadReceived(const QString &id, qint64 received, bool complete, qint64 now) override;
    bool deleteUpload(const QString &id) override;
    QStringList staleUploads(qint64 before, int limit) override;
    bool deleteStaleUpload(const QString &id, qint64 before) override;
    QStringList unknownUploads(const QStringList &ids) override;
    bool putBlobToken(const QByteArray &digest, const QString &uploadId, qint64 expiresAt,
                      const QByteArray &sessionDigest) override;
    std::optional<BlobTokenRecord> blobToken(const QByteArray &digest) override;
    int pruneBlobTokens(qint64 now) override;
};

} // namespace larch::server
