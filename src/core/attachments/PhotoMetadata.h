// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Removes what a photo says about where and on what it was taken (EXIF, GPS, XMP, comments) as it streams.
#pragma once

#include "core/attachments/MetadataStripper.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace larch {

/// A streaming filter for one photo file: feed it the file in any slicing and send what comes out.
/// JPEG: drops every APPn and COM segment wherever it appears (EXIF, XMP, IPTC, maker notes) except a genuine
/// APP0 JFIF, APP2 ICC colour profile and APP14 Adobe colour transform, and anything after EOI (appended images,
/// motion-photo videos); a JPEG without EOI is malformed. The first EXIF segment is replaced by one that holds
/// only its Orientation (when that is not upright), so every viewer still shows the photo as it was taken.
/// PNG: drops eXIf, tEXt, zTXt, iTXt and tIME chunks and anything after IEND (which must be there). WebP: EXIF
/// and XMP chunks become JUNK chunks of the same size with zeroed payload and the VP8X flags for them are
/// cleared, so the file keeps its size; anything after the RIFF is dropped. PNG and WebP photos lose their
/// orientation with their EXIF: orientation() tells it, and the app turns such a photo's pixels upright before
/// sending it. Other types pass through unchanged. The output is a function of the input alone, so running it
/// again over the same file gives the same bytes.
class PhotoMetadataStripper : public MetadataStripper {
public:
    /// mime as from sniffAttachmentType.
    explicit PhotoMetadataStripper(const QString &mime);

    /// Appends the filtered form of the next input bytes to out (it may hold some back until it knows more).
    /// Returns false when the file is malformed for its type; then nothing more comes out.
    bool feed(QByteArrayView in, QByteArray &out) override;
    /// The input ended: appends anything held back. False when the file ended inside a segment/chunk header.
    bool finish(QByteArray &out) override;
    /// Only when nothing is done: JPEG and PNG lose whole segments and chunks, WebP what follows its RIFF.
    bool keepsSize() const override { return m_format == Format::PassThrough; }
    /// The Orientation of the file's first EXIF structure (None before it is read, or without one). EXIF
    /// structures over MaxExifBytes are dropped unread.
    ExifOrientation orientation() const override { return m_orientation; }

    /// The largest EXIF structure read for its orientation (JPEG's own segments are at most 64 KiB).
    static constexpr qint64 MaxExifBytes = 1024 * 1024;

private:
    enum class Format { PassThrough, Jpeg, Png, Webp };
    /// Acts on the complete header now in m_held; false for a malformed file.
    bool step(QByteArray &out);
    bool stepJpeg(QByteArray &out);
    bool stepPng(QByteArray &out);
    bool stepWebp(QByteArray &out);
    /// Copies JPEG entropy-coded data up to the next marker.
    bool scanJpeg(QByteArrayView in, qsizetype &pos, QByteArray &out);
    /// Where the next WebP chunk header, or the end of the RIFF, is.
    bool nextWebpChunk();
    /// Reads the orientation from the first EXIF structure of the file (later ones are ignored).
    void readOrientation(QByteArrayView tiff);

    QString m_mime;
    Format m_format = Format::PassThrough;
    QByteArray m_held; ///< the header being gathered (a few dozen bytes, or a whole EXIF structure)
    qsizetype m_need = 0; ///< bytes m_held must reach before step()
    qint64 m_skip = 0; ///< input bytes to drop (a metadata segment or chunk)
    qint64 m_copy = 0; ///< input bytes to pass through unchanged
    qint64 m_zero = 0; ///< input bytes to replace by zeros (WebP metadata payloads)
    qint64 m_riffLeft = 0; ///< WebP bytes still inside the RIFF container
    int m_phase = 0;
    bool m_first = true; ///< no chunk read yet (PNG must start with IHDR, WebP with VP8/VP8L/VP8X)
    bool m_failed = false;
    bool m_exifRead = false; ///< the first EXIF structure was read; later ones are only dropped
    ExifOrientation m_orientation = ExifOrientation::None;
};

} // namespace larch
