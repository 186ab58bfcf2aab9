// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/AttachmentUpload.h"

#include "client/attachments/AttachmentUploadWorker.h"
#include "client/net/ApiClient.h"
#include "client/net/EventStream.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Sha256.h"

#include <QFile>
#include <QRandomGenerator>

namespace larch {

namespace {
QString keysUnavailableText()
{
    return QStringLiteral("This device's keys are not available, so the attachment could not be sent. Sign in "
                          "again and attach it again.");
}
} // namespace

QString AttachmentUpload::fileGoneText()
{
    return QStringLiteral("This file is no longer there or has changed, so it could not be sent. Attach it again.");
}

QString AttachmentUpload::tooLargeText(qint64 maxBytes)
{
    if (maxBytes <= 0)
        return QStringLiteral("This file is larger than this server accepts.");
    return QStringLiteral("This file is larger than the %1 MB this server accepts.").arg(maxBytes / (1024 * 1024));
}

QString AttachmentUpload::quotaText()
{
    return QStringLiteral("Your practice has used all its storage for attachments; ask your administrator.");
}

QString AttachmentUpload::notSecureText()
{
    return QStringLiteral("Attachments can only be sent in secure conversations.");
}

AttachmentUpload::AttachmentUpload(LocalStore *store, ApiClient *api, const QString &clientId,
                                   const QString &conversationId, const PendingAttachment &file, QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_clientId(clientId), m_conversationId(conversationId), m_file(file),
      m_currentJob(std::make_shared<std::atomic<int>>(0))
{
    qRegisterMetaType<larch::SecretBytes>();
    qRegisterMetaType<larch::UploadBatch>();
    qRegisterMetaType<larch::UploadTarget>();
    qRegisterMetaType<larch::ApiResult>();
    m_record.clientId = clientId;
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        if (!m_plainSize)
            emit measureRequested(newJob());
        else if (m_record.uploadId.isEmpty())
            createUpload();
        else
            syncWithServer();
    });

    // Reading and encrypting happen on the worker thread; the two sides meet only in queued signals.
    m_worker = new AttachmentUploadWorker(file, m_currentJob);
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("larch-upload"));
    connect(this, &AttachmentUpload::measureRequested, m_worker, &AttachmentUploadWorker::measure,
            Qt::QueuedConnection);
    connect(this, &AttachmentUpload::openRequested, m_worker, &AttachmentUploadWorker::open, Qt::QueuedConnection);
    connect(this, &AttachmentUpload::sendRequested, m_worker, &AttachmentUploadWorker::send, Qt::QueuedConnection);
    connect(this, &AttachmentUpload::releaseRequested, m_worker, &AttachmentUploadWorker::release,
            Qt::QueuedConnection);
    connect(this, &AttachmentUpload::haltRequested, m_worker, &AttachmentUploadWorker::halt, Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::measured, this, &AttachmentUpload::onMeasured, Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::opened, this, &AttachmentUpload::onOpened, Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::acknowledged, this, &AttachmentUpload::onAcknowledged,
            Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::sendFailed, this, &AttachmentUpload::onSendFailed, Qt::QueuedConnection);
    connect(
        m_worker, &AttachmentUploadWorker::sending, this,
        [this](int job, qint64 offset, qint64 bytes) {
            if (job == *m_currentJob && m_running)
                emit sending(offset, bytes);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &AttachmentUploadWorker::held, this,
        [this](int job) {
            if (job != *m_currentJob || !m_running || m_holdAfter == 0)
                return;
            m_holding = true;
            emit held();
        },
        Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::sourceFailed, this, &AttachmentUpload::onSourceFailed,
            Qt::QueuedConnection);
    connect(this, &AttachmentUpload::hashRestRequested, m_worker, &AttachmentUploadWorker::hashRest,
            Qt::QueuedConnection);
    connect(m_worker, &AttachmentUploadWorker::restHashed, this, &AttachmentUpload::onRestHashed, Qt::QueuedConnection);
}

