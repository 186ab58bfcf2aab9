// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/attachments/AttachmentDownload.h"

#include "client/attachments/AttachmentTempFiles.h"
#include "client/net/ApiClient.h"
#include "client/net/EventStream.h"

#include <QFile>
#include <QNetworkReply>

namespace larch {

QString AttachmentDownload::damagedText()
{
    return QStringLiteral("This attachment was damaged on its way; ask the sender to send it again.");
}

QString AttachmentDownload::unavailableText()
{
    return QStringLiteral("This attachment is not available: it was removed, or you are no longer in this "
                          "conversation.");
}

AttachmentDownload::AttachmentDownload(ApiClient *api, const AttachmentRef &ref, QObject *parent)
    : QObject(parent), m_api(api), m_ref(ref)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &AttachmentDownload::requestToken);
}

AttachmentDownload::~AttachmentDownload() { cancel(); }

void AttachmentDownload::startToMemory()
{
    m_files.clear();
    start();
}

void AttachmentDownload::startToFile(AttachmentTempFiles *files)
{
    m_files = files;
    start();
}

void AttachmentDownload::start()
{
    cancel();
    m_running = true;
    m_done = false;
    m_received = 0;
    m_retries = 0;
    m_decryptor.emplace(SecretBytes(QByteArray(m_ref.key)), m_ref.size, m_ref.sha256, m_ref.blobSha256);
    if (m_files) {
        m_file = m_files->create(m_ref.name);
        if (!m_file) {
            QTimer::singleShot(0, this, [this, generation = m_generation] {
                if (generation == m_generation)
                    fail(QStringLiteral("Larch could not make a private file to open this attachment in."));
            });
            return;
        }
    }
    requestToken();
}

void AttachmentDownload::cancel()
{
    ++m_generation;
    m_running = false;
    m_retryTimer.stop();
    dropReply();
    discardFile();
    if (!m_done)
        SecretBytes::wipe(m_data);
}

void AttachmentDownload::requestToken()
{
    const int generation = m_generation;
    m_api->blobDownloadToken(m_ref.blobId, this, [this, generation](const ApiResult &result) {
        if (generation != m_generation || !m_running)
            return;
        if (!result.ok()) {
            const ApiError &error = result.error;
            if (error.kind == ApiError::Kind::NotFound)
                fail(unavailableText());
            else if (error.code == QLatin1String("incomplete"))
                fail(QStringLiteral("This attachment is still being sent; try again in a moment."));
            else if (error.isTransient())
                retryOrFail(error.sentence);
            else
                fail(error.sentence);
            return;
        }
        // The server's size must be the one the sender's encrypted message promises.
        if (result.body.value(QLatin1String("size")).toInteger(-1) != AttachmentFormat::cipherSize(m_ref.size)) {
            fail(damagedText());
            return;
        }
        fetch(result.body.value(QLatin1String("url")).toString());
    });
}

void AttachmentDownload::fetch(const QString &url)
{
    dropReply();
    m_skip = 0;
    m_reply = m_api->getBlob(url, m_received);
    if (!m_reply) {
        fail(ErrorText::badResponse());
        return;
    }
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // A server that ignored the Range header sends from the start: drop what was decrypted already.
        if (status == 200 && m_received > 0)
            m_skip = m_received;
        else if (status == 206
                 && !m_reply->rawHeader("Content-Range").startsWith("bytes " + QByteArray::number(m_received) + '-'))
            fail(damagedText());
    });
    connect(m_reply, &QNetworkReply::readyRead, this, &AttachmentDownload::readAvailable);
    connect(m_reply, &QNetworkReply::finished, this, &AttachmentDownload::onReplyFinished);
}

void AttachmentDownload::readAvailable()
{
    if (!m_reply || !m_running)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206)
        return; // an error's body; onReplyFinished decides
    while (m_running && m_reply && m_reply->bytesAvailable() > 0) {
        QByteArray cipher = m_reply->read(256 * 1024);
        if (m_skip > 0) {
            const qint64 drop = std::min<qint64>(m_skip, cipher.size());
            cipher.remove(0, drop);
            m_skip -= drop;
        }
        if (cipher.isEmpty())
            continue;
        m_received += cipher.size();
        const auto state = m_decryptor->feed(cipher, m_plain);
        const bool written = m_plain.isEmpty() || deliver(m_plain);
        SecretBytes::wipe(m_plain);
        if (!written)
            return;
        if (state == AttachmentDecryptor::Status::Damaged || m_received > AttachmentFormat::cipherSize(m_ref.size)) {
            fail(damagedText());
            return;
        }
        emit progress(m_decryptor->plainBytesDone(), m_ref.size);
    }
}

bool AttachmentDownload::deliver(const QByteArray &plain)
{
    if (!m_file) {
        m_data.append(plain);
        return true;
    }
    if (m_file->write(plain) != plain.size()) {
        fail(QStringLiteral("Larch could not write this attachment to the device; free some space and try again."));
        return false;
    }
    return true;
}

void AttachmentDownload::onReplyFinished()
{
    if (!m_reply || !m_running)
        return;
    readAvailable();
    if (!m_reply || !m_running)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = m_reply->error();
    dropReply();
    if ((status == 200 || status == 206) && error == QNetworkReply::NoError) {
        if (m_decryptor->finish() != AttachmentDecryptor::Status::Done) {
            fail(damagedText());
            return;
        }
        if (m_file) {
            m_file->close();
            if (m_file->error() != QFileDevice::NoError) {
                fail(QStringLiteral("Larch could not write this attachment to the device; free some space and try "
                                    "again."));
                return;
            }
            m_path = m_file->fileName();
            m_file.reset();
        }
        m_running = false;
        m_done = true;
        emit progress(m_ref.size, m_ref.size);
        emit finished();
        return;
    }
    if (status == 404) {
        fail(unavailableText());
        return;
    }
    // Dropped on the way, a token that ran out (403), or server trouble: a new token, from where it stopped.
    retryOrFail(status == 0 || status >= 500 ? ErrorText::unreachable() : unavailableText());
}

void AttachmentDownload::retryOrFail(const QString &sentence)
{
    dropReply();
    if (++m_retries > MaxRetries) {
        fail(sentence);
        return;
    }
    m_retryTimer.start(EventStream::backoffMs(m_retries));
}

void AttachmentDownload::fail(const QString &sentence)
{
    m_running = false;
    ++m_generation;
    m_retryTimer.stop();
    dropReply();
    discardFile();
    SecretBytes::wipe(m_data);
    emit failed(sentence);
}

void AttachmentDownload::discardFile()
{
    if (!m_file)
        return;
    m_file->close();
    const QString path = m_file->fileName();
    m_file.reset();
    // Plaintext that did not check out (or was abandoned) never stays on the disk.
    if (!m_files || !m_files->release(path))
        QFile::remove(path);
}

void AttachmentDownload::dropReply()
{
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

} // namespace larch
