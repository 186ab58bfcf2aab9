// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Blocking HTTP calls for tests: a request in, its status and JSON out, against a TestServer or a loopback fake.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

/// A finished HTTP exchange.
struct HttpReply {
    int status = 0; ///< 0 when no HTTP response arrived
    QByteArray body;
    QJsonObject json; ///< the body when it is a JSON object
    QHash<QByteArray, QByteArray> headers; ///< response headers, names in lower case
    QString errorCode() const
    {
        return json.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
};

/// Blocking HTTP calls against one base URL, one QNetworkAccessManager per client.
class HttpClient {
public:
    explicit HttpClient(const QString &baseUrl) : m_base(baseUrl) { }

    HttpReply request(const QByteArray &method, const QString &path, const QJsonObject &body = {},
                      const QString &token = {});
    /// Sends body bytes exactly as given, with the given Content-Type (none when empty).
    HttpReply raw(const QByteArray &method, const QString &path, const QByteArray &body, const QByteArray &contentType,
                  const QString &token = {});

    HttpReply get(const QString &path, const QString &token = {}) { return request("GET", path, {}, token); }
    HttpReply post(const QString &path, const QJsonObject &body, const QString &token = {})
    {
        return request("POST", path, body, token);
    }

    // Shortcuts for setting up scenes; each fails the calling test through its return value's status.
    /// Creates a practice; returns the 201 body ({practice, user, session}).
    QJsonObject createPractice(const QString &name, const QString &adminEmail,
                               const QString &password = QStringLiteral("correct horse battery"));
    /// Signs in; returns the token or "" on failure.
    QString signIn(const QString &email, const QString &password = QStringLiteral("correct horse battery"));

private:
    QNetworkAccessManager m_nam;
    QString m_base;
};
