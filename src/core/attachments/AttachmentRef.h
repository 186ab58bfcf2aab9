// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What a secure message says about a file it carries: where the encrypted blob is, its key, and how to show it.
#pragma once

#include <optional>
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace larch {

/// One attachment as it travels inside the encrypted content of a message (docs/protocol.md, "Attachments").
/// The server sees none of this: it holds only the opaque blob named by blobId.
struct AttachmentRef {
    static constexpr qsizetype KeyBytes = 32;
    /// Largest thumbnail carried inline (JPEG bytes before base64).
    static constexpr qsizetype ThumbnailMax = 16 * 1024;
    static constexpr qsizetype NameMax = 200;

    QString blobId; ///< the server's blob (the upload id)
    QByteArray key; ///< 32-byte crypto_secretstream_xchacha20poly1305 key, random per file
    QByteArray blobSha256; ///< 32 bytes: SHA-256 of the whole blob as uploaded (header and encrypted chunks), so
        ///< the sender's signature covers the file's content and not only its key
    QByteArray sha256; ///< 32 bytes: SHA-256 of the plaintext, which apps sent before blobSha256; a message
        ///< carries at least one of the two
    qint64 size = 0; ///< plaintext bytes
    QString mime; ///< detected from the content: application/pdf, image/jpeg, video/mp4, …
    QString kind; ///< "image", "video" or "pdf"
    QString name; ///< sanitised file name, no path
    int width = 0; ///< pixels, images and videos; 0 when unknown
    int height = 0;
    qint64 durationMs = 0; ///< videos; 0 when unknown
    int pages = 0; ///< PDFs; 0 when unknown
    QByteArray thumbnail; ///< JPEG made on the sending device (images, first PDF page, video frame); may be empty

    /// Binary values in standard base64, hashes in hex; zero and empty optional fields are left out.
    QJsonObject toJson() const;
    /// nullopt for a missing or mistyped required field (blobId, key, size, mime, kind, name), neither blobSha256
    /// nor sha256, a key or hash of the wrong length, a size below 1, an unknown kind, a name that is empty, too
    /// long or holds a path separator, a width without a height or the reverse, or a thumbnail over ThumbnailMax.
    static std::optional<AttachmentRef> fromJson(const QJsonObject &o);

    bool operator==(const AttachmentRef &) const = default;
};

/// The plaintext of a format-2 message: text and attachments (MessageEnvelope::format).
struct MessageContent {
    static constexpr qsizetype AttachmentsMax = 4;

    QString text; ///< the caption or message; may be empty when there are attachments
    QList<AttachmentRef> attachments;

    /// {"text", "attachments": [...]} as compact JSON UTF-8.
    QByteArray toBytes() const;
    /// nullopt for bytes that are not such an object, a text over Limits::MessageBodyMax characters, more than
    /// AttachmentsMax attachments or any invalid attachment, or neither text nor attachments.
    static std::optional<MessageContent> fromBytes(const QByteArray &bytes);

    bool operator==(const MessageContent &) const = default;
};

} // namespace larch
