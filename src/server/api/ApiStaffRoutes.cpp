// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The staff routes of ApiRouter (docs/protocol.md, "Staff"): the list, adding, roles, setup links, deactivating.
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"

#include <QJsonArray>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

} // namespace

ApiResponse ApiRouter::staffRoute(const Match &m, const ApiRequest &request)
{
    const auto a = auth(request);
    const bool reading = request.method == "GET";
    switch (m.route) {
    case Route::Staff: {
        if (reading) {
            QJsonArray list;
            for (const StaffMember &s : m_staff.list(a, m.id))
                list.append(s.toJson());
            return json(200, {{"staff", list}});
        }
        const QJsonObject body = jsonBody(request);
        FieldReader r(body);
        const QString name = r.string("name", 1, Limits::NameMax);
        const QString email = r.email("email");
        const QJsonValue given = body.value(QLatin1String("password"));
        const QString password = given.isUndefined() || given.isNull() ? QString() : r.password("password");
        const QString role = r.oneOf("role", {"clinician", "admin"});
        checkFields(r);
        // With a password (scripts, the demo) the account is ready at once; without one, the colleague chooses it
        // through an emailed setup link.
        if (!password.isEmpty())
            return json(201, m_accounts.addStaff(a.user, m.id, name, email, password, role).toJson());
        return json(201, m_staff.add(a, m.id, name, email, role, request.remoteAddress).toJson());
    }
    case Route::StaffMember: {
        if (request.method == "DELETE") {
            m_devices.deactivateStaff(a, m.id, m.id2);
            return ApiResponse{204, {}, {}};
        }
        FieldReader r(jsonBody(request));
        const QString role = r.oneOf("role", {"clinician", "admin"});
        checkFields(r);
        return json(200, m_staff.changeRole(a, m.id, m.id2, role, request.remoteAddress).toJson());
    }
    case Route::StaffSetupLink:
        return json(200, m_staff.resendSetupLink(a, m.id, m.id2, request.remoteAddress).toJson());
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
