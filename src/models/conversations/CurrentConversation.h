// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The conversation open on screen (App.current): which one, its title, and marking it read.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class AccountSession;
class ComposeController;
class ConversationListModel;
class SyncEngine;
class ThreadModel;

/// Opens and closes a conversation for the thread and the compose bar, and marks it read while the window is active.
class CurrentConversation : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open conversation is App.current.")
    /// The open conversation's id; "" when none is open.
    Q_PROPERTY(QString id READ id NOTIFY changed)
    /// The open conversation's title.
    Q_PROPERTY(QString title READ title NOTIFY changed)
    /// True when the open conversation is end-to-end encrypted ("secure").
    Q_PROPERTY(bool secure READ secure NOTIFY changed)
public:
    CurrentConversation(ConversationListModel *list, ThreadModel *thread, ComposeController *compose, SyncEngine *sync,
                        AccountSession *session, QObject *parent = nullptr);

    QString id() const { return m_id; }
    QString title() const;
    bool secure() const;

    /// Shows a conversation and marks it read, on the server too. Ignored when it is not in the list.
    Q_INVOKABLE void open(const QString &id);
    Q_INVOKABLE void close();
    /// Opens the conversation as soon as it is in the list (the one a patient's sign-up just made).
    void openWhenListed(const QString &id) { m_openWhenListed = id; }

public slots:
    /// The window gained or lost focus: new messages in the open conversation are marked read only while active.
    void setWindowActive(bool active);

signals:
    /// Another conversation opened, or it closed, or the open one's summary changed.
    void changed();
    /// The conversation on screen is about to change: what was opened of it (decrypted files) goes.
    void switching();

private:
    ConversationListModel *m_list;
    ThreadModel *m_thread;
    ComposeController *m_compose;
    SyncEngine *m_sync;
    AccountSession *m_session;
    QString m_id;
    QString m_openWhenListed;
    bool m_windowActive = true;
};

} // namespace larch
