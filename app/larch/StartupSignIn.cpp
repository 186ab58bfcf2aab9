// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// StartupSignIn: the sign-in form filled and sent, then the conversation list and thread waited for.
#include "StartupSignIn.h"

#include "models/app/AccountSession.h"
#include "models/app/AppController.h"
#include "models/app/RoleLookup.h"
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/CurrentConversation.h"
#include "models/security/DeviceSecurity.h"
#include "models/thread/InvitationBanner.h"
#include "models/thread/StandardThread.h"
#include "models/thread/ThreadModel.h"

#include <QAbstractItemModel>
#include <QQuickWindow>

StartupSignIn::StartupSignIn(larch::AppController *app, QQuickWindow *window, QString email, QString password,
                             bool openFirstConversation, QObject *parent)
    : QObject(parent), m_app(app), m_window(window), m_email(std::move(email)), m_password(std::move(password)),
      m_openFirstConversation(openFirstConversation)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &StartupSignIn::advance);
}

void StartupSignIn::start() { m_poll.start(); }

bool StartupSignIn::fillSignInForm()
{
    auto *form = m_window->findChild<QObject *>(QStringLiteral("signInForm"));
    auto *email = m_window->findChild<QObject *>(QStringLiteral("emailField"));
    auto *password = m_window->findChild<QObject *>(QStringLiteral("passwordField"));
    if (!form || !email || !password)
        return false;
    email->setProperty("text", m_email);
    password->setProperty("text", m_password);
    QMetaObject::invokeMethod(form, "submit");
    return true;
}

void StartupSignIn::settle(Outcome outcome)
{
    m_step = Step::Done;
    m_poll.stop();
    emit settled(outcome);
}

void StartupSignIn::advance()
{
    const bool signedIn = m_app->session()->signedIn();
    const larch::DeviceState::Value deviceState = m_app->security()->deviceState();
    switch (m_step) {
    case Step::SignIn:
        if (signedIn)
            m_step = Step::WaitForList;
        else if (m_email.isEmpty())
            settle(Outcome::SignedOut);
        else if (fillSignInForm())
            m_step = Step::WaitForSignIn;
        break;
    case Step::WaitForSignIn:
        if (signedIn && deviceState != larch::DeviceState::KeychainUnavailable)
            m_step = Step::WaitForList;
        else if (!m_app->session()->busy() && !m_app->session()->signInError().isEmpty())
            settle(Outcome::SignInFailed);
        break;
    case Step::WaitForList: {
        // A device waiting for approval shows its own page and nothing else until approved.
        if (deviceState == larch::DeviceState::Pending) {
            settle(Outcome::DevicePending);
            break;
        }
        auto *conversations = qobject_cast<QAbstractItemModel *>(m_app->conversations());
        if (!conversations || conversations->rowCount() == 0)
            break;
        if (!m_openFirstConversation) {
            settle(Outcome::ConversationsShown);
            break;
        }
        const int idRole = larch::roleNumber(conversations, "conversationId");
        const QString id = conversations->index(0, 0).data(idRole).toString();
        m_app->current()->open(id);
        m_step = Step::WaitForThread;
        break;
    }
    case Step::WaitForThread: {
        // A conversation whose patient was just invited may hold no message yet: its banner is the content.
        QObject *invitation = m_app->invitation();
        const bool bannerShown = invitation && invitation->property("shown").toBool()
            && !invitation->property("stateLine").toString().isEmpty();
        // A standard conversation's banner is content too (a new one asks for consent before any message).
        QObject *standard = m_app->standard();
        const bool standardShown = standard && standard->property("isStandard").toBool();
        auto *thread = qobject_cast<QAbstractItemModel *>(m_app->thread());
        if ((thread && thread->rowCount() > 0) || bannerShown || standardShown)
            settle(Outcome::ConversationsShown);
        break;
    }
    case Step::Done: break;
    }
}
