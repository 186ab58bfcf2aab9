// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the core_attachments topic files share: the test class, its fixture and helpers.
#pragma once

#include "AttachmentTestImages.h"
#include "core/attachments/AttachmentCipher.h"
#include "core/attachments/AttachmentRef.h"
#include "core/attachments/AttachmentType.h"
#include "core/attachments/ExifOrientation.h"
#include "core/attachments/PhotoMetadata.h"
#include "core/crypto/Crypto.h"
#include "OrientedPhotos.h"
#include "TestBytes.h"

#include <optional>
#include <QBuffer>
#include <QCryptographicHash>
#include <QImageReader>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace larch;
using Status = AttachmentDecryptor::Status;
namespace img = testimages;

inline QByteArray sha256(const QByteArray &b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256); }

constexpr qsizetype Chunk = AttachmentFormat::ChunkPlainBytes;

using testbytes::randomBytes;

struct Encrypted {
    QByteArray blob;
    SecretBytes key;
    QByteArray sha256;
};

/// Pushes plain through enc from byte offset `from` on, in full chunks and a last one.
inline void pushRest(AttachmentEncryptor &enc, const QByteArray &plain, qsizetype from, QByteArray &blob)
{
    for (qsizetype at = from;;) {
        const qsizetype n = qMin(Chunk, plain.size() - at);
        const bool last = at + n == plain.size();
        const QByteArray c = enc.push(QByteArrayView(plain).sliced(at, n), last);
        QCOMPARE(c.size(), n + AttachmentFormat::ChunkOverheadBytes);
        blob += c;
        at += n;
        if (last)
            return;
    }
}

inline Encrypted encrypt(const QByteArray &plain)
{
    AttachmentEncryptor enc;
    Encrypted e{enc.header(), enc.key(), {}};
    pushRest(enc, plain, 0, e.blob);
    // Messages from apps that hashed the plaintext carry its SHA-256; the decryptor checks it when given.
    e.sha256 = sha256(plain);
    return e;
}

/// Decrypts blob fed in random slices (1..3 chunks long, sometimes single bytes); returns the final status.
inline Status decrypt(const Encrypted &e, qint64 size, const QByteArray &sha, QByteArray *plainOut = nullptr,
                      quint32 seed = 1)
{
    AttachmentDecryptor dec(e.key, size, sha);
    QRandomGenerator rng(seed);
    QByteArray out;
    for (qsizetype at = 0; at < e.blob.size();) {
        const qsizetype n = qMin<qsizetype>(e.blob.size() - at, rng.bounded(4) == 0 ? 1 : rng.bounded(1, 3 * Chunk));
        dec.feed(QByteArrayView(e.blob).sliced(at, n), out);
        at += n;
    }
    if (plainOut)
        *plainOut = out;
    return dec.finish();
}

/// Runs the stripper over data in slices of `slice` bytes (0: all at once); nullopt when it refuses the file.
/// The orientation it read goes to *orientation when given.
inline std::optional<QByteArray> strip(const QString &mime, const QByteArray &data, qsizetype slice = 0,
                                       ExifOrientation *orientation = nullptr)
{
    PhotoMetadataStripper s(mime);
    const auto tell = qScopeGuard([&] {
        if (orientation)
            *orientation = s.orientation();
    });
    QByteArray out;
    const qsizetype step = slice > 0 ? slice : qMax<qsizetype>(data.size(), 1);
    for (qsizetype at = 0; at < data.size(); at += step)
        if (!s.feed(QByteArrayView(data).sliced(at, qMin(step, data.size() - at)), out))
            return std::nullopt;
    if (!s.finish(out))
        return std::nullopt;
    return out;
}

inline QString exiftoolTag(const QByteArray &file, const QString &dir, const char *tag)
{
    const QString path = dir + QStringLiteral("/photo");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(file) != file.size())
        return QStringLiteral("write failed");
    f.close();
    QProcess p;
    p.start(QStringLiteral("exiftool"), {QStringLiteral("-s3"), QStringLiteral("-") + QLatin1String(tag), path});
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

/// Unit tests of attachment encryption (secretstream blobs), type sniffing, file names and photo metadata removal.
class TestCoreAttachments : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void formatSizes();
    void roundTrip_data();
    void roundTrip();
    void pushRefusesWrongSizes();
    void saveAndRestoreMidStream();
    void restoreRefusesBadState();
    void damagedBlobs();
    void sniffHeaders_data();
    void sniffHeaders();
    void acceptedSentence();
    void sanitizeNames_data();
    void sanitizeNames();
    void sanitizeLongNamesKeepExtension();
    void stripPhotos_data();
    void stripPhotos();
    void stripKeepsCleanFilesAndOtherTypes();
    void stripRefusesMalformed_data();
    void stripRefusesMalformed();
    void stripSurvivesMutations();
    void readsExifOrientation();
    void orientationReachesTheRecipient_data();
    void orientationReachesTheRecipient();
    void onlyTheFirstExifTurnsAJpeg();
    void exiftoolSeesOnlyTheOrientation();
    void exiftoolSeesNoGps();
};
