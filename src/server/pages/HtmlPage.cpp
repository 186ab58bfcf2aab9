// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/pages/HtmlPage.h"

namespace larch::server::html {
namespace {

/// The look shared by every page: readable on a phone first, wider screens get a centred card.
const char kStyle[] = R"css(
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:17px;
line-height:1.5;color:#1d2b24;background:#eef3ef}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
.card{background:#fff;border-radius:16px;padding:1.5rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.5rem;line-height:1.25;margin:.75rem 0 .5rem}
.card>h1:first-child{margin-top:0}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
.mark{display:block;width:48px;height:48px;margin-bottom:1rem}
.button{display:block;text-align:center;text-decoration:none;font-weight:600;border-radius:12px;padding:.9rem 1rem;
margin:.75rem 0;min-height:48px}
.primary{background:#2f6b4f;color:#fff}
.secondary{background:#e3ece6;color:#1d2b24}
.muted{color:#52625a;font-size:.93rem}
ol{padding-left:1.25rem}
a{color:#2f6b4f}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;font:inherit;padding:.75rem;border:1px solid #b9c8bf;border-radius:10px;min-height:48px}
button.button{width:100%;border:0;font:inherit;font-weight:600;cursor:pointer}
.error{color:#a3261b;font-weight:600}
@media (prefers-color-scheme:dark){body{background:#121815;color:#e4ebe6}.card{background:#1c2420}
.secondary{background:#2a3530;color:#e4ebe6}.muted{color:#a3b2aa}a{color:#8fd0ae}.primary{background:#3f8a66}}
)css";

/// The Larch mark: a small inline drawing, so the page loads nothing.
const char kMark[] =
    R"svg(<svg class="mark" viewBox="0 0 48 48" role="img" aria-label="Larch"><rect width="48" height="48" rx="12" fill="#2f6b4f"/>)svg"
    R"svg(<path d="M24 9l9 13h-5l7 10H13l7-10h-5z" fill="#fff"/><rect x="22" y="32" width="4" height="7" fill="#fff"/></svg>)svg";

} // namespace

QString escape(const QString &text) { return text.toHtmlEscaped().replace(QLatin1Char('\''), QStringLiteral("&#39;")); }

QString document(const QString &title, const QString &body, const QString &extraStyle)
{
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<meta name=\"robots\" content=\"noindex\">"
                          "<title>%1</title><style>%2%3</style></head>\n<body><main>%4\n%5</main></body></html>\n")
        .arg(escape(title), QString::fromLatin1(kStyle), extraStyle, QString::fromLatin1(kMark), body);
}

QString storeLinks(const ServerConfig &config)
{
    const QString play = !config.androidAppUrl.empty()
        ? QString::fromStdString(config.androidAppUrl)
        : QStringLiteral("https://play.google.com/store/apps/details?id=")
            + QString::fromStdString(config.androidPackage);
    return QStringLiteral("<h2>Get the Larch app</h2>"
                          "<a class=\"button secondary\" id=\"app-store\" href=\"%1\">Download on the App Store</a>"
                          "<a class=\"button secondary\" id=\"google-play\" href=\"%2\">Get it on Google Play</a>"
                          "<a class=\"button secondary\" id=\"desktop\" href=\"%3\">Download for your computer</a>")
        .arg(escape(QString::fromStdString(config.iosAppUrl)), escape(play),
             escape(QString::fromStdString(config.desktopDownloadUrl)));
}

ApiResponse response(int status, const QString &document, FormTarget forms)
{
    ApiResponse r;
    r.status = status;
    r.body = document.toStdString();
    r.contentType = "text/html; charset=utf-8";
    r.headers = {
        {"Content-Security-Policy",
         forms == FormTarget::Self ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                                     "form-action 'self'; frame-ancestors 'none'"
                                   : "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                                     "form-action 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    };
    return r;
}

ApiResponse jsonDocument(const QByteArray &json)
{
    ApiResponse r;
    r.status = 200;
    r.body = json.toStdString();
    r.contentType = "application/json";
    r.headers = {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "max-age=3600"}};
    return r;
}

} // namespace larch::server::html
