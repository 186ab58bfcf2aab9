// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// POST /v1/webhooks/email/inbound: an e-mail provider posts a reply it received and parsed (Mailgun's route shape:
// multipart/form-data or urlencoded), signed with HMAC-SHA256 over timestamp + token.
#include "server/pages/PageRouter.h"

#include "server/api/MultipartForm.h"
#include "server/transport/Log.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <QDateTime>

namespace larch::server {
namespace {

/// How old (or how far ahead) a signed timestamp may be.
constexpr qint64 SignatureWindowSeconds = 15 * 60;

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

QByteArray mediaType(const std::string &contentType)
{
    return QByteArray::fromStdString(contentType.substr(0, contentType.find(';'))).trimmed().toLower();
}

/// The value of a field whose name matches in any case, or "".
QByteArray field(const FormFields &fields, const QByteArray &name)
{
    for (const auto &[n, v] : fields)
        if (n.toLower() == name.toLower())
            return v;
    return {};
}

/// Lower-case hex of HMAC-SHA256(key, data).
QByteArray hmacSha256Hex(const QByteArray &key, const QByteArray &data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.constData(), int(key.size()), reinterpret_cast<const unsigned char *>(data.constData()),
         size_t(data.size()), mac, &length);
    return QByteArray(reinterpret_cast<const char *>(mac), int(length)).toHex();
}

/// True when the fields carry a fresh signature made with key.
bool signedByProvider(const FormFields &fields, const QByteArray &key, qint64 nowSeconds)
{
    const QByteArray timestamp = field(fields, "timestamp");
    const QByteArray token = field(fields, "token");
    const QByteArray signature = field(fields, "signature").toLower();
    if (timestamp.isEmpty() || token.isEmpty() || signature.isEmpty() || timestamp.size() > 20 || token.size() > 200)
        return false;
    bool ok = false;
    const qint64 at = timestamp.toLongLong(&ok);
    if (!ok || at < nowSeconds - SignatureWindowSeconds || at > nowSeconds + SignatureWindowSeconds)
        return false;
    return signatureMatches(hmacSha256Hex(key, timestamp + token), signature);
}

/// body-plain without the quoted conversation below the reply: lines starting with '>' and the "On …, … wrote:"
/// line that introduces them.
QString withoutQuotedLines(const QString &plain)
{
    QStringList kept;
    for (QString line : plain.split(QLatin1Char('\n'))) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().startsWith(QLatin1Char('>')))
            continue;
        kept.append(line);
    }
    auto dropBlankTail = [&] {
        while (!kept.isEmpty() && kept.last().trimmed().isEmpty())
            kept.removeLast();
    };
    dropBlankTail();
    if (!kept.isEmpty() && kept.last().trimmed().endsWith(QLatin1String("wrote:")))
        kept.removeLast();
    dropBlankTail();
    return kept.join(QLatin1Char('\n')).trimmed();
}

} // namespace

ApiResponse emailInboundWebhook(const ServerConfig &config, StandardService &standard, const ApiRequest &request)
{
    if (config.emailInboundKey.empty())
        return fail(404, "not_found", QStringLiteral("No inbound e-mail key is configured on this server."));
    const QByteArray type = mediaType(request.contentType);
    const QByteArray body = QByteArray::fromStdString(request.body);
    FormFields fields;
    if (type == "multipart/form-data") {
        const auto parts = parseMultipart(body, multipartBoundary(request.contentType));
        if (!parts)
            return fail(400, "bad_form", QStringLiteral("The body is not valid multipart/form-data."));
        fields = multipartFields(*parts);
    } else if (type == "application/x-www-form-urlencoded") {
        const auto parsed = parseForm(body);
        if (!parsed)
            return fail(400, "bad_form", QStringLiteral("The body is not valid form data."));
        fields = *parsed;
    } else {
        return fail(415, "unsupported_media_type",
                    QStringLiteral("Send the message as multipart/form-data or application/x-www-form-urlencoded."));
    }
    if (!signedByProvider(fields, QByteArray::fromStdString(config.emailInboundKey),
                          QDateTime::currentSecsSinceEpoch())) {
        log::warn("inbound e-mail refused: missing, wrong or stale signature");
        return fail(403, "bad_signature",
                    QStringLiteral("The signature does not match, or its timestamp is older than 15 minutes."));
    }
    const QString recipient = QString::fromUtf8(field(fields, "recipient"));
    QString sender = QString::fromUtf8(field(fields, "sender"));
    if (sender.isEmpty())
        sender = QString::fromUtf8(field(fields, "from"));
    if (recipient.isEmpty() && sender.isEmpty())
        return fail(400, "missing_field", QStringLiteral("recipient is required."));
    QString text = QString::fromUtf8(field(fields, "stripped-text")).trimmed();
    if (text.isEmpty())
        text = withoutQuotedLines(QString::fromUtf8(field(fields, "body-plain")));
    const QString messageId = QString::fromUtf8(field(fields, "Message-Id")).left(998);
    switch (standard.receiveEmail(recipient, sender, text, messageId)) {
    case StandardService::Inbound::Stored: return result("stored");
    case StandardService::Inbound::Duplicate: return result("duplicate");
    case StandardService::Inbound::Ignored: break;
    }
    return result("ignored");
}

} // namespace larch::server
