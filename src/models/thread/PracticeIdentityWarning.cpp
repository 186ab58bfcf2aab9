// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/PracticeIdentityWarning.h"

#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/SecureSync.h"
#include "client/store/LocalStore.h"
#include "core/crypto/PracticeIdentity.h"

namespace larch {

PracticeIdentityWarning::PracticeIdentityWarning(LocalStore *store, SecureSync *secure, std::function<bool()> isPatient,
                                                 QObject *parent)
    : QObject(parent), m_store(store), m_secure(secure), m_isPatient(std::move(isPatient))
{
    connect(m_secure, &SecureSync::identityChanged, this, [this](const QString &practiceId) {
        if (practiceId == m_practiceId)
            refresh();
    });
}

void PracticeIdentityWarning::setConversation(const QString &conversationId)
{
    const bool other = conversationId != m_conversationId;
    m_conversationId = conversationId;
    if (other)
        setError({});
    refresh();
    // A patient's app asks for the practice's identity whenever a thread opens, so a change shows before anyone writes.
    if (other && !conversationId.isEmpty() && m_isPatient()
        && m_store->conversations().kind(conversationId) == QLatin1String("secure"))
        m_secure->checkIdentity(conversationId);
}

void PracticeIdentityWarning::refresh()
{
    m_practiceId =
        m_conversationId.isEmpty() || !m_isPatient() ? QString() : m_store->conversations().practice(m_conversationId);
    const auto pin = m_practiceId.isEmpty() ? std::nullopt : m_secure->pins()->pin(m_practiceId);
    m_shown = pin && pin->changed();
    m_practiceName = pin && !pin->practiceName.isEmpty() ? pin->practiceName : QStringLiteral("Your practice");
    m_newFingerprint = pin ? IdentityFingerprint::displayText(pin->offeredKey) : QString();
    m_pinnedFingerprint = pin ? IdentityFingerprint::displayText(pin->publicKey) : QString();
    m_linkMismatch = pin && pin->offeredMismatch;
    m_canAccept = m_shown && pin->offeredVersion > 0 && pin->offeredKey.size() == 32;
    m_verified = pin && !m_shown && pin->verified;
    emit changed();
}

bool PracticeIdentityWarning::checkCode(const QString &typed)
{
    if (!m_canAccept) {
        if (m_shown)
            setError(QStringLiteral("The server lists no security identity for %1 now, so there is nothing to check. "
                                    "Ask the practice, in person or on a number you already know.")
                         .arg(m_practiceName));
        return false;
    }
    const auto fingerprint = IdentityFingerprint::parse(typed);
    if (!fingerprint) {
        setError(QStringLiteral("Enter all 32 letters and digits of the practice's code."));
        return false;
    }
    const auto matched = m_secure->pins()->checkFingerprint(*fingerprint, m_practiceId);
    if (matched.match != PracticeIdentityPins::FingerprintMatch::Offered) {
        setError(QStringLiteral("That code does not match the new identity. Don't accept it: ask %1 in person or on a "
                                "number you already know.")
                     .arg(m_practiceName));
        return false;
    }
    setError({});
    m_secure->acceptIdentity(m_practiceId, true);
    refresh();
    return true;
}

bool PracticeIdentityWarning::accept()
{
    if (!m_canAccept || !m_secure->acceptIdentity(m_practiceId, false))
        return false;
    setError({});
    refresh();
    return true;
}

void PracticeIdentityWarning::expectAfterSignIn(const QString &conversationId, const QByteArray &fingerprint)
{
    m_expectedConversation = fingerprint.isEmpty() ? QString() : conversationId;
    m_expectedFingerprint = fingerprint;
}

void PracticeIdentityWarning::applyExpectation()
{
    if (!m_expectedConversation.isEmpty())
        m_secure->pins()->expect(m_expectedConversation, m_expectedFingerprint);
    m_expectedConversation.clear();
    m_expectedFingerprint.clear();
}

QString PracticeIdentityWarning::checkScannedFingerprint(const QByteArray &fingerprint)
{
    const auto matched = m_secure->pins()->checkFingerprint(fingerprint);
    const QString name = matched.practiceName.isEmpty() ? QStringLiteral("Your practice") : matched.practiceName;
    switch (matched.match) {
    case PracticeIdentityPins::FingerprintMatch::Pinned:
        refresh();
        return tr("This code matches %1's security identity: your conversation with them is verified.").arg(name);
    case PracticeIdentityPins::FingerprintMatch::Offered:
        m_secure->acceptIdentity(matched.practiceId, true);
        refresh();
        return tr("This code matches %1's new security identity: it is verified, and your messages go to them again.")
            .arg(name);
    case PracticeIdentityPins::FingerprintMatch::NoMatch: break;
    }
    return tr("This Practice Link's security code does not match any practice you message. Don't trust messages "
              "asking you to change practices; ask your practice in person.");
}

void PracticeIdentityWarning::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    emit errorChanged();
}

} // namespace larch
