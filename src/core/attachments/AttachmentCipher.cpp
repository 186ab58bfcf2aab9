// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The low-level SHA256_CTX is the one form of OpenSSL's SHA-256 whose state is plain bytes; OpenSSL 3 marks it
// deprecated. The plaintext's hash state is secret (it holds the last bytes of a partial block), so it lives in
// SecretBytes; only messages whose reference carries a plaintext SHA-256 (older apps) need it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/attachments/AttachmentCipher.h"

#include <cstring>
#include <openssl/sha.h>
#include <QtEndian>
#include <sodium.h>
#include <type_traits>
#include <utility>

namespace larch {

using StreamState = crypto_secretstream_xchacha20poly1305_state;
// SHA-256 comes from OpenSSL's libcrypto rather than libsodium: it uses the CPU's SHA extensions (about 2.1 GB/s
// here, against 0.45 GB/s for libsodium's portable code).
using HashState = SHA256_CTX;

static_assert(AttachmentFormat::HeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(AttachmentFormat::ChunkOverheadBytes == crypto_secretstream_xchacha20poly1305_ABYTES);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32);

namespace {

constexpr qsizetype KeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;
constexpr qsizetype ShaBytes = SHA256_DIGEST_LENGTH;
// Version 1 also held a SHA-256 state; such a state is refused, and its upload starts again from the beginning.
constexpr char StateVersion = 2;
// version | key | header | stream state | chunks (LE64) | plain bytes (LE64) | finished
constexpr qsizetype StateBytes =
    1 + KeyBytes + AttachmentFormat::HeaderBytes + qsizetype(sizeof(StreamState)) + 8 + 8 + 1;

// The libsodium states live in SecretBytes (wiped on release) whose buffer need not be aligned for the
// hash state's integers, so each operation works on an aligned copy that is wiped again afterwards.
template<typename State, typename Fn>
auto withState(SecretBytes &holder, Fn &&fn)
{
    State s;
    memcpy(&s, holder.constData(), sizeof s);
    struct Wipe {
        State *p;
        ~Wipe() { sodium_memzero(p, sizeof *p); }
    } wipe{&s};
    if constexpr (std::is_void_v<decltype(fn(&s))>) {
        fn(&s);
        memcpy(holder.data(), &s, sizeof s);
    } else {
        auto r = fn(&s);
        memcpy(holder.data(), &s, sizeof s);
        return r;
    }
}

const unsigned char *uc(const char *p) { return reinterpret_cast<const unsigned char *>(p); }
unsigned char *uc(char *p) { return reinterpret_cast<unsigned char *>(p); }

QByteArray finishHash(SecretBytes &hash)
{
    QByteArray digest(ShaBytes, '\0');
    withState<HashState>(hash, [&](HashState *s) { SHA256_Final(uc(digest.data()), s); });
    return digest;
}

} // namespace

namespace AttachmentFormat {

qint64 chunkCount(qint64 plainSize)
{
    // Every chunk but the last is full; the last holds 1..ChunkPlainBytes bytes (0 only for an empty file).
    if (plainSize <= 0)
        return 1;
    return (plainSize + ChunkPlainBytes - 1) / ChunkPlainBytes;
}

qint64 cipherSize(qint64 plainSize)
{
    return HeaderBytes + qMax<qint64>(plainSize, 0) + chunkCount(plainSize) * ChunkOverheadBytes;
}

} // namespace AttachmentFormat

AttachmentEncryptor::AttachmentEncryptor()
    : m_key(SecretBytes::random(KeyBytes)), m_header(AttachmentFormat::HeaderBytes, '\0'),
      m_stream(SecretBytes::zeroed(sizeof(StreamState)))
{
    if (sodium_init() < 0)
        qFatal("libsodium could not be initialised");
    withState<StreamState>(m_stream, [&](StreamState *s) {
        crypto_secretstream_xchacha20poly1305_init_push(s, uc(m_header.data()), m_key.constData());
    });
}

QByteArray AttachmentEncryptor::push(QByteArrayView plain, bool last)
{
    QByteArray out;
    if (!pushInto(plain, last, out))
        return {};
    return out;
}

bool AttachmentEncryptor::pushInto(QByteArrayView plain, bool last, QByteArray &out)
{
    using namespace AttachmentFormat;
    if (m_finished || m_stream.size() != qsizetype(sizeof(StreamState)))
        return false;
    if (!last && plain.size() != ChunkPlainBytes)
        return false;
    // The last chunk is empty only when it is the only one, so the blob's size follows from the plaintext's.
    if (last && (plain.size() > ChunkPlainBytes || (plain.isEmpty() && m_chunks > 0)))
        return false;

    const qsizetype at = out.size();
    out.resize(at + plain.size() + ChunkOverheadBytes);
    const unsigned char tag =
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    // StreamState is a plain struct of bytes (no alignment above 1 is needed), so it is used where it lies.
    auto *state = reinterpret_cast<StreamState *>(m_stream.data());
    const int rc =
        crypto_secretstream_xchacha20poly1305_push(state, uc(out.data() + at), nullptr, uc(plain.data()),
                                                   static_cast<unsigned long long>(plain.size()), nullptr, 0, tag);
    if (rc != 0) {
        out.truncate(at);
        return false;
    }
    ++m_chunks;
    m_plainBytes += plain.size();
    m_finished = last;
    return true;
}

SecretBytes AttachmentEncryptor::saveState() const
{
    // The raw libsodium states are in this machine's byte order: the state is device-local by design.
    SecretBytes state = SecretBytes::zeroed(StateBytes);
    unsigned char *p = state.data();
    *p++ = StateVersion;
    memcpy(p, m_key.constData(), KeyBytes);
    p += KeyBytes;
    memcpy(p, m_header.constData(), AttachmentFormat::HeaderBytes);
    p += AttachmentFormat::HeaderBytes;
    memcpy(p, m_stream.constData(), sizeof(StreamState));
    p += sizeof(StreamState);
    qToLittleEndian<qint64>(m_chunks, p);
    p += 8;
    qToLittleEndian<qint64>(m_plainBytes, p);
    p += 8;
    *p = m_finished ? 1 : 0;
    return state;
}

std::optional<AttachmentEncryptor> AttachmentEncryptor::restore(const SecretBytes &state)
{
    using namespace AttachmentFormat;
    if (state.size() != StateBytes || state.constData()[0] != StateVersion)
        return std::nullopt;
    const unsigned char *p = state.constData() + 1;
    AttachmentEncryptor e;
    e.m_key = SecretBytes(QByteArray(reinterpret_cast<const char *>(p), KeyBytes));
    p += KeyBytes;
    e.m_header = QByteArray(reinterpret_cast<const char *>(p), HeaderBytes);
    p += HeaderBytes;
    memcpy(e.m_stream.data(), p, sizeof(StreamState));
    p += sizeof(StreamState);
    e.m_chunks = qFromLittleEndian<qint64>(p);
    p += 8;
    e.m_plainBytes = qFromLittleEndian<qint64>(p);
    p += 8;
    const unsigned char finished = *p;
    if (finished > 1 || e.m_chunks < 0 || e.m_plainBytes < 0 || e.m_chunks > (qint64(1) << 40))
        return std::nullopt;
    e.m_finished = finished == 1;
    if (!e.m_finished) {
        // Unfinished: only full chunks so far.
        if (e.m_plainBytes != e.m_chunks * ChunkPlainBytes)
            return std::nullopt;
    } else {
        const qint64 fullBefore = (e.m_chunks - 1) * ChunkPlainBytes;
        const bool emptyFile = e.m_chunks == 1 && e.m_plainBytes == 0;
        if (e.m_chunks < 1
            || (!emptyFile && (e.m_plainBytes <= fullBefore || e.m_plainBytes > fullBefore + ChunkPlainBytes)))
            return std::nullopt;
    }
    return e;
}

AttachmentDecryptor::AttachmentDecryptor(const SecretBytes &key, qint64 expectedSize, const QByteArray &expectedSha256,
                                         const QByteArray &expectedBlobSha256)
    : m_key(key), m_stream(SecretBytes::zeroed(sizeof(StreamState))), m_hash(SecretBytes::zeroed(sizeof(HashState))),
      m_expectedSize(expectedSize), m_expectedSha256(expectedSha256), m_expectedBlobSha256(expectedBlobSha256)
{
    if (sodium_init() < 0)
        qFatal("libsodium could not be initialised");
    if (m_key.size() != KeyBytes || m_expectedSize < 0
        || (!m_expectedSha256.isEmpty() && m_expectedSha256.size() != ShaBytes)
        || (!m_expectedBlobSha256.isEmpty() && m_expectedBlobSha256.size() != ShaBytes))
        m_status = Status::Damaged;
    withState<HashState>(m_hash, [](HashState *s) { SHA256_Init(s); });
}

AttachmentDecryptor::Status AttachmentDecryptor::feed(QByteArrayView cipher, QByteArray &out)
{
    using namespace AttachmentFormat;
    if (m_status == Status::Damaged)
        return m_status;
    if (m_final) {
        // Anything after the FINAL chunk means the blob is not the one the message describes.
        if (!cipher.isEmpty())
            m_status = Status::Damaged;
        return m_status;
    }
    while (!cipher.isEmpty() && m_status == Status::NeedMore) {
        // The expected size fixes every chunk's length: full ones, then the remainder (or one empty chunk).
        const qsizetype need = m_headerRead
            ? qsizetype(qMin<qint64>(ChunkPlainBytes, m_expectedSize - m_plainBytes)) + ChunkOverheadBytes
            : HeaderBytes;
        if (m_pending.isEmpty() && cipher.size() >= need) {
            // Whole units straight from the input, without copying them through m_pending.
            m_status = pullChunk(cipher.first(need), out);
            cipher = cipher.sliced(need);
            continue;
        }
        const qsizetype take = qMin(need - m_pending.size(), cipher.size());
        m_pending.append(cipher.first(take));
        cipher = cipher.sliced(take);
        if (m_pending.size() == need) {
            const QByteArray unit = std::exchange(m_pending, QByteArray());
            m_status = pullChunk(unit, out);
        }
    }
    if (m_final && !cipher.isEmpty())
        m_status = Status::Damaged;
    return m_status;
}

AttachmentDecryptor::Status AttachmentDecryptor::pullChunk(QByteArrayView chunk, QByteArray &out)
{
    using namespace AttachmentFormat;
    if (!m_expectedBlobSha256.isEmpty())
        m_blobHash.update(chunk);
    if (!m_headerRead) {
        const int rc = withState<StreamState>(m_stream, [&](StreamState *s) {
            return crypto_secretstream_xchacha20poly1305_init_pull(s, uc(chunk.data()), m_key.constData());
        });
        m_headerRead = true;
        return rc == 0 ? Status::NeedMore : Status::Damaged;
    }
    const qsizetype plainLen = chunk.size() - ChunkOverheadBytes;
    const qsizetype at = out.size();
    out.resize(at + plainLen);
    unsigned char tag = 0;
    const int rc = withState<StreamState>(m_stream, [&](StreamState *s) {
        return crypto_secretstream_xchacha20poly1305_pull(s, uc(out.data() + at), nullptr, &tag, uc(chunk.data()),
                                                          static_cast<unsigned long long>(chunk.size()), nullptr, 0);
    });
    const bool lastExpected = m_plainBytes + plainLen == m_expectedSize;
    const bool isFinal = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (rc != 0 || isFinal != lastExpected || (!isFinal && tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)) {
        sodium_memzero(out.data() + at, static_cast<size_t>(plainLen));
        out.truncate(at);
        return Status::Damaged;
    }
    if (!m_expectedSha256.isEmpty()) {
        withState<HashState>(
            m_hash, [&](HashState *s) { SHA256_Update(s, out.constData() + at, static_cast<size_t>(plainLen)); });
    }
    m_plainBytes += plainLen;
    if (!isFinal)
        return Status::NeedMore;
    m_final = true;
    // Every chunk authenticated, none missing, none reordered, the FINAL one last; the hash the sender signed says
    // it is the very blob the sender made, not another one made with the same key.
    if (!m_expectedBlobSha256.isEmpty()) {
        const QByteArray blobDigest = m_blobHash.digest();
        if (sodium_memcmp(blobDigest.constData(), m_expectedBlobSha256.constData(), ShaBytes) != 0)
            return Status::Damaged;
    }
    if (m_expectedSha256.isEmpty())
        return Status::Done;
    const QByteArray digest = finishHash(m_hash);
    return sodium_memcmp(digest.constData(), m_expectedSha256.constData(), ShaBytes) == 0 ? Status::Done
                                                                                          : Status::Damaged;
}

AttachmentDecryptor::Status AttachmentDecryptor::finish()
{
    // A blob that ended before its FINAL chunk was cut short on the way.
    if (m_status == Status::NeedMore)
        m_status = Status::Damaged;
    return m_status;
}

} // namespace larch
