// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: the practice's staff (App.staff), for its administrators.
#include "models/app/AppController.h"

#include "models/app/AccountSession.h"
#include "models/staff/StaffDirectory.h"

namespace larch {

void AppController::connectStaff()
{
    m_staff = new StaffDirectory(
        m_api, [this] { return m_session->isAdmin() ? m_session->practiceId() : QString(); },
        [this] { return m_session->userId(); }, this);
    // Another person (or nobody) is signed in now: the previous practice's staff must not show.
    connect(m_session, &AccountSession::userChanged, m_staff, &StaffDirectory::reset);
}

} // namespace larch
