// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/attachments/AttachmentService.h"

#include "core/attachments/AttachmentCipher.h"
#include "core/crypto/Crc32c.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/Sha256.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <algorithm>
#include <QHash>
#include <QJsonValue>
#include <stdexcept>

namespace larch::server {
namespace {

/// The smallest blob: the secretstream header and one empty FINAL chunk (an empty file).
constexpr qint64 MinBlobBytes = AttachmentFormat::HeaderBytes + AttachmentFormat::ChunkOverheadBytes;

/// Uploads the sweep looks at per round; it loops until none are left.
constexpr int SweepBatch = 500;

RequestError notSecure()
{
    return {409, QStringLiteral("not_secure"),
            QStringLiteral("Attachments go only into secure (end-to-end encrypted) conversations.")};
}

} // namespace

AttachmentService::AttachmentService(Storage &storage, BlobStore &blobs, ConversationService &conversations,
                                     AttachmentSettings settings)
    : m_storage(storage), m_blobs(blobs), m_conversations(conversations), m_settings(settings)
{ }

bool AttachmentService::matches(QByteArrayView bytes, const BodyCheck &check, std::optional<quint32> crc)
{
    if (check.kind == BodyCheck::Kind::Crc32c)
        return crc32cHex(crc ? *crc : crc32c(bytes)) == check.hex;
    return sha256Hex(bytes) == check.hex;
}

QByteArray AttachmentService::sha256Hex(QByteArrayView bytes)
{
    const QByteArray digest = sha256(bytes);
    if (digest.isEmpty())
        throw std::runtime_error("SHA-256 failed");
    return digest.toHex();
}

std::mutex &AttachmentService::lockOf(const QString &uploadId) { return m_locks[qHash(uploadId) % m_locks.size()]; }

QJsonObject AttachmentService::limits() const
{
    return {{"attachmentMaxBytes", m_settings.attachmentMaxBytes}, {"uploadRequestMaxBytes", UploadRequestMaxBytes}};
}

qint64 AttachmentService::maxBlobBytes() const { return AttachmentFormat::cipherSize(m_settings.attachmentMaxBytes); }

qint64 AttachmentService::received(const UploadRecord &upload)
{
    if (upload.complete)
        return upload.size;
    // The row is raised after the file is written and lowered before the file is cut, so the file holds at least
    // what the row says after a crash of the process; after a power loss the file may be shorter (it is synced
    // only when complete).
    return std::min(upload.received, m_blobs.size(upload.id));
}

QJsonObject AttachmentService::statusJson(const UploadRecord &upload, qint64 received) const
{
    return {
        {"uploadId", upload.id},
        {"size", upload.size},
        {"received", received},
        {"complete", upload.complete},
        {"expiresAt",
         upload.complete ? QJsonValue(QJsonValue::Null) : QJsonValue(upload.updatedAt + m_settings.uploadExpiryMs)}};
}

UploadRecord AttachmentService::ownUpload(const User &caller, const QString &uploadId)
{
    const auto upload = isValidId(uploadId) ? m_storage.attachments().upload(uploadId) : std::nullopt;
    if (!upload || upload->uploaderId != caller.id)
        throw RequestError::notFound();
    return *upload;
}

QJsonObject AttachmentService::create(const User &caller, const QString &conversationId, qint64 size)
{
    // Who may do this is answered before what was asked is looked at: a non-member learns nothing.
    const ConversationRecord conversation = m_conversations.visible(caller, conversationId);
    if (conversation.kind != QLatin1String("secure"))
        throw notSecure();
    if (size < MinBlobBytes)
        throw RequestError(
            400, QStringLiteral("invalid_field"),
            QStringLiteral("size must be at least %1 bytes, the size of an encrypted empty file.").arg(MinBlobBytes));
    if (size > maxBlobBytes())
        throw RequestError(
            413, QStringLiteral("attachment_too_large"),
            QStringLiteral("Attachments may be at most %1 MB.").arg(m_settings.attachmentMaxBytes / (1024 * 1024)));
    UploadRecord upload;
    upload.id = newId();
    upload.conversationId = conversation.id;
    upload.practiceId = conversation.practiceId;
    upload.uploaderId = caller.id;
    upload.size = size;
    upload.createdAt = upload.updatedAt = nowMs();
    switch (m_storage.attachments().createUpload(upload, m_settings.practiceQuotaBytes, MaxOpenUploadsPerUploader)) {
    case UploadCreateResult::Created: break;
    case UploadCreateResult::TooManyUploads:
        throw RequestError(409, QStringLiteral("too_many_uploads"),
                           QStringLiteral("You have %1 attachments still uploading. Let one finish, or cancel one, "
                                          "before you add another.")
                               .arg(MaxOpenUploadsPerUploader));
    case UploadCreateResult::QuotaExceeded:
        throw RequestError(409, QStringLiteral("storage_quota_exceeded"),
                           QStringLiteral("The practice has used all of its storage for attachments. Ask the practice "
                                          "to contact Larch support."));
    }
    log::debug("upload created");
    return {{"uploadId", upload.id},
            {"size", upload.size},
            {"received", 0},
            {"expiresAt", upload.updatedAt + m_settings.uploadExpiryMs}};
}

QJsonObject AttachmentService::status(const User &caller, const QString &uploadId)
{
    std::lock_guard lock(lockOf(uploadId));
    const UploadRecord upload = ownUpload(caller, uploadId);
    return statusJson(upload, received(upload));
}

UploadPutResult AttachmentService::put(const User &caller, const QString &uploadId, qint64 offset, QByteArrayView body,
                                       const BodyCheck &check, std::optional<quint32> bodyCrc32c)
{
    if (body.size() > UploadRequestMaxBytes)
        throw RequestError(413, QStringLiteral("payload_too_large"),
                           QStringLiteral("Send at most %1 bytes per request.").arg(UploadRequestMaxBytes));
    // An empty PUT would store nothing yet keep an upload (and the quota it reserves) from expiring.
    if (body.isEmpty())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("Send at least one byte of the upload in the body."));
    // Checked before the lock: it is the slow part, and it needs nothing the lock guards.
    const bool intact = matches(body, check, bodyCrc32c);

