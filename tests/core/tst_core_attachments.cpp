// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Unit tests of attachment encryption (secretstream blobs), type sniffing, file names and photo metadata removal.
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

namespace {
QByteArray sha256(const QByteArray &b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256); }

constexpr qsizetype Chunk = AttachmentFormat::ChunkPlainBytes;

using testbytes::randomBytes;

struct Encrypted {
    QByteArray blob;
    SecretBytes key;
    QByteArray sha256;
};

/// Pushes plain through enc from byte offset `from` on, in full chunks and a last one.
void pushRest(AttachmentEncryptor &enc, const QByteArray &plain, qsizetype from, QByteArray &blob)
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

Encrypted encrypt(const QByteArray &plain)
{
    AttachmentEncryptor enc;
    Encrypted e{enc.header(), enc.key(), {}};
    pushRest(enc, plain, 0, e.blob);
    // Messages from apps that hashed the plaintext carry its SHA-256; the decryptor checks it when given.
    e.sha256 = sha256(plain);
    return e;
}

/// Decrypts blob fed in random slices (1..3 chunks long, sometimes single bytes); returns the final status.
Status decrypt(const Encrypted &e, qint64 size, const QByteArray &sha, QByteArray *plainOut = nullptr, quint32 seed = 1)
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
std::optional<QByteArray> strip(const QString &mime, const QByteArray &data, qsizetype slice = 0,
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

QString exiftoolTag(const QByteArray &file, const QString &dir, const char *tag)
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

} // namespace

