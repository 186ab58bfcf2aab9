// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/AttachmentUploadWorker.h"

#include "core/crypto/Crc32c.h"
#include "core/crypto/Sha256.h"
#include "core/threads/PostTo.h"

namespace larch {

AttachmentUploadWorker::AttachmentUploadWorker(const PendingAttachment &file,
                                               std::shared_ptr<std::atomic<int>> currentJob)
    : m_file(file), m_currentJob(std::move(currentJob)), m_source(file), m_connection(new UploadConnection)
{
    m_connection->moveToThread(&m_senderThread);
    m_senderThread.setObjectName(QStringLiteral("larch-upload-send"));
    connect(m_connection, &UploadConnection::answered, this, &AttachmentUploadWorker::onAnswered, Qt::QueuedConnection);
    connect(m_connection, &UploadConnection::broken, this, &AttachmentUploadWorker::onBroken, Qt::QueuedConnection);
    m_senderThread.start();
}

AttachmentUploadWorker::~AttachmentUploadWorker()
{
    // The socket is closed on the sender's thread, where it lives; then that thread ends and the connection goes.
    callAndWait(m_connection, [c = m_connection] { c->abort(); });
    m_senderThread.quit();
    m_senderThread.wait();
    delete m_connection;
}

void AttachmentUploadWorker::measure(int job)
{
    if (stale(job))
        return;
    const auto size = m_source.measure([this, job] { return stale(job); });
    if (stale(job))
        return;
    if (!size)
        emit sourceFailed(job, int(m_source.problem()));
    else
        emit measured(job, *size);
}

qint64 AttachmentUploadWorker::offset() const
{
    const qint64 chunks = m_encryptor->chunksDone();
    return chunks == 0 ? 0 : AttachmentFormat::HeaderBytes + chunks * AttachmentFormat::ChunkCipherBytes;
}

bool AttachmentUploadWorker::restore(const SecretBytes &state, const QByteArray &blobHashState)
{
    m_encryptor.reset();
    m_startHash.reset();
    if (state.isEmpty())
        return false;
    m_encryptor = AttachmentEncryptor::restore(state);
    m_startHash = Sha256Stream::restore(blobHashState);
    // The hash must have seen exactly the blob bytes the encryptor made so far.
    if (!m_encryptor || !m_startHash || m_startHash->bytesHashed() != offset()) {
        m_encryptor.reset();
        m_startHash.reset();
        return false;
    }
    return true;
}

bool AttachmentUploadWorker::openSource(int job)
{
    // The stripper's output is the same on every run: running it again and dropping what the server already
    // has puts the source exactly at the next chunk.
    if (m_source.open() && m_source.skip(m_encryptor->plainBytesDone(), [this, job] { return stale(job); }))
        return true;
    if (!stale(job))
        emit sourceFailed(job, int(m_source.problem()));
    return false;
}

void AttachmentUploadWorker::open(int job, qint64 plainSize, const SecretBytes &state, const QByteArray &blobHashState)
{
    halt();
    if (stale(job))
        return;
    m_plainSize = plainSize;
    const bool fresh = !restore(state, blobHashState);
    if (fresh) {
        m_encryptor.emplace();
        m_startHash.emplace();
    }
    if (!openSource(job))
        return;
    emit opened(job, offset(), fresh ? m_encryptor->saveState() : SecretBytes());
}

void AttachmentUploadWorker::hashRest(int job, qint64 plainSize, const SecretBytes &state,
                                      const QByteArray &blobHashState)
{
    halt();
    if (stale(job))
        return;
    m_plainSize = plainSize;
    if (!restore(state, blobHashState)) {
        emit restHashed(job, SecretBytes(), QByteArray());
        return;
    }
    if (!openSource(job))
        return;
    // Encrypting the rest again from the kept state gives the very bytes the server holds.
    QByteArray cipher;
    if (m_encryptor->chunksDone() == 0) {
        cipher = m_encryptor->header();
        m_startHash->update(cipher);
    }
    while (!m_encryptor->isFinished()) {
        if (stale(job))
            return;
        cipher.clear();
        if (!pushNext(cipher)) {
            emit sourceFailed(job, int(m_source.problem()));
            return;
        }
        m_startHash->update(cipher);
    }
    emit restHashed(job, m_encryptor->key(), m_startHash->digest());
}

bool AttachmentUploadWorker::pushNext(QByteArray &out)
{
    const qint64 want =
        std::min<qint64>(AttachmentFormat::ChunkPlainBytes, m_plainSize - m_encryptor->plainBytesDone());
    const bool last = m_encryptor->chunksDone() + 1 >= AttachmentFormat::chunkCount(m_plainSize);
    m_plain.clear();
    if (want < 0 || !m_source.read(want, m_plain) || m_plain.size() != want)
        return false;
    if (last) {
        // More bytes than measured: the file changed under us; the reserved blob size would not fit it.
        QByteArray extra;
        if (!m_source.read(1, extra) || !extra.isEmpty())
            return false;
    }
    const bool pushed = m_encryptor->pushInto(m_plain, last, out);
    SecretBytes::wipe(m_plain);
    return pushed;
}

void AttachmentUploadWorker::send(int job, const UploadTarget &target, qint64 requestBytes, int holdAfter)
{
    if (stale(job) || !m_encryptor)
        return;
    halt();
    m_job = job;
    // From here on the hash is the sender thread's: it hashes each request as it leaves.
    m_sendHash = std::make_shared<Sha256Stream>(*m_startHash);
    postTo(m_connection, [c = m_connection, target, job] { c->setTarget(target, job); });
    m_fixedBytes = requestBytes;
    m_holdAfter = holdAfter;
    m_acknowledged = 0;
    m_sinceAnswer.start();
    fill();
}

void AttachmentUploadWorker::release(int job)
{
    if (job != m_job || stale(job))
        return;
    m_holdAfter = 0;
    fill();
}

void AttachmentUploadWorker::halt()
{
    const bool sending = m_job != 0;
    m_job = 0;
    m_sent.clear();
    // Closed before anything else is asked of the connection, so nothing of this job goes out after it.
    if (sending)
        callAndWait(m_connection, [c = m_connection] { c->abort(); });
}

qint64 AttachmentUploadWorker::nextRequestBytes() const
{
    const qint64 bytes = m_fixedBytes > 0 ? m_fixedBytes : m_adaptiveBytes;
    // One chunk at least, and the header with the first.
    return std::max(bytes, qint64(AttachmentFormat::HeaderBytes + AttachmentFormat::ChunkCipherBytes));
}

void AttachmentUploadWorker::fill()
{
    m_fillQueued = false;
    if (m_job == 0 || stale(m_job)) {
        halt();
        return;
    }
    if (m_encryptor->isFinished() || int(m_sent.size()) >= PipelineDepth
        || (m_holdAfter > 0 && m_acknowledged + int(m_sent.size()) >= m_holdAfter))
        return;

    UploadBatch batch;
    batch.job = m_job;
    batch.offset = offset();
    const qint64 maxBytes = nextRequestBytes();
    QByteArray bytes;
    bytes.reserve(maxBytes);
    if (m_encryptor->chunksDone() == 0)
        bytes.append(m_encryptor->header());
    // The checksum grows chunk by chunk while each is still in this processor's cache.
    quint32 crc = crc32c(bytes);
    bool first = true;
    while (!m_encryptor->isFinished()) {
        const qint64 next =
            std::min<qint64>(AttachmentFormat::ChunkPlainBytes, m_plainSize - m_encryptor->plainBytesDone())
            + AttachmentFormat::ChunkOverheadBytes;
        if (!first && bytes.size() + next > maxBytes)
            break;
        const qsizetype at = bytes.size();
        if (!pushNext(bytes)) {
            const int job = m_job;
            halt();
            emit sourceFailed(job, int(m_source.problem()));
            return;
        }
        crc = crc32c(QByteArrayView(bytes).sliced(at), crc);
        first = false;
    }
    batch.length = bytes.size();
    batch.stateAfter = m_encryptor->saveState();
    if (m_encryptor->isFinished()) {
        batch.last = true;
        batch.key = m_encryptor->key();
    }
    emit sending(m_job, batch.offset, batch.length);
    // Hashed and written on the sender's thread, while this one encrypts the next request. The hash state after
    // these bytes comes back before their answer can (both are queued to this thread, in that order).
    postTo(m_connection, [this, c = m_connection, hash = m_sendHash, job = m_job, offset = batch.offset, bytes, crc] {
        hash->update(bytes);
        postTo(this, [this, job, offset, after = hash->saveState()] { onHashed(job, offset, after); });
        c->put(offset, bytes, crc);
    });
    m_sent.push_back(std::move(batch));
    if (!m_fillQueued) {
        m_fillQueued = true;
        postTo(this, [this] { fill(); });
    }
}

void AttachmentUploadWorker::onHashed(int job, qint64 offset, const QByteArray &blobHashAfter)
{
    if (job != m_job)
        return;
    for (UploadBatch &batch : m_sent) {
        if (batch.offset == offset) {
            batch.blobHashAfter = blobHashAfter;
            return;
        }
    }
}

void AttachmentUploadWorker::onAnswered(int tag, const ApiResult &result)
{
    if (m_job == 0 || tag != m_job || m_sent.empty())
        return;
    const int job = m_job;
    if (stale(job)) {
        halt();
        return;
    }
    const UploadBatch batch = std::move(m_sent.front());
    m_sent.pop_front();
    const qint64 end = batch.offset + batch.length;
    if (!result.ok() || result.body.value(QLatin1String("received")).toInteger(-1) != end
        || batch.blobHashAfter.isEmpty()) {
        halt();
        m_adaptiveBytes = AttachmentUpload::RequestBytes;
        // An answer that is not what was sent puts the upload out of step: it asks the server where it stands.
        ApiResult failure = result;
        if (failure.ok())
            failure.error = ApiError::make(ApiError::Kind::BadResponse, result.httpStatus);
        emit sendFailed(job, failure);
        return;
    }
    // A fast link spends less of its time on round trips with larger requests; a slow one loses less when cut off.
    const qint64 tookMs = m_sinceAnswer.restart();
    if (tookMs < AttachmentUpload::FastRequestMs && batch.length * 2 > m_adaptiveBytes)
        m_adaptiveBytes = std::min(AttachmentUpload::MaxRequestBytes, m_adaptiveBytes * 2);
    else if (tookMs > AttachmentUpload::SlowRequestMs)
        m_adaptiveBytes = std::max(AttachmentUpload::RequestBytes / 4, m_adaptiveBytes / 2);
    ++m_acknowledged;
    emit acknowledged(batch);
    if (batch.last) {
        halt();
        return;
    }
    if (m_holdAfter > 0 && m_acknowledged >= m_holdAfter && m_sent.empty()) {
        emit held(job);
        return;
    }
    fill();
}

void AttachmentUploadWorker::onBroken(int tag, const ApiResult &failure)
{
    if (m_job == 0 || tag != m_job)
        return;
    const int job = m_job;
    halt();
    m_adaptiveBytes = AttachmentUpload::RequestBytes;
    if (!stale(job))
        emit sendFailed(job, failure);
}

} // namespace larch
