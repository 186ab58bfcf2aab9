// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the two upload benchmarks share: raw secretstream speed (the figure both are compared with) and a file of
// random bytes to send.
#pragma once

#include "core/attachments/AttachmentCipher.h"

#include <QElapsedTimer>
#include <QFile>
#include <QString>
#include <sodium.h>

namespace uploadbench {

/// MB/s of raw crypto_secretstream_xchacha20poly1305_push over bytes in 64 KiB chunks, from memory.
inline double rawSecretstreamMBps(qint64 bytes)
{
    using larch::AttachmentFormat::ChunkCipherBytes;
    using larch::AttachmentFormat::ChunkPlainBytes;
    QByteArray plain(ChunkPlainBytes, '\x42');
    QByteArray cipher(ChunkCipherBytes, '\0');
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_keygen(key);
    crypto_secretstream_xchacha20poly1305_state state;
    crypto_secretstream_xchacha20poly1305_init_push(&state, header, key);
    const qint64 chunks = bytes / ChunkPlainBytes;
    QElapsedTimer t;
    t.start();
    for (qint64 i = 0; i < chunks; ++i) {
        crypto_secretstream_xchacha20poly1305_push(
            &state, reinterpret_cast<unsigned char *>(cipher.data()), nullptr,
            reinterpret_cast<const unsigned char *>(plain.constData()), size_t(plain.size()), nullptr, 0,
            i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    }
    return double(bytes) / 1e6 / (double(t.nsecsElapsed()) / 1e9);
}

/// Writes bytes random bytes to path; false when it cannot.
inline bool writeRandomFile(const QString &path, qint64 bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(4 * 1024 * 1024, '\0');
    for (qint64 written = 0; written < bytes; written += block.size()) {
        randombytes_buf(block.data(), size_t(block.size()));
        if (f.write(block) != block.size())
            return false;
    }
    return true;
}

} // namespace uploadbench
