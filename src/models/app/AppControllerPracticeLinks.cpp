// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: Practice Links: the staff's list of links (App.practiceLinks), kept current by events.
#include "models/app/AppController.h"

#include "client/net/EventStream.h"
#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/practicelinks/PracticeLinks.h"

namespace larch {

void AppController::connectPracticeLinks()
{
    m_practiceLinks = new PracticeLinks(
        m_api, [this] { return m_session->isStaff() ? m_session->practiceId() : QString(); },
        [this] { return m_session->isAdmin(); }, this);
    connect(m_sync->events(), &EventStream::eventArrived, m_practiceLinks, &PracticeLinks::applyEvent);
    // Another person (or nobody) is signed in now: nothing of the previous practice's links may show.
    connect(m_session, &AccountSession::userChanged, m_practiceLinks, &PracticeLinks::reset);
}

} // namespace larch
