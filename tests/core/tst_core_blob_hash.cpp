// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The blob hash that binds an attachment's content to the sender's signature: Sha256Stream fed in pieces, saved and
// restored mid-way, against one-shot SHA-256; and AttachmentDecryptor refusing a different blob made with the same
// key (which secretstream's own authentication cannot tell apart).
#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/Sha256.h"
#include "TestBytes.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QtTest>

using namespace larch;
using Status = AttachmentDecryptor::Status;

namespace {

constexpr qsizetype Chunk = AttachmentFormat::ChunkPlainBytes;

using testbytes::randomBytes;

QByteArray referenceSha256(const QByteArray &b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256); }

/// The whole blob of plain, encrypted by enc from where it stands.
QByteArray encryptRest(AttachmentEncryptor &enc, const QByteArray &plain)
{
    QByteArray blob = enc.chunksDone() == 0 ? enc.header() : QByteArray();
    for (qsizetype at = enc.plainBytesDone();;) {
        const qsizetype n = qMin(Chunk, plain.size() - at);
        const bool last = at + n == plain.size();
        blob += enc.push(QByteArrayView(plain).sliced(at, n), last);
        at += n;
        if (last)
            return blob;
    }
}

Status decrypt(const SecretBytes &key, const QByteArray &blob, qint64 size, const QByteArray &blobSha256,
               QByteArray *plain = nullptr)
{
    AttachmentDecryptor dec(key, size, QByteArray(), blobSha256);
    QByteArray out;
    // Odd slices, so the hash sees the blob cut anywhere.
    for (qsizetype at = 0; at < blob.size(); at += 7777)
        dec.feed(QByteArrayView(blob).sliced(at, qMin<qsizetype>(7777, blob.size() - at)), out);
    if (plain)
        *plain = out;
    return dec.finish();
}

} // namespace

class TestCoreBlobHash : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void streamEqualsOneShotAcrossSaveAndRestore()
    {
        const QByteArray data = randomBytes(300001, 3);
        QCOMPARE(Sha256Stream().digest(), referenceSha256(QByteArray()));
        QCOMPARE(sha256(data), referenceSha256(data));
        for (qsizetype cut :
             {qsizetype(0), qsizetype(1), qsizetype(63), qsizetype(64), qsizetype(65), qsizetype(100000)}) {
            Sha256Stream first;
            first.update(QByteArrayView(data).first(cut));
            QCOMPARE(first.bytesHashed(), qint64(cut));
            QCOMPARE(first.digest(), referenceSha256(data.first(cut))); // digest() leaves the stream going on
            auto second = Sha256Stream::restore(first.saveState());
            QVERIFY(second);
            QCOMPARE(second->bytesHashed(), qint64(cut));
            second->update(QByteArrayView(data).sliced(cut));
            QCOMPARE(second->digest(), referenceSha256(data));
        }
    }

    void restoreRefusesBadState()
    {
        Sha256Stream s;
        s.update("some bytes of a blob");
        const QByteArray good = s.saveState();
        QVERIFY(Sha256Stream::restore(good));
        QVERIFY(!Sha256Stream::restore(QByteArray()));
        QVERIFY(!Sha256Stream::restore(good.chopped(1)));
        QVERIFY(!Sha256Stream::restore(good + 'x'));
        QByteArray wrongVersion = good;
        wrongVersion[0] = char(2);
        QVERIFY(!Sha256Stream::restore(wrongVersion));
        QVERIFY(!Sha256Stream::restore(QByteArray(good.size(), '\x7f')));
    }

    void anotherBlobUnderTheSameKeyIsRefused()
    {
        const QByteArray plain = randomBytes(3 * Chunk + 500, 5);
        AttachmentEncryptor enc;
        const SecretBytes start = enc.saveState();
        const QByteArray blob = encryptRest(enc, plain);
        const QByteArray blobSha256 = sha256(blob);

        QByteArray out;
        QCOMPARE(decrypt(enc.key(), blob, plain.size(), blobSha256, &out), Status::Done);
        QCOMPARE(out, plain);

        // Whoever holds the key (any member of the conversation) can make another valid stream of the same size.
        auto forger = AttachmentEncryptor::restore(start);
        QVERIFY(forger);
        QByteArray other = plain;
        other[10] = char(other[10] ^ 0x01);
        const QByteArray forged = encryptRest(*forger, other);
        QCOMPARE(forged.size(), blob.size());
        QCOMPARE(decrypt(enc.key(), forged, plain.size(), QByteArray()), Status::Done); // the stream alone: fine
        QCOMPARE(decrypt(enc.key(), forged, plain.size(), blobSha256), Status::Damaged); // the signed hash: no

        // Damage is refused either way, and a hash of the wrong length is refused at once.
        QByteArray damaged = blob;
        damaged[30] = char(damaged[30] ^ 0x01);
        QCOMPARE(decrypt(enc.key(), damaged, plain.size(), blobSha256), Status::Damaged);
        QCOMPARE(decrypt(enc.key(), blob, plain.size(), blobSha256.left(16)), Status::Damaged);
    }
};

QTEST_APPLESS_MAIN(TestCoreBlobHash)
#include "tst_core_blob_hash.moc"
