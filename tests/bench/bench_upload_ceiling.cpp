// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Benchmark: how fast any upload of a 1 GiB attachment can be on this machine when the server runs on it too. The
// least work an encrypted upload takes, with nothing of the app or the server around it: one thread reads the
// file, encrypts it in 64 KiB secretstream chunks (AttachmentEncryptor) and sends 1 MiB requests, each with its
// CRC-32C, over a loopback TCP socket, two on their way at once; another thread receives them, checks the CRC and
// writes them into a file beside the source. Run once as is, and once with the SHA-256 of the blob made on a third
// thread (what the app signs). Prints both as ratios to raw secretstream, like bench_attachment_upload, so the two
// programs together show what the app's own figure is measured against. Each run's CPU time (user + system, all
// threads) also gives its bound: with every core busy the whole time, no schedule finishes sooner than CPU time
// divided by cores. The plain run's CPU time plus SHA-256 of the same bytes from memory (one core, cache-hot, the
// cheapest a hash can be) bounds any upload that signs the blob's hash. Prints figures; not a test.
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crc32c.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/Sha256.h"
#include "UploadBenchKit.h"

#include <algorithm>
#include <arpa/inet.h>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace larch;

namespace {

qint64 FileBytes = qint64(1) << 30;
/// 16 chunks a request (about 1 MiB), the header in the first one besides.
constexpr qint64 RequestBytes = 16 * AttachmentFormat::ChunkCipherBytes + AttachmentFormat::HeaderBytes;

bool sendAll(int fd, const char *data, qint64 n)
{
    while (n > 0) {
        const ssize_t w = ::send(fd, data, size_t(n), 0);
        if (w <= 0)
            return false;
        data += w;
        n -= w;
    }
    return true;
}

bool recvAll(int fd, char *data, qint64 n)
{
    while (n > 0) {
        const ssize_t r = ::recv(fd, data, size_t(n), 0);
        if (r <= 0)
            return false;
        data += r;
        n -= r;
    }
    return true;
}

/// The receiving side: 12-byte heads (length, CRC-32C), bodies read 256 KiB at a time and checked, then written
/// where they belong; one byte back per request.
bool receive(int fd, const QString &path, qint64 total)
{
    const int out = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0)
        return false;
    QByteArray body(RequestBytes, Qt::Uninitialized);
    qint64 at = 0;
    bool ok = true;
    while (ok && at < total) {
        char head[12];
        ok = recvAll(fd, head, sizeof head);
        qint64 length = 0;
        quint32 expected = 0;
        std::memcpy(&length, head, 8);
        std::memcpy(&expected, head + 8, 4);
        ok = ok && length > 0 && length <= body.size();
        quint32 crc = 0;
        for (qint64 have = 0; ok && have < length;) {
            const qint64 piece = std::min<qint64>(256 * 1024, length - have);
            ok = recvAll(fd, body.data() + have, piece);
            crc = crc32c(QByteArrayView(body.constData() + have, piece), crc);
            have += piece;
        }
        ok = ok && crc == expected && ::pwrite(out, body.constData(), size_t(length), at) == length;
        at += length;
        const char ack = 'k';
        ok = ok && ::send(fd, &ack, 1, 0) == 1;
    }
    ::close(out);
    return ok;
}

/// Requests handed from the encrypting thread to the hashing one, a few at a time, and their buffers handed back.
class HashQueue {
public:
    void push(QByteArray bytes)
    {
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [&] { return m_items.size() < 4; });
        m_items.push_back(std::move(bytes));
        m_ready.notify_one();
    }
    /// Hashes until an empty request arrives; returns the digest.
    QByteArray drain()
    {
        Sha256Stream hash;
        for (;;) {
            QByteArray bytes;
            {
                std::unique_lock lock(m_mutex);
                m_ready.wait(lock, [&] { return !m_items.empty(); });
                bytes = std::move(m_items.front());
                m_items.pop_front();
                m_room.notify_one();
            }
            if (bytes.isEmpty())
                return hash.digest();
            hash.update(bytes);
            std::lock_guard lock(m_mutex);
            m_free.push_back(std::move(bytes));
        }
    }
    /// A buffer the hasher is done with (its bytes may be overwritten), or a new one.
    QByteArray recycled()
    {
        std::lock_guard lock(m_mutex);
        if (m_free.empty())
            return {};
        QByteArray bytes = std::move(m_free.front());
        m_free.pop_front();
        return bytes;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready, m_room;
    std::deque<QByteArray> m_items;
    std::deque<QByteArray> m_free;
};

/// CPU seconds (user and system, every thread) the process has used so far.
double cpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// MB/s of SHA-256 (OpenSSL, the CPU's SHA extensions) over bytes hashed 1 MiB at a time from memory.
double sha256MBps(qint64 bytes)
{
    const QByteArray block(1 << 20, '\x42');
    Sha256Stream hash;
    QElapsedTimer t;
    t.start();
    for (qint64 done = 0; done < bytes; done += block.size())
        hash.update(block);
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    return hash.digest().size() == 32 ? double(bytes) / 1e6 / seconds : 0;
}

/// One transfer: its MB/s (0 on failure) and the CPU seconds both ends used for it.
struct Run {
    double mbps = 0;
    double cpu = 0;
};

