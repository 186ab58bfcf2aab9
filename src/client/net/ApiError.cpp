// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/net/ApiError.h"

namespace larch {

namespace ErrorText {
QString sessionEnded() { return QStringLiteral("Your session has expired. Sign in again."); }
QString wrongCredentials()
{
    return QStringLiteral("That email and password don't match an account. Check them and try again.");
}
QString unreachable()
{
    return QStringLiteral(
        "Can't reach the server. Check the server address and your internet connection, then try again.");
}
QString timeout() { return QStringLiteral("The server took too long to answer. Check your connection and try again."); }
QString insecureUrl()
{
    return QStringLiteral("This server address is not secure. Use an address that starts with https:// "
                          "(plain http:// is only allowed for a server on this computer).");
}
QString invalidUrl()
{
    return QStringLiteral("The server address is not valid. Enter an address like https://larch.example.org.");
}
QString rateLimited() { return QStringLiteral("Too many sign-in attempts. Wait a minute, then try again."); }
QString serverError(int status)
{
    return QStringLiteral("The server had a problem (error %1). Try again in a moment.").arg(status);
}
QString badResponse()
{
    return QStringLiteral("The server sent an answer Larch does not understand. Check the server address.");
}
} // namespace ErrorText

namespace {
// The protocol's messages are lower-case fragments ("body must be ..."); shown alone they read as a sentence.
QString asSentence(QString text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return text;
    text[0] = text[0].toUpper();
    if (!text.endsWith(u'.') && !text.endsWith(u'!') && !text.endsWith(u'?'))
        text += u'.';
    return text;
}
} // namespace

bool ApiError::isTransient() const
{
    switch (kind) {
    case Kind::Unreachable:
    case Kind::Timeout:
    case Kind::RateLimited:
    case Kind::ServerError: return true;
    default: return false;
    }
}

ApiError ApiError::make(Kind kind, int httpStatus, const QString &code, const QString &serverMessage)
{
    ApiError e;
    e.kind = kind;
    e.httpStatus = httpStatus;
    e.code = code;
    e.serverMessage = asSentence(serverMessage);
    switch (kind) {
    case Kind::None: break;
    case Kind::InvalidUrl: e.sentence = ErrorText::invalidUrl(); break;
    case Kind::InsecureUrl: e.sentence = ErrorText::insecureUrl(); break;
    case Kind::Unreachable: e.sentence = ErrorText::unreachable(); break;
    case Kind::Timeout: e.sentence = ErrorText::timeout(); break;
    case Kind::WrongCredentials: e.sentence = ErrorText::wrongCredentials(); break;
    case Kind::SessionEnded: e.sentence = ErrorText::sessionEnded(); break;
    case Kind::RateLimited: e.sentence = ErrorText::rateLimited(); break;
    case Kind::ServerError:
        e.sentence = httpStatus == 503 && !serverMessage.isEmpty() ? asSentence(serverMessage)
                                                                   : ErrorText::serverError(httpStatus);
        break;
    case Kind::BadResponse: e.sentence = ErrorText::badResponse(); break;
    case Kind::Conflict:
    case Kind::NotFound:
    case Kind::Rejected:
        e.sentence = serverMessage.isEmpty()
            ? QStringLiteral("The server refused the request (error %1).").arg(httpStatus)
            : asSentence(serverMessage);
        break;
    }
    return e;
}

} // namespace larch
