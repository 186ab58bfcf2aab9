// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/PracticeIdentityStatus.h"

#include "client/e2ee/KeyRing.h"
#include "client/e2ee/SecureSync.h"
#include "client/net/ApiError.h"
#include "core/crypto/PracticeIdentity.h"

namespace larch {

PracticeIdentityStatus::PracticeIdentityStatus(SecureSync *secure, std::function<bool()> isAdmin, QObject *parent)
    : QObject(parent), m_secure(secure), m_isAdmin(std::move(isAdmin))
{
    connect(m_secure->keys(), &KeyRing::identityKeysChanged, this, &PracticeIdentityStatus::update);
}

void PracticeIdentityStatus::update()
{
    const KeyRing *keys = m_secure->keys();
    const PracticeKeyState &practice = keys->practiceState();
    const PracticeIdentityKey *held = keys->isStaff() ? keys->currentIdentity() : nullptr;
    m_state = !keys->isStaff() || !practice.known ? State::Unknown
        : practice.identity.isEmpty()             ? State::None
        : held                                    ? State::Held
                                                  : State::NotHeld;
    m_securityCode = held ? IdentityFingerprint::displayText(held->signPublic) : QString();
    emit changed();
}

void PracticeIdentityStatus::refresh()
{
    KeyRing *keys = m_secure->keys();
    if (!keys->isRunning() || !keys->isStaff())
        return;
    m_busy = true;
    m_error.clear();
    emit changed();
    keys->refreshPracticeKeys([this, generation = m_generation](bool ok) {
        if (generation != m_generation)
            return;
        m_busy = false;
        if (!ok)
            m_error = ErrorText::unreachable();
        update();
    });
}

void PracticeIdentityStatus::replace()
{
    if (!m_isAdmin()) {
        m_error = tr("Only an administrator can replace the practice's security identity.");
        emit changed();
        return;
    }
    if (m_state != State::NotHeld) {
        // Held: a signed rotation serves, without warning every patient; None or Unknown: nothing to replace.
        m_error = m_state == State::Held
            ? tr("This device holds the practice's security identity, so there is nothing to replace.")
            : tr("The practice has no security identity to replace yet.");
        emit changed();
        return;
    }
    m_busy = true;
    m_error.clear();
    m_notice.clear();
    emit changed();
    m_secure->replacePracticeIdentity([this, generation = m_generation](bool ok, const QString &sentence) {
        if (generation != m_generation)
            return;
        m_busy = false;
        if (ok)
            m_notice = tr("The practice has a new security identity. Patients see a warning in their threads until "
                          "they check the new security code; print new Practice Link posters for the waiting room.");
        else
            m_error = sentence;
        update();
    });
}

void PracticeIdentityStatus::reset()
{
    ++m_generation;
    m_state = State::Unknown;
    m_securityCode.clear();
    m_busy = false;
    m_error.clear();
    m_notice.clear();
    emit changed();
}

} // namespace larch
