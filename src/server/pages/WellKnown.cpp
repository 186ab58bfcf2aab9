// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// GET /.well-known/assetlinks.json and /.well-known/apple-app-site-association: let the mobile apps open
// invitation links (https://<server>/i/<token>) and Practice Links (https://<server>/p/<code>) directly.
#include "server/pages/PageRouter.h"

#include "server/pages/HtmlPage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace larch::server {

ApiResponse assetLinks(const ServerConfig &config)
{
    QJsonArray fingerprints;
    for (const QString &f :
         QString::fromStdString(config.androidCertSha256).split(QLatin1Char(','), Qt::SkipEmptyParts))
        fingerprints.append(f.trimmed().toUpper());
    const QJsonObject statement{{"relation", QJsonArray{QStringLiteral("delegate_permission/common.handle_all_urls")}},
                                {"target",
                                 QJsonObject{{"namespace", QStringLiteral("android_app")},
                                             {"package_name", QString::fromStdString(config.androidPackage)},
                                             {"sha256_cert_fingerprints", fingerprints}}}};
    return html::jsonDocument(QJsonDocument(QJsonArray{statement}).toJson(QJsonDocument::Compact));
}

ApiResponse appleAppSiteAssociation(const ServerConfig &config)
{
    QJsonArray details;
    if (!config.iosAppId.empty()) {
        const QString appId = QString::fromStdString(config.iosAppId);
        // appIDs/components for current iOS, appID/paths for older versions.
        details.append(QJsonObject{
            {"appIDs", QJsonArray{appId}},
            {"components",
             QJsonArray{QJsonObject{{"/", QStringLiteral("/i/*")}, {"comment", QStringLiteral("Invitation links")}},
                        QJsonObject{{"/", QStringLiteral("/p/*")}, {"comment", QStringLiteral("Practice Links")}}}},
            {"appID", appId},
            {"paths", QJsonArray{QStringLiteral("/i/*"), QStringLiteral("/p/*")}}});
    }
    const QJsonObject doc{{"applinks", QJsonObject{{"apps", QJsonArray{}}, {"details", details}}}};
    return html::jsonDocument(QJsonDocument(doc).toJson(QJsonDocument::Compact));
}

} // namespace larch::server
