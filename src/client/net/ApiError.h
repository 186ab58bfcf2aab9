// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What went wrong with a request to the server, in words a clinician or patient can act on.
#pragma once

#include <QString>

namespace larch {

/// The outcome class of a failed request and the sentence the app shows for it.
struct ApiError {
    enum class Kind {
        None,
        InvalidUrl, ///< the server address is not a usable http(s) URL
        InsecureUrl, ///< plain http:// to a host that is not this computer
        Unreachable, ///< no connection could be made (refused, unknown host, dropped)
        Timeout, ///< the server did not answer in time
        WrongCredentials, ///< sign-in with an unknown email or a wrong password
        SessionEnded, ///< the token expired, was revoked or signed out
        RateLimited, ///< too many attempts; try again later
        Conflict, ///< e.g. a clientId reused with another body
        NotFound,
        Rejected, ///< any other 4xx: the request itself is wrong
        ServerError, ///< 5xx
        BadResponse, ///< the server answered something that is not the protocol
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString code; ///< the protocol's error code, when the server sent one
    QString sentence; ///< one sentence for the person using the app
    QString serverMessage; ///< the server's own sentence, when it sent one (e.g. which limit was reached)

    bool isNone() const { return kind == Kind::None; }
    /// True when trying again later may succeed: network trouble, timeouts, 5xx, rate limits.
    bool isTransient() const;

    static ApiError make(Kind kind, int httpStatus = 0, const QString &code = {}, const QString &serverMessage = {});
};

/// Sentences shared by the client and its tests, so the app and the tests agree on the words.
namespace ErrorText {
QString sessionEnded();
QString wrongCredentials();
QString unreachable();
QString timeout();
QString insecureUrl();
QString invalidUrl();
QString rateLimited();
QString serverError(int status);
QString badResponse();
} // namespace ErrorText

} // namespace larch
