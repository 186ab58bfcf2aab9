// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Test data shared by the E2EE tests: fixed ids, counting byte strings and libsodium-side helpers.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <sodium.h>

namespace e2eetest {

inline const QString kConversation = QStringLiteral("5f0c8a52-9a1e-4c1b-8f7d-2b6e4d3c1a09");
inline const QString kClient = QStringLiteral("a3d91f0e-7b2c-4e8a-9c5d-6f1e2d3c4b5a");
inline const QString kDevice = QStringLiteral("c0ffee00-1234-4abc-8def-0123456789ab");
inline const QString kOtherId = QStringLiteral("d15ea5e0-0000-4000-8000-000000000001");

/// n bytes counting up from start, for fixed seeds, keys and nonces.
inline QByteArray counting(int n, int start)
{
    QByteArray b(n, '\0');
    for (int i = 0; i < n; ++i)
        b[i] = static_cast<char>((start + i) & 0xff);
    return b;
}

inline const unsigned char *u(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

inline unsigned char *u(QByteArray &b) { return reinterpret_cast<unsigned char *>(b.data()); }

/// A part preceded by its length as 4 bytes big-endian, written out byte by byte.
inline QByteArray framed(const QByteArray &part)
{
    const quint32 n = static_cast<quint32>(part.size());
    QByteArray out;
    out.append(char(n >> 24)).append(char(n >> 16)).append(char(n >> 8)).append(char(n));
    return out + part;
}

/// The message additional data exactly as docs/security.md defines it.
inline QByteArray expectedAd(const QString &conversationId, qint64 epoch, const QString &clientId,
                             const QString &deviceId, const QByteArray &label = "larch-message-v1")
{
    QByteArray epochBytes;
    for (int shift = 56; shift >= 0; shift -= 8)
        epochBytes.append(char((quint64(epoch) >> shift) & 0xff));
    return framed(label) + framed(conversationId.toUtf8()) + framed(epochBytes) + framed(clientId.toUtf8())
        + framed(deviceId.toUtf8());
}

struct SignPair {
    QByteArray publicKey{crypto_sign_PUBLICKEYBYTES, '\0'};
    QByteArray secretKey{crypto_sign_SECRETKEYBYTES, '\0'};
};

inline SignPair signPairFromSeed(int start)
{
    SignPair p;
    const QByteArray seed = counting(crypto_sign_SEEDBYTES, start);
    crypto_sign_seed_keypair(u(p.publicKey), u(p.secretKey), u(seed));
    return p;
}

inline QByteArray roundTripJson(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

} // namespace e2eetest
