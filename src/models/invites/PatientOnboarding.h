// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A patient joins Larch: phone or email → 6-digit code → name (when needed) → signed in.
#pragma once

#include "models/invites/InviteStates.h"

#include <functional>
#include <optional>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
struct ApiResult;

/// Walks a patient through sign-up or sign-in with a one-time code, from an invitation link, a Practice Link or the
/// app alone.
/// The code's answer is a session like a password sign-in's; it is handed to the app's usual session start.
class PatientOnboarding : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Patient onboarding belongs to App.onboarding.")
    /// Contact (phone or email), Code (the 6 digits), Name (a new account needs a name), Done.
    Q_PROPERTY(larch::OnboardingStep::Value step READ stepValue NOTIFY stepChanged)
    /// The phone number or email address as typed; kept across errors and steps.
    Q_PROPERTY(QString contact READ contact WRITE setContact NOTIFY contactChanged)
    /// Where the code went, masked, e.g. "•••• ••• 0123"; from an invitation link before any code is asked for.
    Q_PROPERTY(QString contactHint READ contactHint NOTIFY contactHintChanged)
    /// True when the flow started from an invitation link (larch://invite/<token>).
    Q_PROPERTY(bool fromInvitation READ fromInvitation NOTIFY contactHintChanged)
    /// True when the flow started from a Practice Link (larch://practice/<code>): the patient joins that practice.
    Q_PROPERTY(bool fromPracticeLink READ fromPracticeLink NOTIFY practiceLinkChanged)
    /// The practice whose Practice Link was opened, e.g. "Birch Family Medicine"; "" until known or without a link.
    Q_PROPERTY(QString practiceName READ practiceName NOTIFY practiceLinkChanged)
    /// The opened Practice Link cannot be used (turned off, unknown, or its security code does not match the
    /// practice's); error says so and what to do.
    Q_PROPERTY(bool linkUnusable READ linkUnusable NOTIFY practiceLinkChanged)
    /// The Practice Link carried the practice's security code and it matches the practice the server names: the
    /// patient joins that practice verified.
    Q_PROPERTY(bool identityMatched READ identityMatched NOTIFY practiceLinkChanged)
    /// A request is in flight.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// A sentence on what went wrong and how to fix it; "" when nothing did.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    /// What kind of code error it is: None, Wrong, Locked or Expired (then "Send a new code" is offered).
    Q_PROPERTY(larch::CodeError::Value errorKind READ errorKindValue NOTIFY errorChanged)
public:
    /// adoptSession receives a successful verify answer (a session body) and starts the app's session with it.
    PatientOnboarding(ApiClient *api, std::function<void(const QJsonObject &)> adoptSession, QObject *parent = nullptr);

    OnboardingStep::Value stepValue() const { return m_step; }
    /// step's name, "contact", "code", "name" or "done", for C++ that reads it as text.
    QString step() const { return OnboardingStep::name(m_step); }
    QString contact() const { return m_contact; }
    void setContact(const QString &contact);
    QString contactHint() const { return m_contactHint; }
    bool fromInvitation() const { return !m_token.isEmpty(); }
    bool fromPracticeLink() const { return !m_linkCode.isEmpty(); }
    QString practiceName() const { return m_practiceName; }
    bool linkUnusable() const { return m_linkUnusable; }
    bool identityMatched() const { return m_identityMatched; }
    /// The fingerprint (20 bytes) the opened Practice Link carried; empty when none.
    QByteArray linkFingerprint() const { return m_linkFingerprint; }
    /// After joining through a Practice Link: the secure conversation with the practice to open; "" otherwise.
    QString joinedConversationId() const { return m_joinedConversationId; }
    bool busy() const { return m_busy; }
    QString error() const { return m_error; }
    CodeError::Value errorKindValue() const { return m_errorKind; }
    /// errorKind's name, "", "wrong", "locked" or "expired", for C++ that reads it as text.
    QString errorKind() const { return CodeError::name(m_errorKind); }

    /// Starts from an invitation link's token: looks up the masked contact it was sent to.
    Q_INVOKABLE void openInvitation(const QString &token);
    /// Starts from a Practice Link's code: looks up the practice's name and whether the link is on.
    Q_INVOKABLE void openPracticeLink(const QString &code) { openPracticeLink(code, QByteArray()); }
    /// The same, for a link that carried the practice identity's fingerprint (20 bytes; nullopt: a malformed one):
    /// the practice's listed identity must have it, or the link is refused.
    void openPracticeLink(const QString &code, const std::optional<QByteArray> &fingerprint);
    /// Sends a code to the typed phone or email.
    Q_INVOKABLE void requestCode();
    /// Checks the typed code; a new account may then ask for a name.
    Q_INVOKABLE void verify(const QString &code);
    /// Finishes a new account with the patient's name (the code typed before is sent again with it).
    Q_INVOKABLE void submitName(const QString &name);
    /// Goes back to the contact step, keeping what was typed.
    Q_INVOKABLE void back();
    /// Forgets everything (leaving onboarding).
    Q_INVOKABLE void reset();

    /// True when text looks like an email address rather than a phone number.
    static bool isEmail(const QString &text);

signals:
    void stepChanged();
    void contactChanged();
    void contactHintChanged();
    void practiceLinkChanged();
    void busyChanged();
    void errorChanged();

private:
    void sendVerify();
    void applyVerifyError(const ApiResult &result);
    void setStep(OnboardingStep::Value step);
    void setBusy(bool busy);
    void setError(const QString &error, CodeError::Value kind = CodeError::None);
    /// The link turned out to be off or unknown: nothing can be asked with it any more.
    void markLinkUnusable(const QString &sentence);

    ApiClient *m_api;
    std::function<void(const QJsonObject &)> m_adoptSession;
    OnboardingStep::Value m_step = OnboardingStep::Contact;
    QString m_contact, m_contactHint, m_token, m_code, m_name;
    QString m_linkCode, m_practiceName, m_joinedConversationId;
    bool m_linkUnusable = false;
    bool m_identityMatched = false;
    QByteArray m_linkFingerprint;
    QString m_error;
    CodeError::Value m_errorKind = CodeError::None;
    bool m_busy = false;
};

} // namespace larch
