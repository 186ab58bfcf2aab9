// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/AttachmentTempFiles.h"

#include "core/crypto/Crypto.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace larch {

namespace {
const QString LockName = QStringLiteral(".lock");
constexpr QFile::Permissions OwnerDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
constexpr QFile::Permissions OwnerFile = QFile::ReadOwner | QFile::WriteOwner;

bool makePrivateDir(const QString &path)
{
    if (!QDir().mkpath(path))
        return false;
    // Made (or found) with the umask's permissions: only the owner may list or enter it.
    return QFile::setPermissions(path, OwnerDir);
}
} // namespace

QString AttachmentTempFiles::defaultBase()
{
    const QDir cache(QStandardPaths::writableLocation(QStandardPaths::CacheLocation));
    return cache.filePath(QStringLiteral("larch-attachments"));
}

AttachmentTempFiles::AttachmentTempFiles(const QString &base, QObject *parent)
    : QObject(parent), m_base(base.isEmpty() ? defaultBase() : base)
{
    if (!makePrivateDir(m_base)) {
        qWarning("larch attachments: the private folder for opened attachments could not be made");
        return;
    }
    sweep();
    const QString dir = QDir(m_base).filePath(newId());
    if (!makePrivateDir(dir))
        return;
    m_lock = std::make_unique<QLockFile>(QDir(dir).filePath(LockName));
    m_lock->setStaleLockTime(0); // only a dead owner makes it stale, never age
    if (!m_lock->tryLock(0)) {
        QDir(dir).removeRecursively();
        return;
    }
    m_dir = dir;
}

AttachmentTempFiles::~AttachmentTempFiles()
{
    if (m_dir.isEmpty())
        return;
    m_files.clear();
    m_lock->unlock();
    QDir(m_dir).removeRecursively();
}

void AttachmentTempFiles::sweep()
{
    const QDir base(m_base);
    const auto entries = base.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo &entry : entries) {
        if (!entry.isDir() || entry.isSymLink()) {
            QFile::remove(entry.absoluteFilePath());
            continue;
        }
        // A live instance holds its lock; a crashed one's lock is stale (its process is gone) and can be taken.
        QLockFile lock(QDir(entry.absoluteFilePath()).filePath(LockName));
        lock.setStaleLockTime(0);
        if (!QFileInfo::exists(lock.fileName()) || lock.tryLock(0)) {
            lock.unlock();
            QDir(entry.absoluteFilePath()).removeRecursively();
        }
    }
}

std::unique_ptr<QFile> AttachmentTempFiles::create(const QString &name)
{
    if (m_dir.isEmpty() || name.isEmpty() || name.contains(u'/') || name.contains(u'\\') || name.startsWith(u'.'))
        return nullptr;
    const QString sub = QDir(m_dir).filePath(QString::number(++m_counter));
    if (!QDir().mkdir(sub, OwnerDir))
        return nullptr;
    auto file = std::make_unique<QFile>(QDir(sub).filePath(name));
    if (!file->open(QIODevice::WriteOnly | QIODevice::NewOnly, OwnerFile)) {
        QDir(sub).removeRecursively();
        return nullptr;
    }
    m_files.insert(file->fileName());
    return file;
}

bool AttachmentTempFiles::release(const QString &path)
{
    if (!m_files.remove(path))
        return false;
    QFile::remove(path);
    QDir().rmdir(QFileInfo(path).absolutePath());
    return true;
}

} // namespace larch
