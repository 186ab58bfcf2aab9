// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_video_metadata: box trees shaped like the files of tests/core's video tests (an iPhone-style moov
// with keys and a location, Android's ©xyz in udta at every walked level, XMP and other uuid boxes, 64-bit sizes, an
// mdat that runs to the end of the file, a QuickTime file without ftyp) and a WebM header, which passes untouched.
#include "FuzzSeeds.h"

#include <QtEndian>

namespace {

QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    qToBigEndian(v, b.data());
    return b;
}

QByteArray be64(quint64 v)
{
    QByteArray b(8, '\0');
    qToBigEndian(v, b.data());
    return b;
}

QByteArray box(const char *type, const QByteArray &payload)
{
    return be32(quint32(8 + payload.size())) + type + payload;
}

QByteArray largeBox(const char *type, const QByteArray &payload)
{
    return be32(1) + type + be64(quint64(16 + payload.size())) + payload;
}

QByteArray filler(qsizetype n, char seed)
{
    QByteArray b(n, '\0');
    for (qsizetype i = 0; i < n; ++i)
        b[i] = char(seed + i * 7);
    return b;
}

} // namespace

QList<QByteArray> fuzzSeeds()
{
    const QByteArray ftyp = box("ftyp", QByteArray("isom") + be32(0x200) + "isomiso2mp41");
    const QByteArray qtFtyp = box("ftyp", QByteArray("qt  ") + be32(0x200) + "qt  ");
    const QByteArray mvhd = box("mvhd", filler(100, 1));
    const QByteArray tkhd = box("tkhd", filler(84, 2));
    const QByteArray stbl = box("stbl", box("stco", filler(12, 3)));
    const QByteArray meta = box("meta",
                                box("hdlr", filler(25, 4)) + box("keys", "com.apple.quicktime.location.ISO6709")
                                    + box("ilst", "+38.7223-009.1393+012.000/"));
    const QByteArray udta = box("udta", box("\xA9xyz", "+40.7128-074.0060/") + box("\xA9mak", "Google"));
    const QByteArray xmp = box("uuid",
                               QByteArray::fromHex("BE7ACFCB97A942E89C71999491E3AFAC")
                                   + "<x:xmpmeta><tiff:Model>Pixel 8</tiff:Model></x:xmpmeta>");
    const QByteArray otherUuid = box("uuid", QByteArray::fromHex("0123456789ABCDEF0123456789ABCDEF") + filler(20, 5));
    const QByteArray mdat = box("mdat", filler(300, 8));
    const QByteArray minf = box("minf", box("vmhd", filler(12, 9)) + meta + stbl);
    const QByteArray mdia = box("mdia", box("mdhd", filler(24, 10)) + udta + minf);
    const QByteArray trak = box("trak", tkhd + mdia + meta);

    const QList<QByteArray> files{
        ftyp + box("moov", mvhd + meta + trak) + mdat,
        ftyp + box("moov", mvhd + udta + trak + meta) + udta + mdat,
        ftyp + otherUuid + xmp + box("moov", mvhd + xmp + otherUuid) + mdat,
        ftyp + largeBox("moov", mvhd + largeBox("meta", filler(40, 12))) + largeBox("mdat", filler(200, 13)),
        qtFtyp + box("wide", {}) + box("moov", mvhd + udta + trak) + be32(0) + "mdat" + filler(100, 14),
        box("moov", mvhd + udta) + mdat, // QuickTime without ftyp
        ftyp + box("moov", mvhd + box("trak", box("mdia", box("minf", box("minf", udta))))) + mdat,
        ftyp + be32(0) + "udta" + filler(30, 15), // metadata running to the end of the file
        QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", 16),
    };
    QList<QByteArray> seeds;
    for (qsizetype i = 0; i < files.size(); ++i)
        seeds << QByteArray(1, char((i % 2) | (i * 8))) + files.at(i);
    seeds << QByteArray(1, '\x02') + files.last(); // the WebM as a type the stripper leaves alone
    return seeds;
}
