// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/AttachmentType.h"

#include "core/attachments/AttachmentRef.h"

#include <QHash>
#include <QStringList>
#include <QtEndian>

namespace larch {

namespace {

AttachmentType type(const char *mime, const char *kind)
{
    return {QString::fromLatin1(mime), QString::fromLatin1(kind)};
}

bool startsWith(QByteArrayView head, QByteArrayView magic)
{
    return head.size() >= magic.size() && head.first(magic.size()) == magic;
}

// ISO base media (MP4, MOV, HEIC): a first "ftyp" box names the major brand and the compatible ones.
std::optional<AttachmentType> sniffIsoBmff(QByteArrayView head)
{
    if (head.size() < 12 || head.sliced(4, 4) != "ftyp")
        return std::nullopt;
    const quint32 boxSize = qFromBigEndian<quint32>(head.data());
    if (boxSize < 16 && boxSize != 12)
        return std::nullopt;
    const QByteArrayView major = head.sliced(8, 4);
    QList<QByteArrayView> brands{major};
    // Compatible brands follow the minor version, as far as the box and the bytes we have reach.
    const qsizetype end = qMin<qsizetype>(head.size(), boxSize);
    for (qsizetype at = 16; at + 4 <= end; at += 4)
        brands.append(head.sliced(at, 4));

    const auto has = [&](std::initializer_list<const char *> names) {
        for (QByteArrayView b : brands)
            for (const char *n : names)
                if (b == QByteArrayView(n, 4))
                    return true;
        return false;
    };
    const auto isMajor = [&](std::initializer_list<const char *> names) {
        for (const char *n : names)
            if (major == QByteArrayView(n, 4))
                return true;
        return false;
    };
    // Audio-only MPEG-4 and AVIF stills are neither of the accepted kinds.
    if (isMajor({"M4A ", "M4B ", "M4P ", "avif", "avis", "crx "}))
        return std::nullopt;
    if (isMajor({"heic", "heix", "hevc", "hevx", "heim", "heis"}))
        return type("image/heic", "image");
    if (isMajor({"mif1", "msf1"})) {
        // The generic HEIF brands also start AVIF files; those name "avif" and no HEVC brand.
        if (has({"avif", "avis"}) && !has({"heic", "heix", "hevc", "hevx"}))
            return std::nullopt;
        return type("image/heic", "image");
    }
    if (isMajor({"qt  "}))
        return type("video/quicktime", "video");
    return type("video/mp4", "video");
}

// Older QuickTime files have no ftyp and start straight with one of these atoms.
std::optional<AttachmentType> sniffBareQuickTime(QByteArrayView head)
{
    if (head.size() < 8)
        return std::nullopt;
    const QByteArrayView atom = head.sliced(4, 4);
    if (atom != "moov" && atom != "mdat" && atom != "wide" && atom != "free")
        return std::nullopt;
    const quint32 size = qFromBigEndian<quint32>(head.data());
    if (size != 1 && size < 8) // 1 means a 64-bit size follows
        return std::nullopt;
    return type("video/quicktime", "video");
}

// One EBML variable-length integer at head[at]: its length in bytes and value (marker kept for ids).
bool readVint(QByteArrayView head, qsizetype &at, quint64 &value, bool keepMarker)
{
    if (at >= head.size())
        return false;
    const auto first = static_cast<unsigned char>(head[at]);
    int len = 1;
    while (len <= 8 && !(first & (0x80 >> (len - 1))))
        ++len;
    if (len > 8 || at + len > head.size())
        return false;
    value = keepMarker ? first : (first & (0xFF >> len));
    for (int i = 1; i < len; ++i)
        value = (value << 8) | static_cast<unsigned char>(head[at + i]);
    at += len;
    return true;
}

// WebM is Matroska whose EBML header says DocType "webm"; head starts with the EBML magic.
std::optional<AttachmentType> sniffWebm(QByteArrayView head)
{
    qsizetype at = 4; // past the EBML magic
    quint64 headerSize = 0;
    if (!readVint(head, at, headerSize, false))
        return std::nullopt;
    const qsizetype end = qMin<qint64>(head.size(), at + qint64(qMin<quint64>(headerSize, 1 << 20)));
    while (at < end) {
        quint64 id = 0;
        quint64 size = 0;
        // The two numbers may run past the header's end: nothing after them is inside it then.
        if (!readVint(head, at, id, true) || !readVint(head, at, size, false) || at > end || size > quint64(end - at))
            return std::nullopt;
        if (id == 0x4282) {
            // EBML strings may be padded with zero bytes (GStreamer's webmmux writes "webm\0").
            QByteArrayView docType = head.sliced(at, qsizetype(size));
            while (docType.endsWith('\0'))
                docType.chop(1);
            return docType == "webm" ? std::optional(type("video/webm", "video")) : std::nullopt;
        }
        at += qsizetype(size);
    }
    return std::nullopt;
}

QString extensionFor(const AttachmentType &t)
{
    static const QHash<QString, QString> ext{
        {QStringLiteral("application/pdf"), QStringLiteral(".pdf")},
        {QStringLiteral("image/jpeg"), QStringLiteral(".jpg")},
        {QStringLiteral("image/png"), QStringLiteral(".png")},
        {QStringLiteral("image/heic"), QStringLiteral(".heic")},
        {QStringLiteral("image/webp"), QStringLiteral(".webp")},
        {QStringLiteral("image/gif"), QStringLiteral(".gif")},
        {QStringLiteral("video/mp4"), QStringLiteral(".mp4")},
        {QStringLiteral("video/quicktime"), QStringLiteral(".mov")},
        {QStringLiteral("video/webm"), QStringLiteral(".webm")},
    };
    return ext.value(t.mime);
}

bool isUnsafeChar(char32_t c)
{
    static const QString reserved = QStringLiteral("<>:\"|?*");
    // Format characters include the right-to-left override that can disguise an extension ("gpj.exe"), and beyond
    // the BMP the invisible tag characters (U+E0001, U+E0020 to U+E007F).
    const auto category = QChar::category(c);
    return c < 0x20 || category == QChar::Other_Control || category == QChar::Other_Format
        || (c < 0x80 && reserved.contains(QChar(char16_t(c))));
}

/// s with each unsafe character, a pair of surrogates counting as one, replaced by "_".
QString withUnsafeCharsReplaced(const QString &s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const bool pair = s[i].isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate();
        const char32_t c = pair ? QChar::surrogateToUcs4(s[i], s[i + 1]) : s[i].unicode();
        if (isUnsafeChar(c))
            out += QLatin1Char('_');
        else
            out += QStringView(s).sliced(i, pair ? 2 : 1);
        i += pair ? 1 : 0;
    }
    return out;
}

bool isWindowsDeviceName(const QString &name)
{
    const QString stem = name.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    static const QStringList devices{QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                                     QStringLiteral("NUL")};
    if (devices.contains(stem))
        return true;
    return stem.size() == 4 && (stem.startsWith(QLatin1String("COM")) || stem.startsWith(QLatin1String("LPT")))
        && stem[3] >= QLatin1Char('1') && stem[3] <= QLatin1Char('9');
}

// Removes surrounding spaces and leading dots until neither is left; trailing dots too, which Windows drops.
QString trimName(QString s)
{
    for (;;) {
        const qsizetype before = s.size();
        s = s.trimmed();
        while (s.startsWith(QLatin1Char('.')))
            s.remove(0, 1);
        while (s.endsWith(QLatin1Char('.')))
            s.chop(1);
        if (s.size() == before)
            return s;
    }
}

} // namespace

