// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// GET /i/{token}: the page an invitation link opens. It names no one: the link may be forwarded or seen by others.
#include "server/pages/PageRouter.h"

#include "core/crypto/Crypto.h"
#include "server/pages/HtmlPage.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

namespace larch::server {
namespace {

/// A link's token has the shape of larch::newToken(): base64url without padding.
bool plausibleToken(const QString &token)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{16,128}$"));
    return re.match(token).hasMatch();
}

/// A page for a link that does not lead to an open invitation.
ApiResponse politePage(const ServerConfig &config, int status, const QString &kind, const QString &heading,
                       const QString &text)
{
    const QString body = QStringLiteral("<div class=\"card\" id=\"invitation\" data-state=\"%1\"><h1>%2</h1><p>%3</p>"
                                        "<p>If you already have Larch, you can sign in with your phone number or "
                                        "e-mail address and ask your care team for a new invitation.</p></div>%4")
                             .arg(kind, html::escape(heading), html::escape(text), html::storeLinks(config));
    return html::response(status, html::document(heading, body));
}

QString expiryDate(qint64 expiresAt)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(expiresAt, QTimeZone::utc());
    return QLocale::c().toString(t.date(), QStringLiteral("MMMM d, yyyy"));
}

} // namespace

ApiResponse invitePage(const ServerConfig &config, Storage &storage, const QString &token)
{
    std::optional<InvitationRecord> invitation;
    if (plausibleToken(token))
        invitation = storage.invitations().invitationByToken(tokenDigest(token));
    if (!invitation)
        return politePage(config, 404, QStringLiteral("unknown"), QStringLiteral("This invitation link does not work"),
                          QStringLiteral("It may have been typed or copied incompletely, or replaced by a newer "
                                         "invitation. Please open the link from your most recent message."));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (invitation->state == QLatin1String("paired"))
        return politePage(config, 410, QStringLiteral("used"), QStringLiteral("This invitation has already been used"),
                          QStringLiteral("An account was created with it. Open Larch and sign in to message your "
                                         "care team."));
    if (invitation->state == QLatin1String("revoked"))
        return politePage(config, 410, QStringLiteral("revoked"), QStringLiteral("This invitation was withdrawn"),
                          QStringLiteral("Your care team cancelled it or sent a new one. Please contact them if you "
                                         "would like to message them on Larch."));
    if (invitation->state != QLatin1String("pending") || invitation->expiresAt <= now)
        return politePage(config, 410, QStringLiteral("expired"), QStringLiteral("This invitation has expired"),
                          QStringLiteral("Invitations work for a limited time. Please ask your care team to send "
                                         "you a new one."));

    const QString deepLink = QStringLiteral("larch://invite/") + token;
    const QString body =
        QStringLiteral(
            "<div class=\"card\" id=\"invitation\" data-state=\"pending\">"
            "<h1>You're invited to message your care team securely</h1>"
            "<p>Larch keeps your conversation private: messages are end-to-end encrypted.</p>"
            "<a class=\"button primary\" id=\"open-in-larch\" href=\"%1\">Open in Larch</a>"
            "<p class=\"muted\">Nothing happens when you tap it? Install the app first, then come back to this "
            "page and tap “Open in Larch” again.</p></div>"
            "%2"
            "<h2>How to join</h2><ol><li>Install Larch on your phone or computer.</li>"
            "<li>Tap “Open in Larch” on this page.</li>"
            "<li>Enter the code we send to you. That's all: your care team's conversation is waiting.</li></ol>"
            "<p class=\"muted\" id=\"expiry\">This invitation works until %3 and only for you.</p>")
            .arg(html::escape(deepLink), html::storeLinks(config), expiryDate(invitation->expiresAt));
    return html::response(200, html::document(QStringLiteral("Your Larch invitation"), body));
}

} // namespace larch::server
