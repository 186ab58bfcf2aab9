// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Where the request being handled on this thread came from, for the audit records its actions write.
#pragma once

#include <QString>

namespace larch::server {

/// The remote address of the API request this thread is handling, and the device its session is bound to once
/// it is authenticated.
struct RequestOrigin {
    QString address;
    QString userId; ///< the authenticated session's user; "" before authentication
    QString deviceId; ///< that session's device; "" when it has none
};

/// Makes origin this thread's RequestOrigin while it lives: ApiRouter::handle opens one per request (a thread
/// handles one request at a time), and AuditLog fills a record's address and device from it.
class OriginScope {
public:
    explicit OriginScope(const QString &address);
    ~OriginScope();
    OriginScope(const OriginScope &) = delete;
    OriginScope &operator=(const OriginScope &) = delete;

    /// This thread's origin; null outside a request.
    static RequestOrigin *current();

private:
    RequestOrigin m_origin;
    RequestOrigin *m_previous;
};

} // namespace larch::server
