// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Renders the server's pages in headless Chromium (/usr/bin/chromium) and fetches them with their headers, for the
// page tests: what a browser shows, and every request the page itself made (from Chromium's net log).
#pragma once

#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QtDebug>
#include <QTemporaryDir>

inline const QString kChromium = QStringLiteral("/usr/bin/chromium");

/// What Chromium made of a page: the DOM after load, and every URL the page itself asked for.
struct Rendered {
    bool ok = false;
    QString dom;
    QStringList pageRequests; ///< requests made for the page (network isolation key on 127.0.0.1)
};

/// Loads url in headless Chromium with a net log, and returns the DOM and the page's requests. Requests of the
/// browser itself (updates, accounts) carry another network isolation key and are not the page's.
inline Rendered render(const QString &url)
{
    Rendered r;
    QTemporaryDir dir;
    const QString netLog = dir.filePath(QStringLiteral("net.json"));
    QProcess chromium;
    chromium.start(kChromium,
                   {QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                    QStringLiteral("--user-data-dir=") + dir.filePath(QStringLiteral("profile")),
                    QStringLiteral("--log-net-log=") + netLog, QStringLiteral("--disable-background-networking"),
                    QStringLiteral("--disable-component-update"), QStringLiteral("--no-first-run"),
                    QStringLiteral("--disable-extensions"), QStringLiteral("--window-size=390,844"),
                    QStringLiteral("--dump-dom"), url});
    if (!chromium.waitForFinished(90000)) {
        chromium.kill();
        qWarning() << "chromium did not finish";
        return r;
    }
    r.dom = QString::fromUtf8(chromium.readAllStandardOutput());
    QFile log(netLog);
    if (!log.open(QIODevice::ReadOnly)) {
        qWarning() << "no net log";
        return r;
    }
    const QJsonObject doc = QJsonDocument::fromJson(log.readAll()).object();
    const int startJob = doc.value(QLatin1String("constants"))
                             .toObject()
                             .value(QLatin1String("logEventTypes"))
                             .toObject()
                             .value(QLatin1String("URL_REQUEST_START_JOB"))
                             .toInt(-1);
    for (const QJsonValue &v : doc.value(QLatin1String("events")).toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value(QLatin1String("type")).toInt() != startJob)
            continue;
        const QJsonObject params = e.value(QLatin1String("params")).toObject();
        if (params.value(QLatin1String("network_isolation_key")).toString().contains(QLatin1String("127.0.0.1")))
            r.pageRequests << params.value(QLatin1String("url")).toString();
    }
    r.ok = !r.dom.isEmpty() && startJob >= 0;
    return r;
}

/// One request with its headers.
struct Fetched {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; ///< names lower-case
};

inline Fetched fetch(const QString &url, const QByteArray &method = "GET")
{
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.sendCustomRequest(QNetworkRequest(QUrl(url)), method);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Fetched f;
    f.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    f.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        f.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return f;
}

/// Why a rendered page is not self-contained: a request to anywhere but baseUrl, or markup that could load
/// something (script, style sheet, frame, image, font); "" when it is.
inline QString selfContainedProblem(const Rendered &page, const QString &baseUrl)
{
    if (page.pageRequests.isEmpty())
        return QStringLiteral("the net log shows no request for the page");
    for (const QString &u : page.pageRequests)
        if (!u.startsWith(baseUrl + QLatin1Char('/')))
            return QStringLiteral("requested ") + u;
    static const QRegularExpression loads(
        QStringLiteral("<(script|link|iframe|img|object|embed|video|audio)\\b|url\\(|@import"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = loads.match(page.dom);
    return m.hasMatch() ? QStringLiteral("the page could load something: ") + m.captured() : QString();
}
