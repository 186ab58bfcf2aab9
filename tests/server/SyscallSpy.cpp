// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The definitions of SyscallSpy.h. The executable's own fsync, fdatasync and pwrite take the place of libc's for
// the whole process (the server library is linked in statically; libsqlite3 finds them through the executable's
// exported symbols), and forward to libc's through dlsym(RTLD_NEXT).
#include "SyscallSpy.h"

#include <cerrno>
#include <dlfcn.h>
#include <QMutex>
#include <sys/types.h>

extern "C" {
// Declared here rather than from <unistd.h>, which may rename pwrite to pwrite64.
ssize_t readlink(const char *path, char *buffer, size_t size);
int fsync(int fd);
int fdatasync(int fd);
ssize_t pwrite(int fd, const void *data, size_t n, off_t offset);
ssize_t pwrite64(int fd, const void *data, size_t n, off_t offset);
}

namespace spy {
namespace {

QMutex mutex;
QStringList synced;
QByteArray writePrefix, syncPrefix;
int writeError = 0, syncError = 0;

QByteArray pathOf(int fd)
{
    char buffer[4096];
    const QByteArray link = "/proc/self/fd/" + QByteArray::number(fd);
    const ssize_t n = readlink(link.constData(), buffer, sizeof buffer);
    return n > 0 ? QByteArray(buffer, n) : QByteArray();
}

template<typename F>
F real(const char *name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

/// Records a sync of fd; returns the error to fail it with, or 0.
int syncing(int fd)
{
    const QByteArray path = pathOf(fd);
    QMutexLocker lock(&mutex);
    synced.append(QString::fromLocal8Bit(path));
    return syncError != 0 && path.startsWith(syncPrefix) ? syncError : 0;
}

int writing(int fd)
{
    QMutexLocker lock(&mutex);
    if (writeError == 0)
        return 0;
    return pathOf(fd).startsWith(writePrefix) ? writeError : 0;
}

} // namespace

void resetSyncs()
{
    QMutexLocker lock(&mutex);
    synced.clear();
}

QStringList syncedPaths()
{
    QMutexLocker lock(&mutex);
    return synced;
}

void failWrites(const QByteArray &prefix, int error)
{
    QMutexLocker lock(&mutex);
    writePrefix = prefix;
    writeError = error;
}

void failSyncs(const QByteArray &prefix, int error)
{
    QMutexLocker lock(&mutex);
    syncPrefix = prefix;
    syncError = error;
}

} // namespace spy

extern "C" int fsync(int fd)
{
    if (const int error = spy::syncing(fd)) {
        errno = error;
        return -1;
    }
    static const auto next = spy::real<int (*)(int)>("fsync");
    return next(fd);
}

extern "C" int fdatasync(int fd)
{
    if (const int error = spy::syncing(fd)) {
        errno = error;
        return -1;
    }
    static const auto next = spy::real<int (*)(int)>("fdatasync");
    return next(fd);
}

extern "C" ssize_t pwrite(int fd, const void *data, size_t n, off_t offset)
{
    if (const int error = spy::writing(fd)) {
        errno = error;
        return -1;
    }
    static const auto next = spy::real<ssize_t (*)(int, const void *, size_t, off_t)>("pwrite");
    return next(fd, data, n, offset);
}

extern "C" ssize_t pwrite64(int fd, const void *data, size_t n, off_t offset)
{
    if (const int error = spy::writing(fd)) {
        errno = error;
        return -1;
    }
    static const auto next = spy::real<ssize_t (*)(int, const void *, size_t, off_t)>("pwrite64");
    return next(fd, data, n, offset);
}
