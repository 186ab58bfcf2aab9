// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/sync/Outbox.h"

#include "client/attachments/AttachmentUpload.h"
#include "client/net/ApiClient.h"
#include "client/net/EventStream.h"
#include "core/crypto/Crypto.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>

namespace larch {

Outbox::Outbox(LocalStore *store, ApiClient *api, QObject *parent) : QObject(parent), m_store(store), m_api(api)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::sendNext);
}

OutboxEntry Outbox::enqueue(const QString &conversationId, const QString &body)
{
    const OutboxEntry entry = m_store->outbox().enqueue(conversationId, body);
    emit pending(entry);
    if (entry.state == OutboxEntry::State::Failed) {
        emit failed(entry.clientId, entry.failureReason);
        return entry;
    }
    if (!m_retryTimer.isActive())
        sendNext();
    return entry;
}

OutboxEntry Outbox::enqueueAttachment(const QString &conversationId, const QString &caption,
                                      const PendingAttachment &file)
{
    const QString kind = m_store->conversations().kind(conversationId);
    if (kind == QLatin1String("sms") || kind == QLatin1String("email")) {
        // A file would have to travel unencrypted; the app does not offer it, and it is refused here too.
        OutboxEntry refused;
        refused.clientId = newId();
        refused.conversationId = conversationId;
        refused.body = caption;
        refused.createdAt = QDateTime::currentMSecsSinceEpoch();
        refused.attachment = file;
        refused.state = OutboxEntry::State::Failed;
        refused.failureReason = AttachmentUpload::notSecureText();
        return refused;
    }
    const OutboxEntry entry = m_store->outbox().enqueueAttachment(conversationId, caption, file);
    if (entry.state == OutboxEntry::State::Failed)
        return entry; // not stored, so not announced: the caller keeps the file and says why
    emit pending(entry);
    if (!m_retryTimer.isActive())
        sendNext();
    return entry;
}

bool Outbox::cancel(const QString &clientId)
{
    const auto entry = m_store->outbox().entry(clientId);
    if (!entry || !entry->envelope.isEmpty())
        return false;
    if (m_upload && m_upload->clientId() == clientId) {
        m_upload->cancel();
        dropUpload();
    } else if (entry->attachment) {
        // Not running now: what the server and this device keep for it goes all the same.
        const auto record = m_store->outbox().upload(clientId);
        if (record && !record->uploadId.isEmpty())
            m_api->cancelUpload(record->uploadId, m_api, [](const ApiResult &) {});
        if (entry->attachment->ownsSource)
            QFile::remove(entry->attachment->sourcePath);
    }
    m_store->outbox().remove(clientId);
    emit cancelled(clientId);
    sendNext();
    return true;
}

void Outbox::dropUpload()
{
    if (m_upload) {
        m_upload->disconnect(this);
        m_upload->deleteLater();
        m_upload = nullptr;
    }
    if (m_uploading) {
        m_uploading = false;
        m_inFlight = false;
    }
}

void Outbox::upload(const OutboxEntry &entry)
{
    m_inFlight = true;
    m_uploading = true;
    if (m_upload && m_upload->clientId() != entry.clientId) {
        m_upload->stop();
        m_upload->disconnect(this);
        m_upload->deleteLater();
        m_upload = nullptr;
    }
    if (!m_upload) {
        const QString clientId = entry.clientId;
        m_upload = new AttachmentUpload(m_store, m_api, clientId, entry.conversationId, *entry.attachment, this);
        connect(m_upload, &AttachmentUpload::progress, this,
                [this, clientId](qint64 done, qint64 total) { emit uploadProgress(clientId, done, total); });
        connect(m_upload, &AttachmentUpload::finished, this, [this] {
            // The reference is stored with the upload; the entry now reads back with it and is sealed.
            dropUpload();
            sendNext();
        });
        connect(m_upload, &AttachmentUpload::failed, this, [this, clientId](const QString &sentence) {
            dropUpload();
            if (m_store->outbox().entry(clientId)) {
                m_store->outbox().markFailed(clientId, sentence);
                emit failed(clientId, sentence);
            }
            sendNext();
        });
        if (m_uploadHook)
            m_uploadHook(*m_upload);
    }
    m_upload->start();
}

void Outbox::setHeld(const QSet<QString> &conversationIds)
{
    const bool released = !(m_held - conversationIds).isEmpty();
    m_held = conversationIds;
    if (released)
        flush();
}

void Outbox::flush()
{
    m_failures = 0;
    m_retryTimer.stop();
    sendNext();
}

void Outbox::pause()
{
    m_paused = true;
    m_retryTimer.stop();
    if (m_upload)
        m_upload->stop(); // kept: it continues from where it stands on resume()
    if (m_uploading) {
        m_uploading = false;
        m_inFlight = false;
    }
}

void Outbox::resume()
{
    m_paused = false;
    flush();
}

