#include "AttachmentUploadWorker.h"

namespace larch {

AttachmentUploadWorker::AttachmentUploadWorker(const PendingAttachment &file,
                                               std::shared_ptr<std::atomic<int>> currentJob)
    : m_file(file), m_currentJob(std::move(currentJob)), m_source(file)
{
}

void AttachmentUploadWorker::measure(int job)
{
    if (stale(job))
        return;
    const auto size = m_source.measure();
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

void AttachmentUploadWorker::open(int job, qint64 plainSize, const SecretBytes &state, bool toEnd)
{
    if (stale(job))
        return;
    m_plainSize = plainSize;
    m_encryptor.reset();
    if (!state.isEmpty())
        m_encryptor = AttachmentEncryptor::restore(state);
    const bool fresh = !m_encryptor;
    if (fresh)
        m_encryptor.emplace();
    // The stripper's output is the same on every run: running it again and dropping what the server already
    // has puts the source exactly at the next chunk.
    if (!m_source.open() || !m_source.skip(m_encryptor->plainBytesDone())) {
        emit sourceFailed(job, int(m_source.problem()));
        return;
    }
    if (toEnd) {
        while (!m_encryptor->isFinished()) {
            if (stale(job))
                return;
            if (!pushNext(nullptr)) {
                emit sourceFailed(job, int(m_source.problem()));
                return;
            }
        }
        emit produced(lastBatch(job));
        return;
    }
    emit opened(job, offset(), fresh ? m_encryptor->saveState() : SecretBytes());
}

bool AttachmentUploadWorker::pushNext(QByteArray *out)
{
    const qint64 want = std::min<qint64>(AttachmentFormat::ChunkPlainBytes,
                                         m_plainSize - m_encryptor->plainBytesDone());
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
    const QByteArray cipher = m_encryptor->push(m_plain, last);
    SecretBytes::wipe(m_plain);
    if (cipher.isEmpty())
        return false;
    if (out)
        out->append(cipher);
    return true;
}

UploadBatch AttachmentUploadWorker::lastBatch(int job) const
{
    UploadBatch batch;
    batch.job = job;
    batch.offset = offset();
    batch.stateAfter = m_encryptor->saveState();
    batch.last = true;
    batch.sha256 = m_encryptor->plainSha256();
    batch.key = m_encryptor->key();
    return batch;
}

void AttachmentUploadWorker::produce(int job, qint64 maxBytes)
{
    if (stale(job) || !m_encryptor || m_encryptor->isFinished())
        return;
    UploadBatch batch;
    batch.job = job;
    batch.offset = offset();
    batch.bytes.reserve(maxBytes);
    if (m_encryptor->chunksDone() == 0)
        batch.bytes.append(m_encryptor->header());
    bool first = true;
    while (!m_encryptor->isFinished()) {
        const qint64 next = std::min<qint64>(AttachmentFormat::ChunkPlainBytes,
                                             m_plainSize - m_encryptor->plainBytesDone())
            + AttachmentFormat::ChunkOverheadBytes;
        if (!first && batch.bytes.size() + next > maxBytes)
            break;
        if (!pushNext(&batch.bytes)) {
            emit sourceFailed(job, int(m_source.problem()));
            return;
        }
        first = false;
    }
    if (m_encryptor->isFinished()) {
        const UploadBatch last = lastBatch(job);
        batch.last = true;
        batch.sha256 = last.sha256;
        batch.key = last.key;
    }
    batch.stateAfter = m_encryptor->saveState();
    emit produced(batch);
}

} // namespace larch
