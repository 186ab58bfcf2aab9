// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The links the app is opened with (App.links): invitation links and Practice Links, to patient onboarding.
#pragma once

#include <functional>
#include <optional>
#include <QByteArray>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace larch {

class AccountSession;
class PatientOnboarding;

/// Sends larch://invite/<token> and Practice Links (larch://practice/<code>, https://…/p/<code>) to patient
/// onboarding when nobody is signed in, and says why it cannot use them when someone is. A Practice Link may carry the
/// practice identity's fingerprint (?fp=<32 characters>, docs/security.md): onboarding then joins only that identity,
/// and a signed-in patient who opens one has it compared with the practices they message.
class LinkRouter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The links the app was opened with are App.links.")
    /// An invitation link or Practice Link the app was opened with waits on the sign-in screen.
    Q_PROPERTY(bool opened READ opened NOTIFY openedChanged)
    /// One sentence when a link arrived while someone is signed in (it cannot be used then); "" when none.
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
public:
    LinkRouter(AccountSession *session, PatientOnboarding *onboarding, QObject *parent = nullptr);

    bool opened() const { return m_opened; }
    QString notice() const { return m_notice; }

    /// Opens patient onboarding for an invitation link (larch://invite/<token>, https://…/i/<token> or the token
    /// itself) or a Practice Link. While signed in, shows notice instead. False when the text is neither.
    Q_INVOKABLE bool open(const QString &link);
    /// The person read the notice.
    Q_INVOKABLE void dismissNotice();
    /// The person left onboarding for the ordinary sign-in form.
    Q_INVOKABLE void close();

    /// The token of an invitation link; "" when the text is not one.
    static QString invitationToken(const QString &link);
    /// The code of larch://practice/<code> or of a Practice Link's page, https://…/p/<code>; "" otherwise.
    static QString practiceLinkCode(const QString &link);
    /// The fingerprint (20 bytes) a Practice Link carries in fp= (query or fragment); an empty array when it carries
    /// none, nullopt when it carries one that is not a fingerprint.
    static std::optional<QByteArray> practiceLinkFingerprint(const QString &link);
    /// What a signed-in patient is told when a Practice Link with a fingerprint is opened (the fingerprint compared
    /// with the practices they message).
    void setFingerprintCheck(std::function<QString(const QByteArray &)> check)
    {
        m_checkFingerprint = std::move(check);
    }

signals:
    void openedChanged();
    void noticeChanged();

private:
    void setNotice(const QString &sentence);

    AccountSession *m_session;
    PatientOnboarding *m_onboarding;
    /// A link that arrived while the cached session was being read: opened once it is known who is signed in.
    QString m_waiting;
    QString m_notice;
    bool m_opened = false;
    std::function<QString(const QByteArray &)> m_checkFingerprint;
};

} // namespace larch
