// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/net/ApiClient.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace larch {

QString ApiClient::pathSegment(const QString &id) { return QString::fromLatin1(QUrl::toPercentEncoding(id)); }

namespace {
bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}
} // namespace

ApiClient::ApiClient(QObject *parent) : QObject(parent)
{
    // Redirects could silently downgrade to http; the protocol never redirects.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

ApiError ApiClient::checkServerUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return ApiError::make(ApiError::Kind::InvalidUrl);
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http"))
        return isLoopbackHost(url.host()) ? ApiError{} : ApiError::make(ApiError::Kind::InsecureUrl);
    return ApiError::make(ApiError::Kind::InvalidUrl);
}

ApiError ApiClient::setServerUrl(const QUrl &url)
{
    const ApiError error = checkServerUrl(url);
    if (!error.isNone()) {
        m_serverUrl.clear();
        return error;
    }
    QUrl clean = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    m_serverUrl = clean;
    return {};
}

QUrl ApiClient::eventsUrl(qint64 since) const
{
    QUrl url = m_serverUrl;
    url.setScheme(m_serverUrl.scheme().toLower() == QLatin1String("https") ? QStringLiteral("wss")
                                                                           : QStringLiteral("ws"));
    url.setPath(m_serverUrl.path() + QStringLiteral("/v1/events"));
    url.setQuery(QStringLiteral("since=%1").arg(since));
    return url;
}

QNetworkRequest ApiClient::authorizedRequest(const QUrl &url) const
{
    QNetworkRequest request(url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setTransferTimeout(m_timeoutMs);
    return request;
}

void ApiClient::send(Method method, const QString &path, const QUrlQuery *query, const QJsonObject *body,
                     bool authorized, QObject *context, Callback done)
{
    // Answer asynchronously in every case, so callers never see a callback inside their own call.
    auto fail = [context, done](const ApiError &error) {
        QTimer::singleShot(0, context, [done, error] { done(ApiResult{error, 0, {}}); });
    };
    const ApiError urlError = checkServerUrl(m_serverUrl);
    if (!urlError.isNone())
        return fail(urlError);

    QUrl url = m_serverUrl;
    url.setPath(m_serverUrl.path() + path);
    if (query)
        url.setQuery(*query);
    QNetworkRequest request = authorized ? authorizedRequest(url) : QNetworkRequest(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    QNetworkReply *reply = nullptr;
    switch (method) {
    case Method::Get: reply = m_network.get(request); break;
    case Method::Delete: reply = m_network.deleteResource(request); break;
    case Method::Post:
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network.post(request, QJsonDocument(body ? *body : QJsonObject{}).toJson(QJsonDocument::Compact));
        break;
    case Method::Put:
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network.put(request, QJsonDocument(body ? *body : QJsonObject{}).toJson(QJsonDocument::Compact));
        break;
    case Method::Patch:
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        reply = m_network.sendCustomRequest(request, QByteArrayLiteral("PATCH"),
                                            QJsonDocument(body ? *body : QJsonObject{}).toJson(QJsonDocument::Compact));
        break;
    }
    answerWhenFinished(reply, authorized, context, std::move(done));
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery *query) const
{
    QUrl url = m_serverUrl;
    url.setPath(m_serverUrl.path() + path);
    if (query)
        url.setQuery(*query);
    return url;
}

void ApiClient::answerWhenFinished(QNetworkReply *reply, bool authorized, QObject *context, Callback done)
{
    QPointer<ApiClient> self(this);
    connect(reply, &QNetworkReply::finished, context, [self, reply, authorized, done] {
        reply->deleteLater();
        const ApiResult result = interpret(reply, authorized);
        if (self)
            self->noteAnswer(result);
        done(result);
    });
}

ApiResult ApiClient::interpret(QNetworkReply *reply, bool authorized)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 0)
        return interpretAnswer(status, reply->readAll(), authorized);
    ApiResult result;
    switch (reply->error()) {
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: result.error = ApiError::make(ApiError::Kind::Timeout); break;
    default: result.error = ApiError::make(ApiError::Kind::Unreachable); break;
    }
    return result;
}

