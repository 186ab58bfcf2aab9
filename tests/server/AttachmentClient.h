// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the attachment tests share: HTTP with the headers uploads and downloads need (X-Content-SHA256, Range,
// Content-Range), a practice with two patients and another practice, and upload shortcuts.
#pragma once

#include "HttpClient.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

namespace attachments {

/// A finished exchange with its response headers (names in lower case).
struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers;
    QString errorCode() const { return json.value("error").toObject().value("code").toString(); }
};

inline QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

/// Random bytes: the server stores blobs it cannot read, so any bytes of the right size are a blob to it.
inline QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (auto &c : out)
        c = char(QRandomGenerator::global()->bounded(256));
    return out;
}

/// One signed-in person and, for patients, their conversation.
struct Person {
    QString id;
    QString token;
    QString conversationId;
};

/// Blocking HTTP with arbitrary headers against one server.
class Client {
public:
    explicit Client(const QString &baseUrl) : m_base(baseUrl), m_http(baseUrl) { }

    HttpClient &http() { return m_http; }

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {}, const QString &token = {},
               const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest req(QUrl(m_base + path));
        if (!token.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        for (const auto &[name, value] : headers)
            req.setRawHeader(name, value);
        QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        Reply r;
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

    Reply json(const QByteArray &method, const QString &path, const QJsonObject &body, const QString &token)
    {
        return call(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact), token,
                    {{"Content-Type", "application/json"}});
    }

    /// POST …/uploads for a blob of size bytes.
    Reply create(const QString &conversationId, qint64 size, const QString &token)
    {
        return json("POST", QStringLiteral("/v1/conversations/%1/uploads").arg(conversationId), {{"size", size}},
                    token);
    }

    /// PUT bytes at offset; hash overrides the X-Content-SHA256 header (empty: the bytes' own, "-": none).
    Reply put(const QString &uploadId, qint64 offset, const QByteArray &bytes, const QString &token,
              const QByteArray &hash = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/octet-stream"}};
        if (hash != "-")
            headers.append({"X-Content-SHA256", hash.isEmpty() ? sha256Hex(bytes) : hash});
        return call("PUT", QStringLiteral("/v1/uploads/%1?offset=%2").arg(uploadId).arg(offset), bytes, token, headers);
    }

    Reply status(const QString &uploadId, const QString &token)
    {
        return call("GET", QStringLiteral("/v1/uploads/%1").arg(uploadId), {}, token);
    }

    Reply downloadToken(const QString &blobId, const QString &token)
    {
        return call("POST", QStringLiteral("/v1/blobs/%1/download-token").arg(blobId), {}, token);
    }

    /// GET of a download url (no bearer), with a Range header when range is given.
    Reply fetch(const QString &url, const QByteArray &range = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!range.isEmpty())
            headers.append({"Range", range});
        return call("GET", url, {}, {}, headers);
    }

    /// Uploads blob in pieces of piece bytes; returns the upload id, or "" when a step failed.
    QString upload(const QString &conversationId, const QByteArray &blob, const QString &token,
                   qsizetype piece = 1024 * 1024)
    {
        const Reply created = create(conversationId, blob.size(), token);
        if (created.status != 201)
            return {};
        const QString id = created.json.value("uploadId").toString();
        for (qsizetype at = 0; at < blob.size(); at += piece)
            if (put(id, at, blob.mid(at, piece), token).status != 200)
                return {};
        return id;
    }

    /// The blob's content through a fresh download token; empty on failure.
    QByteArray download(const QString &blobId, const QString &token)
    {
        const Reply t = downloadToken(blobId, token);
        if (t.status != 200)
            return {};
        const Reply r = fetch(t.json.value("url").toString());
        return r.status == 200 ? r.body : QByteArray();
    }

    /// A practice (admin), two patients each with their secure conversation; false on any failure.
    bool practice(const QString &tag, Person &admin, Person &patient1, Person &patient2)
    {
        const QJsonObject p =
            m_http.createPractice(QStringLiteral("Practice ") + tag, QStringLiteral("admin@%1.example").arg(tag));
        if (p.isEmpty())
            return false;
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        admin.id = p.value("user").toObject().value("id").toString();
        admin.token = p.value("session").toObject().value("token").toString();
        int n = 0;
        for (Person *patient : {&patient1, &patient2}) {
            const QString email = QStringLiteral("patient%1@%2.example").arg(++n).arg(tag);
            const HttpReply r = m_http.post(
                QStringLiteral("/v1/practices/%1/patients").arg(practiceId),
                {{"name", QStringLiteral("Patient %1").arg(n)}, {"email", email}, {"password", "patient password"}},
                admin.token);
            if (r.status != 201)
                return false;
            patient->id = r.json.value("user").toObject().value("id").toString();
            patient->conversationId = r.json.value("conversation").toObject().value("id").toString();
            patient->token = m_http.signIn(email, QStringLiteral("patient password"));
            if (patient->token.isEmpty())
                return false;
        }
        m_practiceId = practiceId;
        return true;
    }
    /// The practice of the last practice() call.
    QString practiceId() const { return m_practiceId; }

private:
    QString m_base;
    HttpClient m_http;
    QNetworkAccessManager m_nam;
    QString m_practiceId;
};

} // namespace attachments
