// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_photo_metadata: JPEG, PNG and WebP photos carrying EXIF (GPS, make, every orientation), XMP,
// comments and trailing bytes, from the tests' own photo helpers.
#include "FuzzSeeds.h"
#include "OrientedPhotos.h"

QList<QByteArray> fuzzSeeds()
{
    namespace img = testimages;
    QList<QByteArray> files{img::jpegWithMetadata(), img::pngWithMetadata(), img::webpWithMetadata(),
                            img::progressiveJpeg(), img::jpegWithMetadata() + img::Canary};
    for (int n = 1; n <= 8; n += 3) {
        files << img::orientedJpeg(n) << img::orientedPng(n) << img::orientedWebp(n);
    }
    QList<QByteArray> seeds;
    for (int i = 0; i < files.size(); ++i)
        seeds << QByteArray(1, char(i * 7)) + files.at(i);
    return seeds;
}