ApiResult ApiClient::interpretAnswer(int httpStatus, const QByteArray &raw, bool authorized)
{
    ApiResult result;
    result.httpStatus = httpStatus;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(raw, &parseError);
    if (result.httpStatus >= 200 && result.httpStatus < 300) {
        if (result.httpStatus == 204 || raw.trimmed().isEmpty())
            return result;
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            result.error = ApiError::make(ApiError::Kind::BadResponse, result.httpStatus);
            return result;
        }
        result.body = document.object();
        return result;
    }

    const QJsonObject error = document.object().value(QLatin1String("error")).toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    const QString message = error.value(QLatin1String("message")).toString();
    const int status = result.httpStatus;
    using K = ApiError::Kind;
    K kind = K::Rejected;
    if (status == 401 && (code == QLatin1String("wrong_code") || code == QLatin1String("challenge_expired")))
        kind = K::Rejected; // the second step of a sign-in: the server's sentence says what to do
    else if (status == 401)
        kind = (code == QLatin1String("wrong_credentials") || !authorized) ? K::WrongCredentials : K::SessionEnded;
    else if (status == 429)
        kind = K::RateLimited;
    else if (status == 409)
        kind = K::Conflict;
    else if (status == 404)
        kind = K::NotFound;
    else if (status >= 500)
        kind = K::ServerError;
    else if (status >= 300 && status < 400)
        kind = K::BadResponse;
    result.error = ApiError::make(kind, status, code, message);
    // Some refusals carry details beside the error, e.g. the existing conversation of a 409 duplicate_contact.
    result.body = document.object();
    return result;
}

void ApiClient::noteAnswer(const ApiResult &result)
{
    if (result.error.kind == ApiError::Kind::SessionEnded)
        emit sessionEnded();
    else if (result.httpStatus == 403 && result.error.code == QLatin1String("two_factor_enrolment_required"))
        emit twoFactorEnrolmentRequired();
}

void ApiClient::signIn(const QString &email, const QString &password, const QString &deviceName, QObject *context,
                       Callback done)
{
    const QJsonObject body{{"email", email}, {"password", password}, {"deviceName", deviceName}};
    send(Method::Post, QStringLiteral("/v1/sessions"), nullptr, &body, false, context, std::move(done));
}

void ApiClient::signOut(QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/sessions/current"), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::revokeAllSessions(const QString &userId, QObject *context, Callback done)
{
    send(Method::Delete, QStringLiteral("/v1/users/%1/sessions").arg(pathSegment(userId)), nullptr, nullptr, true,
         context, std::move(done));
}

void ApiClient::fetchMe(QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/me"), nullptr, nullptr, true, context, std::move(done));
}

void ApiClient::addStaff(const QString &practiceId, const QString &name, const QString &email, const QString &password,
                         const QString &role, QObject *context, Callback done)
{
    const QJsonObject body{{"name", name}, {"email", email}, {"password", password}, {"role", role}};
    send(Method::Post, QStringLiteral("/v1/practices/%1/staff").arg(pathSegment(practiceId)), nullptr, &body, true,
         context, std::move(done));
}

void ApiClient::fetchConversations(const QString &before, int limit, QObject *context, Callback done)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (!before.isEmpty())
        query.addQueryItem(QStringLiteral("before"), before);
    send(Method::Get, QStringLiteral("/v1/conversations"), &query, nullptr, true, context, std::move(done));
}

void ApiClient::fetchConversation(const QString &id, QObject *context, Callback done)
{
    send(Method::Get, QStringLiteral("/v1/conversations/%1").arg(pathSegment(id)), nullptr, nullptr, true, context,
         std::move(done));
}

void ApiClient::fetchMessages(const QString &conversationId, qint64 beforeSeq, int limit, QObject *context,
                              Callback done)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (beforeSeq > 0)
        query.addQueryItem(QStringLiteral("before"), QString::number(beforeSeq));
    send(Method::Get, QStringLiteral("/v1/conversations/%1/messages").arg(pathSegment(conversationId)), &query, nullptr,
         true, context, std::move(done));
}

void ApiClient::postEnvelope(const QString &conversationId, const QString &clientId, const QJsonObject &envelope,
                             QObject *context, Callback done)
{
    const QJsonObject json{{"clientId", clientId}, {"envelope", envelope}};
    send(Method::Post, QStringLiteral("/v1/conversations/%1/messages").arg(pathSegment(conversationId)), nullptr, &json,
         true, context, std::move(done));
}

void ApiClient::markRead(const QString &conversationId, qint64 seq, QObject *context, Callback done)
{
    const QJsonObject json{{"seq", seq}};
    send(Method::Post, QStringLiteral("/v1/conversations/%1/read").arg(pathSegment(conversationId)), nullptr, &json,
         true, context, std::move(done));
}

} // namespace larch
