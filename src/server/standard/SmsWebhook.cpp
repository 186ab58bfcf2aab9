// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// POST /v1/webhooks/sms/status: the SMS gateway reports what became of a message (Twilio's status callback); and the
// signature check every request of the gateway passes (the inbound webhook's too).
#include "server/pages/PageRouter.h"

#include "server/api/FormData.h"
#include "server/delivery/CourierFactory.h"
#include "server/transport/Log.h"

#include <QJsonObject>

namespace larch::server {
namespace {

ApiResponse fail(int status, const char *code, const QString &message)
{
    return errorResponse(status, QLatin1String(code), message);
}

ApiResponse result(const char *outcome)
{
    ApiResponse r;
    r.body = std::string(R"({"result":")") + outcome + "\"}";
    return r;
}

/// Why the gateway could not deliver, in a sentence for the practice (Twilio's common error codes).
QString failureSentence(const QByteArray &errorCode)
{
    QString code;
    for (char c : errorCode)
        if (c >= '0' && c <= '9' && code.size() < 8)
            code += QLatin1Char(c);
    QString reason;
    if (code == QLatin1String("30003") || code == QLatin1String("30005"))
        reason = QStringLiteral("The phone could not be reached; it may be switched off or the number may be wrong.");
    else if (code == QLatin1String("30006"))
        reason = QStringLiteral("The number cannot receive text messages; it may be a landline.");
    else if (code == QLatin1String("30004") || code == QLatin1String("30007"))
        reason = QStringLiteral("The phone company blocked the message.");
    else if (code == QLatin1String("21610"))
        reason = QStringLiteral("The person has opted out of text messages from this number.");
    else
        reason = QStringLiteral("The phone company could not deliver the message.");
    if (!code.isEmpty())
        reason += QStringLiteral(" (error %1)").arg(code);
    return reason;
}

bool isFormContentType(const std::string &ct)
{
    const QByteArray type = QByteArray::fromStdString(ct.substr(0, ct.find(';'))).trimmed().toLower();
    return type == "application/x-www-form-urlencoded";
}

} // namespace

std::optional<ApiResponse> readGatewayForm(const ServerConfig &config, const ApiRequest &request, FormFields &out)
{
    if (!smsGatewayConfigured(config))
        return fail(404, "not_found", QStringLiteral("No SMS gateway is configured on this server."));
    if (!isFormContentType(request.contentType))
        return fail(415, "unsupported_media_type",
                    QStringLiteral("Send the fields as Content-Type: application/x-www-form-urlencoded."));
    const auto fields = parseForm(QByteArray::fromStdString(request.body));
    if (!fields)
        return fail(400, "bad_form", QStringLiteral("The body is not valid form data."));

    std::string publicUrl = config.publicUrl;
    while (!publicUrl.empty() && publicUrl.back() == '/')
        publicUrl.pop_back();
    const QByteArray url = QByteArray::fromStdString(publicUrl + request.target);
    const QByteArray expected = gatewaySignature(QByteArray::fromStdString(config.smsToken), url, *fields);
    if (request.signature.empty() || !signatureMatches(expected, QByteArray::fromStdString(request.signature))) {
        log::warn("sms gateway request refused: bad signature");
        return fail(403, "bad_signature", QStringLiteral("The request signature does not match."));
    }
    out = *fields;
    return std::nullopt;
}

ApiResponse smsStatusWebhook(const ServerConfig &config, Courier &courier, const ApiRequest &request)
{
    FormFields fields;
    if (auto refused = readGatewayForm(config, request, fields))
        return *refused;

    const auto sid = formValue(fields, "MessageSid");
    const auto status = formValue(fields, "MessageStatus");
    if (!sid || sid->isEmpty())
        return fail(400, "missing_field", QStringLiteral("MessageSid is required."));
    if (!status || status->isEmpty())
        return fail(400, "missing_field", QStringLiteral("MessageStatus is required."));

    DeliveryState state = DeliveryState::Queued;
    QString detail;
    if (*status == "queued" || *status == "accepted" || *status == "scheduled" || *status == "sending")
        state = DeliveryState::Queued; // still on its way: nothing new to show
    else if (*status == "sent")
        state = DeliveryState::Sent;
    else if (*status == "delivered" || *status == "read")
        state = DeliveryState::Delivered;
    else if (*status == "undelivered" || *status == "failed" || *status == "canceled") {
        state = DeliveryState::Failed;
        detail = failureSentence(formValue(fields, "ErrorCode").value_or(QByteArray()));
    } else
        return fail(400, "invalid_field",
                    QStringLiteral("MessageStatus must be queued, sending, sent, delivered, undelivered or failed."));

    if (!courier.applyGatewayStatus(QString::fromUtf8(*sid), state, detail))
        return result("ignored");
    return result("applied");
}

} // namespace larch::server
