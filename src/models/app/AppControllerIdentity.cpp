// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: practice identity pinning: the open thread's warning for patients (App.practiceIdentity), a Practice
// Link's code scanned while signed in, the fingerprint staff print on Practice Links, and the identity's status for
// administrators (App.practiceIdentityStatus).
#include "models/app/AppController.h"

#include "client/e2ee/KeyRing.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/SecureSync.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/PracticeIdentity.h"
#include "models/app/AccountSession.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/LinkRouter.h"
#include "models/practicelinks/PracticeLinks.h"
#include "models/security/PracticeIdentityStatus.h"
#include "models/thread/PracticeIdentityWarning.h"

namespace larch {

void AppController::connectPracticeIdentity()
{
    SecureSync *secure = m_sync->secure();
    m_practiceIdentity = new PracticeIdentityWarning(
        m_store.get(), secure, [this] { return m_session->signedIn() && !m_session->isStaff(); }, this);
    connect(m_current, &CurrentConversation::changed, this,
            [this] { m_practiceIdentity->setConversation(m_current->id()); });
    // The expectation of a Practice Link's code is handed to the session that just started (a stop forgets it).
    connect(m_session, &AccountSession::started, m_practiceIdentity, &PracticeIdentityWarning::applyExpectation);
    connect(m_session, &AccountSession::userChanged, m_practiceIdentity, &PracticeIdentityWarning::refresh);
    m_links->setFingerprintCheck(
        [this](const QByteArray &fingerprint) { return m_practiceIdentity->checkScannedFingerprint(fingerprint); });

    // Staff print the identity's fingerprint into the Practice Links they share, from the identity their device holds
    // (never from what the server says it is).
    auto updateFingerprint = [this, secure] {
        const PracticeIdentityKey *identity = m_session->isStaff() ? secure->keys()->currentIdentity() : nullptr;
        m_practiceLinks->setIdentityKey(identity ? identity->signPublic : QByteArray());
    };
    connect(secure->keys(), &KeyRing::identityKeysChanged, this, updateFingerprint);
    connect(m_session, &AccountSession::userChanged, this, updateFingerprint);

    // Administrators see the identity's security code in the security settings, and replace a lost one there.
    m_practiceIdentityStatus = new PracticeIdentityStatus(
        secure, [this] { return m_session->isAdmin(); }, this);
    connect(m_session, &AccountSession::userChanged, m_practiceIdentityStatus, &PracticeIdentityStatus::reset);
}

} // namespace larch