    std::lock_guard lock(lockOf(uploadId));
    const UploadRecord upload = ownUpload(caller, uploadId);
    if (upload.complete)
        throw RequestError(409, QStringLiteral("complete"), QStringLiteral("This upload is complete already."));
    const qint64 held = received(upload);
    if (offset > held)
        return UploadPutResult{true, held, false};
    if (offset + body.size() > upload.size)
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("These bytes end at %1, past the upload's size of %2.")
                               .arg(offset + body.size())
                               .arg(upload.size));
    if (!intact)
        throw RequestError(
            422, QStringLiteral("chunk_corrupted"),
            QStringLiteral("The bytes arrived damaged (their %1 differs from %2); nothing was stored. "
                           "Send them again.")
                .arg(check.kind == BodyCheck::Kind::Crc32c ? QStringLiteral("CRC-32C") : QStringLiteral("SHA-256"),
                     check.kind == BodyCheck::Kind::Crc32c ? QStringLiteral("X-Content-CRC32C")
                                                           : QStringLiteral("X-Content-SHA256")));
    // A resend from further back: the row goes back to offset before the file is cut, so whenever the process
    // stops, the row never claims bytes the file does not hold.
    if (offset < upload.received && !m_storage.attachments().setUploadReceived(upload.id, offset, false, nowMs()))
        throw RequestError::notFound();
    const qint64 now = offset + body.size();
    const bool complete = now == upload.size;
    try {
        m_blobs.write(upload.id, offset, body);
        if (complete)
            m_blobs.seal(upload.id);
    } catch (const BlobStoreError &e) {
        if (!e.noSpace())
            throw;
        // Nothing of these bytes is kept (a failed write keeps only the cut; a failed sync is cut back here), so
        // the upload holds offset bytes, as the row says.
        try {
            m_blobs.write(upload.id, offset, {});
        } catch (const BlobStoreError &) { }
        log::warn(std::string("an upload was refused: ") + e.what());
        throw RequestError(507, QStringLiteral("insufficient_storage"),
                           QStringLiteral("The server has no room to store this attachment right now; nothing of these "
                                          "bytes was kept. Try again later."));
    }
    if (!m_storage.attachments().setUploadReceived(upload.id, now, complete, nowMs()))
        throw RequestError::notFound();
    if (complete)
        log::debug("upload complete");
    return UploadPutResult{false, now, complete};
}

void AttachmentService::cancel(const User &caller, const QString &uploadId)
{
    std::lock_guard lock(lockOf(uploadId));
    const auto found = isValidId(uploadId) ? m_storage.attachments().upload(uploadId) : std::nullopt;
    // The uploader, or an admin of the practice whose quota the blob fills (a patient's abandoned uploads too).
    if (!found || (found->uploaderId != caller.id && !(caller.isAdmin() && caller.practiceId == found->practiceId)))
        throw RequestError::notFound();
    const UploadRecord &upload = *found;
    // The row first: a crash between the two leaves a file without a row, which the sweep removes.
    m_storage.attachments().deleteUpload(upload.id);
    m_blobs.remove(upload.id);
    log::debug(upload.complete ? "blob deleted" : "upload cancelled");
}

