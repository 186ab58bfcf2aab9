// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/IceServers.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace larch::calls {
namespace {

// "stun:host:port", "turn:host:port" or "turns:host:port" (a bracketed IPv6 host too); port optional.
const QRegularExpression &serverPattern()
{
    static const QRegularExpression pattern(QStringLiteral(
        "^(stun|turn|turns):(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?(\\?transport=(udp|tcp))?$"));
    return pattern;
}

} // namespace

QString turnServerUrl(const QString &url, const QString &username, const QString &credential)
{
    const QRegularExpressionMatch m = serverPattern().match(url);
    if (!m.hasMatch() || m.captured(1) == QLatin1String("stun") || username.isEmpty() || credential.isEmpty())
        return {};
    // webrtcbin splits the user part at its ':' into name and password, then unescapes each: the colon inside a
    // time-limited name ("<expiry>:<label>") must travel escaped.
    const QString user = QString::fromLatin1(QUrl::toPercentEncoding(username));
    const QString password = QString::fromLatin1(QUrl::toPercentEncoding(credential));
    const QString port = m.captured(3).isEmpty() ? QStringLiteral("3478") : m.captured(3);
    return QStringLiteral("%1://%2:%3@%4:%5").arg(m.captured(1), user, password, m.captured(2), port);
}

IceServers iceServersFrom(const QJsonObject &answer)
{
    IceServers servers;
    for (const QJsonValue &entry : answer.value(QLatin1String("iceServers")).toArray()) {
        const QJsonObject server = entry.toObject();
        for (const QJsonValue &u : server.value(QLatin1String("urls")).toArray()) {
            const QString url = u.toString();
            const QRegularExpressionMatch m = serverPattern().match(url);
            if (!m.hasMatch())
                continue;
            if (m.captured(1) == QLatin1String("stun")) {
                servers.stun << QStringLiteral("stun://%1:%2")
                                    .arg(m.captured(2),
                                         m.captured(3).isEmpty() ? QStringLiteral("3478") : m.captured(3));
                continue;
            }
            const QString turn = turnServerUrl(url, server.value(QLatin1String("username")).toString(),
                                               server.value(QLatin1String("credential")).toString());
            if (!turn.isEmpty())
                servers.turn << turn;
        }
    }
    return servers;
}

} // namespace larch::calls
