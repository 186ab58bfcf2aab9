// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/SdpFingerprint.h"

#include "core/crypto/Sha256.h"

#include <QStringList>
#include <QStringView>

namespace larch::calls {
namespace {

constexpr int DigestBytes = 32;

// "AB:CD:…" with exactly 32 bytes; nullopt for anything else.
std::optional<QByteArray> parseHexPairs(QStringView text)
{
    if (text.size() != DigestBytes * 3 - 1)
        return std::nullopt;
    QByteArray digest;
    digest.reserve(DigestBytes);
    for (int i = 0; i < DigestBytes; ++i) {
        if (i > 0 && text[i * 3 - 1] != u':')
            return std::nullopt;
        bool ok = false;
        const uint byte = text.mid(i * 3, 2).toUInt(&ok, 16);
        if (!ok || !text[i * 3].isLetterOrNumber() || !text[i * 3 + 1].isLetterOrNumber())
            return std::nullopt;
        digest.append(char(byte));
    }
    return digest;
}

} // namespace

std::optional<QByteArray> sdpFingerprint(const QString &sdp)
{
    std::optional<QByteArray> found;
    for (QStringView line : QStringView(sdp).split(u'\n')) {
        line = line.trimmed();
        if (!line.startsWith(u"a=fingerprint:"))
            continue;
        const QStringView value = line.mid(14).trimmed();
        const qsizetype space = value.indexOf(u' ');
        if (space < 0 || value.left(space).compare(u"sha-256", Qt::CaseInsensitive) != 0)
            return std::nullopt;
        const std::optional<QByteArray> digest = parseHexPairs(value.mid(space + 1).trimmed());
        if (!digest || (found && *found != *digest))
            return std::nullopt;
        found = digest;
    }
    return found;
}

std::optional<QByteArray> pemFingerprint(const QByteArray &pem)
{
    static const QByteArray begin = "-----BEGIN CERTIFICATE-----";
    static const QByteArray end = "-----END CERTIFICATE-----";
    const qsizetype from = pem.indexOf(begin);
    const qsizetype to = from < 0 ? -1 : pem.indexOf(end, from + begin.size());
    if (to < 0)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        pem.mid(from + begin.size(), to - from - begin.size()).simplified().replace(' ', ""),
        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return sha256(*decoded);
}

QString fingerprintText(const QByteArray &fingerprint) { return QString::fromLatin1(fingerprint.toHex(':').toUpper()); }

} // namespace larch::calls
