// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/delivery/SmtpSender.h"

#include "core/crypto/Crypto.h"
#include "server/delivery/CurlEasy.h"
#include "server/transport/Log.h"

#include <algorithm>
#include <cstring>
#include <QDateTime>
#include <QLocale>
#include <QStringList>
#include <QTimeZone>

namespace larch::server {
namespace {

bool isAscii(const QByteArray &s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) > 0x7e
            || (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t'))
            return false;
    return true;
}

/// A header value: as is when printable ASCII, else an RFC 2047 encoded word. Line breaks never pass.
QByteArray headerText(const QString &text)
{
    QString oneLine = text;
    oneLine.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QByteArray utf8 = oneLine.toUtf8();
    if (isAscii(utf8))
        return utf8;
    return "=?UTF-8?B?" + utf8.toBase64() + "?=";
}

/// RFC 5322 date-time in UTC, e.g. "Tue, 24 Nov 2026 23:40:00 +0000" (English names whatever the locale).
QByteArray rfc5322Date(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return QLocale::c().toString(t, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() + " +0000";
}

/// Quoted-printable (RFC 2045) of text with CRLF line ends, soft breaks before 76 characters.
QByteArray quotedPrintable(const QByteArray &text)
{
    QByteArray out;
    int column = 0;
    auto put = [&](const QByteArray &piece) {
        if (column + piece.size() > 75) {
            out += "=\r\n";
            column = 0;
        }
        out += piece;
        column += int(piece.size());
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            out += "\r\n";
            column = 0;
            ++i;
        } else if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' && i + 1 < text.size() && text[i + 1] != '\r')) {
            put(QByteArray(1, char(c)));
        } else {
            put("=" + QByteArray::number(c, 16).toUpper().rightJustified(2, '0'));
        }
    }
    return out;
}

/// Normalises line ends to CRLF.
QByteArray crlf(const QString &text)
{
    QByteArray b = text.toUtf8();
    b.replace("\r\n", "\n");
    b.replace('\r', '\n');
    b.replace("\n", "\r\n");
    return b;
}

/// Feeds the message to libcurl.
struct Upload {
    QByteArray data;
    qsizetype offset = 0;
    static size_t read(char *buffer, size_t size, size_t count, void *self)
    {
        auto *u = static_cast<Upload *>(self);
        const size_t n = std::min<size_t>(size * count, size_t(u->data.size() - u->offset));
        std::memcpy(buffer, u->data.constData() + u->offset, n);
        u->offset += qsizetype(n);
        return n;
    }
};

} // namespace

std::string SmtpSender::address(const std::string &from)
{
    const auto open = from.rfind('<');
    const auto close = from.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return from.substr(open + 1, close - open - 1);
    return from;
}

QByteArray SmtpSender::message(const SmtpSettings &settings, const OutboxRecord &d, qint64 now)
{
    const std::string fromAddress = address(settings.from);
    const auto at = fromAddress.rfind('@');
    const std::string domain = at == std::string::npos ? std::string("larch.invalid") : fromAddress.substr(at + 1);
    const QByteArray body = crlf(d.body);
    const bool ascii = isAscii(body);

    QByteArray m;
    m += "Date: " + rfc5322Date(now) + "\r\n";
    m += "From: " + headerText(QString::fromStdString(settings.from)) + "\r\n";
    m += "To: <" + headerText(d.to) + ">\r\n";
    m += "Subject: " + headerText(d.subject) + "\r\n";
    if (!d.replyTo.isEmpty())
        m += "Reply-To: <" + headerText(d.replyTo) + ">\r\n";
    m += "Message-ID: <" + d.id.toLatin1() + "@" + QByteArray::fromStdString(domain) + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += ascii ? "Content-Transfer-Encoding: 7bit\r\n" : "Content-Transfer-Encoding: quoted-printable\r\n";
    m += "\r\n";
    m += ascii ? body : quotedPrintable(body);
    if (!m.endsWith("\r\n"))
        m += "\r\n";
    return m;
}

SendOutcome SmtpSender::send(const OutboxRecord &d, const std::atomic<bool> &stopping)
{
    // The address goes into the SMTP dialogue and a header: nothing that could end a line or the address.
    static const QString forbidden = QStringLiteral("\r\n<>\t ");
    if (d.to.isEmpty()
        || std::any_of(d.to.begin(), d.to.end(), [](QChar c) { return forbidden.contains(c) || c.unicode() < 0x20; }))
        return SendOutcome::failed(QStringLiteral("The e-mail address is not valid."));
    CurlEasy curl(stopping);
    CURL *h = curl.get();
    Upload upload{message(m_settings, d, QDateTime::currentMSecsSinceEpoch())};
    const std::string mailFrom = "<" + address(m_settings.from) + ">";
    const std::string rcpt = "<" + d.to.toStdString() + ">";
    curl_slist *recipients = curl_slist_append(nullptr, rcpt.c_str());
    curl_easy_setopt(h, CURLOPT_URL, m_settings.url.c_str());
    if (m_settings.startTls)
        curl_easy_setopt(h, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    if (!m_settings.caFile.empty())
        curl_easy_setopt(h, CURLOPT_CAINFO, m_settings.caFile.c_str());
    if (!m_settings.user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, m_settings.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, m_settings.password.c_str());
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mailFrom.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &Upload::read);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    const CURLcode rc = curl.perform();
    curl_slist_free_all(recipients);
    if (rc == CURLE_OK)
        return SendOutcome::sent();

    const long code = curl.responseCode();
    log::warn("smtp transfer failed (reply " + std::to_string(code)
              + "): " + (curl.errorText()[0] ? curl.errorText() : curl_easy_strerror(rc)));
    if (rc == CURLE_LOGIN_DENIED)
        return SendOutcome::failed(
            QStringLiteral("The mail server refused the server's credentials; check --smtp-user and --smtp-password."));
    if (rc == CURLE_USE_SSL_FAILED)
        return SendOutcome::failed(
            QStringLiteral("The mail server does not offer STARTTLS, which --smtp-starttls requires."));
    if (code >= 500 && code < 600)
        return SendOutcome::failed(QStringLiteral("The mail server refused the message (reply %1).").arg(code));
    if (code >= 400 && code < 500)
        return SendOutcome::retry(QStringLiteral("The mail server asked to try again later (reply %1).").arg(code));
    return SendOutcome::retry(QStringLiteral("The mail server could not be reached."));
}

} // namespace larch::server
