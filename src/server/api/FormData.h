// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// application/x-www-form-urlencoded bodies, as the SMS gateway posts them, and the gateway's request signature.
#pragma once

#include <optional>
#include <QByteArray>
#include <QList>
#include <QPair>

namespace larch::server {

using FormFields = QList<QPair<QByteArray, QByteArray>>;

/// Decodes name=value pairs ('+' is a space, %XX a byte); nullopt when an escape is malformed.
std::optional<FormFields> parseForm(const QByteArray &body);
/// The first value of name, or nullopt.
std::optional<QByteArray> formValue(const FormFields &fields, const QByteArray &name);

/// Twilio's request signature: base64 of HMAC-SHA1, keyed with the auth token, over the full URL followed by
/// every field's name and value, fields sorted by name (then value).
QByteArray gatewaySignature(const QByteArray &authToken, const QByteArray &url, FormFields fields);
/// Compares a signature in constant time.
bool signatureMatches(const QByteArray &expected, const QByteArray &given);

} // namespace larch::server
