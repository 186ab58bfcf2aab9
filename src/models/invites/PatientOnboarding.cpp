// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/PatientOnboarding.h"

#include "client/e2ee/DeviceIdentity.h"
#include "client/net/ApiClient.h"
#include "core/crypto/PracticeIdentity.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace larch {

namespace {
QString identityMismatchSentence(const QString &practiceName)
{
    return QStringLiteral("This Practice Link's security code does not match %1 on this server, so Larch will not "
                          "join through it. Ask the practice in person for its link.")
        .arg(practiceName.isEmpty() ? QStringLiteral("the practice") : practiceName);
}

QString linkNotValidSentence()
{
    return QStringLiteral("This Practice Link is not valid. Check that the whole link was opened, or ask the practice "
                          "for a new one.");
}
} // namespace

PatientOnboarding::PatientOnboarding(ApiClient *api, std::function<void(const QJsonObject &)> adoptSession,
                                     QObject *parent)
    : QObject(parent), m_api(api), m_adoptSession(std::move(adoptSession))
{ }

bool PatientOnboarding::isEmail(const QString &text) { return text.contains(u'@'); }

void PatientOnboarding::setContact(const QString &contact)
{
    if (contact == m_contact)
        return;
    m_contact = contact;
    emit contactChanged();
}

void PatientOnboarding::openInvitation(const QString &token)
{
    reset();
    m_token = token;
    emit contactHintChanged();
    setBusy(true);
    m_api->fetchInvitationByToken(token, this, [this](const ApiResult &result) {
        setBusy(false);
        if (result.ok()) {
            m_contactHint = result.body.value(QLatin1String("contactHint")).toString();
            emit contactHintChanged();
            const QString state = result.body.value(QLatin1String("state")).toString();
            if (state != QLatin1String("pending") && !state.isEmpty())
                setError(QStringLiteral("This invitation link can no longer be used. Enter your phone number or "
                                        "email to sign in, or ask your practice for a new invitation."));
            return;
        }
        if (result.error.kind == ApiError::Kind::NotFound)
            setError(QStringLiteral("This invitation link is not valid. Enter your phone number or email to sign "
                                    "in, or ask your practice for a new invitation."));
        else
            setError(result.error.sentence);
    });
}

void PatientOnboarding::openPracticeLink(const QString &code, const std::optional<QByteArray> &fingerprint)
{
    reset();
    m_linkCode = code;
    m_linkFingerprint = fingerprint.value_or(QByteArray());
    emit practiceLinkChanged();
    if (!fingerprint) {
        markLinkUnusable(
            QStringLiteral("This Practice Link's security code is damaged. Scan the practice's code again, "
                           "or ask the practice for its link."));
        return;
    }
    setBusy(true);
    m_api->fetchPracticeLinkByCode(code, this, [this, code](const ApiResult &result) {
        if (code != m_linkCode)
            return; // another link was opened meanwhile
        setBusy(false);
        if (result.ok()) {
            m_practiceName = result.body.value(QLatin1String("practiceName")).toString();
            if (!m_linkFingerprint.isEmpty()) {
                // The code printed for the waiting room names the practice's identity: another one is refused here,
                // and the identity is checked again when the app pins it after joining.
                const QByteArray identity =
                    QByteArray::fromBase64(result.body.value(QLatin1String("identityKey")).toString().toLatin1());
                if (!IdentityFingerprint::matches(m_linkFingerprint, identity)) {
                    emit practiceLinkChanged();
                    markLinkUnusable(identityMismatchSentence(m_practiceName));
                    return;
                }
                m_identityMatched = true;
            }
            emit practiceLinkChanged();
            if (!result.body.value(QLatin1String("enabled")).toBool(true))
                markLinkUnusable(
                    m_practiceName.isEmpty()
                        ? QStringLiteral("This Practice Link is turned off. Ask the practice for a new link.")
                        : QStringLiteral("This Practice Link is turned off. Ask %1 for a new link.")
                              .arg(m_practiceName));
            return;
        }
        if (result.error.kind == ApiError::Kind::NotFound)
            markLinkUnusable(linkNotValidSentence());
        else
            setError(result.error.sentence);
    });
}

void PatientOnboarding::markLinkUnusable(const QString &sentence)
{
    if (!m_linkUnusable) {
        m_linkUnusable = true;
        emit practiceLinkChanged();
    }
    setStep(OnboardingStep::Contact);
    setError(sentence);
}

