// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/attachments/BlobStore.h"

#include "core/protocol/Validation.h"
#include "server/attachments/DirectFileWrite.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace larch::server {
namespace {

[[noreturn]] void fail(const char *what)
{
    const int error = errno;
    throw BlobStoreError(std::string("blob store: ") + what + ": " + std::strerror(error),
                         error == ENOSPC || error == EDQUOT);
}

/// Closes a descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

/// After a failed write, nothing of its bytes is kept, so what was written goes again and the file is exactly the
/// cut. Shrinking a file needs no room, so this works when the disk is full. errno is kept for fail().
void keepOnlyTheCut(int fd, qint64 offset)
{
    const int error = errno;
    ::ftruncate(fd, offset);
    errno = error;
}

/// Makes a rename or a new name in dir durable.
void syncDirectory(const QString &dir)
{
    Fd d{::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd >= 0)
        ::fsync(d.fd);
}

} // namespace

FileBlobStore::FileBlobStore(const QString &dir) : m_dir(dir)
{
    if (!QDir().mkpath(dir))
        throw BlobStoreError("blob store: cannot create the blob directory");
    // Blobs are ciphertext, but who uploaded how much is still nobody else's business on a shared machine.
    ::chmod(QFile::encodeName(dir).constData(), 0700);
}

QByteArray FileBlobStore::pathOf(const QString &id) const
{
    // Ids are checked UUIDs before they reach the store; this keeps any other name out of the file system.
    if (!isValidId(id))
        throw BlobStoreError("blob store: not a blob id");
    return QFile::encodeName(m_dir + QLatin1Char('/') + id);
}

void FileBlobStore::write(const QString &id, qint64 offset, QByteArrayView bytes)
{
    const QByteArray path = pathOf(id);
    Fd f{::open(path.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)};
    if (f.fd < 0)
        fail("open for writing");
    // Cut first: bytes after offset belong to a chunk the client is sending again.
    if (::ftruncate(f.fd, offset) != 0)
        fail("truncate");
    if (bytes.isEmpty())
        return;
    // Past the page cache where the file system allows it: the server never reads a blob back soon after writing
    // it, and a gigabyte of blob in the cache would push out the database's pages.
    Fd direct{::open(path.constData(), O_RDWR | O_DIRECT | O_CLOEXEC)};
    if (direct.fd >= 0) {
        if (writeDirect(direct.fd, offset, bytes))
            return;
        if (errno != EINVAL) {
            keepOnlyTheCut(f.fd, offset);
            fail("write");
        }
        // EINVAL: the file system refuses O_DIRECT writes after all; write through the cache below.
        if (::ftruncate(f.fd, offset) != 0)
            fail("truncate");
    }
    const char *data = bytes.data();
    qint64 left = bytes.size();
    qint64 at = offset;
    while (left > 0) {
        const ssize_t n = ::pwrite(f.fd, data, static_cast<size_t>(left), at);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            keepOnlyTheCut(f.fd, offset);
            fail("write");
        }
        data += n;
        left -= n;
        at += n;
    }
}

qint64 FileBlobStore::size(const QString &id)
{
    struct stat st { };
    if (::stat(pathOf(id).constData(), &st) != 0) {
        if (errno == ENOENT)
            return 0;
        fail("stat");
    }
    return static_cast<qint64>(st.st_size);
}

void FileBlobStore::seal(const QString &id)
{
    Fd f{::open(pathOf(id).constData(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0)
        fail("open for sync");
    if (::fsync(f.fd) != 0)
        fail("sync");
    syncDirectory(m_dir);
}

void FileBlobStore::remove(const QString &id)
{
    if (::unlink(pathOf(id).constData()) != 0 && errno != ENOENT)
        fail("remove");
}

void FileBlobStore::scan(int batchSize, const std::function<void(const QStringList &ids)> &visit)
{
    // The directory is read as it goes (readdir), never listed whole.
    QDirIterator it(m_dir, QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden);
    QStringList batch;
    while (it.hasNext()) {
        const QString name = it.nextFileInfo().fileName();
        if (!isValidId(name))
            continue;
        batch.append(name);
        if (batch.size() >= batchSize) {
            visit(batch);
            batch.clear();
        }
    }
    if (!batch.isEmpty())
        visit(batch);
}

QString FileBlobStore::filePath(const QString &id)
{
    const QByteArray path = pathOf(id);
    return ::access(path.constData(), F_OK) == 0 ? QFile::decodeName(path) : QString();
}

} // namespace larch::server
