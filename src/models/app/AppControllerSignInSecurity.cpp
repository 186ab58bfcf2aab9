// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: two-factor sign-in (App.twoFactor), the practice's security settings (App.policy) and the idle lock
// (App.lock), and how they follow the session.
#include "models/app/AppController.h"

#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/security/IdleLock.h"
#include "models/security/SecurityPolicy.h"
#include "models/security/TwoFactorSetup.h"

namespace larch {

void AppController::connectSignInSecurity()
{
    m_twoFactor = new TwoFactorSetup(m_api, this);
    m_policy = new SecurityPolicy(
        m_api, [this] { return m_session->isStaff() ? m_session->practiceId() : QString(); }, this);
    m_lock = new IdleLock(m_store.get(), this);

    // Enrolment finished: a sign-in that waited for it goes on, or a session refused for it resumes.
    connect(m_twoFactor, &TwoFactorSetup::finished, m_session, &AccountSession::enrolmentFinished);
    connect(m_session, &AccountSession::passwordAccepted, m_lock, &IdleLock::rememberPassword);
    connect(m_policy, &SecurityPolicy::idleLockMinutesRead, m_lock, &IdleLock::setIdleMinutes);
    connect(m_session, &AccountSession::started, this, [this] {
        m_lock->setArmed(true);
        m_policy->refresh();
    });
    // The practice may have changed its idle time since: read again on each reconnect.
    connect(m_sync, &SyncEngine::onlineChanged, this, [this](bool online) {
        if (online && m_session->isStaff())
            m_policy->refresh();
    });
    connect(m_session, &AccountSession::ended, this, [this] {
        m_lock->forget();
        m_policy->reset();
        m_twoFactor->reset();
    });
    connect(m_lock, &IdleLock::signOutRequested, this, [this](const QString &sentence) {
        m_session->signOut();
        m_session->setSignInError(sentence);
    });
}

} // namespace larch
