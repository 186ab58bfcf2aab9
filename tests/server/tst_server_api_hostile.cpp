// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_api: hostile input: malformed bodies, unknown routes, oversized requests, the connection limit and a flood.
#include "tst_server_api.h"

void TestServerApi::malformedInputIsRefused()
{
    const QString sessions = QStringLiteral("/v1/sessions");
    QCOMPARE(m_http->raw("POST", sessions, "{not json", "application/json").errorCode(), QStringLiteral("bad_json"));
    QCOMPARE(m_http->raw("POST", sessions, "[1,2]", "application/json").errorCode(), QStringLiteral("bad_json"));
    const HttpReply type = m_http->raw("POST", sessions, "{\"email\":\"a@b.example\"}", "text/plain");
    QCOMPARE(type.status, 415);
    QCOMPARE(type.errorCode(), QStringLiteral("unsupported_media_type"));
    const HttpReply missing = m_http->post(sessions, {{"email", "doc@birch.example"}});
    QCOMPARE(missing.status, 400);
    QCOMPARE(missing.errorCode(), QStringLiteral("missing_field"));
    const HttpReply wrongType = m_http->post(sessions, {{"email", 42}, {"password", "clinician password"}});
    QCOMPARE(wrongType.status, 400);
    QCOMPARE(wrongType.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(m_http->post(sessions, {{"email", "no-at-sign"}, {"password", "clinician password"}}).errorCode(),
             QStringLiteral("invalid_field"));
    // A plain body is refused: every conversation is end-to-end encrypted.
    const HttpReply plain = postMessage(m_conversationA, m_patientAToken, {{"clientId", uuid()}, {"body", "hi"}});
    QCOMPARE(plain.status, 400);
    QCOMPARE(plain.errorCode(), QStringLiteral("invalid_field"));
    QVERIFY(plain.json.value("error").toObject().value("message").toString().contains(QStringLiteral("encrypted")));
    const HttpReply noEnvelope = postMessage(m_conversationA, m_patientAToken, {{"clientId", uuid()}});
    QCOMPARE(noEnvelope.errorCode(), QStringLiteral("missing_field"));
    QCOMPARE(postMessage(m_conversationA, m_patientAToken,
                         {{"clientId", "{not-a-uuid}"}, {"envelope", bogusEnvelope(m_patientA.deviceId())}})
                 .errorCode(),
             QStringLiteral("invalid_field"));
    QCOMPARE(postMessage(m_conversationA, m_patientAToken, {{"clientId", uuid()}, {"envelope", "text"}}).errorCode(),
             QStringLiteral("invalid_field"));
    // An empty body beside the envelope is accepted, as the protocol's message JSON carries one.
    const QString clientId = uuid();
    const HttpReply withEmptyBody = postMessage(
        m_conversationA, m_patientAToken,
        {{"clientId", clientId},
         {"body", ""},
         {"envelope", m_keyring->seal(m_patientA, m_conversationA, clientId, QStringLiteral("with empty body"))}});
    QCOMPARE(withEmptyBody.status, 201);
}

void TestServerApi::unknownRoutesAndMethods()
{
    const HttpReply unknown = m_http->get(QStringLiteral("/v1/nothing-here"));
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_http->get(QStringLiteral("/")).status, 404);
    const HttpReply wrongMethod = m_http->request("PUT", QStringLiteral("/v1/health"));
    QCOMPARE(wrongMethod.status, 405);
    QCOMPARE(wrongMethod.errorCode(), QStringLiteral("method_not_allowed"));
    QCOMPARE(m_http
                 ->request("DELETE", QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationA), {},
                           m_patientAToken)
                 .status,
             405);
}

void TestServerApi::oversizedRequestsAre413()
{
    const QByteArray big = "{\"email\":\"a@b.example\",\"password\":\"" + QByteArray(70 * 1024, 'x') + "\"}";
    const HttpReply body = m_http->raw("POST", QStringLiteral("/v1/sessions"), big, "application/json");
    QCOMPARE(body.status, 413);
    QCOMPARE(body.errorCode(), QStringLiteral("payload_too_large"));
    const QByteArray headers =
        "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Filler: " + QByteArray(9 * 1024, 'y') + "\r\n\r\n";
    const QByteArray response = rawExchange(m_server.port(), headers);
    QCOMPARE(statusOf(response), 413);
    QVERIFY(response.contains("payload_too_large"));
    const QByteArray noLength = rawExchange(
        m_server.port(),
        "POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
    QCOMPARE(statusOf(noLength), 411);
    QVERIFY(noLength.contains("length_required"));
    QCOMPARE(statusOf(rawExchange(m_server.port(), "NOT HTTP AT ALL\r\n\r\n")), 400);
}

void TestServerApi::connectionLimitAnswers503()
{
    TestServer small;
    QVERIFY(small.start({QStringLiteral("--max-connections"), QStringLiteral("3")}));
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 3; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QStringLiteral("127.0.0.1"), small.port());
        QVERIFY(s->waitForConnected(10000));
        // A full keep-alive exchange proves the server has counted this connection.
        s->write("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(s->waitForReadyRead(10000));
        QVERIFY(s->readAll().startsWith("HTTP/1.1 200"));
        held.push_back(std::move(s));
    }
    HttpClient http(small.baseUrl());
    const HttpReply busy = http.get(QStringLiteral("/v1/health"));
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.errorCode(), QStringLiteral("too_many_connections"));
    held.clear();
    // Once connections close, new ones are served again.
    HttpReply later;
    for (int i = 0; i < 100 && later.status != 200; ++i) {
        QTest::qWait(20);
        HttpClient fresh(small.baseUrl());
        later = fresh.get(QStringLiteral("/v1/health"));
    }
    QCOMPARE(later.status, 200);
    QCOMPARE(small.terminate(), 0);
}

void TestServerApi::survivesAFlood()
{
    const QString path = QStringLiteral("/v1/conversations/%1/messages?limit=200").arg(m_conversationA);
    const auto before = m_http->get(path, m_clinicianToken).json.value("messages").toArray();
    QVERIFY(!before.isEmpty());
    // 300 connections opened and dropped at once, some after half a request.
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 300; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        s->connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
        sockets.push_back(std::move(s));
    }
    for (auto &s : sockets)
        s->waitForConnected(10000);
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        if (i % 3 == 0)
            sockets[i]->write("POST /v1/conversations/" + m_conversationA.toUtf8()
                              + "/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"clientId\":");
        else if (i % 3 == 1)
            sockets[i]->write("GET /v1/health HTTP/1.1\r\nHo");
        sockets[i]->flush();
    }
    // While the half-sent requests hang, the server still answers.
    QCOMPARE(m_http->get(QStringLiteral("/v1/health")).status, 200);
    for (auto &s : sockets)
        s->abort();
    sockets.clear();
    QCOMPARE(m_http->get(QStringLiteral("/v1/health")).status, 200);
    const auto after = m_http->get(path, m_clinicianToken).json.value("messages").toArray();
    QCOMPARE(after, before);
    QCOMPARE(send(m_conversationA, m_patientA, QStringLiteral("still here")).status, 201);
    QVERIFY(m_server.running());
}
