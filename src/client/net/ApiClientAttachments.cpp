// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ApiClient: attachments: the server's limits, resumable uploads of encrypted blobs (their bytes go through
// UploadConnection), download tokens and the streamed download of a blob's bytes.
#include "client/net/ApiClient.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

namespace larch {

void ApiClient::attachmentLimits(QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/limits"), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::createUpload(const QString &conversationId, qint64 blobSize, QObject *context, Callback done)
{
    const QJsonObject body{{"size", blobSize}};
    send(Method::Post, QStringLiteral("/v1/conversations/%1/uploads").arg(pathSegment(conversationId)), nullptr, &body,
         true, context, std::move(done));
}

void ApiClient::uploadStatus(const QString &uploadId, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/uploads/%1").arg(pathSegment(uploadId)), nullptr, nullptr, true, context,
         std::move(done));
}

UploadTarget ApiClient::uploadTarget(const QString &uploadId) const
{
    if (!checkServerUrl(m_serverUrl).isNone())
        return {};
    UploadTarget target;
    target.url = urlFor(QStringLiteral("/v1/uploads/%1").arg(pathSegment(uploadId)));
    if (!m_token.isEmpty())
        target.authorization = "Bearer " + m_token.toUtf8();
    target.timeoutMs = m_timeoutMs;
    return target;
}

void ApiClient::cancelUpload(const QString &uploadId, QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/uploads/%1").arg(pathSegment(uploadId)), nullptr, nullptr, true, context,
         std::move(done));
}

void ApiClient::blobDownloadToken(const QString &blobId, QObject *context, Callback done)
{
    send(Method::Post, QStringLiteral("/v1/blobs/%1/download-token").arg(pathSegment(blobId)), nullptr, nullptr, true,
         context, std::move(done));
}

QNetworkReply *ApiClient::getBlob(const QString &relativeUrl, qint64 rangeStart, qint64 readBufferBytes)
{
    if (!checkServerUrl(m_serverUrl).isNone() || !relativeUrl.startsWith(u'/'))
        return nullptr;
    // The address is the server's own (path and token); it never names another host.
    const QUrl relative(relativeUrl, QUrl::StrictMode);
    if (!relative.isValid() || !relative.isRelative() || !relative.host().isEmpty())
        return nullptr;
    QUrl url = m_serverUrl;
    url.setPath(m_serverUrl.path() + relative.path());
    url.setQuery(relative.query(QUrl::FullyEncoded), QUrl::StrictMode);
    QNetworkRequest request(url); // no bearer: the token in the address is the permission
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // Decrypted as it arrives: a cached copy of the encrypted bytes would only take space.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    if (rangeStart > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(rangeStart) + '-');
    QNetworkReply *reply = m_network.get(request);
    reply->setReadBufferSize(std::max<qint64>(readBufferBytes, 16 * 1024));
    return reply;
}

} // namespace larch
