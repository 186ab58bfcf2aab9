// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Where attachment blobs live: opaque bytes by id (docs/protocol.md, "Attachments"). The server never opens them.
#pragma once

#include <functional>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <stdexcept>
#include <string>

namespace larch::server {

/// A failure of the blob store; its text names the operation and the system's reason, never a blob id.
class BlobStoreError : public std::runtime_error {
public:
    explicit BlobStoreError(const std::string &what, bool noSpace = false)
        : std::runtime_error(what), m_noSpace(noSpace)
    { }
    /// The disk (or the user's disk quota) is full: ENOSPC or EDQUOT. The caller answers 507, not 500.
    bool noSpace() const { return m_noSpace; }

private:
    bool m_noSpace;
};

/// Stores blobs by id. FileBlobStore keeps files in <data-dir>/blobs/; an S3-compatible store can implement the
/// same interface later (write = a multipart part, seal = complete the multipart upload). Callers serialise work
/// on one id (AttachmentService locks per upload); different ids may be used from any thread at once.
class BlobStore {
public:
    virtual ~BlobStore() = default;

    /// Cuts the blob to offset and writes bytes there, creating it when absent, so a client that resends from an
    /// earlier offset replaces what followed (empty bytes only cut). offset is at most size(id). Throws
    /// BlobStoreError; after a failed write the blob holds offset bytes (the cut), nothing of bytes.
    virtual void write(const QString &id, qint64 offset, QByteArrayView bytes) = 0;
    /// The bytes stored, 0 when the blob does not exist.
    virtual qint64 size(const QString &id) = 0;
    /// Makes a complete blob durable (it survives a power loss, not just a crash of the process). Throws
    /// BlobStoreError (noSpace() when the file system reports ENOSPC or EDQUOT on the sync).
    virtual void seal(const QString &id) = 0;
    /// Removes the blob; nothing happens when it does not exist.
    virtual void remove(const QString &id) = 0;
    /// Calls visit with the ids of the stored blobs, at most batchSize at a time, so the sweep can remove those no
    /// upload refers to without holding every name at once. Blobs added or removed meanwhile may or may not be seen.
    virtual void scan(int batchSize, const std::function<void(const QStringList &ids)> &visit) = 0;
    /// A local file holding the blob, to stream downloads from; "" when the blob does not exist.
    virtual QString filePath(const QString &id) = 0;
};

/// Blobs as files named by their id in one directory (created 0700, files 0600).
class FileBlobStore final : public BlobStore {
public:
    /// Creates dir when missing; throws BlobStoreError when it cannot.
    explicit FileBlobStore(const QString &dir);

    void write(const QString &id, qint64 offset, QByteArrayView bytes) override;
    qint64 size(const QString &id) override;
    void seal(const QString &id) override;
    void remove(const QString &id) override;
    void scan(int batchSize, const std::function<void(const QStringList &ids)> &visit) override;
    QString filePath(const QString &id) override;

private:
    QByteArray pathOf(const QString &id) const;

    QString m_dir;
};

} // namespace larch::server
