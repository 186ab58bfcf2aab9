// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/api/FormData.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace larch::server {
namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<QByteArray> decodeComponent(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= in.size())
                return std::nullopt;
            const int hi = hexValue(in[i + 1]);
            const int lo = hexValue(in[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out += char(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::optional<FormFields> parseForm(const QByteArray &body)
{
    FormFields fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const auto name = decodeComponent(eq < 0 ? pair : pair.left(eq));
        const auto value = decodeComponent(eq < 0 ? QByteArray() : pair.mid(eq + 1));
        if (!name || !value || name->isEmpty())
            return std::nullopt;
        fields.append({*name, *value});
    }
    return fields;
}

std::optional<QByteArray> formValue(const FormFields &fields, const QByteArray &name)
{
    for (const auto &[n, v] : fields)
        if (n == name)
            return v;
    return std::nullopt;
}

QByteArray gatewaySignature(const QByteArray &authToken, const QByteArray &url, FormFields fields)
{
    std::sort(fields.begin(), fields.end());
    QByteArray data = url;
    for (const auto &[n, v] : fields)
        data += n + v;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), authToken.constData(), int(authToken.size()),
         reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), mac, &length);
    return QByteArray(reinterpret_cast<const char *>(mac), int(length)).toBase64();
}

bool signatureMatches(const QByteArray &expected, const QByteArray &given)
{
    return expected.size() == given.size()
        && CRYPTO_memcmp(expected.constData(), given.constData(), size_t(given.size())) == 0;
}

} // namespace larch::server