QJsonObject AttachmentService::downloadToken(const Authenticated &caller, const QString &blobId)
{
    // The upload's lock: a DELETE of the blob finishes before or after, never between the look-up and the token.
    std::lock_guard lock(lockOf(blobId));
    const auto upload = isValidId(blobId) ? m_storage.attachments().upload(blobId) : std::nullopt;
    if (!upload)
        throw RequestError::notFound();
    m_conversations.visible(caller.user, upload->conversationId);
    if (!upload->complete)
        throw RequestError(409, QStringLiteral("incomplete"),
                           QStringLiteral("This attachment is still being uploaded."));
    const QString token = newToken();
    const qint64 expiresAt = nowMs() + m_settings.tokenLifetimeMs;
    if (!m_storage.attachments().putBlobToken(tokenDigest(token), upload->id, expiresAt, caller.sessionDigest))
        throw RequestError::notFound();
    m_audit.record(AuditLog::of(caller.user, caller.deviceId), QStringLiteral("download_link_issued"),
                   {upload->id, upload->conversationId});
    return {{"url", QStringLiteral("/v1/blobs/%1/content?token=%2").arg(upload->id, token)},
            {"expiresAt", expiresAt},
            {"size", upload->size}};
}

BlobContent AttachmentService::content(const QString &blobId, const QString &token)
{
    const RequestError invalid(403, QStringLiteral("invalid_token"),
                               QStringLiteral("This download link has expired or is not for this attachment; ask for a "
                                              "new one."));
    if (token.isEmpty() || token.size() > 128 || !isValidId(blobId))
        throw invalid;
    const auto record = m_storage.attachments().blobToken(tokenDigest(token));
    if (!record || record->uploadId != blobId || record->expiresAt <= nowMs())
        throw invalid;
    const auto upload = m_storage.attachments().upload(blobId);
    if (!upload || !upload->complete)
        throw invalid;
    // The link is the permission only while whoever asked for it still may: the session signed out or revoked,
    // its user deactivated, its device removed or its membership gone, the link opens nothing any more.
    const auto session =
        record->sessionDigest.isEmpty() ? std::nullopt : m_storage.accounts().session(record->sessionDigest);
    if (!session || session->revoked || session->deactivated || session->expiresAt <= nowMs()
        || session->deviceState == QLatin1String("revoked"))
        throw invalid;
    try {
        m_conversations.visible(session->user, upload->conversationId);
    } catch (const RequestError &) {
        throw invalid;
    }
    BlobContent out{m_blobs.filePath(blobId), upload->size};
    if (out.path.isEmpty() || m_blobs.size(blobId) != upload->size) {
        log::error("a complete blob's file is missing or has the wrong size");
        throw RequestError::notFound();
    }
    return out;
}

int AttachmentService::sweep()
{
    int removed = 0;
    const qint64 now = nowMs();
    const qint64 before = now - m_settings.uploadExpiryMs;
    for (;;) {
        const QStringList stale = m_storage.attachments().staleUploads(before, SweepBatch);
        int round = 0;
        for (const QString &id : stale) {
            std::lock_guard lock(lockOf(id));
            // Checked again under the lock: a write that came meanwhile keeps the upload.
            if (m_storage.attachments().deleteStaleUpload(id, before)) {
                m_blobs.remove(id);
                ++round;
            }
        }
        removed += round;
        if (stale.size() < SweepBatch || round == 0)
            break;
    }
    // Files without a row: a crash between deleting a row and its file. A row is written before its file and the
    // files are listed before the rows are asked for, so a file whose row is missing has no upload in progress.
    // One query per batch of files, and the global database lock only for that query.
    m_blobs.scan(SweepFileBatch, [&](const QStringList &ids) {
        for (const QString &id : m_storage.attachments().unknownUploads(ids)) {
            std::lock_guard lock(lockOf(id));
            m_blobs.remove(id);
            ++removed;
        }
    });
    m_storage.attachments().pruneBlobTokens(now);
    if (removed > 0)
        log::info("attachment sweep removed " + std::to_string(removed) + " abandoned upload(s)");
    return removed;
}

} // namespace larch::server
