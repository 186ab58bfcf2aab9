// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/Totp.h"

#include <cstdlib>
#include <liboath/oath.h>
#include <QUrl>
#include <QUrlQuery>
#include <sodium.h>

namespace larch::server {
namespace {

/// liboath keeps no global state worth tearing down; oath_init only has to have run once.
void ensureInit()
{
    static const int ok = oath_init();
    if (ok != OATH_OK)
        throw std::runtime_error("liboath failed to initialise");
}

bool isCodeShaped(const QString &code)
{
    if (code.size() != Totp::Digits)
        return false;
    for (const QChar c : code)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

} // namespace

QByteArray Totp::newSecret()
{
    QByteArray secret(SecretBytes, Qt::Uninitialized);
    randombytes_buf(secret.data(), size_t(secret.size()));
    return secret;
}

QString Totp::base32(const QByteArray &secret)
{
    ensureInit();
    char *out = nullptr;
    size_t length = 0;
    if (oath_base32_encode(secret.constData(), size_t(secret.size()), &out, &length) != OATH_OK || !out)
        throw std::runtime_error("base32 encoding failed");
    QString text = QString::fromLatin1(out, qsizetype(length));
    std::free(out);
    while (text.endsWith(u'='))
        text.chop(1);
    return text;
}

QString Totp::uri(const QByteArray &secret, const QString &label)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("secret"), base32(secret));
    q.addQueryItem(QStringLiteral("issuer"), QStringLiteral("Larch"));
    q.addQueryItem(QStringLiteral("algorithm"), QStringLiteral("SHA1"));
    q.addQueryItem(QStringLiteral("digits"), QString::number(Digits));
    q.addQueryItem(QStringLiteral("period"), QString::number(StepSeconds));
    const QString path = QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("Larch:") + label, ":@"));
    return QStringLiteral("otpauth://totp/") + path + u'?' + q.toString(QUrl::FullyEncoded);
}

std::optional<qint64> Totp::check(const QByteArray &secret, const QString &code, qint64 nowSeconds)
{
    if (!isCodeShaped(code) || secret.size() != SecretBytes || nowSeconds < StepSeconds)
        return std::nullopt;
    ensureInit();
    int position = 0;
    uint64_t counter = 0;
    const QByteArray digits = code.toLatin1();
    const int r = oath_totp_validate3(secret.constData(), size_t(secret.size()), time_t(nowSeconds), StepSeconds, 0, 1,
                                      &position, &counter, digits.constData());
    if (r < 0)
        return std::nullopt;
    return qint64(counter);
}

QString Totp::code(const QByteArray &secret, qint64 nowSeconds)
{
    ensureInit();
    char out[Digits + 1] = {};
    if (oath_totp_generate(secret.constData(), size_t(secret.size()), time_t(nowSeconds), StepSeconds, 0, Digits, out)
        != OATH_OK)
        throw std::runtime_error("TOTP generation failed");
    return QString::fromLatin1(out, Digits);
}

} // namespace larch::server
