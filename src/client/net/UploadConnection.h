// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// One keep-alive HTTP/1.1 connection that carries an upload's bytes to the server, request after request.
#pragma once

#include "client/net/ApiClient.h"

#include <deque>
#include <memory>
#include <QByteArray>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace larch {

/// Sends the PUT requests of one upload (docs/protocol.md, "Attachments") on its own socket, on the thread it
/// lives on: the upload worker's. QNetworkAccessManager hands a request body to its socket 16 KiB per round of
/// its event loop, forwarded between two threads, which held uploads to a tenth of the speed of encryption; here
/// a whole request goes to the socket in one write, and the next follows before the previous is answered
/// (HTTP/1.1 pipelining; a PUT at an offset may be repeated safely). Answers come in order through answered();
/// when the connection breaks or stays silent too long with requests waiting, broken() says so once and the
/// requests still waiting are dropped: what the server kept of them, GET /v1/uploads/{id} tells.
class UploadConnection : public QObject {
    Q_OBJECT
public:
    /// The largest answer header and body accepted; the server's answers are a few hundred bytes.
    static constexpr int MaxAnswerBytes = 256 * 1024;

    explicit UploadConnection(QObject *parent = nullptr);
    ~UploadConnection() override;

    /// Where the requests go, and the tag their answers carry from now on (the sender's job: answers that were
    /// already on their way to another thread when it moved on are told apart by it); a different target closes
    /// the connection first.
    void setTarget(const UploadTarget &target, int tag = 0);
    /// Sends body to be written at offset, with its CRC-32C; connects first when needed.
    void put(qint64 offset, const QByteArray &body, quint32 crc32c);
    /// Requests sent and not answered yet.
    int waiting() const { return int(m_waiting.size()); }
    /// Closes the connection; the requests waiting are dropped without an answer.
    void abort();

signals:
    /// The answer to the oldest request waiting, interpreted as ApiClient does.
    void answered(int tag, const larch::ApiResult &result);
    /// The connection failed (Unreachable, Timeout, BadResponse) with requests unanswered; they are dropped.
    void broken(int tag, const larch::ApiResult &failure);

private:
    void connectToServer();
    void onReadyRead();
    /// Takes one whole answer off the front of m_in; false when more bytes are needed.
    bool takeAnswer();
    /// The connection is gone.
    void onClosed();
    /// Closes the connection and reports broken(failure) when requests were waiting.
    void fail(const ApiResult &failure);
    /// Restarts the silence timer while requests wait, stops it otherwise.
    void touch();

    UploadTarget m_target;
    int m_tag = 0;
    std::unique_ptr<QTcpSocket> m_socket;
    bool m_ready = false; ///< connected (and encrypted, for https)
    QList<QByteArray> m_unsent; ///< requests queued while connecting
    std::deque<qint64> m_waiting; ///< offsets of the requests sent, oldest first
    QByteArray m_in; ///< bytes of answers received and not yet taken
    QTimer m_silence; ///< fires when the server says nothing for the target's timeout
    bool m_closing = false; ///< the last answer asked to close the connection
};

} // namespace larch
