// Where attachment blobs live: opaque bytes by id (docs/protocol.md, "Attachments"). The server never opens them.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <stdexcept>

namespace larch::server {

/// A failure of the blob store; its text names the operation and the system's reason, never a blob id.
class BlobStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Stores blobs by id. FileBlobStore keeps files in <data-dir>/blobs/; an S3-compatible store can implement the
/// same interface later (write = a multipart part, seal = complete the multipart upload). Callers serialise work
/// on one id (AttachmentService locks per upload); different ids may be used from any thread at once.
class BlobStore {
public:
    virtual ~BlobStore() = default;

    /// Cuts the blob to offset and writes bytes there, creating it when absent, so a client that resends from an
    /// earlier offset replaces what followed. offset is at most size(id). Throws BlobStoreError.
    virtual void write(const QString &id, qint64 offset, QByteArrayView bytes) = 0;
    /// The bytes stored, 0 when the blob does not exist.
    virtual qint64 size(const QString &id) = 0;
    /// Makes a complete blob durable (it survives a power loss, not just a crash of the process).
    virtual void seal(const QString &id) = 0;
    /// Removes the blob; nothing happens when it does not exist.
    virtual void remove(const QString &id) = 0;
    /// The id of every stored blob, so the sweep can remove those no upload refers to.
    virtual QStringList ids() = 0;
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
    QStringList ids() override;
    QString filePath(const QString &id) override;

private:
    QByteArray pathOf(const QString &id) const;

    QString m_dir;
};

} // namespace larch::server
