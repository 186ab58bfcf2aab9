// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// core_attachments: types told by content whatever the name says, and file names made safe.
#include "tst_core_attachments.h"

void TestCoreAttachments::sniffHeaders_data()
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
            + QByteArray(webmHeader).replace(QByteArray("\x84webm"), QByteArray("\x85webm\0", 6)) + "\x18\x53\x80\x67"
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
    // The EBML magic then "mdat" also reads as a bare QuickTime atom of 0x1A45DFA3 bytes, and then "ftyp" as ISO base
    // media: such a file is Matroska, taken only when its DocType says webm, so that how much of the head is given
    // never turns one type into another (found by fuzz_attachment_type, crash-ebml-read-as-quicktime).
    QTest::newRow("ebml read as quicktime")
        << QByteArray("\x1A\x45\xDF\xA3mdat", 8) + QByteArray(56, '\0') << QString();
    QTest::newRow("ebml with ftyp") << QByteArray("\x1A\x45\xDF\xA3"
                                                  "ftypisom\x00\x00\x00\x00",
                                                  16)
                                    << QString();
}

void TestCoreAttachments::sniffHeaders()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, mime);
    const auto t = sniffAttachmentType(head);
    QCOMPARE(t ? t->mime : QString(), mime);
    if (t) {
        QCOMPARE(t->kind, mime == QLatin1String("application/pdf") ? QStringLiteral("pdf") : mime.section('/', 0, 0));
        QCOMPARE(sniffAttachmentType(QByteArrayView(head).first(qMin(head.size(), AttachmentSniffBytes))), t);
    }
}

void TestCoreAttachments::acceptedSentence()
{
    QCOMPARE(acceptedAttachmentTypes(),
             QStringLiteral("Larch takes PDFs, photos (JPEG, PNG, HEIC, WebP, GIF) and videos (MP4, MOV, WebM)."));
}

void TestCoreAttachments::sanitizeNames_data()
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
    // Format characters beyond the BMP, as one "_" each (found while writing fuzz_attachment_type's rules).
    QTest::newRow("tag characters") << QString::fromUtf8("report\U000E0001\U000E0041.pdf") << pdf << "report__.pdf";
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

void TestCoreAttachments::sanitizeNames()
{
    QFETCH(QString, name);
    QFETCH(QString, mime);
    QFETCH(QString, expected);
    QCOMPARE(sanitizeAttachmentName(name, {mime, QString()}), expected);
}

void TestCoreAttachments::sanitizeLongNamesKeepExtension()
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
    // What is left after shortening is checked like any name (found by fuzz_attachment_type): a replaced character
    // and dots is no name, and a device name made by shortening gets its '_'; sanitising again changes neither.
    const QString underscore = QStringLiteral("\x01") + QString(20, QLatin1Char(' ')) + QString(180, QLatin1Char('.'))
        + QStringLiteral("b") + QString(16, QLatin1Char('b'));
    QCOMPARE(sanitizeAttachmentName(underscore, pdf), QStringLiteral("attachment.pdf"));
    const QString device = QStringLiteral("COM1") + QString(250, QLatin1Char(' ')) + QStringLiteral("x.pdf");
    QCOMPARE(sanitizeAttachmentName(device, pdf), QStringLiteral("_COM1.pdf"));
    QCOMPARE(sanitizeAttachmentName(QStringLiteral("_COM1.pdf"), pdf), QStringLiteral("_COM1.pdf"));
}
