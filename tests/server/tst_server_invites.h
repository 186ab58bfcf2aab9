// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server_invites topic files share: the test class, its fixture and helpers.
#pragma once

#include "EventClient.h"
#include "HttpClient.h"
#include "TestKeyring.h"
#include "TestScene.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QtTest>

inline QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

/// Flags that keep the per-address limits out of the way of tests that are not about them.
const QStringList kRoomyLimits{QStringLiteral("--code-address-limit"), QStringLiteral("100000"),
                               QStringLiteral("--invite-limit"), QStringLiteral("100000")};

/// Invitations, one-time codes and pairing on the real larch-server: phone and email checks, creating an invitation
/// (conversation at once, a delivery in the development outbox), duplicates and concurrent creates, resend, edit,
/// revoke, expiry, codes with their lockout and limits, sign-up pairing with every inviting practice, live events to
/// staff, authorization and bad input. Codes and links are read from /dev/outbox.json.
class TestServerInvites : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    Scene m_a; ///< practice A, with a classic patient
    Scene m_b; ///< practice B
    int m_phones = 0;

    HttpReply post(const QString &path, const QJsonObject &body, const QString &token = {})
    {
        return m_http->post(path, body, token);
    }
    HttpReply get(const QString &path, const QString &token = {}) { return m_http->get(path, token); }

    /// A fresh French mobile number per call (+33 6 12 34 5x xx), so tests never share a contact.
    QString newMobile() { return QStringLiteral("+336123%1").arg(45000 + ++m_phones, 5, 10, QLatin1Char('0')); }

    static HttpReply invite(HttpClient &http, const Scene &s, const QString &name, const QString &phone,
                            const QString &email = {})
    {
        QJsonObject body{{"patientName", name}};
        if (!phone.isEmpty())
            body.insert("phone", phone);
        if (!email.isEmpty())
            body.insert("email", email);
        return http.post(QStringLiteral("/v1/practices/%1/invitations").arg(s.practiceId), body, s.adminToken);
    }

    /// The newest delivery to a contact in the development outbox, or {}.
    static QJsonObject lastDeliveryTo(HttpClient &http, const QString &to)
    {
        const HttpReply r = http.get(QStringLiteral("/dev/outbox.json"));
        for (const QJsonValue &d : r.json.value("deliveries").toArray())
            if (d.toObject().value("to").toString() == to)
                return d.toObject();
        return {};
    }
    static int deliveriesTo(HttpClient &http, const QString &to)
    {
        int n = 0;
        for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
            n += d.toObject().value("to").toString() == to;
        return n;
    }
    static QString tokenIn(const QString &body)
    {
        static const QRegularExpression link(QStringLiteral("/i/([A-Za-z0-9_-]{43})"));
        return link.match(body).captured(1);
    }
    static QString codeIn(const QString &body)
    {
        static const QRegularExpression code(QStringLiteral("\\b([0-9]{6})\\b"));
        return code.match(body).captured(1);
    }
    /// Asks for a code for the contact and returns it as the outbox shows it.
    static QString requestCode(HttpClient &http, const QJsonObject &contact)
    {
        const HttpReply r = http.post(QStringLiteral("/v1/codes"), contact);
        if (r.status != 202)
            return {};
        const QString to =
            contact.contains("phone") ? contact.value("phone").toString() : contact.value("email").toString();
        return codeIn(lastDeliveryTo(http, to).value("body").toString());
    }

private slots:
    void initTestCase();
    void checksPhoneNumbers();
    void checksEmails();
    void createShowsConversationAndSendsLink();
    void duplicateContactIsRefused();
    void concurrentCreatesMakeOneConversation();
    void resendReplacesTheLink();
    void editChangesContactAndSendsAgain();
    void revokeKillsTheLink();
    void wrongCodesCountDownAndLock();
    void codesPerContactAreLimited();
    void signUpPairsWithEveryInvitingPractice();
    void existingPatientIsPairedWhenSigningInWithACode();
    void signUpWithoutInvitationNeedsAName();
    void invitationTextRules();
    void othersGetNotFound();
    void badInputIsRefused();
    void expiredLinksAndCodes();
    void logsHoldNoContactCodeOrToken();
    void limitsPerAddressAndPractice();
};
