// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The STUN and TURN servers a call uses, from the server's GET /v1/calls/ice-servers, in webrtcbin's form.
#pragma once

#include <QString>
#include <QStringList>

class QJsonObject;

namespace larch::calls {

/// The STUN server and TURN servers (with their credentials) a call gives webrtcbin.
struct IceServers {
    QStringList stun; ///< "stun://host:port"
    QStringList turn; ///< "turn://<user>:<password>@host:port", each part percent-encoded
};

/// webrtcbin's URL of a TURN server: url as the Larch server gives it ("turn:host:port" or "turns:host:port") with a
/// time-limited username ("<expiry>:<label>", its colon escaped) and credential (base64, '/', '+' and '=' escaped).
/// Empty for a url of another scheme or without a host.
QString turnServerUrl(const QString &url, const QString &username, const QString &credential);

/// Reads the server's {"iceServers": [{"urls": [...], "username", "credential"}, ...]}; entries of unknown schemes
/// and malformed ones are left out.
IceServers iceServersFrom(const QJsonObject &answer);

} // namespace larch::calls
