// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// How a photo's pixels must be turned to show it as it was taken: the EXIF Orientation tag, read and written.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace larch {

/// EXIF Orientation (TIFF tag 0x0112): how the stored rows and columns map to what the camera saw.
/// 1 is upright; 2–8 mirror and/or turn (6 is "turn 90° clockwise to show", the way most phones store a portrait
/// photo). None means the file says nothing, which shows it as stored.
enum class ExifOrientation : int {
    None = 0,
    Upright = 1,
    Mirrored = 2,
    Rotated180 = 3,
    Flipped = 4,
    Transposed = 5,
    Rotated90 = 6,
    Transversed = 7,
    Rotated270 = 8,
};

/// The Orientation in IFD0 of a TIFF structure as EXIF carries it (starting at "II*\0" or "MM\0*"): JPEG's APP1
/// after "Exif\0\0", PNG's eXIf chunk, WebP's EXIF chunk. None when absent, out of range or the structure is
/// malformed; never reads outside `tiff`.
ExifOrientation readExifOrientation(QByteArrayView tiff);

/// A TIFF structure holding nothing but IFD0 with that one Orientation entry (26 bytes, big-endian): what a photo
/// keeps of its EXIF so that every viewer still turns it upright.
QByteArray exifWithOnlyOrientation(ExifOrientation orientation);

/// True for 2–8: the pixels are not stored as they are shown.
inline bool turnsPixels(ExifOrientation orientation) { return int(orientation) >= 2 && int(orientation) <= 8; }

} // namespace larch
