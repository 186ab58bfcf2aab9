// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: secure conversation invitations: the '+' form, the thread's banner, patient onboarding and the
// links the app is opened with.
#include "models/app/AppController.h"

#include "client/net/ApiClient.h"
#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/InvitationTextEditor.h"
#include "models/invites/InviteController.h"
#include "models/invites/LinkRouter.h"
#include "models/invites/PatientOnboarding.h"
#include "models/thread/InvitationBanner.h"
#include "models/thread/PracticeIdentityWarning.h"

namespace larch {

void AppController::connectInvites()
{
    auto practiceId = [this] { return m_session->practiceId(); };
    m_invite = new InviteController(m_api, m_sync, practiceId, this);
    m_banner = new InvitationBanner(m_api, this);
    m_invitationText = new InvitationTextEditor(m_api, practiceId, this);
    m_onboarding = new PatientOnboarding(
        m_api,
        [this](const QJsonObject &body) {
            // The patient's own server: the one the code was sent through.
            m_current->openWhenListed(m_onboarding->joinedConversationId());
            // A Practice Link that carried the practice's code: the practice identity is pinned only if it is that one.
            m_practiceIdentity->expectAfterSignIn(m_onboarding->joinedConversationId(),
                                                  m_onboarding->linkFingerprint());
            m_session->adoptSession(body);
        },
        this);
    m_links = new LinkRouter(m_session, m_onboarding, this);
    connect(m_sync, &SyncEngine::invitationUpdated, m_banner, &InvitationBanner::applyInvitation);
    connect(m_current, &CurrentConversation::changed, this, &AppController::refreshInvitationBanner);
    // The new conversation is in the list already (the create answer carries it): open it with its banner.
    connect(m_invite, &InviteController::created, this, [this](const QString &id) {
        m_current->open(id);
        m_invite->reset();
    });
}

void AppController::refreshInvitationBanner()
{
    const QString id = m_current->id();
    const ConversationSummary *c = m_list->conversation(id);
    const QString state = c ? c->invitationState : QString();
    // Only a change of conversation or of state fetches: delivery updates arrive as events.
    if (id == m_banner->conversationId() && m_banner->shown() == (state == QLatin1String("pending")))
        return;
    m_banner->setConversation(id, state, m_session->isStaff());
}

} // namespace larch
