// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/net/UploadConnection.h"

#include "core/crypto/Crc32c.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace larch {

namespace {

/// The value of header name (lower case) in an answer's header lines, "" when absent.
QByteArray headerValue(const QList<QByteArray> &lines, const QByteArray &name)
{
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

ApiResult failure(ApiError::Kind kind)
{
    ApiResult result;
    result.error = ApiError::make(kind);
    return result;
}

} // namespace

UploadConnection::UploadConnection(QObject *parent) : QObject(parent), m_silence(this)
{
    m_silence.setSingleShot(true);
    connect(&m_silence, &QTimer::timeout, this, [this] {
        // Connecting, sending or waiting for an answer, the server said nothing for too long.
        fail(failure(ApiError::Kind::Timeout));
    });
}

UploadConnection::~UploadConnection() { abort(); }

void UploadConnection::setTarget(const UploadTarget &target, int tag)
{
    if (target.url != m_target.url || target.authorization != m_target.authorization)
        abort();
    m_target = target;
    m_tag = tag;
}

void UploadConnection::abort()
{
    m_silence.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket.release()->deleteLater();
    }
    m_ready = false;
    m_closing = false;
    m_unsent.clear();
    m_waiting.clear();
    m_in.clear();
}

void UploadConnection::touch()
{
    if (m_waiting.empty())
        m_silence.stop();
    else
        m_silence.start(std::max(1000, m_target.timeoutMs));
}

void UploadConnection::put(qint64 offset, const QByteArray &body, quint32 crc32c)
{
    QUrl url = m_target.url;
    url.setQuery(QStringLiteral("offset=%1").arg(offset));
    const QByteArray port = url.port() > 0 ? ':' + QByteArray::number(url.port()) : QByteArray();
    QByteArray head = "PUT " + url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority) + " HTTP/1.1\r\n"
        + "Host: " + url.host(QUrl::FullyEncoded).toUtf8() + port + "\r\n"
        + "Content-Type: application/octet-stream\r\n" + "Content-Length: " + QByteArray::number(body.size())
        + "\r\n"
        // The server stores nothing of a body that does not match: a request damaged on the way is sent again.
        + "X-Content-CRC32C: " + crc32cHex(crc32c) + "\r\n";
    if (!m_target.authorization.isEmpty())
        head += "Authorization: " + m_target.authorization + "\r\n";
    head += "\r\n";
    m_waiting.push_back(offset);
    if (!m_socket)
        connectToServer();
    if (m_ready) {
        m_socket->write(head);
        m_socket->write(body); // shared with the socket's buffer, not copied
    } else {
        m_unsent.append(head);
        m_unsent.append(body);
    }
    touch();
}

void UploadConnection::connectToServer()
{
    const bool tls = m_target.url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const QString host = m_target.url.host();
    const quint16 port = quint16(m_target.url.port(tls ? 443 : 80));
    auto onReady = [this] {
        m_ready = true;
        for (const QByteArray &piece : std::as_const(m_unsent))
            m_socket->write(piece);
        m_unsent.clear();
        touch();
    };
    if (tls) {
        auto *socket = new QSslSocket;
        m_socket.reset(socket);
        connect(socket, &QSslSocket::encrypted, this, onReady);
        socket->connectToHostEncrypted(host, port);
    } else {
        m_socket = std::make_unique<QTcpSocket>();
        connect(m_socket.get(), &QTcpSocket::connected, this, onReady);
        m_socket->connectToHost(host, port);
    }
    // Requests are written whole; waiting for more to fill a packet only delays the last piece of each.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket.get(), &QTcpSocket::bytesWritten, this, &UploadConnection::touch);
    connect(m_socket.get(), &QTcpSocket::readyRead, this, &UploadConnection::onReadyRead);
    connect(m_socket.get(), &QTcpSocket::disconnected, this, &UploadConnection::onClosed);
    connect(m_socket.get(), &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // The server closing a kept-alive connection after its last answer is not a failure.
        if (error != QAbstractSocket::RemoteHostClosedError || !m_waiting.empty())
            onClosed();
        else
            abort();
    });
}

void UploadConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_in.append(m_socket->readAll());
    touch();
    while (m_socket && !m_waiting.empty() && takeAnswer()) { }
    if (m_in.size() > MaxAnswerBytes)
        fail(failure(ApiError::Kind::BadResponse));
}

bool UploadConnection::takeAnswer()
{
    const qsizetype headEnd = m_in.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    QList<QByteArray> lines = m_in.left(headEnd).split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    const QList<QByteArray> statusLine = lines.value(0).split(' ');
    bool numeric = false;
    const int status = statusLine.value(1).toInt(&numeric);
    if (!statusLine.value(0).startsWith("HTTP/1.") || !numeric || status < 100 || status > 599) {
        fail(failure(ApiError::Kind::BadResponse));
        return false;
    }
    if (status < 200) { // 100 Continue and the like: the real answer follows
        m_in.remove(0, headEnd + 4);
        return true;
    }
    const QByteArray lengthText = headerValue(lines, "content-length");
    bool hasLength = false;
    const qint64 length = lengthText.toLongLong(&hasLength);
    if (!hasLength || length < 0 || length > MaxAnswerBytes
        || headerValue(lines, "transfer-encoding").toLower().contains("chunked")) {
        // The server always sends a length; anything else came from something in between.
        fail(failure(ApiError::Kind::BadResponse));
        return false;
    }
    if (m_in.size() < headEnd + 4 + length)
        return false;
    const QByteArray body = m_in.mid(headEnd + 4, length);
    m_in.remove(0, headEnd + 4 + length);
    m_closing = headerValue(lines, "connection").toLower() == "close";
    m_waiting.pop_front();
    const ApiResult result = ApiClient::interpretAnswer(status, body, !m_target.authorization.isEmpty());
    if (m_closing) {
        // The requests sent after this one will not be answered on this connection.
        const bool more = !m_waiting.empty();
        abort();
        emit answered(m_tag, result);
        if (more)
            emit broken(m_tag, failure(ApiError::Kind::Unreachable));
        return false;
    }
    touch();
    emit answered(m_tag, result);
    return true;
}

void UploadConnection::onClosed()
{
    if (m_socket)
        fail(failure(ApiError::Kind::Unreachable));
}

void UploadConnection::fail(const ApiResult &result)
{
    const bool waited = !m_waiting.empty() || !m_unsent.isEmpty();
    abort();
    if (waited)
        emit broken(m_tag, result);
}

} // namespace larch
