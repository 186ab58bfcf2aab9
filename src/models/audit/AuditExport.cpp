// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/audit/AuditExport.h"

#include "client/net/ApiClient.h"
#include "models/app/SaveLocation.h"

#include <QNetworkReply>
#include <QSaveFile>
#include <QTimer>

namespace larch {

AuditExport::AuditExport(QObject *parent) : QObject(parent) { }

AuditExport::~AuditExport() { cancel(); }

void AuditExport::start(ApiClient *api, const QString &practiceId, const AuditFilter &filter, const QString &path)
{
    cancel();
    m_api = api;
    m_path = path;
    m_lines = 0;
    m_writeFailed = false;
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        const QString sentence =
            saveFailureSentence(QStringLiteral("The audit log"), path, m_file->error(), m_file->errorString());
        m_file.reset();
        QTimer::singleShot(0, this, [this, sentence] { emit finished(sentence, 0); });
        return;
    }
    m_reply = api->getAuditCsv(practiceId, filter);
    if (!m_reply) {
        m_file->cancelWriting();
        m_file.reset();
        QTimer::singleShot(0, this, [this] { emit finished(ErrorText::invalidUrl(), 0); });
        return;
    }
    connect(m_reply, &QNetworkReply::readyRead, this, [this] { writeFrom(m_reply.data()); });
    connect(m_reply, &QNetworkReply::finished, this, &AuditExport::done);
}

void AuditExport::cancel()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_file) {
        m_file->cancelWriting();
        m_file.reset();
    }
}

void AuditExport::writeFrom(QNetworkReply *reply)
{
    if (!reply || !m_file || m_writeFailed)
        return;
    // An error answer is JSON for ApiClient to read at the end; only a 200's body is the file.
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return;
    const QByteArray chunk = reply->readAll();
    m_lines += chunk.count('\n');
    if (m_file->write(chunk) != chunk.size()) {
        m_writeFailed = true; // said once the answer is over
        if (reply == m_reply)
            reply->abort(); // finished follows, and done() says why
    }
}

void AuditExport::done()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    m_reply.clear();
    reply->deleteLater();
    if (m_writeFailed)
        return fail(
            saveFailureSentence(QStringLiteral("The audit log"), m_path, m_file->error(), m_file->errorString()));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 || reply->error() != QNetworkReply::NoError) {
        ApiResult result;
        if (status != 0) {
            result = ApiClient::interpretAnswer(status, reply->readAll(), true);
        } else {
            result.error = ApiError::make(reply->error() == QNetworkReply::TimeoutError ? ApiError::Kind::Timeout
                                                                                        : ApiError::Kind::Unreachable);
        }
        fail(result.error.isNone() ? ErrorText::badResponse() : result.error.sentence);
        if (m_api)
            m_api->noteAnswer(result); // an ended session signs out as any other request does, once this one is over
        return;
    }
    writeFrom(reply); // what arrived after the last readyRead
    if (m_writeFailed || !m_file->commit()) {
        const QString sentence =
            saveFailureSentence(QStringLiteral("The audit log"), m_path, m_file->error(), m_file->errorString());
        m_file.reset();
        emit finished(sentence, 0);
        return;
    }
    m_file.reset();
    emit finished({}, std::max<qint64>(0, m_lines - 1)); // the header line is not a record
}

void AuditExport::fail(const QString &error)
{
    if (m_file) {
        m_file->cancelWriting();
        m_file.reset();
    }
    emit finished(error, 0);
}

} // namespace larch
