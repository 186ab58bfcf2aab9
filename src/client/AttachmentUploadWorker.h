// The part of an upload that runs on its own thread: reading the file and encrypting it, chunk by chunk.
#pragma once

#include "AttachmentCipher.h"
#include "AttachmentSource.h"
#include "AttachmentUpload.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <optional>

namespace larch {

/// Lives on AttachmentUpload's worker thread; every call arrives and every answer leaves as a queued signal. A call
/// carries its job number: once AttachmentUpload has moved on to another job, work on the old one stops early.
class AttachmentUploadWorker : public QObject {
    Q_OBJECT
public:
    AttachmentUploadWorker(const PendingAttachment &file, std::shared_ptr<std::atomic<int>> currentJob);

    /// Reads the whole file once to learn its plaintext size (photos lose metadata, so it is not the file size).
    void measure(int job);
    /// Prepares to encrypt from state (a fresh encryptor when empty or unreadable), skipping the plaintext the
    /// state has done. toEnd: encrypts everything left without sending (the server has it all already) and answers
    /// with an empty last batch holding the hash and key.
    void open(int job, qint64 plainSize, const larch::SecretBytes &state, bool toEnd);
    /// Encrypts the next whole chunks, at most maxBytes of blob (one chunk at least).
    void produce(int job, qint64 maxBytes);

signals:
    void measured(int job, qint64 plainSize);
    /// Ready at blob offset; freshState is the new encryptor's state when it starts from nothing, else empty.
    void opened(int job, qint64 offset, const larch::SecretBytes &freshState);
    void produced(const larch::UploadBatch &batch);
    /// The file cannot be read as it was chosen: an AttachmentSource::Problem.
    void sourceFailed(int job, int problem);

private:
    bool stale(int job) const { return job != m_currentJob->load(); }
    /// Encrypts the next chunk, appended to out (dropped when out is null). False on a source problem.
    bool pushNext(QByteArray *out);
    qint64 offset() const;
    UploadBatch lastBatch(int job) const;

    PendingAttachment m_file;
    std::shared_ptr<std::atomic<int>> m_currentJob;
    AttachmentSource m_source;
    std::optional<AttachmentEncryptor> m_encryptor;
    QByteArray m_plain;
    qint64 m_plainSize = 0;
};

} // namespace larch
