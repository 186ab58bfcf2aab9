// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_attachment_type: the heads of tests/core's type tests (PDF, JPEG, PNG, GIF, WebP, HEIC and the HEIF
// brands, AVIF, MP4, MOV with and without ftyp, audio-only MPEG-4, WebM with a plain and a zero-padded DocType,
// Matroska) and the names of its name tests (paths, a right-to-left override, reserved characters, Windows device
// names, leading dots, a name far over the limit with an extension), once as UTF-8 and once as UTF-16.
#include "FuzzSeeds.h"

#include <QtEndian>

namespace {

QByteArray ftyp(const char *major, const QByteArray &compatible)
{
    QByteArray b(4, '\0');
    qToBigEndian(quint32(16 + compatible.size()), b.data());
    return b + "ftyp" + major + QByteArray(4, '\0') + compatible + QByteArray(24, '\x01');
}

} // namespace

QList<QByteArray> fuzzSeeds()
{
    const QByteArray webmHeader("\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08"
                                "\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02",
                                32);
    const QList<QByteArray> heads{
        "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
        QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01", 13),
        QByteArray("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16),
        "GIF89a\x01\x00\x01\x00",
        QByteArray("RIFF\x24\x00\x00\x00WEBPVP8X\x0A\x00\x00\x00", 20),
        ftyp("heic", "mif1heic"),
        ftyp("mif1", "mif1avifmiaf"),
        ftyp("isom", "isomiso2avc1mp41"),
        ftyp("qt  ", "qt  "),
        ftyp("M4A ", "M4A mp42isom"),
        QByteArray("\x00\x00\x00\x08wide\x00\x00\x10\x00mdat", 16),
        QByteArray("\x1A\x45\xDF\xA3\x9F", 5) + webmHeader + "\x18\x53\x80\x67",
        QByteArray("\x1A\x45\xDF\xA3\xA0", 5) + QByteArray(webmHeader).replace("\x84webm", QByteArray("\x85webm\0", 6)),
        QByteArray("\x1A\x45\xDF\xA3\xA3", 5) + QByteArray(webmHeader).replace("\x84webm", "\x88matroska"),
    };
    const QList<QString> names{
        QStringLiteral("lab results.pdf"),
        QStringLiteral("../../etc/passwd"),
        QStringLiteral("C:\\Users\\sam\\Pictures\\IMG_0001.JPG"),
        QStringLiteral("invoice\u202Egpj.exe"),
        QStringLiteral("a<b>c:d\"e|f?g*h.png"),
        QStringLiteral("CON.txt"),
        QStringLiteral("lpt9"),
        QStringLiteral("...hidden.."),
        QStringLiteral("  x-ray .jpg  "),
        QStringLiteral("r\u00E9sum\u00E9 \U0001F600.pdf"),
        QString(300, QLatin1Char('n')) + QStringLiteral(".pdf"),
        QString(199, QLatin1Char('n')) + QStringLiteral("\U0001F600.mp4"),
        QString(),
    };
    QList<QByteArray> seeds;
    for (const QByteArray &head : heads)
        seeds << QByteArray(1, '\0') + head;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const char type = char((i % 9) << 2);
        seeds << QByteArray(1, char(1 | type)) + names.at(i).toUtf8();
        seeds << QByteArray(1, char(3 | type))
                + QByteArray(reinterpret_cast<const char *>(names.at(i).utf16()), names.at(i).size() * 2);
    }
    return seeds;
}
