// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The REST API of the real larch-server binary: accounts, sessions, conversations, messages, read state,
// authorization, malformed input, limits and a connection flood.
#include "TestKeyring.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QTcpSocket>
#include <QtTest>
#include <QUuid>
#include <vector>

namespace {

QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

/// Sends raw bytes on a new connection and returns everything the server sends until it closes
/// (or until a complete response has arrived when keepOpen is set).
QByteArray rawExchange(quint16 port, const QByteArray &bytes)
{
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!s.waitForConnected(10000))
        return {};
    s.write(bytes);
    s.waitForBytesWritten(10000);
    QByteArray out;
    while (s.state() == QAbstractSocket::ConnectedState && s.waitForReadyRead(10000))
        out += s.readAll();
    out += s.readAll();
    return out;
}

/// An envelope of the right shape from deviceId with random bytes: it passes the server's checks of form,
/// so what is tested is who may send, not what was sent.
QJsonObject bogusEnvelope(const QString &deviceId, qint64 epoch = 1)
{
    QByteArray ciphertext(24 + 16 + 10, '\0');
    QByteArray signature(64, '\0');
    for (auto &c : ciphertext)
        c = char(QRandomGenerator::global()->bounded(256));
    for (auto &c : signature)
        c = char(QRandomGenerator::global()->bounded(256));
    return {{"epoch", epoch},
            {"senderDeviceId", deviceId},
            {"ciphertext", QString::fromLatin1(ciphertext.toBase64())},
            {"signature", QString::fromLatin1(signature.toBase64())}};
}

int statusOf(const QByteArray &response)
{
    // "HTTP/1.1 413 Payload Too Large"
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

} // namespace

