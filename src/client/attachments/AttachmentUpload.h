// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Uploads one attachment as an encrypted blob, resumably: after a lost connection or an app restart it continues
// from the last chunk the server acknowledged.
#pragma once

#include "client/attachments/PendingAttachment.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/SecretBytes.h"

#include <atomic>
#include <memory>
#include <optional>
#include <QObject>
#include <QThread>
#include <QTimer>

namespace larch {

class AttachmentUploadWorker;

/// One request's worth of encrypted chunks, as the worker thread reports it once the server acknowledged it.
struct UploadBatch {
    int job = 0; ///< which run of the pipeline made it; batches of an abandoned run are dropped
    qint64 offset = 0; ///< where the bytes start in the blob
    qint64 length = 0; ///< how many bytes: whole encrypted chunks (the header first when offset is 0)
    SecretBytes stateAfter; ///< the encryptor's state after these chunks: kept once the server has them
    QByteArray blobHashAfter; ///< Sha256Stream state of the blob up to the end of these bytes
    bool last = false; ///< holds the final chunk
    SecretBytes key; ///< last only: the file's key
};

/// Sends one PendingAttachment to the server as a blob (docs/attachments.md, "Sending" and "Resuming").
///
/// The file is read in 64 KiB pieces (photos and videos through their MetadataStripper), encrypted chunk by chunk with
/// AttachmentEncryptor and sent by AttachmentUploadWorker on a worker thread, over its own UploadConnection; the
/// two threads talk only through queued signals. Creating the upload and asking where it stands go through
/// ApiClient. After each acknowledgement the upload id, the bytes acknowledged, the encryptor's state (sealed) and
/// the blob's hash state are stored (LocalStore uploads), so a new AttachmentUpload for the same client id
/// continues where this one stopped. Network trouble is retried with backoff, indefinitely; only refusals that waiting cannot change
/// end it with failed().
class AttachmentUpload : public QObject {
    Q_OBJECT
public:
    /// Requests start at RequestBytes and double, up to MaxRequestBytes (the server's limit), while each is
    /// acknowledged within FastRequestMs: a fast link spends less of its time on round trips, a slow one loses
    /// little when a request is cut off. A request that took over SlowRequestMs, or failed, halves them again.
    static constexpr qint64 RequestBytes = 1024 * 1024;
    static constexpr qint64 MaxRequestBytes = 4 * 1024 * 1024;
    static constexpr int FastRequestMs = 500;
    static constexpr int SlowRequestMs = 5000;

    AttachmentUpload(LocalStore *store, ApiClient *api, const QString &clientId, const QString &conversationId,
                     const PendingAttachment &file, QObject *parent = nullptr);
    ~AttachmentUpload() override;

    /// Starts, or continues from what the store and the server say; does nothing while already running.
    void start();
    /// Stops sending (sign-out, app going away); the server's upload and the stored record stay for later.
    void stop();
    /// Abandons the upload: the server drops it, the record goes, and a private copy of the file is removed.
    void cancel();
    bool isRunning() const { return m_running; }
    QString clientId() const { return m_clientId; }

    /// Test hooks (tests/client/tst_client_attachments.cpp): requests of at most this many bytes (whole chunks,
    /// at least one; fixed, no longer adapting), and holding after this many acknowledged requests until
    /// release() (0: never).
    void setRequestBytes(qint64 bytes) { m_requestBytes = bytes; }
    void setHoldAfterRequests(int requests) { m_holdAfter = requests; }
    void release();

    /// The sentences of the failures a person can act on.
    static QString fileGoneText();
    static QString tooLargeText(qint64 maxBytes);
    static QString quotaText();
    static QString notSecureText();

signals:
    /// Blob bytes the server has acknowledged, of total.
    void progress(qint64 done, qint64 total);
    /// A request leaves: where it starts in the blob and how long it is (progress displays, tests).
    void sending(qint64 offset, qint64 bytes);
    /// Network trouble or out of step with the server: it asks again by itself after a pause.
    void retrying();
    /// The test hook's hold was reached.
    void held();
    /// The blob is complete on the server; ref is what the message carries.
    void finished(const larch::AttachmentRef &ref);
    /// It cannot be sent (file gone, too large, quota, not a secure conversation); the reason for the person.
    void failed(const QString &sentence);

    // To the worker (queued).
    void measureRequested(int job);
    void openRequested(int job, qint64 plainSize, const larch::SecretBytes &state, const QByteArray &blobHashState);
    void hashRestRequested(int job, qint64 plainSize, const larch::SecretBytes &state, const QByteArray &blobHashState);
    void sendRequested(int job, const larch::UploadTarget &target, qint64 requestBytes, int holdAfter);
    void releaseRequested(int job);
    void haltRequested();

private:
    void createUpload();
    void syncWithServer();
    void continueFrom(qint64 received, bool complete, qint64 size);
    void onMeasured(int job, qint64 plainSize);
    void onOpened(int job, qint64 offset, const larch::SecretBytes &freshState);
    void onSourceFailed(int job, int problem);
    void onRestHashed(int job, const larch::SecretBytes &key, const QByteArray &blobSha256);
    /// Drops an upload this device cannot finish (its key or hash state is lost) and makes another.
    void startOver();
    void onAcknowledged(const larch::UploadBatch &batch);
    void onSendFailed(int job, const larch::ApiResult &result);
    void handleError(const ApiResult &result, bool creating);
    void retryLater();
    void complete(const AttachmentRef &ref);
    void fail(const QString &sentence);
    /// Invalidates the running pipeline (its answers are ignored from now on).
    int newJob();
    AttachmentRef refFor(const SecretBytes &key, const QByteArray &blobSha256) const;
    qint64 blobSize() const;
    void removeOwnedSource();

    LocalStore *m_store;
    ApiClient *m_api;
    QString m_clientId;
    QString m_conversationId;
    PendingAttachment m_file;
    QThread m_thread;
    AttachmentUploadWorker *m_worker;
    std::shared_ptr<std::atomic<int>> m_currentJob;
    UploadRecord m_record;
    std::optional<qint64> m_plainSize;
    QTimer m_retryTimer;
    int m_failures = 0;
    int m_restarts = 0; ///< uploads the server lost and that were made again
    int m_acknowledged = 0; ///< requests acknowledged by this object (the test hold)
    qint64 m_requestBytes = 0; ///< fixed by the test hook; 0 adapts (AttachmentUploadWorker)
    int m_holdAfter = 0;
    bool m_holding = false;
    bool m_running = false;
};

} // namespace larch
