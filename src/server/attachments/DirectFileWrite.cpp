// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/attachments/DirectFileWrite.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace larch::server {

namespace {

constexpr qint64 Block = 4096;

/// One aligned buffer per thread, kept between requests: a fresh one would be allocated and its pages touched for
/// the first time on every write, which costs more than the copy into it.
struct AlignedBuffer {
    struct Free {
        void operator()(char *p) const { std::free(p); }
    };
    std::unique_ptr<char, Free> data;
    qint64 capacity = 0;

    char *reserve(qint64 bytes)
    {
        if (bytes > capacity) {
            void *p = nullptr;
            if (::posix_memalign(&p, Block, static_cast<size_t>(bytes)) != 0)
                return nullptr;
            data.reset(static_cast<char *>(p));
            capacity = bytes;
        }
        return data.get();
    }
};

} // namespace

bool writeDirect(int fd, qint64 offset, QByteArrayView bytes)
{
    thread_local AlignedBuffer buffer;
    const qint64 start = offset & ~(Block - 1);
    const qint64 head = offset - start;
    const qint64 end = head + bytes.size();
    const qint64 padded = (end + Block - 1) & ~(Block - 1);
    char *buf = buffer.reserve(padded);
    if (!buf) {
        errno = ENOMEM;
        return false;
    }
    if (head > 0) {
        // The block's first bytes are already in the file (it ends at offset): read them back whole.
        const ssize_t n = ::pread(fd, buf, Block, start);
        if (n < 0)
            return false;
        if (n < head) {
            errno = EIO;
            return false;
        }
    }
    std::memcpy(buf + head, bytes.data(), static_cast<size_t>(bytes.size()));
    std::memset(buf + end, 0, static_cast<size_t>(padded - end));
    qint64 done = 0;
    while (done < padded) {
        const ssize_t n = ::pwrite(fd, buf + done, static_cast<size_t>(padded - done), start + done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n % Block != 0) { // a device that took part of a block: not something to continue from
            errno = EIO;
            return false;
        }
        done += n;
    }
    return ::ftruncate(fd, offset + bytes.size()) == 0;
}

} // namespace larch::server
