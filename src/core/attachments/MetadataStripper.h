// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What a photo or a video says about where and on what it was made, removed as the file streams.
#pragma once

#include "core/attachments/ExifOrientation.h"

#include <memory>
#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace larch {

/// A streaming filter over one file: feed it the file in any slicing and send what comes out. Its output is a
/// function of the input alone, so reading the file again from the start gives the same bytes, which is how an
/// upload measures the plaintext and skips to where it continues after a restart.
class MetadataStripper {
public:
    virtual ~MetadataStripper() = default;
    /// Appends the filtered form of the next input bytes to out. False when the file is malformed for its type.
    virtual bool feed(QByteArrayView in, QByteArray &out) = 0;
    /// The input ended: appends anything held back. False when the file ended where it may not.
    virtual bool finish(QByteArray &out) = 0;
    /// True when the output is always exactly as long as the input (boxes become free boxes of the same size).
    virtual bool keepsSize() const = 0;
    /// The EXIF orientation the file declared, once the stripper has read past it (photos; None otherwise).
    virtual ExifOrientation orientation() const { return ExifOrientation::None; }
};

/// True for the types whose files carry location, device or author metadata that Larch removes before sending:
/// JPEG, PNG and WebP photos; MP4 and QuickTime videos.
bool carriesMetadata(const QString &mime);
/// The stripper for mime (PhotoMetadataStripper or VideoMetadataStripper); null when carriesMetadata is false.
std::unique_ptr<MetadataStripper> metadataStripperFor(const QString &mime);

} // namespace larch
