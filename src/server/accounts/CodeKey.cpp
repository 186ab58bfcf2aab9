// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/CodeKey.h"

#include "server/transport/Log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <QFile>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace larch::server {
namespace {

std::string shown(const QString &path) { return path.toStdString(); }

/// Creates the file exclusively with mode 0600 and writes a fresh key; false when it exists already.
bool createKeyFile(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return false;
        throw CodeKeyError("Cannot create the code key " + shown(path) + ": " + std::strerror(errno) + ".");
    }
    unsigned char key[CodeKey::Size];
    randombytes_buf(key, sizeof key);
    const ssize_t written = ::write(fd, key, sizeof key);
    const bool synced = ::fsync(fd) == 0;
    sodium_memzero(key, sizeof key);
    ::close(fd);
    if (written != static_cast<ssize_t>(sizeof key) || !synced) {
        ::unlink(native.constData()); // a short key must not be read on the next start
        throw CodeKeyError("Cannot write the code key " + shown(path) + ".");
    }
    return true;
}

} // namespace

QByteArray CodeKey::loadOrCreate(const QString &path)
{
    if (!createKeyFile(path)) {
        struct stat st { };
        if (::stat(QFile::encodeName(path).constData(), &st) == 0 && (st.st_mode & 077) != 0)
            log::warn("the code key " + shown(path) + " can be read by other users; make it mode 0600");
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw CodeKeyError("Cannot read the code key " + shown(path) + ": " + file.errorString().toStdString() + ".");
    const QByteArray key = file.read(Size + 1);
    if (key.size() != Size)
        throw CodeKeyError("The code key " + shown(path) + " holds " + std::to_string(file.size())
                           + " bytes instead of " + std::to_string(Size)
                           + ". Restore it from a backup, or delete it to make a new one (codes already sent "
                             "then stop working).");
    return key;
}

QByteArray CodeKey::digest(const QByteArray &key, const QString &contact, const QString &code)
{
    const QByteArray input = (contact + QLatin1Char('\n') + code).toUtf8();
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char *>(input.constData()),
                       static_cast<unsigned long long>(input.size()),
                       reinterpret_cast<const unsigned char *>(key.constData()), static_cast<size_t>(key.size()));
    return QByteArray(reinterpret_cast<const char *>(out), sizeof out).toHex();
}

} // namespace larch::server
