// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// /setup/{token}: where the first administrator of a practice the operator created, or a colleague an administrator
// added, chooses a password. The page names neither the practice nor the person: whoever holds the link is told only
// what to do.
#include "server/api/FormData.h"
#include "server/api/RequestError.h"
#include "server/pages/HtmlPage.h"
#include "server/pages/PageRouter.h"

namespace larch::server {
namespace {

/// A page for a link that cannot be used: what happened and what to do.
ApiResponse closedPage(SetupLinkState state)
{
    const bool used = state == SetupLinkState::Used;
    const bool expired = state == SetupLinkState::Expired;
    const QString heading = used ? QStringLiteral("This link was already used")
        : expired                ? QStringLiteral("This link has expired")
                                 : QStringLiteral("This link does not work");
    const QString text = used ? QStringLiteral("A password was set with it. Sign in with the Larch app; if you have "
                                               "forgotten the password, ask whoever sent you the link (your practice's "
                                               "administrator, or your server's operator) for a new one.")
        : expired
        ? QStringLiteral(
            "Setup links work for 72 hours, and a newer link sent to you replaces this one. Use the newest, "
            "or ask your practice's administrator (or your server's operator) for a new one.")
        : QStringLiteral("It may have been copied incompletely. Check the link, or ask whoever sent it for a new one.");
    const QString kind = used ? QStringLiteral("used")
        : expired             ? QStringLiteral("expired")
                              : QStringLiteral("unknown");
    const QString body = QStringLiteral("<div class=\"card\" id=\"setup\" data-state=\"%1\"><h1>%2</h1><p>%3</p></div>")
                             .arg(kind, html::escape(heading), html::escape(text));
    return html::response(state == SetupLinkState::Unknown ? 404 : 410, html::document(heading, body));
}

/// The form, with a sentence on what to fix when a try was refused.
ApiResponse formPage(int status, const QString &problem)
{
    const QString error = problem.isEmpty()
        ? QString()
        : QStringLiteral("<p class=\"error\" id=\"problem\" role=\"alert\">%1</p>").arg(html::escape(problem));
    const QString body =
        QStringLiteral("<div class=\"card\" id=\"setup\" data-state=\"open\">"
                       "<h1>Choose your password</h1>"
                       "<p>Choose the password you will sign in to Larch with; it has at least 10 characters. "
                       "This link works once.</p>%1"
                       "<form method=\"post\">"
                       "<label for=\"password\">New password</label>"
                       "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" "
                       "minlength=\"10\" required>"
                       "<label for=\"confirm\">Type it again</label>"
                       "<input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" "
                       "minlength=\"10\" required>"
                       "<button class=\"button primary\" id=\"set-password\" type=\"submit\">Set password</button>"
                       "</form></div>")
            .arg(error);
    return html::response(status, html::document(QStringLiteral("Choose your password"), body), html::FormTarget::Self);
}

ApiResponse donePage()
{
    const QString body =
        QStringLiteral("<div class=\"card\" id=\"setup\" data-state=\"done\"><h1>Your password is set</h1>"
                       "<p>Open the Larch app on your computer and sign in with your email address and this password. "
                       "Administrators add colleagues from the account menu's Staff page.</p></div>");
    return html::response(200, html::document(QStringLiteral("Your password is set"), body));
}

} // namespace

ApiResponse setupPage(PracticeSetup &setup, const ApiRequest &request, const QString &token)
{
    const SetupLinkState state = setup.state(token);
    if (state != SetupLinkState::Open)
        return closedPage(state);
    if (request.method == "GET")
        return formPage(200, {});
    const auto fields = parseForm(QByteArray::fromStdString(request.body));
    if (!fields)
        return formPage(400, QStringLiteral("The form arrived damaged. Type your password again."));
    const QString password = QString::fromUtf8(formValue(*fields, "password").value_or(QByteArray()));
    const QString confirm = QString::fromUtf8(formValue(*fields, "confirm").value_or(QByteArray()));
    if (password != confirm)
        return formPage(400, QStringLiteral("The two passwords are not the same. Type the same password twice."));
    try {
        const SetupLinkState result = setup.setPassword(token, password, request.remoteAddress);
        return result == SetupLinkState::Open ? donePage() : closedPage(result);
    } catch (const RequestError &e) {
        return formPage(e.status, e.message);
    }
}

} // namespace larch::server
