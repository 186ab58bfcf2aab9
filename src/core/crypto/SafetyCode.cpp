// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto/SafetyCode.h"

#include <algorithm>
#include <QStringList>
#include <QtEndian>
#include <sodium.h>

namespace larch {

namespace {

void updateFramed(crypto_hash_sha256_state *state, const QByteArray &part)
{
    unsigned char length[4];
    qToBigEndian<quint32>(static_cast<quint32>(part.size()), length);
    crypto_hash_sha256_update(state, length, sizeof length);
    crypto_hash_sha256_update(state, reinterpret_cast<const unsigned char *>(part.constData()),
                              static_cast<unsigned long long>(part.size()));
}

/// Divides the big-endian number in place by divisor and returns the remainder.
quint32 divideInPlace(unsigned char *number, size_t size, quint32 divisor)
{
    quint64 remainder = 0;
    for (size_t i = 0; i < size; ++i) {
        const quint64 current = (remainder << 8) | number[i];
        number[i] = static_cast<unsigned char>(current / divisor);
        remainder = current % divisor;
    }
    return static_cast<quint32>(remainder);
}

} // namespace

QString safetyCode(QList<QByteArray> signPublicKeys)
{
    std::sort(signPublicKeys.begin(), signPublicKeys.end());
    signPublicKeys.erase(std::unique(signPublicKeys.begin(), signPublicKeys.end()), signPublicKeys.end());

    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    updateFramed(&state, QByteArrayLiteral("larch-safety-code-v1"));
    for (const QByteArray &key : std::as_const(signPublicKeys))
        updateFramed(&state, key);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);

    constexpr int groups = 12;
    QStringList parts(groups);
    // Repeated division yields the lowest 5-digit group first, so fill from the right.
    for (int g = groups - 1; g >= 0; --g)
        parts[g] = QStringLiteral("%1").arg(divideInPlace(digest, sizeof digest, 100000), 5, 10, QLatin1Char('0'));
    return parts.join(QLatin1Char(' '));
}

} // namespace larch
