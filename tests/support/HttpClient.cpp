// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Blocking HTTP calls for tests: a request in, its status and JSON out, against a TestServer or a loopback fake.
#include "HttpClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

HttpReply HttpClient::request(const QByteArray &method, const QString &path, const QJsonObject &body,
                              const QString &token)
{
    const bool hasBody = method == "POST" || method == "PUT" || method == "PATCH";
    return raw(method, path, hasBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray(),
               hasBody ? QByteArray("application/json") : QByteArray(), token);
}

HttpReply HttpClient::raw(const QByteArray &method, const QString &path, const QByteArray &body,
                          const QByteArray &contentType, const QString &token)
{
    QNetworkRequest req(QUrl(m_base + path));
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    // Test servers use a self-signed certificate.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply r;
    if (reply->isFinished()) {
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.json = QJsonDocument::fromJson(r.body).object();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
    } else {
        reply->abort();
    }
    reply->deleteLater();
    return r;
}

QJsonObject HttpClient::createPractice(const QString &name, const QString &adminEmail, const QString &password)
{
    const HttpReply r = post(QStringLiteral("/v1/practices"),
                             {{"practiceName", name},
                              {"adminName", QStringLiteral("Admin of ") + name},
                              {"adminEmail", adminEmail},
                              {"adminPassword", password}});
    return r.status == 201 ? r.json : QJsonObject();
}

QString HttpClient::signIn(const QString &email, const QString &password)
{
    const HttpReply r = post(QStringLiteral("/v1/sessions"), {{"email", email}, {"password", password}});
    return r.status == 201 ? r.json.value(QLatin1String("token")).toString() : QString();
}
