// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StartupSignIn: signs in at start through the sign-in form, then waits for the conversations a start asked for.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class QAbstractItemModel;
class QQuickWindow;

namespace larch {
class AppController;
}

/// Signs in at start the way a person would, through the sign-in form, with the account the command line named
/// (or with the session the device kept), waits for the conversation list and, when asked, opens the most recent
/// conversation. Reports once, with the screen the start ended on.
class StartupSignIn : public QObject {
    Q_OBJECT
public:
    /// The screen a start ended on.
    enum class Outcome {
        SignedOut, ///< no account given and no session kept: the sign-in page
        SignInFailed, ///< the sign-in page says why the account could not sign in
        DevicePending, ///< a new staff device waiting for a colleague's approval (its own page)
        ConversationsShown, ///< the conversation list, and the most recent conversation when asked
    };
    Q_ENUM(Outcome)

    /// window is the Larch window showing app; password goes with email.
    StartupSignIn(larch::AppController *app, QQuickWindow *window, QString email, QString password,
                  bool openFirstConversation, QObject *parent = nullptr);

    /// Begins watching the app's state; settled() follows once, when the screen is there.
    void start();

signals:
    void settled(StartupSignIn::Outcome outcome);

private:
    enum class Step { SignIn, WaitForSignIn, WaitForList, WaitForThread, Done };

    void advance();
    bool fillSignInForm();
    void settle(Outcome outcome);

    larch::AppController *m_app;
    QQuickWindow *m_window;
    QString m_email;
    QString m_password;
    bool m_openFirstConversation;
    Step m_step = Step::SignIn;
    QTimer m_poll;
};
