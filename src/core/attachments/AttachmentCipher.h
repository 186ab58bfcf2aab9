// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Encrypts and decrypts an attachment as a stream of 64 KiB chunks (crypto_secretstream_xchacha20poly1305).
#pragma once

#include "core/crypto/SecretBytes.h"
#include "core/crypto/Sha256.h"

#include <optional>
#include <QByteArray>
#include <QByteArrayView>

namespace larch {

/// The blob format (docs/security.md, "Attachments"): a 24-byte secretstream header, then one encrypted chunk
/// per 64 KiB of plaintext (the last one, tagged FINAL, may be shorter or a full 64 KiB; an empty file is one
/// empty FINAL chunk). Each encrypted chunk is its plaintext plus 17 bytes. No additional data: the key is random
/// per file and travels only inside the encrypted message, with the SHA-256 of the whole blob. The stream's own
/// authentication refuses damage: every chunk carries a Poly1305 tag, chunks cannot be dropped, repeated or
/// reordered without failing it, and only the last is tagged FINAL, so a blob cut short or extended is refused as
/// well. The blob's hash, signed with the message, refuses another blob made by someone else who holds the key.
namespace AttachmentFormat {
inline constexpr qsizetype ChunkPlainBytes = 64 * 1024;
inline constexpr qsizetype HeaderBytes = 24;
inline constexpr qsizetype ChunkOverheadBytes = 17;
inline constexpr qsizetype ChunkCipherBytes = ChunkPlainBytes + ChunkOverheadBytes;
/// The blob size of a plaintext of plainSize bytes.
qint64 cipherSize(qint64 plainSize);
/// The number of encrypted chunks of a plaintext of plainSize bytes (at least 1).
qint64 chunkCount(qint64 plainSize);
} // namespace AttachmentFormat

/// Encrypts one file chunk by chunk while it is read. Its whole state (key, stream state, chunks done) can be saved
/// after any chunk and restored, so an upload continues after an app restart exactly where the last acknowledged
/// chunk left it.
class AttachmentEncryptor {
public:
    /// A random key and header.
    AttachmentEncryptor();

    const SecretBytes &key() const { return m_key; }
    /// The 24-byte header that starts the blob.
    QByteArray header() const { return m_header; }
    /// Encrypts the next chunk: exactly ChunkPlainBytes unless last is true (then 0..ChunkPlainBytes).
    /// Returns the encrypted chunk, or an empty array after the final chunk or for a wrong size.
    QByteArray push(QByteArrayView plain, bool last);
    /// As push(), appending the encrypted chunk to out without a copy of its own; false (out unchanged) on a
    /// wrong size or after the final chunk.
    bool pushInto(QByteArrayView plain, bool last, QByteArray &out);
    qint64 chunksDone() const { return m_chunks; }
    qint64 plainBytesDone() const { return m_plainBytes; }
    bool isFinished() const { return m_finished; }

    /// Everything needed to continue: secret (it holds the key); keep it sealed at rest.
    SecretBytes saveState() const;
    /// nullopt for a state of the wrong size or version.
    static std::optional<AttachmentEncryptor> restore(const SecretBytes &state);

private:
    SecretBytes m_key;
    QByteArray m_header;
    SecretBytes m_stream; ///< crypto_secretstream_xchacha20poly1305_state
    qint64 m_chunks = 0;
    qint64 m_plainBytes = 0;
    bool m_finished = false;
};

/// Decrypts a blob chunk by chunk as it arrives and checks it against the message's size and hash.
class AttachmentDecryptor {
public:
    enum class Status {
        NeedMore, ///< fine so far; feed more
        Done, ///< the FINAL chunk arrived, the size and the hashes the message gave match
        Damaged, ///< a chunk failed authentication, came after FINAL, the blob ended early, or size/hash differ
    };

    /// key, the expected plaintext size and the hashes come from the message's AttachmentRef: the blob's SHA-256
    /// (blobSha256) and, from older apps, the plaintext's (sha256). An empty hash is not checked.
    AttachmentDecryptor(const SecretBytes &key, qint64 expectedSize, const QByteArray &expectedSha256,
                        const QByteArray &expectedBlobSha256 = {});

    /// Takes the next bytes of the blob in any slicing; plaintext that became available is appended to out.
    Status feed(QByteArrayView cipher, QByteArray &out);
    /// The blob has no more bytes: Done when everything checked out, otherwise Damaged.
    Status finish();
    Status status() const { return m_status; }
    qint64 plainBytesDone() const { return m_plainBytes; }

private:
    Status pullChunk(QByteArrayView chunk, QByteArray &out);

    SecretBytes m_key;
    SecretBytes m_stream;
    SecretBytes m_hash;
    QByteArray m_pending;
    qint64 m_expectedSize;
    QByteArray m_expectedSha256;
    QByteArray m_expectedBlobSha256;
    Sha256Stream m_blobHash; ///< of the blob's bytes as they came (header and chunks)
    qint64 m_plainBytes = 0;
    bool m_headerRead = false;
    bool m_final = false;
    Status m_status = Status::NeedMore;
};

} // namespace larch
