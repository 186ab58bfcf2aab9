// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Sends the messages written on this device, in order, exactly once, however long the connection is away.
#pragma once

#include "client/store/LocalStore.h"

#include <functional>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace larch {

class ApiClient;
class AttachmentUpload;
struct ApiResult;

/// The durable send queue: entries live in LocalStore until the server confirms or refuses them.
/// An entry carrying a file is sent in two steps, in its turn: the file is uploaded (AttachmentUpload, one at a
/// time, resumed after a restart), then the message is sealed with the file's reference and posted.
/// In a standard (SMS/email) conversation the text goes as it is. Otherwise it is sealed at send time under the conversation's current epoch; the sealed form is kept with the
/// entry, so a retry after a lost answer sends the very same envelope and the server recognises it.
class Outbox : public QObject {
    Q_OBJECT
public:
    /// Seals an entry: the envelope JSON, or a sentence and whether waiting may help.
    using SealDone =
        std::function<void(const std::optional<QJsonObject> &envelope, const QString &sentence, bool retryLater)>;
    using Sealer = std::function<void(const OutboxEntry &entry, SealDone done)>;

    Outbox(LocalStore *store, ApiClient *api, QObject *parent = nullptr);

    /// Stores the message as pending and tries to send it; returns the entry for the local echo.
    OutboxEntry enqueue(const QString &conversationId, const QString &body);
    /// Stores a message carrying a file (caption may be empty) and sends it in its turn: upload, then message.
    /// Standard (SMS/email) conversations take no files, and a file the store cannot keep (no storage key, a full
    /// disk) is not taken either: nothing is stored or announced, and the entry comes back Failed with the reason.
    OutboxEntry enqueueAttachment(const QString &conversationId, const QString &caption, const PendingAttachment &file);
    /// Drops an entry not sealed yet: its upload stops and the server drops it, a private copy of its file is
    /// removed. False when the entry is unknown or its message may already be on the server.
    bool cancel(const QString &clientId);
    /// Test hook: sees each upload before it starts (to hold or slow it).
    void setUploadHook(std::function<void(AttachmentUpload &)> hook) { m_uploadHook = std::move(hook); }
    /// Tries the next pending entry now (called when the connection comes back).
    void flush();
    /// Stops sending (sign-out, session over); entries stay stored.
    void pause();
    void resume();
    /// The server has the message (its event arrived): drop the entry and announce the confirmation.
    bool confirm(const Message &message);
    bool isSending() const { return m_inFlight; }
    /// Conversations whose entries wait until the person acts (their practice's identity changed): the others go
    /// on past them. Entries of a conversation released go at once.
    void setHeld(const QSet<QString> &conversationIds);
    /// The signed-in user, so a confirmed message of ours does not count as unread.
    void setUserId(const QString &userId) { m_userId = userId; }
    /// What turns an entry's text into an envelope; nothing is sent without one.
    void setSealer(Sealer sealer) { m_sealer = std::move(sealer); }

signals:
    void pending(const larch::OutboxEntry &entry);
    /// The server stored the message; the echo with this clientId becomes `message` (its text included).
    void confirmed(const QString &clientId, const larch::StoredMessage &message);
    /// The server refused the message for good (409 or another 4xx); it stays visible with the reason.
    void failed(const QString &clientId, const QString &reason);
    /// Blob bytes of the entry's file the server has, of total.
    void uploadProgress(const QString &clientId, qint64 done, qint64 total);
    /// cancel() dropped the entry.
    void cancelled(const QString &clientId);

private:
    void sendNext();
    /// Runs (or continues) the upload of the entry's file; sendNext() again once it is done or refused.
    void upload(const OutboxEntry &entry);
    void dropUpload();
    void post(const OutboxEntry &entry);
    void finishPost(const OutboxEntry &entry, const ApiResult &result);
    /// The entry belongs to a standard (SMS/email) conversation: its text is sent as it is, never sealed.
    bool isPlain(const OutboxEntry &entry) const;
    void scheduleRetry();

    LocalStore *m_store;
    ApiClient *m_api;
    QString m_userId;
    QSet<QString> m_held;
    Sealer m_sealer;
    QTimer m_retryTimer;
    int m_failures = 0;
    bool m_inFlight = false;
    AttachmentUpload *m_upload = nullptr; ///< the current entry's upload, running or stopped
    bool m_uploading = false; ///< m_inFlight is for m_upload
    std::function<void(AttachmentUpload &)> m_uploadHook;
    bool m_paused = true;
};

} // namespace larch
