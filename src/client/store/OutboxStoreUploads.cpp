// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// OutboxStore: attachments on their way: the outbox entry that carries a file, and where its upload stands.
#include "client/store/OutboxStore.h"

#include "client/store/LocalStore.h"
#include "core/crypto/Crypto.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

OutboxEntry OutboxStore::enqueueAttachment(const QString &conversationId, const QString &caption,
                                           const PendingAttachment &file)
{
    OutboxEntry e;
    e.clientId = newId();
    e.conversationId = conversationId;
    e.body = caption;
    e.createdAt = QDateTime::currentMSecsSinceEpoch();
    e.attachment = file;
    const QByteArray sealedBody = m_local.seal("outbox", e.clientId, caption);
    const QByteArray sealedFile = m_local.sealBytes(OutboxAttachmentSealTable, e.clientId,
                                                    QJsonDocument(file.toJson()).toJson(QJsonDocument::Compact));
    if (sealedBody.isEmpty() || sealedFile.isEmpty()) {
        // Without the storage key neither the caption nor where the file is may be kept in the clear.
        e.state = OutboxEntry::State::Failed;
        e.failureReason = QStringLiteral("This device's keys are not available, so the attachment could not be "
                                         "kept. Sign in again and attach it again.");
        return e;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO outbox (client_id, conversation_id, body, created_at, state, failure_reason,"
                             " envelope, attachment) VALUES (?, ?, ?, ?, 0, '', '', ?)"));
    q.addBindValue(e.clientId);
    q.addBindValue(e.conversationId);
    q.addBindValue(sealedBody);
    q.addBindValue(e.createdAt);
    q.addBindValue(sealedFile);
    if (!q.exec()) {
        m_local.fail(QStringLiteral("enqueueAttachment"), q);
        e.state = OutboxEntry::State::Failed;
        e.failureReason = QStringLiteral("This file could not be saved on this device, so it was not sent. Free "
                                         "some space on the device, then send it again.");
    }
    return e;
}

std::optional<UploadRecord> OutboxStore::upload(const QString &clientId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT upload_id, acked_bytes, encryptor, result, blob_hash FROM uploads"
                             " WHERE client_id = ?"));
    q.addBindValue(clientId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    UploadRecord r;
    r.clientId = clientId;
    r.uploadId = q.value(0).toString();
    r.ackedBytes = q.value(1).toLongLong();
    const QByteArray encryptor = q.value(2).toByteArray();
    if (!encryptor.isEmpty()) {
        auto state = m_local.unsealBytes(UploadEncryptorSealTable, clientId, encryptor);
        if (!state)
            return std::nullopt; // unreadable (keys replaced): the upload starts over
        r.encryptor = SecretBytes(std::move(*state));
    }
    const QByteArray result = q.value(3).toByteArray();
    if (!result.isEmpty()) {
        if (const auto json = m_local.unsealBytes(UploadResultSealTable, clientId, result))
            r.result = AttachmentRef::fromJson(QJsonDocument::fromJson(*json).object());
        if (!r.result)
            return std::nullopt;
    }
    r.blobHash = q.value(4).toByteArray();
    return r;
}

bool OutboxStore::saveUpload(const UploadRecord &record)
{
    const QByteArray encryptor = record.encryptor.isEmpty()
        ? QByteArray("")
        : m_local.sealBytes(UploadEncryptorSealTable, record.clientId, record.encryptor.bytes());
    QByteArray result("");
    if (record.result) {
        QByteArray json = QJsonDocument(record.result->toJson()).toJson(QJsonDocument::Compact);
        result = m_local.sealBytes(UploadResultSealTable, record.clientId, json);
        SecretBytes::wipe(json); // it holds the file's key
    }
    if ((!record.encryptor.isEmpty() && encryptor.isEmpty()) || (record.result && result.isEmpty()))
        return false; // no storage key: nothing secret is written
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO uploads (client_id, upload_id, acked_bytes, encryptor, result, blob_hash,"
                             " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(client_id) DO UPDATE SET"
                             " upload_id = excluded.upload_id, acked_bytes = excluded.acked_bytes,"
                             " encryptor = excluded.encryptor, result = excluded.result,"
                             " blob_hash = excluded.blob_hash, updated_at = excluded.updated_at"));
    q.addBindValue(record.clientId);
    q.addBindValue(record.uploadId.isNull() ? QStringLiteral("") : record.uploadId);
    q.addBindValue(record.ackedBytes);
    q.addBindValue(encryptor);
    q.addBindValue(result);
    q.addBindValue(record.blobHash.isNull() ? QByteArray("") : record.blobHash);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        m_local.fail(QStringLiteral("saveUpload"), q);
        return false;
    }
    return true;
}

bool OutboxStore::removeUpload(const QString &clientId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM uploads WHERE client_id = ?"));
    q.addBindValue(clientId);
    return q.exec() && q.numRowsAffected() > 0;
}

} // namespace larch
