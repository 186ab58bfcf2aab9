// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/store/OutboxStore.h"

#include "client/store/LocalStore.h"
#include "core/crypto/Crypto.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace larch {

namespace {
// The file an entry sends and, once its upload is complete, the reference sealed with its text.
const char *const OutboxColumns = "client_id, conversation_id, body, created_at, state, failure_reason, envelope,"
                                  " attachment,"
                                  " (SELECT result FROM uploads WHERE uploads.client_id = outbox.client_id)";
} // namespace

OutboxStore::OutboxStore(LocalStore &local) : m_local(local), m_db(local.connection()) { }

OutboxEntry OutboxStore::outboxFrom(const QSqlQuery &q) const
{
    OutboxEntry e;
    e.clientId = q.value(0).toString();
    e.conversationId = q.value(1).toString();
    e.body = m_local.unseal("outbox", e.clientId, q.value(2).toByteArray());
    e.createdAt = q.value(3).toLongLong();
    e.state = q.value(4).toInt() == 1 ? OutboxEntry::State::Failed : OutboxEntry::State::Pending;
    e.failureReason = q.value(5).toString();
    const QString envelope = q.value(6).toString();
    if (!envelope.isEmpty())
        e.envelope = QJsonDocument::fromJson(envelope.toUtf8()).object();
    const QByteArray attachment = q.value(7).toByteArray();
    if (!attachment.isEmpty()) {
        if (const auto json = m_local.unsealBytes(OutboxAttachmentSealTable, e.clientId, attachment))
            e.attachment = PendingAttachment::fromJson(QJsonDocument::fromJson(*json).object());
        if (!e.attachment && e.state == OutboxEntry::State::Pending) {
            // A file this device can no longer read back (keys replaced) must not go out as a bare caption.
            e.state = OutboxEntry::State::Failed;
            e.failureReason = QStringLiteral("This attachment could not be read back on this device. Attach it again.");
        }
        const QByteArray result = q.value(8).toByteArray();
        if (!result.isEmpty()) {
            if (const auto json = m_local.unsealBytes(UploadResultSealTable, e.clientId, result))
                e.attachmentRef = AttachmentRef::fromJson(QJsonDocument::fromJson(*json).object());
        }
    }
    return e;
}

QString OutboxStore::draft(const QString &conversationId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT text FROM drafts WHERE conversation_id = ?"));
    q.addBindValue(conversationId);
    return q.exec() && q.next() ? m_local.unseal("drafts", conversationId, q.value(0).toByteArray()) : QString();
}

void OutboxStore::saveDraft(const QString &conversationId, const QString &draftText)
{
    QSqlQuery q(m_db);
    const QByteArray sealed = m_local.seal("drafts", conversationId, draftText);
    if (draftText.isEmpty() || sealed.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM drafts WHERE conversation_id = ?"));
        q.addBindValue(conversationId);
    } else {
        q.prepare(QStringLiteral("INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT(conversation_id) DO UPDATE SET text = excluded.text,"
                                 " updated_at = excluded.updated_at"));
        q.addBindValue(conversationId);
        q.addBindValue(sealed);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    }
    if (!q.exec())
        m_local.fail(QStringLiteral("saveDraft"), q);
}

OutboxEntry OutboxStore::enqueue(const QString &conversationId, const QString &body)
{
    OutboxEntry e;
    e.clientId = newId();
    e.conversationId = conversationId;
    e.body = body;
    e.createdAt = QDateTime::currentMSecsSinceEpoch();
    const QByteArray sealed = m_local.seal("outbox", e.clientId, body);
    if (sealed.isEmpty()) {
        // Without the storage key the text cannot be kept safely; it is not kept in the clear either.
        e.state = OutboxEntry::State::Failed;
        e.failureReason = QStringLiteral("This device's keys are not available, so the message could not be "
                                         "kept. Sign in again and resend it.");
        return e;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO outbox (client_id, conversation_id, body, created_at, state, failure_reason,"
                             " envelope) VALUES (?, ?, ?, ?, 0, '', '')"));
    q.addBindValue(e.clientId);
    q.addBindValue(e.conversationId);
    q.addBindValue(sealed);
    q.addBindValue(e.createdAt);
    if (!q.exec())
        m_local.fail(QStringLiteral("enqueue"), q);
    return e;
}

QList<OutboxEntry> OutboxStore::entries(const QString &conversationId) const
{
    QList<OutboxEntry> list;
    QSqlQuery q(m_db);
    if (conversationId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT %1 FROM outbox ORDER BY position").arg(QLatin1String(OutboxColumns)));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE conversation_id = ? ORDER BY position")
                      .arg(QLatin1String(OutboxColumns)));
        q.addBindValue(conversationId);
    }
    if (!q.exec())
        return list;
    while (q.next())
        list.append(outboxFrom(q));
    return list;
}

std::optional<OutboxEntry> OutboxStore::nextPending(const QSet<QString> &skip) const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM outbox WHERE state = 0 ORDER BY position")
                    .arg(QLatin1String(OutboxColumns))))
        return std::nullopt;
    while (q.next()) {
        OutboxEntry entry = outboxFrom(q);
        if (!skip.contains(entry.conversationId))
            return entry;
    }
    return std::nullopt;
}

std::optional<OutboxEntry> OutboxStore::entry(const QString &clientId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM outbox WHERE client_id = ?").arg(QLatin1String(OutboxColumns)));
    q.addBindValue(clientId);
    if (q.exec() && q.next())
        return outboxFrom(q);
    return std::nullopt;
}

void OutboxStore::setEnvelope(const QString &clientId, const QJsonObject &envelope)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE outbox SET envelope = ? WHERE client_id = ?"));
    q.addBindValue(QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact)));
    q.addBindValue(clientId);
    if (!q.exec())
        m_local.fail(QStringLiteral("setOutboxEnvelope"), q);
}

bool OutboxStore::remove(const QString &clientId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE client_id = ?"));
    q.addBindValue(clientId);
    const bool removed = q.exec() && q.numRowsAffected() > 0;
    removeUpload(clientId);
    return removed;
}

void OutboxStore::markFailed(const QString &clientId, const QString &reason)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE outbox SET state = 1, failure_reason = ? WHERE client_id = ?"));
    q.addBindValue(reason);
    q.addBindValue(clientId);
    if (!q.exec())
        m_local.fail(QStringLiteral("markFailed"), q);
}

} // namespace larch