class TestServerApi : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<TestKeyring> m_keyring;
    QString m_practiceId, m_adminId, m_adminToken;
    QString m_clinicianToken;
    QString m_patientAId, m_patientAToken, m_conversationA;
    QString m_patientBToken, m_conversationB;
    // The same sessions, each bound to a registered device.
    TestMember m_admin, m_clinician, m_patientA, m_patientB;

    /// Adds a patient to the main practice as the admin; returns {user, conversation}.
    QJsonObject addPatient(const QString &name, const QString &email)
    {
        const HttpReply r =
            m_http->post(QStringLiteral("/v1/practices/%1/patients").arg(m_practiceId),
                         {{"name", name}, {"email", email}, {"password", "patient password"}}, m_adminToken);
        return r.status == 201 ? r.json : QJsonObject();
    }

    /// Sends text encrypted by from's device.
    HttpReply send(const QString &conversation, const TestMember &from, const QString &text,
                   const QString &clientId = uuid())
    {
        return m_keyring->send(from, conversation, text, clientId);
    }

    /// POSTs a message body as given.
    HttpReply postMessage(const QString &conversation, const QString &token, const QJsonObject &body)
    {
        return m_http->post(QStringLiteral("/v1/conversations/%1/messages").arg(conversation), body, token);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        const QJsonObject p = m_http->createPractice(QStringLiteral("Birch"), QStringLiteral("admin@birch.example"));
        QVERIFY(!p.isEmpty());
        m_practiceId = p.value("practice").toObject().value("id").toString();
        m_adminId = p.value("user").toObject().value("id").toString();
        m_adminToken = p.value("session").toObject().value("token").toString();
        QCOMPARE(p.value("user").toObject().value("role").toString(), QStringLiteral("admin"));
        QVERIFY(!m_adminToken.isEmpty());

        const HttpReply staff = m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                                             {{"name", "Dr. Doc"},
                                              {"email", "doc@birch.example"},
                                              {"password", "clinician password"},
                                              {"role", "clinician"}},
                                             m_adminToken);
        QCOMPARE(staff.status, 201);
        QCOMPARE(staff.json.value("role").toString(), QStringLiteral("clinician"));
        m_clinicianToken = m_http->signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
        QVERIFY(!m_clinicianToken.isEmpty());

        const QJsonObject a = addPatient(QStringLiteral("Patient A"), QStringLiteral("a@patient.example"));
        const QJsonObject b = addPatient(QStringLiteral("Patient B"), QStringLiteral("b@patient.example"));
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        m_patientAId = a.value("user").toObject().value("id").toString();
        m_conversationA = a.value("conversation").toObject().value("id").toString();
        m_conversationB = b.value("conversation").toObject().value("id").toString();
        // Members are the patient and every staff member.
        QCOMPARE(a.value("conversation").toObject().value("members").toArray().size(), 3);
        m_patientAToken = m_http->signIn(QStringLiteral("a@patient.example"), QStringLiteral("patient password"));
        m_patientBToken = m_http->signIn(QStringLiteral("b@patient.example"), QStringLiteral("patient password"));
        QVERIFY(!m_patientAToken.isEmpty() && !m_patientBToken.isEmpty());

        m_keyring = std::make_unique<TestKeyring>(*m_http);
        m_admin = m_keyring->enroll(m_adminToken);
        m_clinician = m_keyring->enroll(m_clinicianToken);
        m_patientA = m_keyring->enroll(m_patientAToken);
        m_patientB = m_keyring->enroll(m_patientBToken);
        for (const TestMember *m : {&m_admin, &m_clinician, &m_patientA, &m_patientB}) {
            QVERIFY(!m->deviceId().isEmpty());
            QCOMPARE(m->deviceState, QStringLiteral("active"));
        }
    }

    void healthAnswers()
    {
        const HttpReply r = m_http->get(QStringLiteral("/v1/health"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("status").toString(), QStringLiteral("ok"));
    }

    void practiceEmailsAreUnique()
    {
        const HttpReply r = m_http->post(QStringLiteral("/v1/practices"),
                                         {{"practiceName", "Again"},
                                          {"adminName", "X"},
                                          {"adminEmail", "ADMIN@birch.example"},
                                          {"adminPassword", "long enough pw"}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("conflict"));
    }

    void signInAndWrongPassword()
    {
        const HttpReply ok = m_http->post(QStringLiteral("/v1/sessions"),
                                          {{"email", "doc@birch.example"}, {"password", "clinician password"}});
        QCOMPARE(ok.status, 201);
        QCOMPARE(ok.json.value("user").toObject().value("email").toString(), QStringLiteral("doc@birch.example"));
        QVERIFY(ok.json.value("expiresAt").toInteger() > 0);
        const HttpReply wrong = m_http->post(QStringLiteral("/v1/sessions"),
                                             {{"email", "doc@birch.example"}, {"password", "not the password"}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.errorCode(), QStringLiteral("wrong_credentials"));
        const HttpReply unknown = m_http->post(QStringLiteral("/v1/sessions"),
                                               {{"email", "nobody@birch.example"}, {"password", "not the password"}});
        QCOMPARE(unknown.status, 401);
        QCOMPARE(unknown.errorCode(), QStringLiteral("wrong_credentials"));
    }

    void tokensAreChecked()
    {
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), m_clinicianToken).json.value("role").toString(),
                 QStringLiteral("clinician"));
        const HttpReply none = m_http->get(QStringLiteral("/v1/me"));
        QCOMPARE(none.status, 401);
        QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
        const HttpReply bad = m_http->get(QStringLiteral("/v1/me"), QStringLiteral("not-a-token"));
        QCOMPARE(bad.status, 401);
        QCOMPARE(bad.errorCode(), QStringLiteral("unauthorized"));
    }

    void signOutEndsTheSession()
    {
        const QString token = m_http->signIn(QStringLiteral("doc@birch.example"), QStringLiteral("clinician password"));
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), token).status, 200);
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/sessions/current"), {}, token).status, 204);
        const HttpReply after = m_http->get(QStringLiteral("/v1/me"), token);
        QCOMPARE(after.status, 401);
        QCOMPARE(after.errorCode(), QStringLiteral("unauthorized"));
        // Other sessions of the same user are untouched.
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), m_clinicianToken).status, 200);
    }

    void revokeAllSessions()
    {
        const HttpReply staff = m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                                             {{"name", "Temp"},
                                              {"email", "temp@birch.example"},
                                              {"password", "temporary password"},
                                              {"role", "clinician"}},
                                             m_adminToken);
        QCOMPARE(staff.status, 201);
        const QString id = staff.json.value("id").toString();
        const QString t1 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
        const QString t2 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
        // A clinician may not revoke someone else's sessions; a patient of the practice neither.
        QCOMPARE(
            m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_clinicianToken).status,
            403);
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_patientAToken).status,
                 403);
        QCOMPARE(
            m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(uuid()), {}, m_adminToken).status,
            404);
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t1).status, 200);
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, m_adminToken).status,
                 204);
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t1).status, 401);
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t2).status, 401);
        // Revoking one's own sessions works too.
        const QString t3 = m_http->signIn(QStringLiteral("temp@birch.example"), QStringLiteral("temporary password"));
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(id), {}, t3).status, 204);
        QCOMPARE(m_http->get(QStringLiteral("/v1/me"), t3).status, 401);
    }

    void expiredSessionsAreRefused()
    {
        // --session-seconds 0: every session is already past its expiry when it is used.
        TestServer shortLived;
        QVERIFY(shortLived.start({QStringLiteral("--session-seconds"), QStringLiteral("0")}));
        HttpClient http(shortLived.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Short"), QStringLiteral("admin@short.example"));
        const QString token = p.value("session").toObject().value("token").toString();
        QVERIFY(!token.isEmpty());
        const HttpReply r = http.get(QStringLiteral("/v1/me"), token);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QStringLiteral("session_expired"));
        QCOMPARE(shortLived.terminate(), 0);
    }

    void rolesAndPracticesAreEnforced()
    {
        const auto staffBody = QJsonObject{
            {"name", "Nope"}, {"email", "nope@birch.example"}, {"password", "some password"}, {"role", "admin"}};
        const HttpReply byClinician =
            m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId), staffBody, m_clinicianToken);
        QCOMPARE(byClinician.status, 403);
        QCOMPARE(byClinician.errorCode(), QStringLiteral("forbidden"));
        QCOMPARE(m_http
                     ->post(QStringLiteral("/v1/practices/%1/patients").arg(m_practiceId),
                            {{"name", "X"}, {"email", "x@patient.example"}, {"password", "some password"}},
                            m_patientAToken)
                     .status,
                 403);

        const QJsonObject other = m_http->createPractice(QStringLiteral("Oak"), QStringLiteral("admin@oak.example"));
        const QString otherToken = other.value("session").toObject().value("token").toString();
        const QString otherPractice = other.value("practice").toObject().value("id").toString();
        const HttpReply crossStaff =
            m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId), staffBody, otherToken);
        QCOMPARE(crossStaff.status, 404);
        QCOMPARE(crossStaff.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(
            m_http->post(QStringLiteral("/v1/practices/%1/staff").arg(otherPractice), staffBody, m_adminToken).status,
            404);
        // Other practice's staff cannot see or write into this practice's conversations.
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationA), otherToken).status, 404);
        const TestMember otherAdmin = m_keyring->enroll(otherToken);
        QVERIFY(!otherAdmin.deviceId().isEmpty());
        QCOMPARE(postMessage(m_conversationA, otherToken,
                             {{"clientId", uuid()}, {"envelope", bogusEnvelope(otherAdmin.deviceId())}})
                     .status,
                 404);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/keys").arg(m_conversationA), otherToken).status, 404);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1/devices").arg(m_conversationA), otherToken).status,
                 404);
        QCOMPARE(
            m_http->get(QStringLiteral("/v1/conversations"), otherToken).json.value("conversations").toArray().size(),
            0);
        QCOMPARE(
            m_http->request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(m_patientAId), {}, otherToken).status,
            404);
    }

    void patientsSeeOnlyTheirOwnConversation()
    {
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationA), m_patientAToken).status, 200);
        const HttpReply cross =
            m_http->get(QStringLiteral("/v1/conversations/%1").arg(m_conversationB), m_patientAToken);
        QCOMPARE(cross.status, 404);
        QCOMPARE(cross.errorCode(), QStringLiteral("not_found"));
        QCOMPARE(
            m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationB), m_patientAToken).status,
            404);
        QCOMPARE(postMessage(m_conversationB, m_patientAToken,
                             {{"clientId", uuid()}, {"envelope", bogusEnvelope(m_patientA.deviceId())}})
                     .status,
                 404);
        QCOMPARE(
            m_http
                ->post(QStringLiteral("/v1/conversations/%1/read").arg(m_conversationB), {{"seq", 1}}, m_patientAToken)
                .status,
            404);
        const auto list =
            m_http->get(QStringLiteral("/v1/conversations"), m_patientAToken).json.value("conversations").toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value("id").toString(), m_conversationA);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/not-an-id"), m_patientAToken).status, 404);
    }

    void sendIsIdempotent()
    {
        const QString clientId = uuid();
        const QJsonObject envelope =
            m_keyring->seal(m_patientB, m_conversationB, clientId, QStringLiteral("Is 3 pm fine?"));
        QVERIFY(!envelope.isEmpty());
        const HttpReply first =
            postMessage(m_conversationB, m_patientBToken, {{"clientId", clientId}, {"envelope", envelope}});
        QCOMPARE(first.status, 201);
        QCOMPARE(first.json.value("body").toString(), QString());
        QCOMPARE(m_keyring->open(first.json), QStringLiteral("Is 3 pm fine?"));
        // The same envelope again, even with its keys in another order, is the same message.
        QJsonObject reordered;
        for (const char *key : {"signature", "ciphertext", "senderDeviceId", "epoch"})
            reordered.insert(key, envelope.value(key));
        const HttpReply again =
            postMessage(m_conversationB, m_patientBToken, {{"clientId", clientId}, {"envelope", reordered}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value("id").toString(), first.json.value("id").toString());
        QCOMPARE(again.json.value("seq").toInteger(), first.json.value("seq").toInteger());
        QCOMPARE(again.json.value("envelope").toObject(), first.json.value("envelope").toObject());
        // Another encryption of the same text is another envelope: a reused clientId is a conflict.
        const QJsonObject other =
            m_keyring->seal(m_patientB, m_conversationB, clientId, QStringLiteral("Is 3 pm fine?"));
        QVERIFY(other != envelope);
        const HttpReply conflict =
            postMessage(m_conversationB, m_patientBToken, {{"clientId", clientId}, {"envelope", other}});
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.errorCode(), QStringLiteral("conflict"));
        const auto messages =
            m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationB), m_patientBToken)
                .json.value("messages")
                .toArray();
        QCOMPARE(messages.size(), 1);
    }

    void messagesPageNewestFirst()
    {
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(send(m_conversationA, i % 2 ? m_patientA : m_clinician, QStringLiteral("m%1").arg(i)).status, 201);
        const QString path = QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationA);
        const HttpReply first = m_http->get(path + QStringLiteral("?limit=2"), m_clinicianToken);
        QCOMPARE(first.status, 200);
        const auto page1 = first.json.value("messages").toArray();
        QCOMPARE(page1.size(), 2);
        QCOMPARE(page1[0].toObject().value("seq").toInteger(), 5);
        QCOMPARE(page1[0].toObject().value("body").toString(), QString());
        QCOMPARE(m_keyring->open(page1[0].toObject()), QStringLiteral("m5"));
        QCOMPARE(m_keyring->open(page1[1].toObject()), QStringLiteral("m4"));
        QCOMPARE(page1[1].toObject().value("seq").toInteger(), 4);
        QVERIFY(first.json.value("hasMore").toBool());
        const HttpReply second = m_http->get(path + QStringLiteral("?before=4&limit=10"), m_clinicianToken);
        const auto page2 = second.json.value("messages").toArray();
        QCOMPARE(page2.size(), 3);
        QCOMPARE(page2[2].toObject().value("seq").toInteger(), 1);
        QVERIFY(!second.json.value("hasMore").toBool());
        QCOMPARE(m_http->get(path + QStringLiteral("?limit=0"), m_clinicianToken).errorCode(),
                 QStringLiteral("invalid_field"));
        QCOMPARE(m_http->get(path + QStringLiteral("?limit=201"), m_clinicianToken).status, 400);
        QCOMPARE(m_http->get(path + QStringLiteral("?before=abc"), m_clinicianToken).status, 400);
    }

    void readStateAndUnreadCount()
    {
        const QString conversation = addPatient(QStringLiteral("Patient R"), QStringLiteral("r@patient.example"))
                                         .value("conversation")
                                         .toObject()
                                         .value("id")
                                         .toString();
        const QString patient = m_http->signIn(QStringLiteral("r@patient.example"), QStringLiteral("patient password"));
        const TestMember patientR = m_keyring->enroll(patient);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send(conversation, patientR, QStringLiteral("question %1").arg(i)).status, 201);
        QCOMPARE(send(conversation, m_clinician, QStringLiteral("answer")).status, 201);
        const QString path = QStringLiteral("/v1/conversations/%1").arg(conversation);
        const HttpReply before = m_http->get(path, m_clinicianToken);
        QCOMPARE(before.json.value("unreadCount").toInteger(), 3);
        QCOMPARE(before.json.value("lastSeq").toInteger(), 4);
        QCOMPARE(m_keyring->open(before.json.value("lastMessage").toObject()), QStringLiteral("answer"));
        QCOMPARE(m_http->get(path, patient).json.value("unreadCount").toInteger(), 1);

        const HttpReply read = m_http->post(path + QStringLiteral("/read"), {{"seq", 2}}, m_clinicianToken);
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json.value("lastReadSeq").toInteger(), 2);
        QCOMPARE(read.json.value("unreadCount").toInteger(), 1);
        QCOMPARE(read.json.value("conversationId").toString(), conversation);
        const HttpReply back = m_http->post(path + QStringLiteral("/read"), {{"seq", 1}}, m_clinicianToken);
        QCOMPARE(back.json.value("lastReadSeq").toInteger(), 2);
        QCOMPARE(m_http->get(path, m_clinicianToken).json.value("unreadCount").toInteger(), 1);
        // The marker is visible to the other members.
        bool found = false;
        const QString clinicianId = m_http->get(QStringLiteral("/v1/me"), m_clinicianToken).json.value("id").toString();
        for (const auto &m : m_http->get(path, patient).json.value("members").toArray()) {
            if (m.toObject().value("userId").toString() == clinicianId) {
                QCOMPARE(m.toObject().value("lastReadSeq").toInteger(), 2);
                found = true;
            }
        }
        QVERIFY(found);
        // Past the newest message, the marker stops at the newest message.
        QCOMPARE(m_http->post(path + QStringLiteral("/read"), {{"seq", 99}}, m_clinicianToken)
                     .json.value("lastReadSeq")
                     .toInteger(),
                 4);
        QCOMPARE(m_http->post(path + QStringLiteral("/read"), {{"seq", "2"}}, m_clinicianToken).errorCode(),
                 QStringLiteral("invalid_field"));
    }

    void conversationListPages()
    {
        for (int i = 0; i < 3; ++i)
            QVERIFY(!addPatient(QStringLiteral("Paged %1").arg(i), QStringLiteral("paged%1@patient.example").arg(i))
                         .isEmpty());
        QStringList seen;
        QString cursor;
        int pages = 0;
        do {
            const QString path = QStringLiteral("/v1/conversations?limit=2")
                + (cursor.isEmpty() ? QString() : QStringLiteral("&before=") + cursor);
            const HttpReply r = m_http->get(path, m_clinicianToken);
            QCOMPARE(r.status, 200);
            qint64 previous = std::numeric_limits<qint64>::max();
            for (const auto &c : r.json.value("conversations").toArray()) {
                const qint64 activity = c.toObject().value("lastActivityAt").toInteger();
                QVERIFY(activity <= previous);
                previous = activity;
                seen << c.toObject().value("id").toString();
            }
            cursor = r.json.value("next").toString();
            QVERIFY(r.json.value("next").isNull() || !cursor.isEmpty());
            ++pages;
        } while (!cursor.isEmpty() && pages < 20);
        // Patients A, B, R and the three paged ones, each once.
        QCOMPARE(seen.size(), 6);
        QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), 6);
        QCOMPARE(pages, 3);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations?before=garbage"), m_clinicianToken).status, 400);
    }

    void malformedInputIsRefused()
    {
        const QString sessions = QStringLiteral("/v1/sessions");
        QCOMPARE(m_http->raw("POST", sessions, "{not json", "application/json").errorCode(),
                 QStringLiteral("bad_json"));
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
        QCOMPARE(
            postMessage(m_conversationA, m_patientAToken, {{"clientId", uuid()}, {"envelope", "text"}}).errorCode(),
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

    void unknownRoutesAndMethods()
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

    void oversizedRequestsAre413()
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

    void signInAttemptsAreLimited()
    {
        int status = 0;
        int attempts = 0;
        while (attempts < 15) {
            ++attempts;
            status = m_http
                         ->post(QStringLiteral("/v1/sessions"),
                                {{"email", "a@patient.example"}, {"password", "guessing wrong"}})
                         .status;
            if (status != 401)
                break;
        }
        QCOMPARE(status, 429);
        QCOMPARE(attempts, 11); // 10 failures a minute per email
        // Even the right password is refused while the email is limited; other emails are not affected.
        QCOMPARE(m_http
                     ->post(QStringLiteral("/v1/sessions"),
                            {{"email", "a@patient.example"}, {"password", "patient password"}})
                     .errorCode(),
                 QStringLiteral("rate_limited"));
        QVERIFY(!m_http->signIn(QStringLiteral("b@patient.example"), QStringLiteral("patient password")).isEmpty());
    }

    void connectionLimitAnswers503()
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

    void survivesAFlood()
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

    void cleanupTestCase()
    {
        // A clean shutdown exits 0.
        QCOMPARE(m_server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerApi)
#include "tst_server_api.moc"
