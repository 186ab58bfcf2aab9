// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// GET /p/{code}: the page a Practice Link opens. It names the practice, which publishes the link itself, and
// never a patient.
#include "server/pages/PageRouter.h"

#include "server/pages/HtmlPage.h"
#include "server/practicelinks/PracticeLinkService.h"

namespace larch::server {
namespace {

/// A page for a link that does not lead anywhere (yet): what happened and what to do.
ApiResponse politePage(const ServerConfig &config, int status, const QString &state, const QString &heading,
                       const QString &text)
{
    const QString body = QStringLiteral("<div class=\"card\" id=\"practice-link\" data-state=\"%1\">"
                                        "<h1>%2</h1><p>%3</p><p>If you already have Larch, you can sign in with "
                                        "your phone number or e-mail address and message the practices you know "
                                        "there.</p></div>%4")
                             .arg(state, html::escape(heading), html::escape(text), html::storeLinks(config));
    return html::response(status, html::document(heading, body));
}

} // namespace

ApiResponse practiceLinkPage(const ServerConfig &config, Storage &storage, const QString &code,
                             const QString &fingerprint)
{
    const auto link =
        PracticeLinkService::plausibleCode(code) ? storage.practiceLinks().practiceLinkByCode(code) : std::nullopt;
    const auto practice = link ? storage.accounts().practice(link->practiceId) : std::nullopt;
    if (!practice)
        return politePage(config, 404, QStringLiteral("unknown"), QStringLiteral("This Practice Link does not work"),
                          QStringLiteral("It may have been typed or copied incompletely. Please check the link, or "
                                         "ask your practice for it."));
    const QString name = html::escape(practice->name);
    if (!link->enabled)
        return politePage(
            config, 410, QStringLiteral("disabled"), QStringLiteral("This Practice Link is turned off"),
            QStringLiteral("%1 no longer uses this link. Please ask the practice for a new one.").arg(practice->name));

    const QString deepLink = QStringLiteral("larch://practice/") + code
        + (fingerprint.isEmpty() ? QString() : QStringLiteral("?fp=") + fingerprint);
    const QString body =
        QStringLiteral(
            "<div class=\"card\" id=\"practice-link\" data-state=\"enabled\">"
            "<h1>Join <span id=\"practice-name\">%1</span> on Larch</h1>"
            "<p>Message your care team at %1 securely: your conversation is end-to-end encrypted.</p>"
            "<a class=\"button primary\" id=\"open-in-larch\" href=\"%2\">Open in Larch</a>"
            "<p class=\"muted\">Nothing happens when you tap it? Install the app first, then come back to this "
            "page and tap “Open in Larch” again.</p></div>"
            "%3"
            "<h2>How to join</h2><ol><li>Install Larch on your phone or computer.</li>"
            "<li>Tap “Open in Larch” on this page.</li>"
            "<li>Give your phone number or e-mail address and enter the code we send you. Your conversation with "
            "%1 opens.</li></ol>")
            .arg(name, html::escape(deepLink), html::storeLinks(config));
    return html::response(200, html::document(QStringLiteral("Join %1 on Larch").arg(practice->name), body));
}

} // namespace larch::server
