// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: attachment type detection and file names: sniffAttachmentType over a file's head (as much as the
// compose bar reads, 4 KiB) and sanitizeAttachmentName over any name (what a sender's file system or another
// device's message gives), with metadataStripperFor for the type found.
// Input: one control byte, then the bytes. An even control byte sniffs them as a file's head; an odd one reads them
// as a name (UTF-8, or raw UTF-16 when bit 1 is set, so lone surrogates come too) for the type that bits 2-5 pick.
// Beyond "no crash, no read outside the input" it checks: a type found is one Larch lists, of the right kind, and has
// a stripper exactly when it carries metadata; the sniffer decides from the head alone (more bytes after
// AttachmentSniffBytes never turn a type into another); a sanitised name is non-empty, at most NameMax characters, has
// no path separator, control, format or reserved character, no leading dot, no surrounding space, is no Windows
// device name, is valid UTF-16 when the name was, and sanitising it again changes nothing.
#include "core/attachments/AttachmentRef.h"
#include "core/attachments/AttachmentType.h"
#include "core/attachments/MetadataStripper.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>

using larch::AttachmentType;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_attachment_type: %s\n", what);
    std::abort();
}

const AttachmentType Types[] = {
    {QStringLiteral("application/pdf"), QStringLiteral("pdf")},
    {QStringLiteral("image/jpeg"), QStringLiteral("image")},
    {QStringLiteral("image/png"), QStringLiteral("image")},
    {QStringLiteral("image/heic"), QStringLiteral("image")},
    {QStringLiteral("image/webp"), QStringLiteral("image")},
    {QStringLiteral("image/gif"), QStringLiteral("image")},
    {QStringLiteral("video/mp4"), QStringLiteral("video")},
    {QStringLiteral("video/quicktime"), QStringLiteral("video")},
    {QStringLiteral("video/webm"), QStringLiteral("video")},
};

void sniff(QByteArrayView file)
{
    const QByteArrayView head = file.first(qMin<qsizetype>(file.size(), 4096));
    const auto type = larch::sniffAttachmentType(head);
    const auto shortType = larch::sniffAttachmentType(head.first(qMin(head.size(), larch::AttachmentSniffBytes)));
    if (type && shortType && *type != *shortType)
        broken("bytes past AttachmentSniffBytes changed the type found");
    if (!type)
        return;
    if (std::find(std::begin(Types), std::end(Types), *type) == std::end(Types))
        broken("a type found is not one Larch lists, or has the wrong kind");
    if ((larch::metadataStripperFor(type->mime) != nullptr) != larch::carriesMetadata(type->mime))
        broken("a type has a stripper without carrying metadata, or the reverse");
}

bool isDeviceName(const QString &name)
{
    const QString stem = name.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    if (stem == QLatin1String("CON") || stem == QLatin1String("PRN") || stem == QLatin1String("AUX")
        || stem == QLatin1String("NUL"))
        return true;
    return stem.size() == 4 && (stem.startsWith(QLatin1String("COM")) || stem.startsWith(QLatin1String("LPT")))
        && stem[3] >= QLatin1Char('1') && stem[3] <= QLatin1Char('9');
}

void name(const QString &given, const AttachmentType &type)
{
    const QString s = larch::sanitizeAttachmentName(given, type);
    if (s.isEmpty() || s.size() > larch::AttachmentRef::NameMax)
        broken("a sanitised name is empty or longer than NameMax");
    if (s.startsWith(QLatin1Char('.')) || s != s.trimmed())
        broken("a sanitised name starts with a dot or has surrounding space");
    for (const char32_t c : s.toUcs4()) {
        const auto category = QChar::category(c);
        if (c < 0x20 || category == QChar::Other_Control || category == QChar::Other_Format
            || (c < 0x80 && std::strchr("/\\<>:\"|?*", int(c))))
            broken("a sanitised name holds a separator, control, format or reserved character");
    }
    if (isDeviceName(s))
        broken("a sanitised name is a Windows device name");
    if (QStringView(given).isValidUtf16() && !QStringView(s).isValidUtf16())
        broken("sanitising split a character in two");
    if (larch::sanitizeAttachmentName(s, type) != s)
        broken("sanitising a sanitised name changed it");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArrayView bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    if (!(control & 1)) {
        sniff(bytes);
        return 0;
    }
    QString given;
    if (control & 2) {
        given = QString(bytes.size() / 2, Qt::Uninitialized); // the bytes as they are: any UTF-16, lone surrogates too
        std::memcpy(given.data(), bytes.data(), size_t(given.size()) * 2);
    } else {
        given = QString::fromUtf8(bytes);
    }
    name(given, Types[(control >> 2) % std::size(Types)]);
    return 0;
}
