// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server_api topic files share: the test class, its fixture and helpers.
#pragma once

#include "HttpClient.h"
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

inline QString uuid() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

/// Sends raw bytes on a new connection and returns everything the server sends until it closes
/// (or until a complete response has arrived when keepOpen is set).
inline QByteArray rawExchange(quint16 port, const QByteArray &bytes)
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
inline QJsonObject bogusEnvelope(const QString &deviceId, qint64 epoch = 1)
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

inline int statusOf(const QByteArray &response)
{
    // "HTTP/1.1 413 Payload Too Large"
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

/// The REST API of the real larch-server binary: accounts, sessions, conversations, messages, read state,
/// authorization, malformed input, limits (in characters as a person counts them) and a connection flood.
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
    void initTestCase();
    void healthAnswers();
    void practiceEmailsAreUnique();
    void signInAndWrongPassword();
    void tokensAreChecked();
    void signOutEndsTheSession();
    void revokeAllSessions();
    void expiredSessionsAreRefused();
    void rolesAndPracticesAreEnforced();
    void patientsSeeOnlyTheirOwnConversation();
    void sendIsIdempotent();
    void messagesPageNewestFirst();
    void readStateAndUnreadCount();
    void conversationListPages();
    void malformedInputIsRefused();
    void lengthsCountWhatAPersonCounts();
    void unknownRoutesAndMethods();
    void oversizedRequestsAre413();
    void signInAttemptsAreLimited();
    void concurrentGuessesCountBeforeTheirCheck();
    void connectionLimitAnswers503();
    void survivesAFlood();
    void cleanupTestCase();
};
