// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/attachments/MetadataStripper.h"

#include "core/attachments/PhotoMetadata.h"
#include "core/attachments/VideoMetadata.h"

namespace larch {

namespace {

bool isPhotoWithMetadata(const QString &mime)
{
    return mime == QLatin1String("image/jpeg") || mime == QLatin1String("image/png")
        || mime == QLatin1String("image/webp");
}

bool isVideoWithMetadata(const QString &mime)
{
    return mime == QLatin1String("video/mp4") || mime == QLatin1String("video/quicktime");
}

} // namespace

bool carriesMetadata(const QString &mime) { return isPhotoWithMetadata(mime) || isVideoWithMetadata(mime); }

std::unique_ptr<MetadataStripper> metadataStripperFor(const QString &mime)
{
    if (isPhotoWithMetadata(mime))
        return std::make_unique<PhotoMetadataStripper>(mime);
    if (isVideoWithMetadata(mime))
        return std::make_unique<VideoMetadataStripper>(mime);
    return nullptr;
}

} // namespace larch
