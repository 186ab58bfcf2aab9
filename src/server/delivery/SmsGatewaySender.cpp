// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/delivery/SmsGatewaySender.h"

#include "server/delivery/CurlEasy.h"
#include "server/transport/Log.h"

#include <memory>
#include <QJsonDocument>
#include <QJsonObject>

namespace larch::server {
namespace {

std::string trimSlash(std::string s)
{
    while (!s.empty() && s.back() == '/')
        s.pop_back();
    return s;
}

/// name=value with both form-encoded by libcurl.
std::string formField(CURL *curl, const char *name, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    std::unique_ptr<char, decltype(&curl_free)> escaped(curl_easy_escape(curl, utf8.constData(), int(utf8.size())),
                                                        &curl_free);
    return std::string(name) + "=" + (escaped ? escaped.get() : "");
}

/// The gateway's "message" from an error answer, shortened; "" when it gave none.
QString gatewayMessage(const std::string &body)
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
    QString message = o.value(QLatin1String("message")).toString().simplified();
    if (message.size() > 200)
        message = message.left(199) + QChar(0x2026);
    return message;
}

} // namespace

std::string SmsGatewaySender::statusCallbackUrl(const std::string &publicUrl)
{
    return trimSlash(publicUrl) + "/v1/webhooks/sms/status";
}

SendOutcome SmsGatewaySender::send(const OutboxRecord &d, const std::atomic<bool> &stopping)
{
    CurlEasy curl(stopping);
    CURL *h = curl.get();
    std::unique_ptr<char, decltype(&curl_free)> account(
        curl_easy_escape(h, m_settings.account.data(), int(m_settings.account.size())), &curl_free);
    const std::string url =
        trimSlash(m_settings.baseUrl) + "/2010-04-01/Accounts/" + (account ? account.get() : "") + "/Messages.json";
    const std::string form = formField(h, "To", d.to) + "&"
        + formField(h, "From", QString::fromStdString(m_settings.from)) + "&" + formField(h, "Body", d.body) + "&"
        + formField(h, "StatusCallback", QString::fromStdString(statusCallbackUrl(m_publicUrl)));
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, m_settings.account.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, m_settings.token.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, long(form.size()));
    curl_slist *headers = curl_slist_append(nullptr, "Accept: application/json");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    const CURLcode rc = curl.perform();
    curl_slist_free_all(headers);

    if (rc != CURLE_OK) {
        log::warn(std::string("sms gateway transfer failed: ")
                  + (curl.errorText()[0] ? curl.errorText() : curl_easy_strerror(rc)));
        return SendOutcome::retry(QStringLiteral("The SMS gateway could not be reached."));
    }
    const long status = curl.responseCode();
    if (status == 200 || status == 201) {
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(curl.response())).object();
        const QString sid = o.value(QLatin1String("sid")).toString();
        const QString state = o.value(QLatin1String("status")).toString();
        if (state == QLatin1String("failed") || state == QLatin1String("undelivered"))
            return SendOutcome::failed(QStringLiteral("The SMS gateway could not send the message."));
        if (sid.isEmpty()) {
            log::warn("sms gateway accepted a message without a sid; status callbacks cannot be matched");
        }
        return SendOutcome::sent(sid);
    }
    log::warn("sms gateway answered HTTP " + std::to_string(status));
    if (status == 429 || status >= 500)
        return SendOutcome::retry(QStringLiteral("The SMS gateway was unavailable (HTTP %1).").arg(status));
    if (status == 401 || status == 403)
        return SendOutcome::failed(
            QStringLiteral("The SMS gateway refused the server's credentials; check --sms-account and --sms-token."));
    const QString message = gatewayMessage(curl.response());
    if (message.isEmpty())
        return SendOutcome::failed(QStringLiteral("The SMS gateway refused the message (HTTP %1).").arg(status));
    return SendOutcome::failed(QStringLiteral("The SMS gateway refused the message: %1").arg(message)
                               + (message.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral(".")));
}

} // namespace larch::server
