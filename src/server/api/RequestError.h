// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The error a request handler raises; the router turns it into the protocol's JSON error response.
#pragma once

#include <QString>
#include <stdexcept>

namespace larch::server {

/// An HTTP status with the protocol's error code and a sentence for the user (docs/protocol.md, "Errors").
struct RequestError : std::exception {
    RequestError(int status, QString code, QString message)
        : status(status), code(std::move(code)), message(std::move(message))
    { }
    const char *what() const noexcept override { return "api error"; }

    int status;
    QString code;
    QString message;

    static RequestError notFound() { return {404, QStringLiteral("not_found"), QStringLiteral("No such resource.")}; }
    static RequestError forbidden()
    {
        return {403, QStringLiteral("forbidden"), QStringLiteral("Your role does not allow this.")};
    }
};

} // namespace larch::server
