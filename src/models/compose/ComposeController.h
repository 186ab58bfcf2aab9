// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The compose bar of the open conversation: its draft and attachment chips, kept per conversation, and sending
// into the outbox.
#pragma once

#include "models/compose/ComposeAttachmentModel.h"

#include <functional>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace larch {

class LocalStore;
class SyncEngine;

/// Holds what the person is writing; drafts survive switching conversations and restarting the app.
class ComposeController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compose bar is App.compose.")
    /// The draft of the open conversation; every change is saved shortly after typing pauses.
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    /// True when there is non-blank text or a chip (none still preparing), a conversation is open and nothing
    /// blocks sending there (a standard conversation without consent or whose number replied STOP:
    /// App.standard.blockedReason says why).
    Q_PROPERTY(bool canSend READ canSend NOTIFY canSendChanged)
    /// The open conversation's attachment chips (ComposeAttachmentModel).
    Q_PROPERTY(larch::ComposeAttachmentModel *attachments READ attachments CONSTANT)
    /// Why the last send() was refused; "" when it was not.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    static constexpr int SaveDelayMs = 400;

    ComposeController(LocalStore *store, SyncEngine *sync, QObject *parent = nullptr);
    ~ComposeController() override;

    /// Switches to another conversation's draft, saving the current one first ("" for none).
    void setConversation(const QString &conversationId);
    QString conversationId() const { return m_conversationId; }

    QString text() const { return m_text; }
    void setText(const QString &text);
    bool canSend() const;
    QString error() const { return m_error; }
    ComposeAttachmentModel *attachments() const { return m_attachments; }

    /// Puts the trimmed text in the outbox (it shows at once as pending) and clears the draft. With chips, each
    /// file becomes its own message and the text goes with the first as its caption; the chips clear too.
    /// Refused (text and chips kept, error set) while sending is blocked.
    Q_INVOKABLE bool send();
    /// Why the open conversation cannot take this text now ("" when it can; body "" asks about the conversation
    /// alone), e.g. a standard conversation without consent. Set by the app; none by default.
    using SendCheck = std::function<QString(const QString &conversationId, const QString &body)>;
    void setSendCheck(SendCheck check) { m_sendCheck = std::move(check); }
    /// What the send check says may have changed (consent recorded, STOP received).
    void refreshSendCheck();
    /// A message the server refused for good: its text comes back into the draft when the draft is empty, so a
    /// refused text is never lost (used for standard conversations, where consent or STOP refuse a send).
    void restoreRefused(const QString &conversationId, const QString &text);
    /// Writes a pending draft change now (before quitting or switching).
    void saveNow();

signals:
    void textChanged();
    void canSendChanged();
    void errorChanged();

private:
    void setError(const QString &error);
    void updateCanSend();

    LocalStore *m_store;
    SyncEngine *m_sync;
    ComposeAttachmentModel *m_attachments;
    QString m_conversationId;
    QString m_text;
    QString m_error;
    SendCheck m_sendCheck;
    QTimer m_saveTimer;
    bool m_dirty = false;
    bool m_lastCanSend = false;
};

} // namespace larch