bool Outbox::confirm(const Message &message)
{
    const auto entry = m_store->outbox().entry(message.clientId);
    if (!entry || entry->conversationId != message.conversationId)
        return false;
    if (isPlain(*entry)) {
        // A standard conversation's text travels plain: the server's copy must be the very text written here.
        if (message.envelope || message.body != entry->body)
            return false;
    } else if (!message.envelope || *message.envelope != entry->envelope) {
        // What the server stored is what this device sealed: its text is the text written here. Anything else
        // under our client id is opened and checked like any received message.
        return false;
    }
    StoredMessage mine{message, Verification::Verified, MessageCheck::Ok};
    mine.message.body = entry->body;
    if (entry->attachmentRef)
        mine.attachments = {*entry->attachmentRef};
    m_store->beginBatch();
    m_store->messages().applyMessage(mine, m_userId);
    m_store->outbox().remove(message.clientId);
    m_store->endBatch();
    emit confirmed(message.clientId, mine);
    return true;
}

void Outbox::sendNext()
{
    if (m_paused || m_inFlight || !m_api->hasToken() || !m_sealer)
        return;
    const auto entry = m_store->outbox().nextPending(m_held);
    if (!entry)
        return;
    if (entry->state == OutboxEntry::State::Failed) {
        // Stored pending, read back unusable (its file's details could not be opened): it cannot go.
        m_store->outbox().markFailed(entry->clientId, entry->failureReason);
        emit failed(entry->clientId, entry->failureReason);
        sendNext();
        return;
    }
    if (entry->attachment && !entry->attachmentRef) {
        if (isPlain(*entry)) {
            m_store->outbox().markFailed(entry->clientId, AttachmentUpload::notSecureText());
            emit failed(entry->clientId, AttachmentUpload::notSecureText());
            sendNext();
            return;
        }
        upload(*entry);
        return;
    }
    m_inFlight = true;
    if (!entry->envelope.isEmpty() || isPlain(*entry)) {
        post(*entry);
        return;
    }
    const OutboxEntry sealing = *entry;
    m_sealer(sealing,
             [this, sealing](const std::optional<QJsonObject> &envelope, const QString &sentence, bool retryLater) {
                 if (m_paused) {
                     m_inFlight = false;
                     return;
                 }
                 if (!m_store->outbox().entry(sealing.clientId)) {
                     m_inFlight = false;
                     sendNext();
                     return;
                 }
                 if (!envelope) {
                     m_inFlight = false;
                     if (retryLater && m_held.contains(sealing.conversationId)) {
                         sendNext(); // it waits for the person; the others need not
                         return;
                     }
                     if (retryLater) {
                         scheduleRetry();
                         return;
                     }
                     m_store->outbox().markFailed(sealing.clientId, sentence);
                     emit failed(sealing.clientId, sentence);
                     sendNext();
                     return;
                 }
                 // Kept before it leaves: if the answer is lost, the retry sends exactly these bytes.
                 m_store->outbox().setEnvelope(sealing.clientId, *envelope);
                 OutboxEntry sealed = sealing;
                 sealed.envelope = *envelope;
                 post(sealed);
             });
}

bool Outbox::isPlain(const OutboxEntry &entry) const
{
    // Only a conversation the store knows as standard sends plain text; anything else is sealed (or waits).
    const QString kind = m_store->conversations().kind(entry.conversationId);
    return kind == QLatin1String("sms") || kind == QLatin1String("email");
}

void Outbox::post(const OutboxEntry &sending)
{
    auto answered = [this, sending](const ApiResult &result) { finishPost(sending, result); };
    if (isPlain(sending))
        m_api->postPlainMessage(sending.conversationId, sending.clientId, sending.body, this, answered);
    else
        m_api->postEnvelope(sending.conversationId, sending.clientId, sending.envelope, this, answered);
}

void Outbox::finishPost(const OutboxEntry &sending, const ApiResult &result)
{
    m_inFlight = false;
    if (result.ok()) {
        m_failures = 0;
        if (const auto message = Message::fromJson(result.body)) {
            // The message.created event may have confirmed it already; then this is a no-op. An answer that does
            // not confirm an entry still here is another message under its client id: sending the same bytes
            // again would get the same answer, so the entry stops with a sentence instead of looping.
            if (!confirm(*message) && m_store->outbox().entry(sending.clientId)) {
                const QString sentence = QStringLiteral("The server kept a different copy of this message, so it "
                                                        "was not sent. Write it again.");
                m_store->outbox().markFailed(sending.clientId, sentence);
                emit failed(sending.clientId, sentence);
            }
        } else {
            m_store->outbox().markFailed(sending.clientId, ErrorText::badResponse());
            emit failed(sending.clientId, ErrorText::badResponse());
        }
        sendNext();
        return;
    }
    const ApiError &error = result.error;
    if (error.isTransient() || error.kind == ApiError::Kind::SessionEnded || error.kind == ApiError::Kind::InsecureUrl
        || error.kind == ApiError::Kind::InvalidUrl || error.httpStatus == 403) {
        // Offline, server trouble, waiting for approval or a new sign-in: keep it, never give up.
        if (error.kind != ApiError::Kind::SessionEnded)
            scheduleRetry();
        return;
    }
    if (!m_store->outbox().entry(sending.clientId))
        return; // confirmed by its event meanwhile
    m_store->outbox().markFailed(sending.clientId, error.sentence);
    emit failed(sending.clientId, error.sentence);
    sendNext();
}

void Outbox::scheduleRetry()
{
    ++m_failures;
    const int base = EventStream::backoffMs(m_failures);
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_retryTimer.start(std::clamp(int(base * factor), 250, EventStream::BackoffCapMs));
}

} // namespace larch
