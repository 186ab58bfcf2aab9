// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: standard (SMS/email) conversations: the '+' form, the open thread's consent and opt-out state,
// "Invite to Secure Conversation", plain sends the compose bar checks first, and delivery updates in the thread.
#include "models/app/AppController.h"

#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/CurrentConversation.h"
#include "models/invites/StandardConversationForm.h"
#include "models/thread/StandardThread.h"
#include "models/thread/ThreadModel.h"

namespace larch {

void AppController::connectStandard()
{
    m_standard = new StandardThread(m_api, m_sync, this);
    m_standardForm = new StandardConversationForm(
        m_api, m_sync, [this] { return m_session->practiceId(); }, this);
    // changed fires on opening, closing and every change of the open conversation's summary.
    connect(m_current, &CurrentConversation::changed, this, &AppController::refreshStandardThread);
    connect(m_sync, &SyncEngine::messageUpdated, m_thread, &ThreadModel::updateMessage);

    // The compose bar asks before sending: without consent, or after STOP, the text stays where it is.
    m_compose->setSendCheck([this](const QString &conversationId, const QString &body) {
        return m_standard->refusalFor(conversationId, body);
    });
    connect(m_standard, &StandardThread::changed, m_compose, &ComposeController::refreshSendCheck);
    // Files go only where they are end-to-end encrypted: a drop on an SMS/email conversation is refused.
    m_compose->attachments()->setAcceptCheck([this](const QString &conversationId) {
        const ConversationSummary *c = m_list->conversation(conversationId);
        if (!c || !c->isStandard())
            return QString();
        return QStringLiteral("Attachments can be sent only in secure conversations; this one goes by %1, which is "
                              "not end-to-end encrypted. Invite the patient to a secure conversation from the ⋮ "
                              "menu to send files.")
            .arg(c->kind == QLatin1String("email") ? QStringLiteral("email") : QStringLiteral("text message"));
    });
    // A send the server refused (consent, STOP, a gateway limit) keeps its text: back into the empty draft.
    connect(m_sync, &SyncEngine::messageFailed, this, [this](const QString &clientId, const QString &) {
        const auto entry = m_store->outbox().entry(clientId);
        if (!entry)
            return;
        const ConversationSummary *c = m_list->conversation(entry->conversationId);
        if (c && c->isStandard())
            m_compose->restoreRefused(entry->conversationId, entry->body);
    });

    // The new secure conversation (or the one the practice already had) is in the list: open it.
    connect(m_standard, &StandardThread::secureConversationReady, m_current, &CurrentConversation::open);
    connect(m_standardForm, &StandardConversationForm::created, this, [this](const QString &id) {
        m_current->open(id);
        m_standardForm->reset(Channel::name(m_standardForm->channel()));
    });
}

void AppController::refreshStandardThread()
{
    const ConversationSummary *c = m_list->conversation(m_current->id());
    m_standard->setConversation(c);
    m_thread->setStandard(c ? c->standard : std::nullopt);
}

} // namespace larch
