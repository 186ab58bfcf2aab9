// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Private files for decrypted attachments (a video to play, a PDF to show), removed as soon as they are let go.
#pragma once

#include <memory>
#include <QLockFile>
#include <QObject>
#include <QSet>
#include <QString>

class QFile;

namespace larch {

/// Owns one directory of decrypted attachments for this app instance: <base>/<random>/, 0700, its files 0600.
/// A file is removed by release(), everything when this object goes (the app exits); directories left behind by
/// an instance that crashed are swept when the next one starts (each instance holds a lock file in its own
/// directory, so two instances sharing the base never sweep each other's files).
class AttachmentTempFiles : public QObject {
    Q_OBJECT
public:
    /// base "" means QStandardPaths::CacheLocation/larch-attachments.
    explicit AttachmentTempFiles(const QString &base = {}, QObject *parent = nullptr);
    ~AttachmentTempFiles() override;

    static QString defaultBase();
    /// This instance's directory; "" when it could not be made.
    QString directory() const { return m_dir; }
    /// A new empty file named name (already sanitised) in a directory of its own, open for writing, 0600;
    /// nullptr when it cannot be made.
    std::unique_ptr<QFile> create(const QString &name);
    /// Removes a file made here (and its directory); false for a path this object did not make.
    bool release(const QString &path);
    /// Every file made here and not released yet.
    QSet<QString> files() const { return m_files; }

private:
    void sweep();

    QString m_base;
    QString m_dir;
    std::unique_ptr<QLockFile> m_lock;
    QSet<QString> m_files;
    int m_counter = 0;
};

} // namespace larch
