// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/conversations/CurrentConversation.h"

#include "client/e2ee/SecureSync.h"
#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/thread/ThreadModel.h"

namespace larch {

CurrentConversation::CurrentConversation(ConversationListModel *list, ThreadModel *thread, ComposeController *compose,
                                         SyncEngine *sync, AccountSession *session, QObject *parent)
    : QObject(parent), m_list(list), m_thread(thread), m_compose(compose), m_sync(sync), m_session(session)
{
    // Connected after the list's own update, so the title read here is the new one.
    connect(m_sync, &SyncEngine::conversationChanged, this, [this](const ConversationSummary &summary) {
        if (summary.id == m_id)
            emit changed();
        if (!m_openWhenListed.isEmpty() && summary.id == m_openWhenListed && m_session->signedIn()) {
            m_openWhenListed.clear();
            open(summary.id);
        }
    });
    connect(m_sync, &SyncEngine::messageAdded, this, [this](const StoredMessage &stored) {
        const Message &message = stored.message;
        if (message.conversationId == m_id && m_windowActive && message.senderId != m_session->userId())
            m_sync->markRead(message.conversationId);
    });
    connect(m_session, &AccountSession::signedInChanged, this, [this] {
        if (!m_session->signedIn())
            m_openWhenListed.clear();
    });
}

QString CurrentConversation::title() const
{
    const ConversationSummary *c = m_list->conversation(m_id);
    return c ? c->title : QString();
}

bool CurrentConversation::secure() const
{
    const ConversationSummary *c = m_list->conversation(m_id);
    return c && c->kind == QLatin1String("secure");
}

void CurrentConversation::open(const QString &id)
{
    if (!m_session->signedIn() || !m_list->conversation(id))
        return;
    if (id != m_id) {
        emit switching();
        m_id = id;
        m_compose->setConversation(id);
        m_thread->open(id);
        m_sync->secure()->loadDevices(id);
        emit changed();
    }
    m_sync->markRead(id);
}

void CurrentConversation::close()
{
    if (m_id.isEmpty())
        return;
    emit switching(); // a file of this conversation stays decrypted no longer than it is open
    m_id.clear();
    m_compose->setConversation(QString());
    m_thread->close();
    emit changed();
}

void CurrentConversation::setWindowActive(bool active)
{
    m_windowActive = active;
    if (active && !m_id.isEmpty())
        m_sync->markRead(m_id);
}

} // namespace larch
