// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// GET /dev/outbox and /dev/outbox.json: what the server would have sent, for development and demos.
#include "server/pages/PageRouter.h"

#include "server/pages/HtmlPage.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimeZone>

namespace larch::server {
namespace {

constexpr int ShownMax = 200;

/// Escaped text with its http(s):// and larch:// links made clickable.
QString linkified(const QString &text)
{
    static const QRegularExpression link(QStringLiteral(R"((?:https?|larch)://[^\s<>"']+)"));
    QString out;
    qsizetype last = 0;
    auto it = link.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += html::escape(text.mid(last, m.capturedStart() - last));
        const QString url = html::escape(m.captured());
        out += QStringLiteral("<a class=\"link\" href=\"%1\">%1</a>").arg(url);
        last = m.capturedEnd();
    }
    out += html::escape(text.mid(last));
    return out;
}

QString shownTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

const char kOutboxStyle[] = R"css(
main{max-width:48rem}
.delivery{margin:.75rem 0}
.meta{display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.9rem;color:#52625a}
.state{font-weight:600;text-transform:capitalize}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0 0}
)css";

} // namespace

ApiResponse outboxJson(Storage &storage)
{
    QJsonArray list;
    for (const OutboxRecord &d : storage.deliveries().recentDeliveries(Transport::Outbox, ShownMax))
        list.append(QJsonObject{
            {"id", d.id},
            {"channel", QLatin1String(channelName(d.channel))},
            {"to", d.to},
            {"subject", d.subject},
            {"body", d.body},
            {"state", QLatin1String(deliveryStateName(d.state))},
            {"invitationId", d.invitationId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.invitationId)},
            {"messageId", d.messageId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.messageId)},
            {"replyTo", d.replyTo.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.replyTo)},
            {"createdAt", d.createdAt}});
    ApiResponse r;
    r.body = QJsonDocument(QJsonObject{{"deliveries", list}}).toJson(QJsonDocument::Compact).toStdString();
    r.headers = {{"Cache-Control", "no-store"}};
    return r;
}

ApiResponse outboxPage(Storage &storage)
{
    const QList<OutboxRecord> deliveries = storage.deliveries().recentDeliveries(Transport::Outbox, ShownMax);
    QString items;
    for (const OutboxRecord &d : deliveries) {
        const bool email = d.channel == Channel::Email;
        items += QStringLiteral("<article class=\"card delivery\" data-id=\"%1\"><div class=\"meta\">"
                                "<span>%2 to <strong>%3</strong></span><span class=\"state\">%4</span>"
                                "<span>%5</span>%6</div>%7<p class=\"body\">%8</p></article>")
                     .arg(html::escape(d.id), email ? QStringLiteral("E-mail") : QStringLiteral("SMS"),
                          html::escape(d.to), QLatin1String(deliveryStateName(d.state)), shownTime(d.createdAt),
                          !d.invitationId.isEmpty()    ? QStringLiteral("<span>invitation</span>")
                              : !d.messageId.isEmpty() ? QStringLiteral("<span>message</span>")
                                                       : QStringLiteral("<span>one-time code or notice</span>"),
                          email ? QStringLiteral("<p><strong>%1</strong></p>").arg(html::escape(d.subject)) : QString(),
                          linkified(d.body));
    }
    if (deliveries.isEmpty())
        items = QStringLiteral("<p class=\"card\" id=\"empty\">Nothing has been sent yet. Invite a patient or ask for "
                               "a code, then <a href=\"/dev/outbox\">refresh</a>.</p>");
    const QString body = QStringLiteral("<h1>Development outbox</h1><p class=\"muted\">SMS and e-mail this server "
                                        "would have sent, newest first. Nothing here left the machine. "
                                        "<a href=\"/dev/outbox\">Refresh</a> · <a href=\"/dev/outbox.json\">JSON</a>"
                                        "</p>%1")
                             .arg(items);
    return html::response(200, html::document(QStringLiteral("Development outbox"), body, QLatin1String(kOutboxStyle)));
}

} // namespace larch::server
