// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// core_attachments: attachment encryption at every chunk edge, saved and restored mid-stream, and every kind of damage.
#include "tst_core_attachments.h"

void TestCoreAttachments::initTestCase() { QVERIFY(initCrypto()); }

void TestCoreAttachments::formatSizes()
{
    QCOMPARE(AttachmentFormat::chunkCount(0), 1);
    QCOMPARE(AttachmentFormat::chunkCount(1), 1);
    QCOMPARE(AttachmentFormat::chunkCount(Chunk), 1);
    QCOMPARE(AttachmentFormat::chunkCount(Chunk + 1), 2);
    QCOMPARE(AttachmentFormat::cipherSize(0), 24 + 17);
    QCOMPARE(AttachmentFormat::cipherSize(104857600), 24 + 104857600 + 1600 * 17);
}

void TestCoreAttachments::roundTrip_data()
{
    QTest::addColumn<qsizetype>("size");
    for (qsizetype n : {qsizetype(0), qsizetype(1), Chunk - 1, Chunk, Chunk + 1, 3 * Chunk + 5})
        QTest::addRow("%lld", qlonglong(n)) << n;
}

void TestCoreAttachments::roundTrip()
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

void TestCoreAttachments::pushRefusesWrongSizes()
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

void TestCoreAttachments::saveAndRestoreMidStream()
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

void TestCoreAttachments::restoreRefusesBadState()
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

void TestCoreAttachments::damagedBlobs()
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
    swapped.blob = e.blob.first(24) + e.blob.sliced(24 + cc, cc) + e.blob.sliced(24, cc) + e.blob.sliced(24 + 2 * cc);
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

QTEST_GUILESS_MAIN(TestCoreAttachments)
