// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/LinkRouter.h"

#include "models/app/AccountSession.h"
#include "models/invites/PatientOnboarding.h"

#include "core/crypto/PracticeIdentity.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>
#include <utility>

namespace larch {

LinkRouter::LinkRouter(AccountSession *session, PatientOnboarding *onboarding, QObject *parent)
    : QObject(parent), m_session(session), m_onboarding(onboarding)
{
    connect(m_session, &AccountSession::resumed, this, [this] {
        const QString link = std::exchange(m_waiting, QString());
        if (!link.isEmpty())
            open(link);
    });
    connect(m_session, &AccountSession::started, this, &LinkRouter::close);
    connect(m_session, &AccountSession::signedInChanged, this, [this] {
        if (!m_session->signedIn())
            setNotice(QString());
    });
}

QString LinkRouter::invitationToken(const QString &link)
{
    static const QRegularExpression tokenPattern(QStringLiteral("^[A-Za-z0-9_-]{16,128}$"));
    const QString trimmed = link.trimmed();
    QString token;
    const QUrl url(trimmed);
    if (url.scheme() == QLatin1String("larch")) {
        // larch://invite/<token>: "invite" is the host, the token the path.
        if (url.host() != QLatin1String("invite"))
            return {};
        token = url.path().mid(1);
    } else if (trimmed.contains(QLatin1String("/i/"))) {
        token = trimmed.section(QLatin1String("/i/"), 1).section(u'?', 0, 0); // https://server/i/<token>
    } else {
        token = trimmed;
    }
    return tokenPattern.match(token).hasMatch() ? token : QString();
}

QString LinkRouter::practiceLinkCode(const QString &link)
{
    static const QRegularExpression codePattern(QStringLiteral("^[A-Za-z0-9_-]{6,64}$"));
    const QUrl url(link.trimmed());
    QString code;
    if (url.scheme() == QLatin1String("larch")) {
        // larch://practice/<code>: "practice" is the host, the code the path.
        if (url.host() != QLatin1String("practice"))
            return {};
        code = url.path().mid(1);
    } else if ((url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
               && url.path().startsWith(QLatin1String("/p/"))) {
        code = url.path().mid(3); // the link's page, https://server/p/<code>
    } else {
        return {};
    }
    if (code.endsWith(u'/'))
        code.chop(1);
    return codePattern.match(code).hasMatch() ? code : QString();
}

std::optional<QByteArray> LinkRouter::practiceLinkFingerprint(const QString &link)
{
    const QUrl url(link.trimmed());
    QString text = QUrlQuery(url).queryItemValue(QStringLiteral("fp"));
    if (text.isEmpty())
        text = QUrlQuery(url.fragment()).queryItemValue(QStringLiteral("fp"));
    if (text.isEmpty())
        return QByteArray();
    return IdentityFingerprint::parse(text);
}

bool LinkRouter::open(const QString &link)
{
    const QString token = invitationToken(link);
    const QString linkCode = token.isEmpty() ? practiceLinkCode(link) : QString();
    if (token.isEmpty() && linkCode.isEmpty())
        return false;
    if (m_session->isResuming() && !m_session->signedIn()) {
        m_waiting = token.isEmpty() ? link.trimmed() : token;
        return true;
    }
    if (m_session->signedIn()) {
        // Joining signs in with the invitation's contact, which would replace this session: say so instead.
        const bool isPatient = !m_session->isStaff();
        const auto fingerprint = linkCode.isEmpty() ? std::nullopt : practiceLinkFingerprint(link);
        if (!linkCode.isEmpty() && isPatient && fingerprint && !fingerprint->isEmpty() && m_checkFingerprint) {
            // The poster's code, scanned in person: compared with the practices this patient messages.
            setNotice(m_checkFingerprint(*fingerprint));
            return true;
        }
        if (!linkCode.isEmpty()) {
            setNotice(isPatient ? tr("You're already signed in. To join this practice, sign out and open the Practice "
                                     "Link again.")
                                : tr("You're signed in. Sign out first to join with this Practice Link."));
            return true;
        }
        setNotice(isPatient ? tr("You're already signed in. To add this invitation's conversation, sign out, choose "
                                 "\"Join as a patient\" and enter the code sent to the phone or email the invitation "
                                 "went to.")
                            : tr("You're signed in. Sign out first to join with this invitation."));
        return true;
    }
    if (token.isEmpty())
        m_onboarding->openPracticeLink(linkCode, practiceLinkFingerprint(link));
    else
        m_onboarding->openInvitation(token);
    if (!m_opened) {
        m_opened = true;
        emit openedChanged();
    }
    return true;
}

void LinkRouter::dismissNotice() { setNotice(QString()); }

void LinkRouter::setNotice(const QString &sentence)
{
    if (m_notice == sentence)
        return;
    m_notice = sentence;
    emit noticeChanged();
}

void LinkRouter::close()
{
    if (!m_opened)
        return;
    m_opened = false;
    emit openedChanged();
}

} // namespace larch
