// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzz target: the photo metadata stripper (JPEG, PNG, WebP) and the EXIF Orientation reader, over any bytes.
// Input: one control byte (the slicing, and the format for bytes no sniffer recognises), then the file.
// Beyond "no crash, no read outside the input" (AddressSanitizer), it checks what the app relies on: the output
// does not depend on how the file was sliced, stripping the output again changes nothing, and a JPEG keeps the
// orientation it declared.
#include "core/attachments/AttachmentType.h"
#include "core/attachments/ExifOrientation.h"
#include "core/attachments/PhotoMetadata.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <QByteArray>
#include <QString>

using larch::ExifOrientation;

namespace {

std::optional<QByteArray> strip(const QString &mime, QByteArrayView file, qsizetype slice, ExifOrientation &read)
{
    larch::PhotoMetadataStripper stripper(mime);
    QByteArray out;
    bool ok = true;
    const qsizetype step = slice > 0 ? slice : qMax<qsizetype>(file.size(), 1);
    for (qsizetype at = 0; ok && at < file.size(); at += step)
        ok = stripper.feed(file.sliced(at, qMin(step, file.size() - at)), out);
    ok = ok && stripper.finish(out);
    read = stripper.orientation();
    if (!ok)
        return std::nullopt;
    return out;
}

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "fuzz_photo_metadata: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const quint8 control = data[0];
    const QByteArrayView file(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));

    (void)larch::readExifOrientation(file); // any bytes: never reads outside them

    // The format as the app tells it (by content); anything else goes to each parser in turn.
    static const QString Photos[] = {QStringLiteral("image/jpeg"), QStringLiteral("image/png"),
                                     QStringLiteral("image/webp")};
    const auto sniffed = larch::sniffAttachmentType(file.first(qMin<qsizetype>(file.size(), 64)));
    const QString mime = sniffed && sniffed->kind == QLatin1String("image") && larch::carriesMetadata(sniffed->mime)
        ? sniffed->mime
        : Photos[control % 3];

    ExifOrientation whole = ExifOrientation::None;
    ExifOrientation sliced = ExifOrientation::None;
    const auto out = strip(mime, file, 0, whole);
    if (strip(mime, file, 1 + control % 61, sliced) != out || sliced != whole)
        broken("the output depends on the slicing");
    if (!out)
        return 0;
    ExifOrientation again = ExifOrientation::None;
    if (strip(mime, *out, 0, again) != out)
        broken("stripping the output again changed it");
    if (mime == QLatin1String("image/jpeg") && larch::turnsPixels(whole) && again != whole)
        broken("a JPEG lost the orientation it declared");
    return 0;
}
