// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// CRC-32C, the checksum of every upload request: the published check values, the processor's instruction against
// the portable tables at every length and alignment, and pieces fed one after another.
#include "core/crypto/Crc32c.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace larch;

class TestCoreCrc32c : public QObject {
    Q_OBJECT
private slots:
    void knownValues()
    {
        // RFC 3720 (iSCSI), appendix B.4, and the catalogue's check value for "123456789".
        QCOMPARE(crc32c("123456789"), 0xE3069283u);
        QCOMPARE(crc32c(QByteArray(32, '\0')), 0x8A9136AAu);
        QCOMPARE(crc32c(QByteArray(32, '\xFF')), 0x62A8AB43u);
        QByteArray ascending(32, '\0');
        for (int i = 0; i < 32; ++i)
            ascending[i] = char(i);
        QCOMPARE(crc32c(ascending), 0x46DD794Eu);
        QCOMPARE(crc32c(QByteArray()), 0u);
        QCOMPARE(crc32cHex(0xE3069283u), QByteArray("e3069283"));
        QCOMPARE(crc32cHex(0x1u), QByteArray("00000001"));
    }

    void fastEqualsPortableAtEveryLengthAndAlignment()
    {
        QByteArray data(4096 + 16, '\0');
        QRandomGenerator random(7);
        for (char &c : data)
            c = char(random.bounded(256));
        for (int start = 0; start < 16; ++start) {
            for (int length : {0, 1, 7, 8, 9, 15, 63, 64, 65, 1000, 4095, 4096}) {
                const QByteArrayView piece = QByteArrayView(data).sliced(start, length);
                QCOMPARE(crc32c(piece), detail::crc32cPortable(piece, 0));
            }
        }
    }

    void piecesGiveTheWholeValue()
    {
        QByteArray data(200000, '\0');
        QRandomGenerator random(11);
        for (char &c : data)
            c = char(random.bounded(256));
        const quint32 whole = crc32c(data);
        for (qsizetype cut : {qsizetype(1), qsizetype(13), qsizetype(65536), data.size() - 1}) {
            const quint32 first = crc32c(QByteArrayView(data).first(cut));
            QCOMPARE(crc32c(QByteArrayView(data).sliced(cut), first), whole);
        }
        // One flipped bit anywhere changes the value.
        for (qsizetype at : {qsizetype(0), qsizetype(99999), data.size() - 1}) {
            QByteArray damaged = data;
            damaged[at] = char(damaged[at] ^ 0x10);
            QVERIFY(crc32c(damaged) != whole);
        }
    }
};

QTEST_APPLESS_MAIN(TestCoreCrc32c)
#include "tst_core_crc32c.moc"
