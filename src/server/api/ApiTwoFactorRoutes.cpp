// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The two-factor sign-in routes of ApiRouter (docs/protocol.md, "Two-factor sign-in").
#include "server/api/ApiRouter.h"

#include "server/api/ApiRoutes.h"

#include <QJsonArray>

namespace larch::server {
namespace {

ApiResponse json(int status, const QJsonObject &o) { return ApiResponse{status, compactJson(o), {}}; }

/// A code as typed: 6 digits from the app or a recovery code, with spaces or a hyphen.
QString codeField(FieldReader &r) { return r.string("code", 1, 32); }

QJsonObject recoveryCodes(const QStringList &codes) { return {{"recoveryCodes", QJsonArray::fromStringList(codes)}}; }

} // namespace

ApiResponse ApiRouter::twoFactorRoute(const Match &m, const ApiRequest &request)
{
    switch (m.route) {
    case Route::SessionTwoFactor: {
        FieldReader r(jsonBody(request));
        const QString challenge = r.string("challenge", 1, 256);
        const QString code = codeField(r);
        checkFields(r);
        return json(201, m_accounts.answerChallenge(challenge, code, request.remoteAddress).toJson());
    }
    case Route::TwoFactor: {
        const auto a = authEnrolling(request);
        if (request.method == "GET")
            return json(200, m_twoFactor.status(a.user));
        return json(201, m_twoFactor.begin(a.user));
    }
    case Route::TwoFactorConfirm: {
        const auto a = authEnrolling(request);
        FieldReader r(jsonBody(request));
        const QString code = codeField(r);
        checkFields(r);
        return json(200, recoveryCodes(m_twoFactor.confirm(a.user, code)));
    }
    case Route::TwoFactorDisable: {
        const auto a = auth(request);
        FieldReader r(jsonBody(request));
        const QString code = codeField(r);
        checkFields(r);
        m_twoFactor.disable(a.user, code);
        return ApiResponse{204, {}, {}};
    }
    case Route::TwoFactorRecoveryCodes: {
        const auto a = auth(request);
        FieldReader r(jsonBody(request));
        const QString code = codeField(r);
        checkFields(r);
        return json(200, recoveryCodes(m_twoFactor.renewRecoveryCodes(a.user, code)));
    }
    case Route::StaffTwoFactor: {
        const auto a = auth(request);
        m_twoFactor.reset(a.user, m.id, m.id2);
        return ApiResponse{204, {}, {}};
    }
    default: break;
    }
    throw RequestError::notFound();
}

} // namespace larch::server