AttachmentUpload::~AttachmentUpload()
{
    newJob(); // the worker drops what it is doing at its next check
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

int AttachmentUpload::newJob() { return ++*m_currentJob; }

qint64 AttachmentUpload::blobSize() const { return AttachmentFormat::cipherSize(m_plainSize.value_or(0)); }

void AttachmentUpload::start()
{
    if (m_running)
        return;
    m_running = true;
    m_failures = 0;
    if (const auto record = m_store->outbox().upload(m_clientId)) {
        m_record = *record;
        if (m_record.result) {
            const AttachmentRef ref = *m_record.result;
            QTimer::singleShot(0, this, [this, ref] {
                if (m_running)
                    complete(ref);
            });
            return;
        }
    }
    if (!m_thread.isRunning())
        m_thread.start();
    if (!m_plainSize)
        emit measureRequested(newJob()); // also checks the file is still the one chosen
    else if (m_record.uploadId.isEmpty())
        createUpload();
    else
        syncWithServer();
}

void AttachmentUpload::stop()
{
    m_running = false;
    newJob();
    m_retryTimer.stop();
    m_holding = false;
    emit haltRequested();
}

void AttachmentUpload::release()
{
    m_holdAfter = 0;
    if (!m_holding)
        return;
    m_holding = false;
    emit releaseRequested(*m_currentJob);
}

void AttachmentUpload::cancel()
{
    stop();
    // Offline, the server collects the abandoned upload itself after a day.
    if (!m_record.uploadId.isEmpty())
        m_api->cancelUpload(m_record.uploadId, m_api, [](const ApiResult &) {});
    m_store->outbox().removeUpload(m_clientId);
    m_record = UploadRecord{m_clientId};
    removeOwnedSource();
}

void AttachmentUpload::removeOwnedSource()
{
    if (m_file.ownsSource)
        QFile::remove(m_file.sourcePath);
}

void AttachmentUpload::onMeasured(int job, qint64 plainSize)
{
    if (job != *m_currentJob || !m_running)
        return;
    if (plainSize <= 0) {
        fail(QStringLiteral("This file is empty, so it was not sent."));
        return;
    }
    m_plainSize = plainSize;
    if (m_record.uploadId.isEmpty())
        createUpload();
    else
        syncWithServer();
}

void AttachmentUpload::onSourceFailed(int job, int problem)
{
    if (job != *m_currentJob || !m_running)
        return;
    if (AttachmentSource::Problem(problem) == AttachmentSource::Problem::Malformed)
        fail(m_file.type.kind == QLatin1String("video")
                 ? QStringLiteral("This video could not be read, so it was not sent. Save it again from the app "
                                  "that made it, then send the new copy.")
                 : QStringLiteral("This photo could not be read, so it was not sent."));
    else
        fail(fileGoneText());
}

void AttachmentUpload::createUpload()
{
    const int job = *m_currentJob;
    m_api->createUpload(m_conversationId, blobSize(), this, [this, job](const ApiResult &result) {
        if (job != *m_currentJob || !m_running)
            return;
        const QString uploadId = result.body.value(QLatin1String("uploadId")).toString();
        if (!result.ok() || uploadId.isEmpty()) {
            if (result.ok())
                retryLater(); // an answer that is not the protocol: perhaps a proxy; try again later
            else
                handleError(result, true);
            return;
        }
        m_record = UploadRecord{m_clientId, uploadId};
        if (!m_store->outbox().saveUpload(m_record)) {
            fail(keysUnavailableText());
            return;
        }
        continueFrom(0, false, blobSize());
    });
}

void AttachmentUpload::syncWithServer()
{
    const int job = *m_currentJob;
    m_api->uploadStatus(m_record.uploadId, this, [this, job](const ApiResult &result) {
        if (job != *m_currentJob || !m_running)
            return;
        if (!result.ok()) {
            handleError(result, false);
            return;
        }
        continueFrom(result.body.value(QLatin1String("received")).toInteger(-1),
                     result.body.value(QLatin1String("complete")).toBool(),
                     result.body.value(QLatin1String("size")).toInteger(-1));
    });
}

void AttachmentUpload::continueFrom(qint64 received, bool complete, qint64 size)
{
    if (size != blobSize()) {
        fail(fileGoneText()); // the upload was made for a file of another size
        return;
    }
    if (complete) {
        // The last acknowledgement was lost. The key is in the state stored before the first byte left; the rest
        // of the blob's hash is made again from the acknowledged state.
        if (m_record.encryptor.isEmpty()) {
            startOver();
            return;
        }
        emit hashRestRequested(newJob(), *m_plainSize, m_record.encryptor, m_record.blobHash);
        return;
    }
    // The server may have more than acknowledged (the answer was lost); never less, but if so, start over.
    const qint64 from = std::clamp<qint64>(received, 0, m_record.ackedBytes);
    const bool resume = from == m_record.ackedBytes;
    emit progress(resume ? from : 0, blobSize());
    emit openRequested(newJob(), *m_plainSize, resume ? m_record.encryptor : SecretBytes(),
                       resume ? m_record.blobHash : QByteArray());
}

void AttachmentUpload::startOver()
{
    // A complete blob whose key or hash this device never kept cannot be used in a message; make another.
    m_api->cancelUpload(m_record.uploadId, m_api, [](const ApiResult &) {});
    m_record = UploadRecord{m_clientId};
    if (!m_store->outbox().saveUpload(m_record)) {
        fail(keysUnavailableText());
        return;
    }
    createUpload();
}

void AttachmentUpload::onRestHashed(int job, const SecretBytes &key, const QByteArray &blobSha256)
{
    if (job != *m_currentJob || !m_running)
        return;
    if (blobSha256.isEmpty()) {
        startOver();
        return;
    }
    m_record.ackedBytes = blobSize();
    m_record.result = refFor(key, blobSha256);
    if (!m_store->outbox().saveUpload(m_record)) {
        fail(keysUnavailableText());
        return;
    }
    complete(*m_record.result);
}

void AttachmentUpload::onOpened(int job, qint64 offset, const SecretBytes &freshState)
{
    if (job != *m_currentJob || !m_running)
        return;
    if (!freshState.isEmpty()) {
        // A new key and header: kept before the first byte leaves, so a complete blob is never without its key.
        m_record.ackedBytes = 0;
        m_record.encryptor = freshState;
        m_record.blobHash = Sha256Stream().saveState();
        m_record.result.reset();
        if (!m_store->outbox().saveUpload(m_record)) {
            fail(keysUnavailableText());
            return;
        }
    } else if (offset != m_record.ackedBytes) {
        retryLater(); // the stored state and the bytes acknowledged disagree; the next round starts over
        m_record.encryptor = SecretBytes();
        return;
    }
    const UploadTarget target = m_api->uploadTarget(m_record.uploadId);
    if (!target.isValid()) {
        retryLater(); // no usable server address just now (signing out, or being changed)
        return;
    }
    const int holdAfter = m_holdAfter > 0 ? std::max(1, m_holdAfter - m_acknowledged) : 0;
    emit sendRequested(job, target, m_requestBytes, holdAfter);
}

void AttachmentUpload::onAcknowledged(const UploadBatch &batch)
{
    if (batch.job != *m_currentJob || !m_running)
        return;
    m_failures = 0;
    m_restarts = 0;
    const qint64 end = batch.offset + batch.length;
    m_record.ackedBytes = end;
    m_record.encryptor = batch.stateAfter;
    m_record.blobHash = batch.blobHashAfter;
    if (batch.last) {
        const auto hash = Sha256Stream::restore(batch.blobHashAfter);
        m_record.result = refFor(batch.key, hash ? hash->digest() : QByteArray());
    }
    if (!m_store->outbox().saveUpload(m_record)) {
        fail(keysUnavailableText());
        return;
    }
    ++m_acknowledged;
    emit progress(end, blobSize());
    if (batch.last)
        complete(*m_record.result);
}

void AttachmentUpload::onSendFailed(int job, const ApiResult &result)
{
    if (job != *m_currentJob || !m_running)
        return;
    m_api->noteAnswer(result);
    handleError(result, false);
}

void AttachmentUpload::handleError(const ApiResult &result, bool creating)
{
    const ApiError &error = result.error;
    const QString code = error.code;
    if (error.kind == ApiError::Kind::SessionEnded) {
        stop(); // the Outbox starts it again after the next sign-in
        return;
    }
    if (error.isTransient() || error.kind == ApiError::Kind::InsecureUrl || error.kind == ApiError::Kind::InvalidUrl
        || error.httpStatus == 403 || error.httpStatus == 422 || code == QLatin1String("offset_mismatch")
        || code == QLatin1String("complete") || error.kind == ApiError::Kind::BadResponse) {
        // Offline, server trouble, a request damaged on the way, or out of step: ask again later, never give up.
        retryLater();
        return;
    }
    if (error.httpStatus == 413 || code == QLatin1String("attachment_too_large")) {
        const int job = newJob();
        m_api->attachmentLimits(this, [this, job](const ApiResult &limits) {
            if (job == *m_currentJob && m_running)
                fail(tooLargeText(limits.body.value(QLatin1String("attachmentMaxBytes")).toInteger(0)));
        });
        return;
    }
    if (code == QLatin1String("storage_quota_exceeded")) {
        fail(quotaText());
        return;
    }
    if (code == QLatin1String("not_secure")) {
        fail(notSecureText());
        return;
    }
    if (error.kind == ApiError::Kind::NotFound) {
        if (creating) {
            fail(QStringLiteral("This conversation is no longer available, so the attachment was not sent."));
            return;
        }
        // The server no longer has the upload (collected after a long pause): make it again from the start.
        if (++m_restarts <= 3) {
            m_record = UploadRecord{m_clientId};
            m_store->outbox().saveUpload(m_record);
            newJob();
            createUpload();
            return;
        }
    }
    fail(error.sentence);
}

void AttachmentUpload::retryLater()
{
    newJob();
    emit haltRequested();
    ++m_failures;
    const int base = EventStream::backoffMs(m_failures);
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_retryTimer.start(std::clamp(int(base * factor), 250, EventStream::BackoffCapMs));
    emit retrying();
}

AttachmentRef AttachmentUpload::refFor(const SecretBytes &key, const QByteArray &blobSha256) const
{
    AttachmentRef ref;
    ref.blobId = m_record.uploadId;
    ref.key = key.bytes();
    ref.blobSha256 = blobSha256;
    ref.size = m_plainSize.value_or(0);
    ref.mime = m_file.type.mime;
    ref.kind = m_file.type.kind;
    ref.name = m_file.name;
    ref.width = m_file.width;
    ref.height = m_file.height;
    ref.durationMs = m_file.durationMs;
    ref.pages = m_file.pages;
    ref.thumbnail = m_file.thumbnail;
    return ref;
}

void AttachmentUpload::complete(const AttachmentRef &ref)
{
    stop();
    m_thread.quit();
    removeOwnedSource();
    emit finished(ref);
}

void AttachmentUpload::fail(const QString &sentence)
{
    stop();
    // The reservation counts against the practice's storage: give it back.
    if (!m_record.uploadId.isEmpty())
        m_api->cancelUpload(m_record.uploadId, m_api, [](const ApiResult &) {});
    m_store->outbox().removeUpload(m_clientId);
    m_record = UploadRecord{m_clientId};
    removeOwnedSource();
    emit failed(sentence);
}

} // namespace larch