class TestCoreAttachments : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void formatSizes()
    {
        QCOMPARE(AttachmentFormat::chunkCount(0), 1);
        QCOMPARE(AttachmentFormat::chunkCount(1), 1);
        QCOMPARE(AttachmentFormat::chunkCount(Chunk), 1);
        QCOMPARE(AttachmentFormat::chunkCount(Chunk + 1), 2);
        QCOMPARE(AttachmentFormat::cipherSize(0), 24 + 17);
        QCOMPARE(AttachmentFormat::cipherSize(104857600), 24 + 104857600 + 1600 * 17);
    }

    void roundTrip_data()
    {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype n : {qsizetype(0), qsizetype(1), Chunk - 1, Chunk, Chunk + 1, 3 * Chunk + 5})
            QTest::addRow("%lld", qlonglong(n)) << n;
    }
    void roundTrip()
    {
        QFETCH(qsizetype, size);
        const QByteArray plain = randomBytes(size, quint32(size) + 7);
        AttachmentEncryptor enc;
        QCOMPARE(enc.key().size(), AttachmentRef::KeyBytes);
        QCOMPARE(enc.header().size(), AttachmentFormat::HeaderBytes);
        Encrypted e{enc.header(), enc.key(), {}};
        pushRest(enc, plain, 0, e.blob);
        e.sha256 = sha256(plain);
        QVERIFY(enc.isFinished());
        QCOMPARE(enc.plainBytesDone(), size);
        QCOMPARE(enc.chunksDone(), AttachmentFormat::chunkCount(size));
        QCOMPARE(e.blob.size(), AttachmentFormat::cipherSize(size));
        QVERIFY(enc.push(QByteArray(), true).isEmpty()); // nothing after the final chunk

        for (quint32 seed : {1u, 2u, 3u}) {
            QByteArray back;
            QCOMPARE(decrypt(e, size, e.sha256, &back, seed), Status::Done);
            QCOMPARE(back, plain);
            // Without a hash in the message: the stream's authentication alone.
            back.clear();
            QCOMPARE(decrypt(e, size, QByteArray(), &back, seed), Status::Done);
            QCOMPARE(back, plain);
        }
        // Random key and header per file: the same plaintext never gives the same blob.
        QVERIFY(encrypt(plain).blob != e.blob);
    }

    void pushRefusesWrongSizes()
    {
        AttachmentEncryptor enc;
        QVERIFY(enc.push(QByteArray(100, 'x'), false).isEmpty());
        QVERIFY(enc.push(QByteArray(Chunk + 1, 'x'), true).isEmpty());
        QCOMPARE(enc.chunksDone(), 0);
        QVERIFY(!enc.push(QByteArray(Chunk, 'x'), false).isEmpty());
        // An empty last chunk after full ones would break cipherSize(); the full chunk must carry last.
        QVERIFY(enc.push(QByteArray(), true).isEmpty());
        QVERIFY(!enc.push(QByteArray(3, 'x'), true).isEmpty());
        QVERIFY(enc.isFinished());
    }

    void saveAndRestoreMidStream()
    {
        const QByteArray plain = randomBytes(3 * Chunk + 5, 42);
        AttachmentEncryptor enc;
        QByteArray blob = enc.header();
        blob += enc.push(QByteArrayView(plain).first(Chunk), false);
        blob += enc.push(QByteArrayView(plain).sliced(Chunk, Chunk), false);
        const SecretBytes state = enc.saveState();

        auto restored = AttachmentEncryptor::restore(state);
        QVERIFY(restored);
        QVERIFY(restored->key() == enc.key());
        QCOMPARE(restored->header(), enc.header());
        QCOMPARE(restored->chunksDone(), 2);
        QCOMPARE(restored->plainBytesDone(), 2 * Chunk);
        QVERIFY(!restored->isFinished());

        QByteArray fromOriginal = blob;
        pushRest(enc, plain, 2 * Chunk, fromOriginal);
        pushRest(*restored, plain, 2 * Chunk, blob);
        QCOMPARE(blob, fromOriginal); // the restored stream continues exactly where it was

        QByteArray back;
        QCOMPARE(decrypt({blob, restored->key(), {}}, plain.size(), QByteArray(), &back), Status::Done);
        QCOMPARE(back, plain);

        // A finished encryptor's state keeps its key and takes no more chunks.
        auto finished = AttachmentEncryptor::restore(restored->saveState());
        QVERIFY(finished && finished->isFinished());
        QVERIFY(finished->key() == enc.key());
        QVERIFY(finished->push(QByteArray(), true).isEmpty());
    }

    void restoreRefusesBadState()
    {
        AttachmentEncryptor enc;
        enc.push(QByteArray(Chunk, 'a'), false);
        const QByteArray good = enc.saveState().bytes();
        QVERIFY(AttachmentEncryptor::restore(SecretBytes(QByteArray(good))));
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes()));
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes(good.chopped(1))));
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes(QByteArray(good + 'x'))));
        QByteArray wrongVersion = good;
        wrongVersion[0] = char(1); // the state of an app that still hashed the plaintext
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes(std::move(wrongVersion))));
        QByteArray garbage(good.size(), char(0x5A));
        garbage[0] = good[0];
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes(std::move(garbage))));
        QVERIFY(!AttachmentEncryptor::restore(SecretBytes(randomBytes(good.size(), 9))));
        // Counters that disagree with each other (chunks, then plain bytes, after the libsodium state; the
        // finished flag last).
        for (qsizetype i = good.size() - 1 - 16; i < good.size() - 1; ++i) {
            QByteArray tampered = good;
            tampered[i] = char(tampered[i] ^ 0x01);
            QVERIFY2(!AttachmentEncryptor::restore(SecretBytes(std::move(tampered))), qPrintable(QString::number(i)));
        }
    }

    void damagedBlobs()
    {
        const QByteArray plain = randomBytes(3 * Chunk + 5, 5);
        const Encrypted e = encrypt(plain);
        QCOMPARE(decrypt(e, plain.size(), e.sha256), Status::Done);

        // One flipped byte in the header or in any chunk, including the tag and the last chunk.
        const qsizetype cc = AttachmentFormat::ChunkCipherBytes;
        for (qsizetype at : {qsizetype(0), qsizetype(23), qsizetype(24), 24 + cc - 1, 24 + cc + 100, 24 + 2 * cc + 17,
                             24 + 3 * cc, e.blob.size() - 1}) {
            Encrypted bad = e;
            bad.blob[at] = char(bad.blob[at] ^ 0x40);
            QByteArray out;
            QVERIFY2(decrypt(bad, plain.size(), e.sha256, &out) == Status::Damaged, qPrintable(QString::number(at)));
            QVERIFY(out.size() <= plain.size());
            // The stream's authentication finds it without any hash.
            QVERIFY2(decrypt(bad, plain.size(), QByteArray()) == Status::Damaged, qPrintable(QString::number(at)));
        }
        Encrypted swapped = e; // chunks in the wrong order
        swapped.blob =
            e.blob.first(24) + e.blob.sliced(24 + cc, cc) + e.blob.sliced(24, cc) + e.blob.sliced(24 + 2 * cc);
        QCOMPARE(decrypt(swapped, plain.size(), e.sha256), Status::Damaged);
        QCOMPARE(decrypt(swapped, plain.size(), QByteArray()), Status::Damaged);

        Encrypted truncated = e; // the FINAL chunk never came
        truncated.blob.truncate(24 + 3 * cc);
        AttachmentDecryptor dec(e.key, plain.size(), e.sha256);
        QByteArray out;
        QCOMPARE(dec.feed(truncated.blob, out), Status::NeedMore);
        QCOMPARE(out, plain.first(3 * Chunk));
        QCOMPARE(dec.finish(), Status::Damaged);
        truncated.blob.chop(1000);
        QCOMPARE(decrypt(truncated, plain.size(), e.sha256), Status::Damaged);
        QCOMPARE(decrypt(truncated, plain.size(), QByteArray()), Status::Damaged);

        Encrypted extra = e; // bytes after FINAL, in the same feed or a later one
        extra.blob += 'x';
        QCOMPARE(decrypt(extra, plain.size(), e.sha256), Status::Damaged);
        QCOMPARE(decrypt(extra, plain.size(), QByteArray()), Status::Damaged);
        AttachmentDecryptor late(e.key, plain.size(), e.sha256);
        QCOMPARE(late.feed(e.blob, out), Status::Done);
        QCOMPARE(late.feed(QByteArray(1, '\0'), out), Status::Damaged);
        QCOMPARE(late.finish(), Status::Damaged);

        QCOMPARE(decrypt(e, plain.size() + 1, e.sha256), Status::Damaged);
        QCOMPARE(decrypt(e, plain.size() - 1, e.sha256), Status::Damaged);
        QCOMPARE(decrypt(e, 3 * Chunk, e.sha256), Status::Damaged);
        QCOMPARE(decrypt(e, -1, e.sha256), Status::Damaged);
        QCOMPARE(decrypt(e, plain.size(), sha256(QByteArray("other"))), Status::Damaged);
        QCOMPARE(decrypt(e, plain.size(), QByteArray(5, 'x')), Status::Damaged); // a hash of the wrong length
        QCOMPARE(decrypt(e, plain.size() - 1, QByteArray()), Status::Damaged);
        Encrypted wrongKey = e;
        wrongKey.key = SecretBytes::random(32);
        QCOMPARE(decrypt(wrongKey, plain.size(), e.sha256), Status::Damaged);

        const Encrypted empty = encrypt(QByteArray());
        QCOMPARE(decrypt(empty, 0, sha256(QByteArray())), Status::Done);
        QCOMPARE(decrypt(empty, 1, sha256(QByteArray())), Status::Damaged);
    }

    void sniffHeaders_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("mime");
        const auto ftyp = [](const char *major, const QByteArray &compat) {
            const QByteArray body = QByteArray(major, 4) + img::be32(0) + compat;
            return img::be32(quint32(8 + body.size())) + "ftyp" + body + img::be32(8) + "mdat";
        };
        QTest::newRow("pdf") << QByteArray("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj") << "application/pdf";
        QTest::newRow("jpeg bytes") << QByteArray("\xFF\xD8\xFF\xE1\x00\x10") << "image/jpeg";
        QTest::newRow("jpeg real") << img::encode(img::picture(), "JPEG") << "image/jpeg";
        QTest::newRow("png real") << img::encode(img::picture(), "PNG") << "image/png";
        QTest::newRow("webp real") << img::encode(img::picture(), "WEBP") << "image/webp";
        QTest::newRow("webp extended") << img::webpWithMetadata() << "image/webp";
        QTest::newRow("gif87") << QByteArray("GIF87a\x01\x00\x01\x00") << "image/gif";
        QTest::newRow("gif89") << QByteArray("GIF89a\x01\x00\x01\x00\x80") << "image/gif";
        QTest::newRow("heic") << ftyp("heic", "mif1heic") << "image/heic";
        QTest::newRow("heif mif1") << ftyp("mif1", "mif1heic") << "image/heic";
        QTest::newRow("heif msf1") << ftyp("msf1", "msf1hevc") << "image/heic";
        QTest::newRow("mp4 isom") << ftyp("isom", "isomiso2avc1mp41") << "video/mp4";
        QTest::newRow("mp4 mp42") << ftyp("mp42", "mp42isom") << "video/mp4";
        QTest::newRow("3gp") << ftyp("3gp4", "3gp4isom") << "video/mp4";
        QTest::newRow("mov ftyp") << ftyp("qt  ", "qt  ") << "video/quicktime";
        QTest::newRow("mov bare moov") << img::be32(108) + QByteArray("moov") + img::be32(100) << "video/quicktime";
        QTest::newRow("mov bare wide") << img::be32(8) + QByteArray("wide") + img::be32(100) + "mdat"
                                       << "video/quicktime";
        const QByteArray webmHeader("\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08"
                                    "\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02",
                                    31);
        QTest::newRow("webm") << QByteArray("\x1A\x45\xDF\xA3\x9F", 5) + webmHeader + "\x18\x53\x80\x67"
                              << "video/webm";
        // GStreamer's webmmux pads the DocType with a zero byte.
        QTest::newRow("webm, zero-padded doc type") << QByteArray("\x1A\x45\xDF\xA3\xA0", 5)
                + QByteArray(webmHeader).replace(QByteArray("\x84webm"), QByteArray("\x85webm\0", 6))
                + "\x18\x53\x80\x67"
                                                    << "video/webm";
        // Not accepted: a name saying .pdf or .jpg changes nothing, only these bytes count.
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("text") << QByteArray("Hello, this is a plain text file.pdf\n") << QString();
        QTest::newRow("zip") << QByteArray("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) << QString();
        QTest::newRow("exe") << QByteArray("MZ\x90\x00\x03\x00\x00\x00\x04\x00", 10) << QString();
        QTest::newRow("elf") << QByteArray("\x7F"
                                           "ELF\x02\x01\x01")
                             << QString();
        QTest::newRow("short pdf") << QByteArray("%PDF") << QString();
        QTest::newRow("short jpeg") << QByteArray("\xFF\xD8") << QString();
        QTest::newRow("wav") << QByteArray("RIFF\x24\x00\x00\x00WAVEfmt ", 16) << QString();
        QTest::newRow("m4a") << ftyp("M4A ", "M4A mp42isom") << QString();
        QTest::newRow("avif") << ftyp("avif", "avifmif1miaf") << QString();
        QTest::newRow("avif as mif1") << ftyp("mif1", "mif1avifmiaf") << QString();
        QTest::newRow("matroska") << QByteArray("\x1A\x45\xDF\xA3\x9F", 5)
                + QByteArray(webmHeader).replace("\x84webm", "\x88matroska")
                                  << QString();
        QTest::newRow("ebml cut short") << QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x86", 7) << QString();
        // A header of 2 bytes whose DocType element starts inside it and ends after it: nothing past the header is
        // read (found by fuzz_photo_metadata: the size check wrapped around and read beyond the buffer).
        QTest::newRow("ebml element past its header")
            << QByteArray("\x1A\x45\xDF\xA3\x82\x42\x82\x84webm", 12) << QString();
        QTest::newRow("ebml size past the buffer")
            << QByteArray("\x1A\x45\xDF\xA3\x82\x42\x82\x44\x00\x00", 10) << QString();
    }
    void sniffHeaders()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, mime);
        const auto t = sniffAttachmentType(head);
        QCOMPARE(t ? t->mime : QString(), mime);
        if (t) {
            QCOMPARE(t->kind,
                     mime == QLatin1String("application/pdf") ? QStringLiteral("pdf") : mime.section('/', 0, 0));
            QCOMPARE(sniffAttachmentType(QByteArrayView(head).first(qMin(head.size(), AttachmentSniffBytes))), t);
        }
    }

    void acceptedSentence()
    {
        QCOMPARE(acceptedAttachmentTypes(),
                 QStringLiteral("Larch takes PDFs, photos (JPEG, PNG, HEIC, WebP, GIF) and videos (MP4, MOV, WebM)."));
    }

    void sanitizeNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("mime");
        QTest::addColumn<QString>("expected");
        const QString pdf = QStringLiteral("application/pdf");
        QTest::newRow("plain") << "Lab results 2025.pdf" << pdf << "Lab results 2025.pdf";
        QTest::newRow("unix path") << "/home/sam/Documents/scan.pdf" << pdf << "scan.pdf";
        QTest::newRow("windows path") << "C:\\Users\\Sam\\scan.pdf" << pdf << "scan.pdf";
        QTest::newRow("traversal") << "../../etc/passwd" << pdf << "passwd";
        QTest::newRow("traversal backslash") << "..\\..\\boot.ini" << pdf << "boot.ini";
        QTest::newRow("hidden") << "..hidden.jpg"
                                << "image/jpeg"
                                << "hidden.jpg";
        QTest::newRow("control") << QString("a\tb\nc\x01"
                                            "d.png")
                                 << "image/png"
                                 << "a_b_c_d.png";
        QTest::newRow("nul") << QString::fromLatin1("x\0y.pdf", 7) << pdf << "x_y.pdf";
        QTest::newRow("reserved") << "what<>:\"|?*.pdf" << pdf << "what_______.pdf";
        QTest::newRow("rtl override") << QString::fromUtf8("photo\u202Egpj.exe") << "image/jpeg"
                                      << "photo_gpj.exe";
        QTest::newRow("spaces") << "   report.pdf   " << pdf << "report.pdf";
        QTest::newRow("unicode") << QString::fromUtf8("Befund Müller ✓.pdf") << pdf
                                 << QString::fromUtf8("Befund Müller ✓.pdf");
        QTest::newRow("device") << "CON.pdf" << pdf << "_CON.pdf";
        QTest::newRow("empty pdf") << "" << pdf << "attachment.pdf";
        QTest::newRow("empty jpeg") << ""
                                    << "image/jpeg"
                                    << "attachment.jpg";
        QTest::newRow("empty mov") << ""
                                   << "video/quicktime"
                                   << "attachment.mov";
        QTest::newRow("dir only") << "/tmp/"
                                  << "video/mp4"
                                  << "attachment.mp4";
        QTest::newRow("dots") << "..."
                              << "image/webp"
                              << "attachment.webp";
        QTest::newRow("spaces only") << "   "
                                     << "image/heic"
                                     << "attachment.heic";
    }
    void sanitizeNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, mime);
        QFETCH(QString, expected);
        QCOMPARE(sanitizeAttachmentName(name, {mime, QString()}), expected);
    }

    void sanitizeLongNamesKeepExtension()
    {
        const AttachmentType pdf{QStringLiteral("application/pdf"), QStringLiteral("pdf")};
        const QString longName = QString(500, QLatin1Char('a')) + QStringLiteral(".pdf");
        const QString s = sanitizeAttachmentName(longName, pdf);
        QCOMPARE(s.size(), AttachmentRef::NameMax);
        QVERIFY(s.endsWith(QLatin1String("aaa.pdf")));
        // Characters outside the BMP are never cut in half.
        QString emoji;
        for (int i = 0; i < 150; ++i)
            emoji += QString::fromUtf8("😀");
        const QString e = sanitizeAttachmentName(emoji + QStringLiteral(".jpg"), pdf);
        QVERIFY(e.size() <= AttachmentRef::NameMax);
        QVERIFY(e.endsWith(QLatin1String(".jpg")));
        QVERIFY(!e.at(e.size() - 5).isHighSurrogate());
        QCOMPARE(sanitizeAttachmentName(QStringLiteral("ok.pdf"), pdf).size(), 6);
    }

    void stripPhotos_data()
    {
        QTest::addColumn<QString>("mime");
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("jpeg") << "image/jpeg" << img::jpegWithMetadata();
        QTest::newRow("png") << "image/png" << img::pngWithMetadata();
        QTest::newRow("webp") << "image/webp" << img::webpWithMetadata();
    }
    void stripPhotos()
    {
        QFETCH(QString, mime);
        QFETCH(QByteArray, input);
        const QByteArray tiff = img::exifTiffWithGps();
        QVERIFY(input.contains(tiff) && input.contains(img::Canary));
        QCOMPARE(QImage::fromData(input).size(), QSize(96, 64));

        const auto out = strip(mime, input);
        QVERIFY(out);
        QVERIFY(!out->contains(tiff));
        QVERIFY(!out->contains(img::Canary));
        QVERIFY(!out->contains("GPSLatitude"));
        QVERIFY(!out->contains(QByteArray("Exif\0\0", 6)));
        const QImage before = QImage::fromData(input);
        const QImage after = QImage::fromData(*out);
        QCOMPARE(after.size(), before.size());
        QCOMPARE(after.convertToFormat(QImage::Format_RGB32), before.convertToFormat(QImage::Format_RGB32));
        if (mime == QLatin1String("image/webp")) {
            QCOMPARE(out->size(), input.size()); // EXIF/XMP became JUNK of the same size
            QCOMPARE(quint8(out->at(20)) & 0x0C, 0); // VP8X flags cleared
        }

        QCOMPARE(strip(mime, *out), out); // idempotent
        for (qsizetype slice : {1, 2, 3, 7, 4096})
            QCOMPARE(strip(mime, input, slice), out);
    }

    void stripKeepsCleanFilesAndOtherTypes()
    {
        // A JPEG straight from QImage (JFIF APP0, no metadata) and a PNG go through unchanged.
        const QByteArray jpeg = img::encode(img::picture(), "JPEG", 90);
        QCOMPARE(strip(QStringLiteral("image/jpeg"), jpeg), jpeg);
        const QByteArray progressive = img::progressiveJpeg();
        QVERIFY(progressive.count("\xFF\xDA") > 1); // several scans
        QCOMPARE(strip(QStringLiteral("image/jpeg"), progressive, 1), progressive);
        const QByteArray png = img::encode(img::picture(), "PNG");
        QCOMPARE(strip(QStringLiteral("image/png"), png), png);
        const QByteArray webp = img::encode(img::picture(), "WEBP", 80);
        QCOMPARE(strip(QStringLiteral("image/webp"), webp), webp);
        // An ICC profile segment (APP2) stays; trailing bytes after EOI do not.
        const QByteArray icc = img::jpegSegment(0xE2, QByteArray("ICC_PROFILE\0\x01\x01", 14) + QByteArray(64, 'p'));
        const QByteArray withIcc = jpeg.first(2) + icc + jpeg.sliced(2);
        QCOMPARE(strip(QStringLiteral("image/jpeg"), withIcc + img::Canary), withIcc);
        // Anything else passes untouched, malformed or not.
        const QByteArray pdf("%PDF-1.4\nnot really\n");
        QCOMPARE(strip(QStringLiteral("application/pdf"), pdf, 1), pdf);
        QCOMPARE(strip(QStringLiteral("video/mp4"), QByteArray()), QByteArray());
    }

    void stripRefusesMalformed_data()
    {
        QTest::addColumn<QString>("mime");
        QTest::addColumn<QByteArray>("input");
        const QString jpeg = QStringLiteral("image/jpeg"), png = QStringLiteral("image/png"),
                      webp = QStringLiteral("image/webp");
        const QByteArray j = img::jpegWithMetadata(), p = img::pngWithMetadata(), w = img::webpWithMetadata();
        QTest::newRow("jpeg empty") << jpeg << QByteArray();
        QTest::newRow("jpeg not jpeg") << jpeg << QByteArray("GIF89a....");
        QTest::newRow("jpeg only soi") << jpeg << QByteArray("\xFF\xD8");
        QTest::newRow("jpeg fill forever") << jpeg << QByteArray("\xFF\xD8") + QByteArray(100000, '\xFF');
        QTest::newRow("jpeg bad length") << jpeg << QByteArray("\xFF\xD8\xFF\xE1\x00\x01xxxx", 10);
        QTest::newRow("jpeg zero marker") << jpeg << QByteArray("\xFF\xD8\xFF\x00\x00\x10", 6);
        QTest::newRow("jpeg no marker") << jpeg << QByteArray("\xFF\xD8\x12\x34", 4);
        QTest::newRow("jpeg second soi") << jpeg << QByteArray("\xFF\xD8\xFF\xD8\xFF\xD9", 6);
        QTest::newRow("jpeg cut in exif") << jpeg << j.first(40);
        QTest::newRow("jpeg cut in scan") << jpeg << j.first(j.size() - 10);
        QTest::newRow("jpeg cut before eoi") << jpeg << j.chopped(2);
        QTest::newRow("png signature only") << png << p.first(8);
        QTest::newRow("png bad signature") << png << QByteArray("\x89PNX\r\n\x1A\n", 8) + p.sliced(8);
        QTest::newRow("png first not ihdr") << png << p.first(8) + img::pngChunk("tEXt", "a\0b") + p.sliced(8);
        QTest::newRow("png huge length") << png << p.first(8) + QByteArray("\xFF\xFF\xFF\xF0IHDR", 8) + p.sliced(16);
        QTest::newRow("png bad type") << png
                                      << p.first(33)
                + QByteArray("\x00\x00\x00\x01"
                             "ab\x01"
                             "d",
                             8)
                + p.sliced(33);
        QTest::newRow("png cut") << png << p.chopped(5);
        QTest::newRow("png no iend") << png << p.chopped(12);
        QTest::newRow("webp riff only") << webp << w.first(12);
        QTest::newRow("webp not webp") << webp << QByteArray("RIFF\x10\x00\x00\x00WAVEfmt ", 16);
        QTest::newRow("webp tiny riff") << webp << QByteArray("RIFF\x04\x00\x00\x00WEBP", 12);
        QTest::newRow("webp chunk too big") << webp << w.first(16) + img::le32(0x7FFFFFF0) + w.sliced(20);
        QTest::newRow("webp first chunk exif") << webp << w.first(12) + img::riffChunk("EXIF", "x") + w.sliced(12);
        QTest::newRow("webp short vp8x") << webp << w.first(16) + img::le32(4) + w.sliced(20);
        QTest::newRow("webp cut") << webp << w.chopped(3);
    }
    void stripRefusesMalformed()
    {
        QFETCH(QString, mime);
        QFETCH(QByteArray, input);
        QVERIFY(!strip(mime, input));
        QVERIFY(!strip(mime, input, 1));
        // Once refused, it stays refused and sends nothing more.
        PhotoMetadataStripper s(mime);
        QByteArray out;
        if (!s.feed(input, out)) {
            QVERIFY(out.isEmpty());
            QVERIFY(!s.feed(QByteArray("more"), out));
            QVERIFY(out.isEmpty());
        }
        QVERIFY(!s.finish(out));
    }

    void stripSurvivesMutations()
    {
        // Random damage in random slicing never crashes or hangs, and the answer never depends on the slicing.
        const QList<QPair<QString, QByteArray>> files{{QStringLiteral("image/jpeg"), img::jpegWithMetadata()},
                                                      {QStringLiteral("image/png"), img::pngWithMetadata()},
                                                      {QStringLiteral("image/webp"), img::webpWithMetadata()}};
        QRandomGenerator rng(1234);
        for (const auto &[mime, file] : files) {
            for (int round = 0; round < 150; ++round) {
                QByteArray bad = file;
                const int edits = rng.bounded(1, 6);
                for (int k = 0; k < edits; ++k)
                    bad[rng.bounded(qMin<int>(bad.size(), round < 75 ? 200 : int(bad.size())))] =
                        char(rng.bounded(256));
                if (round % 10 == 0)
                    bad.truncate(rng.bounded(int(bad.size())));
                const auto whole = strip(mime, bad);
                QCOMPARE(strip(mime, bad, 1 + rng.bounded(9)), whole);
                if (whole)
                    QCOMPARE(strip(mime, *whole), whole);
            }
        }
    }

    void readsExifOrientation()
    {
        using O = ExifOrientation;
        for (int n = 1; n <= 8; ++n) {
            QCOMPARE(readExifOrientation(img::exifWithOrientation(n, true)), O(n));
            QCOMPARE(readExifOrientation(img::exifWithOrientation(n, false)), O(n));
            QCOMPARE(readExifOrientation(exifWithOnlyOrientation(O(n))), O(n));
        }
        QCOMPARE(exifWithOnlyOrientation(O::Rotated90).size(), 26);
        QCOMPARE(readExifOrientation(img::exifTiffWithGps()), O::None); // no Orientation entry
        // Out of range, the wrong type or count, and structures that point outside themselves say nothing.
        const QByteArray six = img::exifWithOrientation(6, false);
        const qsizetype entry = 8 + 2 + 12; // the second IFD0 entry is Orientation
        const auto withByte = [&six](qsizetype at, char value) {
            QByteArray changed = six;
            changed[at] = value;
            return changed;
        };
        QCOMPARE(readExifOrientation(withByte(entry + 9, 0)), O::None); // orientation 0
        QCOMPARE(readExifOrientation(withByte(entry + 9, 9)), O::None); // orientation 9
        QCOMPARE(readExifOrientation(withByte(entry + 3, 4)), O::None); // a LONG, not a SHORT
        QCOMPARE(readExifOrientation(withByte(entry + 7, 2)), O::None); // two values
        QCOMPARE(readExifOrientation(withByte(4, '\x7F')), O::None); // IFD0 far past the end
        QByteArray manyEntries = withByte(8, '\xFF');
        manyEntries[9] = '\xFF';
        QCOMPARE(readExifOrientation(manyEntries.first(entry)), O::None); // cut before the entry
        QCOMPARE(readExifOrientation(six.first(entry + 9)), O::None); // cut inside the value
        QCOMPARE(readExifOrientation(QByteArray("MM\0*")), O::None);
        QCOMPARE(readExifOrientation(QByteArray("XX\0*\0\0\0\x08\0\0", 10)), O::None);
        QCOMPARE(readExifOrientation(QByteArray()), O::None);
    }

    void orientationReachesTheRecipient_data()
    {
        QTest::addColumn<QString>("mime");
        QTest::addColumn<int>("orientation");
        QTest::addColumn<QByteArray>("input");
        for (int n = 1; n <= 8; ++n) {
            QTest::addRow("jpeg %d", n) << "image/jpeg" << n << img::orientedJpeg(n);
            QTest::addRow("png %d", n) << "image/png" << n << img::orientedPng(n);
            QTest::addRow("webp %d", n) << "image/webp" << n << img::orientedWebp(n);
        }
    }
    void orientationReachesTheRecipient()
    {
        QFETCH(QString, mime);
        QFETCH(int, orientation);
        QFETCH(QByteArray, input);
        QVERIFY(input.contains(img::Canary));
        ExifOrientation read = ExifOrientation::None;
        const auto out = strip(mime, input, 0, &read);
        QVERIFY(out);
        QCOMPARE(read, ExifOrientation(orientation));
        QVERIFY(!out->contains(img::Canary)); // the camera's make and the place go; only the orientation may stay
        QVERIFY(!out->contains(QByteArray("N\0\0\0", 4)));
        for (qsizetype slice : {1, 5, 4096}) {
            ExifOrientation sliced = ExifOrientation::None;
            QCOMPARE(strip(mime, input, slice, &sliced), out);
            QCOMPARE(sliced, read);
        }
        if (mime == QLatin1String("image/jpeg")) {
            // A JPEG keeps exactly one EXIF segment holding the one Orientation entry, when it turns anything.
            const QByteArray kept = QByteArray("Exif\0\0", 6) + exifWithOnlyOrientation(ExifOrientation(orientation));
            QCOMPARE(out->count(QByteArray("Exif\0\0", 6)), orientation == 1 ? 0 : 1);
            QCOMPARE(out->contains(kept), orientation != 1);
            // Every viewer that honours EXIF (Qt here, like browsers and phones) shows the scene as it was taken.
            QBuffer buffer(const_cast<QByteArray *>(&*out));
            buffer.open(QIODevice::ReadOnly);
            QImageReader reader(&buffer);
            reader.setAutoTransform(true);
            const QString difference = img::differenceFromScene(reader.read());
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
            QCOMPARE(strip(mime, *out), out); // idempotent: the kept segment is read and kept again
        } else {
            // PNG and WebP lose their EXIF whole; the app turns their pixels upright before sending (models tests).
            QVERIFY(!out->contains(QByteArray("MM\0*", 4)) && !out->contains(QByteArray("II*\0", 4)));
            ExifOrientation again = ExifOrientation::Upright;
            QCOMPARE(strip(mime, *out, 0, &again), out);
            QCOMPARE(again, ExifOrientation::None);
        }
    }

    void onlyTheFirstExifTurnsAJpeg()
    {
        // A second EXIF segment (as some editors leave) is dropped like any other: only one orientation is kept.
        const QByteArray six = img::orientedJpeg(6);
        const QByteArray withSecond = six.first(2)
            + img::jpegSegment(0xE1, QByteArray("Exif\0\0", 6) + img::exifWithOrientation(3, false)) + six.sliced(2);
        ExifOrientation read = ExifOrientation::None;
        const auto out = strip(QStringLiteral("image/jpeg"), withSecond, 0, &read);
        QVERIFY(out);
        QCOMPARE(read, ExifOrientation::Rotated180); // the first one in the file
        QCOMPARE(out->count(QByteArray("Exif\0\0", 6)), 1);
        // An EXIF segment with nothing after its identifier is dropped without a hang.
        const QByteArray bare = six.first(2) + img::jpegSegment(0xE1, QByteArray("Exif\0\0", 6)) + six.sliced(2);
        const auto outBare = strip(QStringLiteral("image/jpeg"), bare, 1, &read);
        QVERIFY(outBare);
        QCOMPARE(read, ExifOrientation::Rotated90);
        // An EXIF chunk larger than the stripper reads for orientation is dropped unread (PNG).
        const QByteArray png = img::orientedPng(6);
        const QByteArray huge =
            img::exifWithOrientation(8, false) + QByteArray(int(PhotoMetadataStripper::MaxExifBytes), 'x');
        const qsizetype afterIhdr = 8 + 8 + 13 + 4;
        const QByteArray hugeFirst = png.first(afterIhdr) + img::pngChunk("eXIf", huge) + png.sliced(afterIhdr);
        const auto outHuge = strip(QStringLiteral("image/png"), hugeFirst, 65536, &read);
        QVERIFY(outHuge);
        QCOMPARE(read, ExifOrientation::Rotated90);
        QVERIFY(!outHuge->contains("xxxxxxxx"));
    }

    void exiftoolSeesOnlyTheOrientation()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("exiftool")).isEmpty())
            QSKIP("exiftool is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray jpeg = img::orientedJpeg(6);
        QCOMPARE(exiftoolTag(jpeg, dir.path(), "Make"), QString::fromLatin1(img::Canary));
        const auto out = strip(QStringLiteral("image/jpeg"), jpeg);
        QVERIFY(out);
        QCOMPARE(exiftoolTag(*out, dir.path(), "Orientation"), QStringLiteral("Rotate 90 CW"));
        QCOMPARE(exiftoolTag(*out, dir.path(), "Make"), QString());
        QCOMPARE(exiftoolTag(*out, dir.path(), "GPSLatitude"), QString());
        QCOMPARE(exiftoolTag(*out, dir.path(), "ImageSize"), QStringLiteral("64x128")); // stored; shown 128×64
    }

    void exiftoolSeesNoGps()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("exiftool")).isEmpty())
            QSKIP("exiftool is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QList<QPair<QString, QByteArray>> files{{QStringLiteral("image/jpeg"), img::jpegWithMetadata()},
                                                      {QStringLiteral("image/png"), img::pngWithMetadata()},
                                                      {QStringLiteral("image/webp"), img::webpWithMetadata()}};
        for (const auto &[mime, file] : files) {
            QVERIFY2(exiftoolTag(file, dir.path(), "GPSLatitude").contains(QLatin1String("38 deg")), qPrintable(mime));
            const auto out = strip(mime, file);
            QVERIFY(out);
            QCOMPARE(exiftoolTag(*out, dir.path(), "GPSLatitude"), QString());
            QCOMPARE(exiftoolTag(*out, dir.path(), "GPSPosition"), QString());
            QCOMPARE(exiftoolTag(*out, dir.path(), "ImageSize"), QStringLiteral("96x64"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCoreAttachments)
#include "tst_core_attachments.moc"
