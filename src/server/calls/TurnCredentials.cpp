// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/calls/TurnCredentials.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace larch::server {

TurnCredential turnCredential(const QByteArray &secret, const QString &label, qint64 nowMs, qint64 lifetimeMs)
{
    TurnCredential credential;
    credential.expiresAt = nowMs + lifetimeMs;
    credential.username = QStringLiteral("%1:%2").arg(credential.expiresAt / 1000).arg(label);
    const QByteArray name = credential.username.toUtf8();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), secret.constData(), int(secret.size()), reinterpret_cast<const unsigned char *>(name.constData()),
         size_t(name.size()), digest, &length);
    credential.password =
        QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), int(length)).toBase64());
    return credential;
}

} // namespace larch::server
