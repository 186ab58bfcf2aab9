// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Saving the audit log's CSV export to a file the administrator chose, without ever leaving half a file.
#pragma once

#include <memory>
#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkReply;
class QSaveFile;

namespace larch {

class ApiClient;
struct AuditFilter;

/// One export: the server's CSV is written to a temporary file beside the target as it arrives (QSaveFile) and
/// takes the target's name only once all of it arrived and was written, so a failure (the server, the network, a
/// full disk) leaves whatever file was there before untouched and no partial file behind. The writes are the
/// network's chunks, on the GUI thread: each is one small write, and the one sync is at the end.
class AuditExport : public QObject {
    Q_OBJECT
public:
    explicit AuditExport(QObject *parent = nullptr);
    ~AuditExport() override;

    /// Starts exporting the records of practiceId matching filter to path; finished() follows once.
    void start(ApiClient *api, const QString &practiceId, const AuditFilter &filter, const QString &path);
    /// Stops an export under way (sign-out): nothing is written and finished() does not follow.
    void cancel();
    bool running() const { return !m_reply.isNull(); }

signals:
    /// error "" on success, with how many records the file holds; otherwise a sentence saying what to do.
    void finished(const QString &error, qint64 records);

private:
    /// Writes what reply has received so far to the file (a 200's body only).
    void writeFrom(QNetworkReply *reply);
    void done();
    void fail(const QString &error);

    ApiClient *m_api = nullptr;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<QSaveFile> m_file;
    QString m_path;
    qint64 m_lines = 0;
    bool m_writeFailed = false;
};

} // namespace larch