/// MB/s of the whole transfer of source into target over loopback; 0 on failure.
double transfer(const QString &source, const QString &target, bool hashBlob)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(listener, 1) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 0;
    const qint64 blobBytes = AttachmentFormat::cipherSize(FileBytes);
    bool received = false;
    std::thread server([&] {
        const int fd = ::accept(listener, nullptr, nullptr);
        received = fd >= 0 && receive(fd, target, blobBytes);
        ::close(fd);
    });
    HashQueue queue;
    QByteArray digest;
    std::thread hasher;
    if (hashBlob)
        hasher = std::thread([&] { digest = queue.drain(); });

    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int in = ::open(QFile::encodeName(source).constData(), O_RDONLY | O_CLOEXEC);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 && in >= 0;
    QElapsedTimer t;
    t.start();
    AttachmentEncryptor encryptor;
    QByteArray plain(AttachmentFormat::ChunkPlainBytes, Qt::Uninitialized);
    int waiting = 0;
    QByteArray request;
    while (ok && !encryptor.isFinished()) {
        // One buffer for every request: a fresh one each time would be mapped and its pages faulted in again.
        if (hashBlob)
            request = queue.recycled();
        request.truncate(0);
        request.reserve(RequestBytes);
        if (encryptor.chunksDone() == 0)
            request.append(encryptor.header());
        quint32 crc = crc32c(request);
        while (ok && !encryptor.isFinished() && request.size() + AttachmentFormat::ChunkCipherBytes <= RequestBytes) {
            const ssize_t got = ::read(in, plain.data(), size_t(plain.size()));
            const qsizetype at = request.size();
            const bool last = encryptor.plainBytesDone() + got >= FileBytes;
            ok = got > 0 && encryptor.pushInto(QByteArrayView(plain).first(got), last, request);
            crc = crc32c(QByteArrayView(request).sliced(at), crc);
        }
        char head[12];
        const qint64 size = request.size();
        std::memcpy(head, &size, 8);
        std::memcpy(head + 8, &crc, 4);
        if (hashBlob)
            queue.push(request);
        ok = ok && sendAll(fd, head, sizeof head) && sendAll(fd, request.constData(), request.size());
        if (++waiting > 1) {
            char ack = 0;
            ok = ok && ::recv(fd, &ack, 1, 0) == 1;
            --waiting;
        }
    }
    while (ok && waiting-- > 0) {
        char ack = 0;
        ok = ::recv(fd, &ack, 1, 0) == 1;
    }
    if (hashBlob) {
        queue.push({});
        hasher.join();
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    ::close(fd);
    ::close(in);
    server.join();
    ::close(listener);
    if (!ok || !received || (hashBlob && digest.size() != 32))
        return 0;
    return double(FileBytes) / 1e6 / seconds;
}

} // namespace

int main(int argc, char **argv)
{
    initCrypto();
    if (argc > 1)
        FileBytes = QByteArray(argv[1]).toLongLong() * 1024 * 1024;
    QTemporaryDir dir;
    const QString source = dir.filePath(QStringLiteral("large.bin"));
    if (!uploadbench::writeRandomFile(source, FileBytes)) {
        std::fprintf(stderr, "bench_upload_ceiling: cannot write the file in %s\n", qPrintable(dir.path()));
        return 1;
    }
    const double rawBefore = uploadbench::rawSecretstreamMBps(FileBytes);
    const auto measured = [&](const char *name, bool hashBlob) {
        const double cpuBefore = cpuSeconds();
        Run run;
        run.mbps = transfer(source, dir.filePath(QString::fromLatin1(name)), hashBlob);
        run.cpu = cpuSeconds() - cpuBefore;
        return run;
    };
    const Run plainRun = measured("blob-1", false);
    const Run hashedRun = measured("blob-2", true);
    const double sha = sha256MBps(FileBytes);
    // The better of two raw runs, as in bench_attachment_upload.
    const double raw = std::max(rawBefore, uploadbench::rawSecretstreamMBps(FileBytes));
    if (plainRun.mbps <= 0 || hashedRun.mbps <= 0 || sha <= 0) {
        std::fprintf(stderr, "bench_upload_ceiling: a transfer failed\n");
        return 1;
    }
    const long cores = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
    const double gib = double(FileBytes) / double(qint64(1) << 30);
    // The fastest any schedule could go: the run's CPU work spread over every core without a moment idle.
    const auto bound = [&](double cpu) { return 100 * (double(FileBytes) / 1e6 / (cpu / double(cores))) / raw; };
    const double hashCpu = double(FileBytes) / 1e6 / sha;
    std::printf("%lld MiB attachment, the least work of an encrypted upload, both ends on this machine (%ld cores)\n",
                static_cast<long long>(FileBytes >> 20), cores);
    std::printf("  raw secretstream (memory, 64 KiB chunks):          %.0f MB/s\n", raw);
    std::printf("  read + encrypt + CRC-32C + loopback + write:        %.0f MB/s, ratio %.0f%%\n", plainRun.mbps,
                100 * plainRun.mbps / raw);
    std::printf("    CPU %.2f s per GiB; every core busy throughout would give at most %.0f%%\n", plainRun.cpu / gib,
                bound(plainRun.cpu));
    std::printf("  the same with the blob's SHA-256 on a third thread: %.0f MB/s, ratio %.0f%%\n", hashedRun.mbps,
                100 * hashedRun.mbps / raw);
    std::printf("    CPU %.2f s per GiB; every core busy throughout would give at most %.0f%%\n", hashedRun.cpu / gib,
                bound(hashedRun.cpu));
    std::printf("  SHA-256 alone (memory, one core):                   %.0f MB/s\n", sha);
    std::printf("    plain run's CPU + that hash: %.2f s per GiB; every core busy would give at most %.0f%%\n",
                (plainRun.cpu + hashCpu) / gib, bound(plainRun.cpu + hashCpu));
    return 0;
}
