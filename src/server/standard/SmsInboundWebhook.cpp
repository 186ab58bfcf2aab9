// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// POST /v1/webhooks/sms/inbound: the SMS gateway posts a text a contact sent to the server's number (Twilio's
// incoming-message shape), signed like its status callbacks.
#include "server/pages/PageRouter.h"

#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"

namespace larch::server {
namespace {

ApiResponse fail(int status, const char *code, const QString &message)
{
    return errorResponse(status, QLatin1String(code), message);
}

/// An empty TwiML answer: the server replies, when it does, through the courier, never in the webhook's answer.
ApiResponse emptyTwiml()
{
    ApiResponse r;
    r.contentType = "text/xml; charset=utf-8";
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    return r;
}

/// A sender as the gateway writes it: E.164, "+" and 8 to 15 digits.
bool isE164(const QByteArray &number)
{
    if (number.size() < 9 || number.size() > 16 || number[0] != '+')
        return false;
    for (qsizetype i = 1; i < number.size(); ++i)
        if (number[i] < '0' || number[i] > '9')
            return false;
    return true;
}

} // namespace

ApiResponse smsInboundWebhook(const ServerConfig &config, StandardService &standard, const ApiRequest &request)
{
    FormFields fields;
    if (auto refused = readGatewayForm(config, request, fields))
        return *refused;
    const auto from = formValue(fields, "From");
    const auto sid = formValue(fields, "MessageSid");
    if (!from || from->isEmpty())
        return fail(400, "missing_field", QStringLiteral("From is required."));
    if (!sid || sid->isEmpty())
        return fail(400, "missing_field", QStringLiteral("MessageSid is required."));
    if (sid->size() > 64)
        return fail(400, "invalid_field", QStringLiteral("MessageSid is longer than 64 characters."));
    const QString body = QString::fromUtf8(formValue(fields, "Body").value_or(QByteArray()));
    if (textLength(body) > Limits::MessageBodyMax)
        return fail(400, "invalid_field", QStringLiteral("Body is longer than 20,000 characters."));
    // A sender that is no phone number (a short code, an alphanumeric id) has no conversation: acknowledged, ignored.
    if (isE164(*from))
        standard.receiveSms(QString::fromLatin1(*from), body, QString::fromUtf8(*sid));
    return emptyTwiml();
}

} // namespace larch::server
