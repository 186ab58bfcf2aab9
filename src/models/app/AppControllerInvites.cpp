// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: secure conversation invitations: the '+' form, the thread's banner, patient onboarding and
// invitation links (larch://invite/<token>).
#include "models/app/AppController.h"

#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/InvitationTextEditor.h"
#include "models/invites/InviteController.h"
#include "models/invites/PatientOnboarding.h"
#include "models/thread/InvitationBanner.h"

#include <QRegularExpression>
#include <QUrl>

namespace larch {

void AppController::connectInvites()
{
    auto practiceId = [this] { return m_session ? m_session->user.practiceId : QString(); };
    m_invite = new InviteController(m_api, m_sync, practiceId, this);
    m_banner = new InvitationBanner(m_api, this);
    m_invitationText = new InvitationTextEditor(m_api, practiceId, this);
    m_onboarding = new PatientOnboarding(
        m_api,
        [this](const QJsonObject &body) {
            // The patient's own server: the one the code was sent through.
            m_openWhenListed = m_onboarding->joinedConversationId();
            adoptSession(body);
        },
        this);
    connect(m_sync, &SyncEngine::invitationUpdated, m_banner, &InvitationBanner::applyInvitation);
    // The new conversation is in the list already (the create answer carries it): open it with its banner.
    connect(m_invite, &InviteController::created, this, [this](const QString &id) {
        openConversation(id);
        m_invite->reset();
    });
}

QObject *AppController::invite() const { return m_invite; }
QObject *AppController::invitation() const { return m_banner; }
QObject *AppController::invitationText() const { return m_invitationText; }
QObject *AppController::onboarding() const { return m_onboarding; }

void AppController::refreshInvitationBanner()
{
    const ConversationSummary *c = m_list->conversation(m_currentConversationId);
    const QString state = c ? c->invitationState : QString();
    const bool isStaff = m_session && m_session->user.isStaff();
    // Only a change of conversation or of state fetches: delivery updates arrive as events.
    if (m_currentConversationId == m_banner->conversationId()
        && m_banner->shown() == (state == QLatin1String("pending")))
        return;
    m_banner->setConversation(m_currentConversationId, state, isStaff);
}

QString AppController::invitationToken(const QString &link)
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

bool AppController::openInvitationLink(const QString &link)
{
    const QString token = invitationToken(link);
    const QString linkCode = token.isEmpty() ? practiceLinkCode(link) : QString();
    if (token.isEmpty() && linkCode.isEmpty())
        return false;
    if (m_resumingSession && !m_signedIn) {
        m_waitingInvitationLink = token.isEmpty() ? link.trimmed() : token;
        return true;
    }
    if (m_signedIn) {
        // Joining signs in with the invitation's contact, which would replace this session: say so instead.
        const bool isPatient = m_session && !m_session->user.isStaff();
        if (!linkCode.isEmpty()) {
            setInvitationNotice(
                isPatient
                    ? tr("You're already signed in. To join this practice, sign out and open the Practice Link again.")
                    : tr("You're signed in. Sign out first to join with this Practice Link."));
            return true;
        }
        setInvitationNotice(
            isPatient
                ? tr("You're already signed in. To add this invitation's conversation, sign out, choose \"Join as a "
                     "patient\" and enter the code sent to the phone or email the invitation went to.")
                : tr("You're signed in. Sign out first to join with this invitation."));
        return true;
    }
    if (token.isEmpty())
        m_onboarding->openPracticeLink(linkCode);
    else
        m_onboarding->openInvitation(token);
    if (!m_invitationLinkOpened) {
        m_invitationLinkOpened = true;
        emit invitationLinkOpenedChanged();
    }
    return true;
}

void AppController::dismissInvitationNotice() { setInvitationNotice(QString()); }

void AppController::setInvitationNotice(const QString &sentence)
{
    if (m_invitationNotice == sentence)
        return;
    m_invitationNotice = sentence;
    emit invitationNoticeChanged();
}

void AppController::closeInvitationLink()
{
    if (!m_invitationLinkOpened)
        return;
    m_invitationLinkOpened = false;
    emit invitationLinkOpenedChanged();
}

} // namespace larch