void PatientOnboarding::requestCode()
{
    if (m_busy)
        return;
    const QString contact = m_contact.trimmed();
    if (m_linkUnusable)
        return;
    if (contact.isEmpty()) {
        setError(fromPracticeLink()
                     ? QStringLiteral("Enter your mobile phone number or email address.")
                     : QStringLiteral("Enter the mobile phone number or email address your practice invited."));
        return;
    }
    setError({});
    setBusy(true);
    const bool email = isEmail(contact);
    auto answered = [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            if (fromPracticeLink()
                && (result.error.code == QLatin1String("link_disabled")
                    || result.error.kind == ApiError::Kind::NotFound)) {
                markLinkUnusable(result.error.code == QLatin1String("link_disabled") ? result.error.sentence
                                                                                     : linkNotValidSentence());
                return;
            }
            const QString sentence =
                !result.error.serverMessage.isEmpty() && result.httpStatus >= 400 && result.httpStatus < 500
                ? result.error.serverMessage
                : result.error.sentence;
            setError(sentence);
            return;
        }
        m_contactHint = result.body.value(QLatin1String("contactHint")).toString();
        emit contactHintChanged();
        setStep(OnboardingStep::Code);
    };
    if (fromPracticeLink())
        m_api->requestCodeForPracticeLink(email ? QString() : contact, email ? contact : QString(), m_linkCode, this,
                                          std::move(answered));
    else
        m_api->requestCode(email ? QString() : contact, email ? contact : QString(), m_token, this,
                           std::move(answered));
}

void PatientOnboarding::verify(const QString &code)
{
    if (m_busy)
        return;
    static const QRegularExpression sixDigits(QStringLiteral("^\\d{6}$"));
    const QString trimmed = QString(code).remove(u' ');
    if (!sixDigits.match(trimmed).hasMatch()) {
        setError(QStringLiteral("Enter the 6 digits of the code we sent you."), CodeError::Wrong);
        return;
    }
    m_code = trimmed;
    sendVerify();
}

void PatientOnboarding::submitName(const QString &name)
{
    if (m_busy)
        return;
    if (name.trimmed().isEmpty()) {
        setError(QStringLiteral("Enter your name so your practice knows who you are."));
        return;
    }
    m_name = name.trimmed();
    sendVerify();
}

void PatientOnboarding::sendVerify()
{
    setError({});
    setBusy(true);
    const QString contact = m_contact.trimmed();
    const bool email = isEmail(contact);
    auto answered = [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            applyVerifyError(result);
            return;
        }
        if (fromPracticeLink()) {
            // The conversation with the link's practice, new or not; older servers list a new one last in paired.
            const QJsonArray paired = result.body.value(QLatin1String("paired")).toArray();
            m_joinedConversationId = result.body.value(QLatin1String("conversationId"))
                                         .toString(paired.isEmpty() ? QString() : paired.last().toString());
        }
        setStep(OnboardingStep::Done);
        m_adoptSession(result.body);
    };
    if (fromPracticeLink())
        m_api->verifyCodeForPracticeLink(email ? QString() : contact, email ? contact : QString(), m_code, m_name,
                                         DeviceIdentity::defaultDeviceName(), m_linkCode, this, std::move(answered));
    else
        m_api->verifyCode(email ? QString() : contact, email ? contact : QString(), m_code, m_name,
                          DeviceIdentity::defaultDeviceName(), m_token, this, std::move(answered));
}

void PatientOnboarding::applyVerifyError(const ApiResult &result)
{
    const QString code = result.error.code;
    const QString server = result.error.serverMessage;
    if (fromPracticeLink() && code == QLatin1String("link_disabled")) {
        markLinkUnusable(result.error.sentence);
        return;
    }
    if (code == QLatin1String("missing_field")) {
        setStep(OnboardingStep::Name);
        return;
    }
    if (code == QLatin1String("wrong_code")) {
        setError(server.isEmpty() ? QStringLiteral("That code is not right. Check the digits and try again.") : server,
                 CodeError::Wrong);
    } else if (code == QLatin1String("code_locked") || result.httpStatus == 423) {
        setError(server.isEmpty() ? QStringLiteral("Too many wrong codes. Ask for a new code in 15 minutes, or call "
                                                   "your practice for help.")
                                  : server,
                 CodeError::Locked);
    } else if (code == QLatin1String("code_expired") || result.httpStatus == 410) {
        setError(QStringLiteral("This code has expired. Tap \"Send a new code\" to get another one."),
                 CodeError::Expired);
    } else {
        setError(result.error.sentence);
    }
    if (m_step == OnboardingStep::Name && m_errorKind != CodeError::None)
        setStep(OnboardingStep::Code);
}

void PatientOnboarding::back()
{
    setError({});
    setStep(OnboardingStep::Contact);
}

void PatientOnboarding::reset()
{
    m_token.clear();
    m_linkCode.clear();
    m_practiceName.clear();
    m_joinedConversationId.clear();
    m_linkUnusable = false;
    m_identityMatched = false;
    m_linkFingerprint.clear();
    emit practiceLinkChanged();
    m_contactHint.clear();
    m_code.clear();
    m_name.clear();
    emit contactHintChanged();
    setError({});
    setStep(OnboardingStep::Contact);
}

void PatientOnboarding::setStep(OnboardingStep::Value step)
{
    if (step == m_step)
        return;
    m_step = step;
    emit stepChanged();
}

void PatientOnboarding::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void PatientOnboarding::setError(const QString &error, CodeError::Value kind)
{
    if (error == m_error && kind == m_errorKind)
        return;
    m_error = error;
    m_errorKind = kind;
    emit errorChanged();
}

} // namespace larch
