// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/audit/AuditLog.h"

#include "server/audit/RequestOrigin.h"

#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <exception>

namespace larch::server {

void AuditLog::record(const Actor &who, const QString &action, const QStringList &objectIds)
{
    AuditRecord r;
    r.at = nowMs();
    r.practiceId = who.practiceId;
    r.userId = who.userId;
    r.deviceId = who.deviceId;
    r.action = action;
    r.objectIds = objectIds;
    r.address = who.address;
    // Inside an API request, where it came from and the session's device, unless the caller named them.
    if (const RequestOrigin *origin = OriginScope::current()) {
        if (r.address.isEmpty())
            r.address = origin->address;
        if (r.deviceId.isEmpty() && r.userId == origin->userId)
            r.deviceId = origin->deviceId;
    }
    try {
        m_storage.audit().appendAudit(r);
    } catch (const std::exception &e) {
        log::error("an audit record could not be written (" + action.toStdString() + "): " + e.what());
    }
}

} // namespace larch::server
