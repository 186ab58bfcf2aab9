// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposeController.h"

#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "client/sync/SyncEngine.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"
#include "models/compose/ComposeAttachmentModel.h"

#include <QLocale>

namespace larch {

ComposeController::ComposeController(LocalStore *store, SyncEngine *sync, QObject *parent)
    : QObject(parent), m_store(store), m_sync(sync), m_attachments(new ComposeAttachmentModel(this))
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(SaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &ComposeController::saveNow);
    connect(m_attachments, &ComposeAttachmentModel::countChanged, this, &ComposeController::updateCanSend);
    connect(m_attachments, &ComposeAttachmentModel::preparingChanged, this, &ComposeController::updateCanSend);
    // A file added clears a stale "too long" or "blocked" error just as typing does.
    connect(m_attachments, &ComposeAttachmentModel::countChanged, this, [this] { setError(QString()); });
}

ComposeController::~ComposeController() { saveNow(); }

void ComposeController::saveNow()
{
    m_saveTimer.stop();
    if (!m_dirty || m_conversationId.isEmpty())
        return;
    m_store->outbox().saveDraft(m_conversationId, m_text);
    m_dirty = false;
}

void ComposeController::setConversation(const QString &conversationId)
{
    if (conversationId == m_conversationId)
        return;
    saveNow();
    m_conversationId = conversationId;
    m_attachments->setConversation(conversationId); // each conversation keeps its own chips
    const QString draft = conversationId.isEmpty() ? QString() : m_store->outbox().draft(conversationId);
    setError(QString());
    if (draft != m_text) {
        m_text = draft;
        emit textChanged();
    }
    m_dirty = false;
    updateCanSend();
}

void ComposeController::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    emit textChanged();
    setError(QString());
    if (!m_conversationId.isEmpty()) {
        m_dirty = true;
        m_saveTimer.start();
    }
    updateCanSend();
}

bool ComposeController::canSend() const
{
    const bool files = m_attachments->count() > 0;
    return !m_conversationId.isEmpty() && (files || !m_text.trimmed().isEmpty())
        && !(files && m_attachments->preparing())
        && (!m_sendCheck || m_sendCheck(m_conversationId, QString()).isEmpty());
}

void ComposeController::refreshSendCheck() { updateCanSend(); }

void ComposeController::restoreRefused(const QString &conversationId, const QString &text)
{
    if (conversationId.isEmpty() || text.isEmpty())
        return;
    if (conversationId != m_conversationId) {
        if (m_store->outbox().draft(conversationId).isEmpty())
            m_store->outbox().saveDraft(conversationId, text);
        return;
    }
    if (m_text.trimmed().isEmpty())
        setText(text);
}

bool ComposeController::send()
{
    if (m_conversationId.isEmpty()) {
        setError(QStringLiteral("Open a conversation to send a message."));
        return false;
    }
    const QString body = m_text.trimmed();
    const bool files = m_attachments->count() > 0;
    if (body.isEmpty() && !files)
        return false;
    if (files) {
        const QString refusal = m_attachments->acceptRefusal(); // e.g. a standard (SMS/email) conversation
        if (!refusal.isEmpty()) {
            setError(refusal);
            return false;
        }
        if (m_attachments->preparing()) {
            setError(QStringLiteral("The attachments are still being prepared. Send again in a moment."));
            return false;
        }
    }
    if (m_sendCheck) {
        const QString refusal = m_sendCheck(m_conversationId, body);
        if (!refusal.isEmpty()) {
            setError(refusal); // the text stays in the compose bar
            return false;
        }
    }
    if (textLength(body) > Limits::MessageBodyMax) {
        setError(QStringLiteral("This message is too long. Shorten it to %1 characters or fewer, or send it in parts.")
                     .arg(QLocale().toString(Limits::MessageBodyMax)));
        return false;
    }
    if (body.toUtf8().size() > Limits::MessageBodyBytesMax) {
        setError(QStringLiteral("This message is too long to send. Shorten it, or send it in parts."));
        return false;
    }
    if (files && !m_store->hasStorageKey()) {
        // The outbox keeps files sealed; without this device's keys nothing would be stored and the chips lost.
        setError(QStringLiteral("This device's keys are not available, so the files cannot be sent yet. Sign in "
                                "again; the files and the caption stay here."));
        return false;
    }
    QString refusal;
    if (files) {
        // One message per file, in the order of the chips; the caption travels with the first. A file the outbox
        // could not keep (the device's disk full, say) stays a chip, with those after it and the caption if unsent.
        const QList<PendingAttachment> attachments = m_attachments->attachments();
        int kept = 0;
        for (const PendingAttachment &file : attachments) {
            const OutboxEntry entry =
                m_sync->outbox()->enqueueAttachment(m_conversationId, kept == 0 ? body : QString(), file);
            if (entry.state == OutboxEntry::State::Failed && !m_store->outbox().entry(entry.clientId)) {
                refusal = entry.failureReason;
                break;
            }
            ++kept;
        }
        m_attachments->takeFirst(kept);
        if (kept == 0) {
            setError(refusal);
            return false; // nothing left: the caption stays too
        }
    } else {
        m_sync->send(m_conversationId, body);
    }
    m_saveTimer.stop();
    m_dirty = false;
    m_store->outbox().saveDraft(m_conversationId, QString());
    if (!m_text.isEmpty()) {
        m_text.clear();
        emit textChanged();
    }
    setError(refusal); // files that could not be kept are still chips; the sentence says why
    updateCanSend();
    return true;
}

void ComposeController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void ComposeController::updateCanSend()
{
    const bool now = canSend();
    if (now != m_lastCanSend) {
        m_lastCanSend = now;
        emit canSendChanged();
    }
}

} // namespace larch
