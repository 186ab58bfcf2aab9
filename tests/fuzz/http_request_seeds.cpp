// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Seeds for fuzz_http_request: connections as the app, a browser and the webhooks open them (docs/protocol.md): a
// sign-in and a page of conversations kept alive, upload PUTs with a length and CRC-32C or SHA-256 and one chunked,
// blob downloads with ranges, the event stream's upgrade, a body over its route's limit, a head over 8 KiB, an
// e-mail webhook, HTTP/1.0, and a head that Beast refuses; each read whole and in small pieces.
#include "FuzzSeeds.h"

#include "core/crypto/Crc32c.h"
#include "core/crypto/Sha256.h"

QList<QByteArray> fuzzSeeds()
{
    const QByteArray id = "0b9e2c4e-1f6a-4d3b-9a51-2c7d8e9f0a1b";
    const QByteArray auth = "Authorization: Bearer tok3n\r\n";
    const QByteArray blob = QByteArray("\x00\x01\x02\x03 encrypted bytes \xff\xfe", 22);
    const QByteArray crc = larch::crc32cHex(larch::crc32c(blob));
    const QByteArray sha = larch::sha256(blob).toHex();
    const QByteArray signIn = R"({"email":"ana@example.org","password":"correct horse battery","deviceName":"Desk"})";
    const QList<QByteArray> connections{
        "GET /v1/health HTTP/1.1\r\nHost: larch.example\r\n\r\n",
        "POST /v1/sessions HTTP/1.1\r\nHost: h\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
            + QByteArray::number(signIn.size()) + "\r\n\r\n" + signIn + "GET /v1/conversations?limit=20&before=" + id
            + " HTTP/1.1\r\nHost: h\r\n" + auth + "\r\n",
        "PUT /v1/uploads/" + id + "?offset=0 HTTP/1.1\r\nHost: h\r\n" + auth
            + "Content-Type: application/octet-stream\r\nX-Content-CRC32C: " + crc
            + "\r\nContent-Length: " + QByteArray::number(blob.size()) + "\r\n\r\n" + blob + "PUT /v1/uploads/" + id
            + "?offset=22 HTTP/1.1\r\nHost: h\r\n" + auth
            + "Content-Type: application/octet-stream\r\nX-Content-SHA256: " + sha
            + "\r\nContent-Length: " + QByteArray::number(blob.size()) + "\r\nConnection: close\r\n\r\n" + blob,
        "PUT /v1/uploads/" + id + "?offset=5 HTTP/1.1\r\nHost: h\r\n" + auth
            + "Content-Type: application/octet-stream\r\nX-Content-CRC32C: " + crc
            + "\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n\x00\x01\x02\x03 e\r\n10\r\nncrypted bytes "
              "\xff\xfe\r\n0\r\n\r\n",
        "GET /v1/blobs/" + id + "/content?token=abc HTTP/1.1\r\nHost: h\r\nRange: bytes=0-99\r\n\r\nGET /v1/blobs/" + id
            + "/content?token=abc HTTP/1.1\r\nHost: h\r\nRange: Bytes = -5\r\n\r\nGET /v1/blobs/" + id
            + "/content?token=abc HTTP/1.1\r\nHost: h\r\nRange: bytes=5-,,0-1\r\n\r\n",
        "GET /v1/events?since=12 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + auth + "\r\n",
        "POST /v1/conversations/" + id + "/messages HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
            + "Content-Length: 999999999\r\n\r\n{",
        "GET /v1/me HTTP/1.1\r\nHost: h\r\nX-Filler: " + QByteArray(8200, 'x') + "\r\n\r\n",
        "POST /v1/webhooks/email/inbound HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=B\r\n"
        "Content-Length: 67\r\n\r\n--B\r\nContent-Disposition: form-data; "
        "name=\"sender\"\r\n\r\nsam@x.org\r\n--B--\r\n",
        "GET /p/AbC123 HTTP/1.0\r\n\r\nGET /v1/health HTTP/1.1\r\n\r\n",
        "PUT /v1/me/key-backup HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
        "{\"backup\":\"TEtCAQ==\",\"entryKeyId\":\"AA==\"}",
        "GET /%zz/../v1//health?x=%G1&&limit=-3&offset=+4 HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    };
    QList<QByteArray> seeds;
    for (qsizetype i = 0; i < connections.size(); ++i) {
        seeds << QByteArray(1, '\0') + connections.at(i);
        seeds << QByteArray(1, char((1 + (i * 11) % 63) | ((i % 4) << 6))) + connections.at(i);
    }
    return seeds;
}
