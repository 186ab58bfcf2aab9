// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the server_practice_links topic files share: the test class, its fixture and helpers.
#pragma once

#include "EventClient.h"
#include "HeadlessChromium.h"
#include "HttpClient.h"
#include "server/storage/Migrations.h"
#include "server/storage/sqlite/SqliteConnection.h"
#include "TestScene.h"
#include "TestServer.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/ProtocolStandard.h"
#include "core/protocol/Validation.h"

#include <memory>
#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace larch;

inline QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

const QStringList kRoomyLimits{QStringLiteral("--code-address-limit"), QStringLiteral("100000"),
                               QStringLiteral("--invite-limit"),       QStringLiteral("100000"),
                               QStringLiteral("--ios-app-id"),         QStringLiteral("ABCDE12345.org.example.larch")};

inline bool isCode(const QString &code)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{10}$"));
    return re.match(code).hasMatch();
}

/// The links of a practice as its staff member sees them.
inline QJsonArray linksOf(HttpClient &http, const QString &practiceId, const QString &token)
{
    return http.get(QStringLiteral("/v1/practices/%1/practice-links").arg(practiceId), token)
        .json.value("links")
        .toArray();
}

inline qint64 latestSeq(HttpClient &http, const QString &token)
{
    return http.get(QStringLiteral("/v1/events?since=0&limit=1"), token).json.value("latestSeq").toInteger();
}

/// The code in the newest development-outbox delivery to a contact (E.164 or email), or "".
inline QString lastCodeTo(HttpClient &http, const QString &to)
{
    static const QRegularExpression code(QStringLiteral("\\b([0-9]{6})\\b"));
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
        if (d.toObject().value("to").toString() == to)
            return code.match(d.toObject().value("body").toString()).captured(1);
    return {};
}

inline QStringList idsOf(const QJsonArray &conversations)
{
    QStringList out;
    for (const QJsonValue &c : conversations)
        out << c.toObject().value("id").toString();
    return out;
}

/// Practice Links on the real larch-server: the default link of a new practice, of the demo seed and of a practice that
/// existed before migration 8; creating and changing links (who may, bad input, at most 50); the public look-up and its
/// limit; signing up through a link end to end (code from the development outbox, a new secure conversation with the
/// link's tag, events to staff and patient, no second conversation); turned-off links; and the /p/<code> page in
/// headless Chromium.
class TestServerPracticeLinks : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    Scene m_a; ///< practice A: most tests
    Scene m_b; ///< practice B: "another practice"
    int m_phones = 0;

    /// A fresh French mobile number per call, so tests never share a contact.
    QString newMobile() { return QStringLiteral("+336124%1").arg(10000 + ++m_phones, 5, 10, QLatin1Char('0')); }

    QString linksPath(const Scene &s) const
    {
        return QStringLiteral("/v1/practices/%1/practice-links").arg(s.practiceId);
    }
    HttpReply create(const Scene &s, const QJsonObject &body, const QString &token)
    {
        return m_http->post(linksPath(s), body, token);
    }
    HttpReply patch(const Scene &s, const QString &linkId, const QJsonObject &body, const QString &token)
    {
        return m_http->request("PATCH", linksPath(s) + QLatin1Char('/') + linkId, body, token);
    }
    /// A new link of practice s; its JSON, {} on failure.
    QJsonObject newLink(const Scene &s, const QString &label, const QString &tag = {})
    {
        QJsonObject body{{"label", label}};
        if (!tag.isEmpty())
            body.insert("tag", tag);
        const HttpReply r = create(s, body, s.adminToken);
        return r.status == 201 ? r.json : QJsonObject();
    }
    QJsonObject linkById(const Scene &s, const QString &id)
    {
        for (const QJsonValue &l : linksOf(*m_http, s.practiceId, s.adminToken))
            if (l.toObject().value("id").toString() == id)
                return l.toObject();
        return {};
    }
    /// Asks for a code through a link (contact: {"phone"} or {"email"}) and returns it from the outbox, "" on failure.
    QString codeThroughLink(const QJsonObject &contact, const QString &code, const QString &deliveredTo)
    {
        QJsonObject body = contact;
        body.insert("practiceLink", code);
        const HttpReply r = m_http->post(QStringLiteral("/v1/codes"), body);
        if (r.status != 202) {
            qWarning() << "POST /v1/codes:" << r.status << r.body;
            return {};
        }
        return lastCodeTo(*m_http, deliveredTo);
    }

private slots:
    void initTestCase();
    void newPracticeHasADefaultLink();
    void demoPracticeHasADefaultLink();
    void migrationGivesExistingPracticesALink();
    void adminsCreateAndChangeLinks();
    void onlyAdminsOfThePracticeChangeLinks();
    void badInputIsRefused();
    void atMostFiftyLinks();
    void publicLookup();
    void lookupsAreLimitedPerAddress();
    void signUpThroughALink();
    void invitedPatientGetsNoDuplicate();
    void anotherPracticesPatientJoinsThroughALink();
    void turnedOffLinksAreRefused();
    void pages();
    void cleanupTestCase();
};
