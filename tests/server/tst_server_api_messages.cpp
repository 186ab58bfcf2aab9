// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_api: messages and conversations: idempotent sends, pages, read state and unread counts.
#include "tst_server_api.h"

void TestServerApi::sendIsIdempotent()
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
    const QJsonObject other = m_keyring->seal(m_patientB, m_conversationB, clientId, QStringLiteral("Is 3 pm fine?"));
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

void TestServerApi::messagesPageNewestFirst()
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

void TestServerApi::readStateAndUnreadCount()
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

void TestServerApi::conversationListPages()
{
    for (int i = 0; i < 3; ++i)
        QVERIFY(
            !addPatient(QStringLiteral("Paged %1").arg(i), QStringLiteral("paged%1@patient.example").arg(i)).isEmpty());
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
