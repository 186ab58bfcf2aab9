// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The part of an upload that runs on its own thread: reading the file, encrypting it chunk by chunk, and sending
// the encrypted bytes to the server.
#pragma once

#include "client/attachments/AttachmentSource.h"
#include "client/attachments/AttachmentUpload.h"
#include "client/net/UploadConnection.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Sha256.h"

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <QElapsedTimer>
#include <QObject>
#include <QThread>

namespace larch {

/// Lives on AttachmentUpload's worker thread; every call arrives and every answer leaves as a queued signal. A call
/// carries its job number: once AttachmentUpload has moved on to another job, work on the old one stops early.
///
/// While sending, up to PipelineDepth requests are on their way at once: the next request is encrypted while the
/// previous one is checksummed and written to the socket by the UploadConnection on a thread of its own and
/// stored by the server, so the processors of a phone or a desktop all work. The sender's thread also hashes the
/// blob as it leaves (the message signs that hash). AttachmentUpload keeps the state of each acknowledged request;
/// the worker never waits for it.
class AttachmentUploadWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int PipelineDepth = 2;

    AttachmentUploadWorker(const PendingAttachment &file, std::shared_ptr<std::atomic<int>> currentJob);
    ~AttachmentUploadWorker() override;

    /// Reads the whole file once to learn its plaintext size (photos lose metadata, so it is not the file size).
    void measure(int job);
    /// Prepares to encrypt from state and the blob's hash state (a fresh encryptor and hash when either is empty,
    /// unreadable or they disagree), skipping the plaintext the state has done.
    void open(int job, qint64 plainSize, const larch::SecretBytes &state, const QByteArray &blobHashState);
    /// The server has the whole blob but the last acknowledgement was lost: encrypts the rest again from state
    /// (without sending it) to finish the blob's hash; answers with restHashed.
    void hashRest(int job, qint64 plainSize, const larch::SecretBytes &state, const QByteArray &blobHashState);
    /// Sends the rest of the file to target in requests of requestBytes (0: adapting, see AttachmentUpload),
    /// pausing once holdAfter requests were acknowledged (0: never) until release().
    void send(int job, const larch::UploadTarget &target, qint64 requestBytes, int holdAfter);
    /// Continues after a pause of send().
    void release(int job);
    /// Stops sending and closes the connection (the upload stopped, or moved on to another job).
    void halt();

signals:
    void measured(int job, qint64 plainSize);
    /// Ready at blob offset; freshState is the new encryptor's state when it starts from nothing, else empty.
    void opened(int job, qint64 offset, const larch::SecretBytes &freshState);
    /// A request leaves: where it starts in the blob and how long it is.
    void sending(int job, qint64 offset, qint64 bytes);
    /// The server has batch (its bytes are no longer held); the last one carries the key.
    void acknowledged(const larch::UploadBatch &batch);
    /// A request failed or its answer was out of step; the requests after it are dropped.
    void sendFailed(int job, const larch::ApiResult &result);
    /// send()'s pause was reached.
    void held(int job);
    /// hashRest's answer: the file's key and the blob's SHA-256; both empty when the states could not be restored.
    void restHashed(int job, const larch::SecretBytes &key, const QByteArray &blobSha256);
    /// The file cannot be read as it was chosen: an AttachmentSource::Problem.
    void sourceFailed(int job, int problem);

private:
    bool stale(int job) const { return job != m_currentJob->load(); }
    /// Encrypts the next chunk, appended to out. False on a source problem.
    bool pushNext(QByteArray &out);
    qint64 offset() const;
    /// Encrypts and sends requests until PipelineDepth are on their way, the file is done or the pause is reached;
    /// one request per call, the next queued so the socket is served in between.
    void fill();
    /// Restores the encryptor and the blob's hash; false (both reset) when either is unusable or they disagree.
    bool restore(const SecretBytes &state, const QByteArray &blobHashState);
    /// Opens the file and skips what the encryptor has done; false after sourceFailed.
    bool openSource(int job);
    void onHashed(int job, qint64 offset, const QByteArray &blobHashAfter);
    void onAnswered(int tag, const ApiResult &result);
    void onBroken(int tag, const ApiResult &failure);
    /// The size of the next request.
    qint64 nextRequestBytes() const;

    PendingAttachment m_file;
    std::shared_ptr<std::atomic<int>> m_currentJob;
    AttachmentSource m_source;
    std::optional<AttachmentEncryptor> m_encryptor;
    std::optional<Sha256Stream> m_startHash; ///< the blob's hash where the encryptor stands (before send())
    std::shared_ptr<Sha256Stream> m_sendHash; ///< the running hash of send(), used on the sender's thread only
    QByteArray m_plain;
    qint64 m_plainSize = 0;

    QThread m_senderThread;
    UploadConnection *m_connection; ///< lives on m_senderThread
    int m_job = 0; ///< the job being sent; 0 when not sending
    std::deque<UploadBatch> m_sent; ///< requests on their way, oldest first (without their bytes)
    qint64 m_fixedBytes = 0; ///< send()'s requestBytes
    qint64 m_adaptiveBytes = AttachmentUpload::RequestBytes;
    int m_holdAfter = 0;
    int m_acknowledged = 0; ///< requests acknowledged in this send()
    bool m_fillQueued = false;
    QElapsedTimer m_sinceAnswer; ///< since the previous answer (or the first request): one request's time
};

} // namespace larch
