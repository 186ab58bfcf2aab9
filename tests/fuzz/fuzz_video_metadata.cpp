// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the video metadata stripper (MP4 and QuickTime box trees), over any bytes.
// Input: one control byte (bits 0-1 the type: MP4, QuickTime, or one it leaves alone; the rest the slicing), then the
// file.
// Beyond "no crash, no read outside the input" it checks what the app relies on: the output does not depend on the
// slicing and is as long as the input; stripping it again changes nothing; a type it does not act on passes
// untouched; and in a file it accepts, walking the boxes as the docs describe them finds no udta, meta or XMP uuid box
// left at the top level or inside moov, trak, mdia and minf, and every byte outside those boxes as it was.
#include "core/attachments/VideoMetadata.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <QtEndian>

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_video_metadata: %s\n", what);
    std::abort();
}

std::optional<QByteArray> strip(const QString &mime, QByteArrayView file, qsizetype slice)
{
    larch::VideoMetadataStripper stripper(mime);
    QByteArray out;
    const qsizetype step = slice > 0 ? slice : qMax<qsizetype>(file.size(), 1);
    for (qsizetype at = 0; at < file.size(); at += step)
        if (!stripper.feed(file.sliced(at, qMin(step, file.size() - at)), out))
            return std::nullopt;
    if (!stripper.finish(out))
        return std::nullopt;
    return out;
}

const QByteArrayView XmpUuid("\xBE\x7A\xCF\xCB\x97\xA9\x42\xE8\x9C\x71\x99\x94\x91\xE3\xAF\xAC", 16);

bool isWalked(QByteArrayView type) { return type == "moov" || type == "trak" || type == "mdia" || type == "minf"; }

/// Walks the boxes of in between from and to (a container's content) beside out, independently of the stripper:
/// a metadata box must have become a free box of the same size with nothing in it, a walked container is walked,
/// and any other box must be unchanged.
void walk(QByteArrayView in, QByteArrayView out, qsizetype from, qsizetype to, int depth)
{
    qsizetype at = from;
    while (at < to) {
        if (to - at < 8)
            broken("an accepted file has a box header cut short");
        const quint32 size32 = qFromBigEndian<quint32>(in.data() + at);
        const QByteArrayView type = in.sliced(at + 4, 4);
        qsizetype header = 8;
        quint64 size = size32;
        if (size32 == 1) {
            if (to - at < 16)
                broken("an accepted file has a largesize cut short");
            size = qFromBigEndian<quint64>(in.data() + at + 8);
            header = 16;
        } else if (size32 == 0) {
            size = quint64(to - at); // to the end of the file (only at the top level)
        }
        if (type == "uuid")
            header += 16;
        if (size < quint64(header) || size > quint64(to - at))
            broken("an accepted file has a box that does not fit its parent");
        const qsizetype end = at + qsizetype(size);
        const bool xmp = type == "uuid" && in.sliced(at + header - 16, 16) == XmpUuid;
        if (type == "udta" || type == "meta" || xmp) {
            const qsizetype sizeFields = size32 == 1 ? 16 : 8;
            if (out.sliced(at, 4) != in.sliced(at, 4) || out.sliced(at + 4, 4) != "free"
                || out.sliced(at + 8, sizeFields - 8) != in.sliced(at + 8, sizeFields - 8))
                broken("a metadata box did not become a free box of the same size");
            for (qsizetype i = at + sizeFields; i < end; ++i)
                if (out[i] != '\0')
                    broken("a metadata box kept some of its content");
        } else if (isWalked(type) && depth < 8) {
            if (out.sliced(at, header) != in.sliced(at, header))
                broken("a container's header changed");
            walk(in, out, at + header, end, depth + 1);
        } else if (out.sliced(at, end - at) != in.sliced(at, end - at)) {
            broken("a box that holds no metadata changed");
        }
        at = end;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArrayView file(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    static const QString Types[] = {QStringLiteral("video/mp4"), QStringLiteral("video/quicktime"),
                                    QStringLiteral("video/webm"), QStringLiteral("video/mp4")};
    const QString &mime = Types[control & 3];

    const auto out = strip(mime, file, 0);
    if (strip(mime, file, 1 + (control >> 2)) != out)
        broken("the output depends on the slicing");
    if (!out)
        return 0;
    if (out->size() != file.size())
        broken("the output is not as long as the input");
    if (mime == QLatin1String("video/webm")) {
        if (*out != file)
            broken("a type the stripper does not act on was changed");
        return 0;
    }
    if (strip(mime, *out, 0) != out)
        broken("stripping the output again changed it");
    walk(file, *out, 0, file.size(), 0);
    return 0;
}
