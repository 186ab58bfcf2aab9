// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: the practice's audit log (App.auditLog), for its administrators.
#include "models/app/AppController.h"

#include "models/app/AccountSession.h"
#include "models/audit/PracticeAuditLog.h"

namespace larch {

void AppController::connectAuditLog()
{
    m_auditLog = new PracticeAuditLog(
        m_api, [this] { return m_session->isAdmin() ? m_session->practiceId() : QString(); },
        [this] { return m_session->isAdmin(); }, this);
    // Another person (or nobody) is signed in now: nothing of the previous practice's log may show.
    connect(m_session, &AccountSession::userChanged, m_auditLog, &PracticeAuditLog::reset);
}

} // namespace larch