std::optional<AttachmentType> sniffAttachmentType(QByteArrayView head)
{
    if (startsWith(head, "%PDF-"))
        return type("application/pdf", "pdf");
    if (startsWith(head, "\xFF\xD8\xFF"))
        return type("image/jpeg", "image");
    if (startsWith(head, "\x89PNG\r\n\x1A\n"))
        return type("image/png", "image");
    if (startsWith(head, "GIF87a") || startsWith(head, "GIF89a"))
        return type("image/gif", "image");
    if (head.size() >= 16 && startsWith(head, "RIFF") && head.sliced(8, 4) == "WEBP"
        && (head.sliced(12, 4) == "VP8 " || head.sliced(12, 4) == "VP8L" || head.sliced(12, 4) == "VP8X"))
        return type("image/webp", "image");
    // The EBML magic starts Matroska files only: one that is not WebM is refused, never read as ISO base media or as
    // a bare QuickTime file whose first atom has that size, or the type would depend on how much of the head came
    // (its DocType may lie past AttachmentSniffBytes).
    if (startsWith(head, "\x1A\x45\xDF\xA3"))
        return sniffWebm(head);
    if (auto t = sniffIsoBmff(head))
        return t;
    return sniffBareQuickTime(head);
}

QString acceptedAttachmentTypes()
{
    return QStringLiteral("Larch takes PDFs, photos (JPEG, PNG, HEIC, WebP, GIF) and videos (MP4, MOV, WebM).");
}

QString sanitizeAttachmentName(const QString &name, const AttachmentType &type)
{
    QString s = name;
    const qsizetype cut = qMax(s.lastIndexOf(QLatin1Char('/')), s.lastIndexOf(QLatin1Char('\\')));
    if (cut >= 0)
        s = s.sliced(cut + 1);
    s = trimName(withUnsafeCharsReplaced(s));
    if (isWindowsDeviceName(s))
        s.prepend(QLatin1Char('_'));

    if (s.size() > AttachmentRef::NameMax) {
        // Keep a short extension ("report.pdf" stays a PDF) and shorten the part before it.
        const qsizetype dot = s.lastIndexOf(QLatin1Char('.'));
        QString ext = dot > 0 && s.size() - dot <= 16 ? s.sliced(dot) : QString();
        qsizetype keep = AttachmentRef::NameMax - ext.size();
        if (keep > 0 && s[keep - 1].isHighSurrogate())
            --keep; // never split a character in two
        s = trimName(s.first(keep)) + ext;
        // What shortening leaves may be a device name ("COM1", spaces, "x.pdf" gives "COM1.pdf"), a short one, so
        // the '_' still fits.
        if (isWindowsDeviceName(s))
            s.prepend(QLatin1Char('_'));
    }
    // Checked on the name as it ends up: shortening may leave nothing but a replaced character.
    if (s.isEmpty() || s == QLatin1String("_"))
        return QStringLiteral("attachment") + extensionFor(type);
    return s;
}

} // namespace larch
