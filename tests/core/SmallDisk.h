// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A disk made to order for tests of what happens when writing fails: full, or read-only.
#pragma once

#include <cerrno>
#include <cstring>
#include <QByteArray>
#include <QFile>
#include <QString>
#include <sys/mount.h>

/// A tmpfs of sizeMb mounted on path (a full disk made to order, or a read-only one), unmounted when it goes.
/// Mounting needs root with CAP_SYS_ADMIN: error() says why it failed otherwise.
class SmallDisk {
public:
    enum Access { Writable, ReadOnly };

    SmallDisk(const QString &path, int sizeMb, Access access = Writable) : m_path(QFile::encodeName(path))
    {
        const QByteArray options = "size=" + QByteArray::number(sizeMb) + "m,mode=0700";
        const unsigned long flags = access == ReadOnly ? MS_RDONLY : 0;
        if (::mount("tmpfs", m_path.constData(), "tmpfs", flags, options.constData()) == 0)
            m_mounted = true;
        else
            m_error = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~SmallDisk()
    {
        if (m_mounted)
            ::umount2(m_path.constData(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    bool mounted() const { return m_mounted; }
    QString error() const { return m_error; }

private:
    QByteArray m_path;
    bool m_mounted = false;
    QString m_error;
};
