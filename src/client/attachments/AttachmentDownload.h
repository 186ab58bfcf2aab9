// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fetches one attachment on demand and decrypts it as it arrives, into memory or a private temporary file.
#pragma once

#include "core/attachments/AttachmentCipher.h"
#include "core/attachments/AttachmentRef.h"

#include <memory>
#include <optional>
#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QFile;
class QNetworkReply;

namespace larch {

class ApiClient;
class AttachmentTempFiles;

/// One download (docs/attachments.md, "Receiving"): a short-lived token, the blob streamed from the server,
/// each piece decrypted and checked by AttachmentDecryptor as it comes, the plaintext kept in memory or written
/// to a file of AttachmentTempFiles. Nothing is handed out before the whole file checked out (every chunk
/// authentic, size and SHA-256 as the message says); a damaged blob's temporary file is removed at once.
/// A dropped connection is continued with a Range request from the bytes already decrypted.
class AttachmentDownload : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxRetries = 5;

    AttachmentDownload(ApiClient *api, const AttachmentRef &ref, QObject *parent = nullptr);
    ~AttachmentDownload() override;

    /// Decrypts into memory (thumbnails, photos): data() once finished.
    void startToMemory();
    /// Decrypts into a new file of files (videos, PDFs, saving a copy): filePath() once finished. The file is
    /// files'; release it there when done with it.
    void startToFile(AttachmentTempFiles *files);
    /// Stops; a partly written file is removed. No signal follows.
    void cancel();

    bool isRunning() const { return m_running; }
    QByteArray data() const { return m_done ? m_data : QByteArray(); }
    QString filePath() const { return m_done ? m_path : QString(); }
    const AttachmentRef &ref() const { return m_ref; }

    static QString damagedText();
    static QString unavailableText();

signals:
    /// Plaintext bytes decrypted and checked so far, of total.
    void progress(qint64 done, qint64 total);
    void finished();
    void failed(const QString &sentence);

private:
    void start();
    void requestToken();
    void fetch(const QString &url);
    void readAvailable();
    void onReplyFinished();
    bool deliver(const QByteArray &plain);
    void retryOrFail(const QString &sentence);
    void fail(const QString &sentence);
    void discardFile();
    void dropReply();

    ApiClient *m_api;
    AttachmentRef m_ref;
    QPointer<AttachmentTempFiles> m_files;
    std::optional<AttachmentDecryptor> m_decryptor;
    QNetworkReply *m_reply = nullptr;
    std::unique_ptr<QFile> m_file;
    QString m_path;
    QByteArray m_data;
    QByteArray m_plain;
    QTimer m_retryTimer;
    qint64 m_received = 0; ///< blob bytes fed to the decryptor
    qint64 m_skip = 0; ///< bytes to drop from a reply that ignored the Range header
    int m_retries = 0;
    int m_generation = 0; ///< answers to an earlier attempt are ignored
    bool m_running = false;
    bool m_done = false;
};

} // namespace larch
