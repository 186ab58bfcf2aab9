// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice Links on the real larch-server: the default link of a new practice, of the demo seed and of a practice
// that existed before migration 8; creating and changing links (who may, bad input, at most 50); the public
// look-up and its limit; signing up through a link end to end (code from the development outbox, a new secure
// conversation with the link's tag, events to staff and patient, no second conversation); turned-off links; and
// the /p/<code> page in headless Chromium.
#include "EventClient.h"
#include "HeadlessChromium.h"
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

namespace {

QString messageOf(const HttpReply &r) { return r.json.value("error").toObject().value("message").toString(); }

const QStringList kRoomyLimits{QStringLiteral("--code-address-limit"), QStringLiteral("100000"),
                               QStringLiteral("--invite-limit"),       QStringLiteral("100000"),
                               QStringLiteral("--ios-app-id"),         QStringLiteral("ABCDE12345.org.example.larch")};

bool isCode(const QString &code)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{10}$"));
    return re.match(code).hasMatch();
}

/// The links of a practice as its staff member sees them.
QJsonArray linksOf(HttpClient &http, const QString &practiceId, const QString &token)
{
    return http.get(QStringLiteral("/v1/practices/%1/practice-links").arg(practiceId), token)
        .json.value("links")
        .toArray();
}

qint64 latestSeq(HttpClient &http, const QString &token)
{
    return http.get(QStringLiteral("/v1/events?since=0&limit=1"), token).json.value("latestSeq").toInteger();
}

/// The code in the newest development-outbox delivery to a contact (E.164 or email), or "".
QString lastCodeTo(HttpClient &http, const QString &to)
{
    static const QRegularExpression code(QStringLiteral("\\b([0-9]{6})\\b"));
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
        if (d.toObject().value("to").toString() == to)
            return code.match(d.toObject().value("body").toString()).captured(1);
    return {};
}

QStringList idsOf(const QJsonArray &conversations)
{
    QStringList out;
    for (const QJsonValue &c : conversations)
        out << c.toObject().value("id").toString();
    return out;
}

} // namespace

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
    void initTestCase()
    {
        QVERIFY(initCrypto());
        QVERIFY(m_server.start(kRoomyLimits));
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        m_a = makeScene(*m_http, QStringLiteral("pla"));
        m_b = makeScene(*m_http, QStringLiteral("plb"));
        QVERIFY(!m_a.patientToken.isEmpty());
        QVERIFY(!m_b.patientToken.isEmpty());
    }

    void newPracticeHasADefaultLink()
    {
        const QJsonArray links = linksOf(*m_http, m_a.practiceId, m_a.clinicianToken);
        QCOMPARE(links.size(), 1);
        const QJsonObject link = links[0].toObject();
        QCOMPARE(link.value("label").toString(), QStringLiteral("Practice Link"));
        QVERIFY(link.value("tag").isNull());
        QVERIFY(link.value("enabled").toBool());
        QCOMPARE(link.value("practiceId").toString(), m_a.practiceId);
        QCOMPARE(link.value("conversationCount").toInteger(), 0);
        QVERIFY(isValidId(link.value("id").toString()));
        const QString code = link.value("code").toString();
        QVERIFY2(isCode(code), qPrintable(code));
        QCOMPARE(link.value("url").toString(), m_server.baseUrl() + QStringLiteral("/p/") + code);
        QVERIFY(link.value("createdAt").toInteger() > 0);
        // The wire type reads it back.
        QVERIFY(PracticeLink::fromJson(link).has_value());
        // Each practice its own code.
        QVERIFY(linksOf(*m_http, m_b.practiceId, m_b.adminToken)[0].toObject().value("code").toString() != code);

        // Other practices' staff and patients get 404; no token 401.
        QCOMPARE(m_http->get(linksPath(m_a), m_b.adminToken).status, 404);
        QCOMPARE(m_http->get(linksPath(m_a), m_a.patientToken).status, 404);
        QCOMPARE(m_http->get(linksPath(m_a)).status, 401);
        QCOMPARE(m_http->request("DELETE", linksPath(m_a), {}, m_a.adminToken).status, 405);
    }

    void demoPracticeHasADefaultLink()
    {
        QTemporaryDir data;
        for (int start = 0; start < 2; ++start) { // a second start with --demo seeds nothing more
            TestServer server(data.path());
            QVERIFY(server.start({QStringLiteral("--demo")}));
            HttpClient http(server.baseUrl());
            const QString ana = http.signIn(QStringLiteral("ana@birch.example"), QStringLiteral("larch-demo-password"));
            QVERIFY(!ana.isEmpty());
            const QString practiceId = http.get(QStringLiteral("/v1/me"), ana).json.value("practiceId").toString();
            const QJsonArray links = linksOf(http, practiceId, ana);
            QCOMPARE(links.size(), 1);
            const QString code = links[0].toObject().value("code").toString();
            QVERIFY(isCode(code));
            const HttpReply lookup = http.get(QStringLiteral("/v1/practice-links/") + code);
            QCOMPARE(lookup.status, 200);
            QCOMPARE(lookup.json.value("practiceName").toString(), QStringLiteral("Birch Family Medicine"));
            QCOMPARE(server.terminate(), 0);
        }
    }

    void migrationGivesExistingPracticesALink()
    {
        // A database as a server before Practice Links left it (schema 7): a practice, its admin, a patient and
        // their conversation.
        QTemporaryDir data;
        const QString practiceId = newId(), adminId = newId(), patientId = newId(), conversationId = newId();
        {
            larch::server::SqliteConnection db(data.filePath(QStringLiteral("larch.sqlite3")));
            db.execScript("PRAGMA foreign_keys=OFF");
            db.execScript("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
            for (const larch::server::Migration &m : larch::server::sqliteMigrations()) {
                if (m.version >= 8)
                    break;
                db.execScript(m.sql);
                db.execScript(
                    QStringLiteral("INSERT INTO schema_version VALUES (%1, 0)").arg(m.version).toUtf8().constData());
            }
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            db.prepare("INSERT INTO practices (id, name, created_at) VALUES (?, 'Old Oak Clinic', ?)")
                .bind(1, practiceId)
                .bind(2, now)
                .exec();
            db.prepare("INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at) "
                       "VALUES (?, ?, 'admin@oldoak.example', 'Old Admin', 'admin', ?, ?)")
                .bind(1, adminId)
                .bind(2, practiceId)
                .bind(3, PasswordHash::hash(QStringLiteral("correct horse battery")))
                .bind(4, now)
                .exec();
            db.prepare("INSERT INTO users (id, practice_id, email, name, role, password_hash, created_at) "
                       "VALUES (?, ?, 'pat@oldoak.example', 'Old Patient', 'patient', '', ?)")
                .bind(1, patientId)
                .bind(2, practiceId)
                .bind(3, now)
                .exec();
            db.prepare(
                  "INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at) "
                  "VALUES (?, ?, ?, 'Old Patient', 'secure', ?, ?)")
                .bind(1, conversationId)
                .bind(2, practiceId)
                .bind(3, patientId)
                .bind(4, now)
                .bind(5, now)
                .exec();
        }
        TestServer server(data.path());
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        const QString admin = http.signIn(QStringLiteral("admin@oldoak.example"));
        QVERIFY(!admin.isEmpty());
        const QJsonArray links = linksOf(http, practiceId, admin);
        QCOMPARE(links.size(), 1);
        const QJsonObject link = links[0].toObject();
        QCOMPARE(link.value("label").toString(), QStringLiteral("Practice Link"));
        QVERIFY(link.value("tag").isNull());
        QVERIFY(link.value("enabled").toBool());
        QVERIFY(isValidId(link.value("id").toString()));
        QVERIFY2(isCode(link.value("code").toString()), qPrintable(link.value("code").toString()));
        QCOMPARE(link.value("conversationCount").toInteger(), 0);
        QCOMPARE(http.get(QStringLiteral("/v1/practice-links/") + link.value("code").toString())
                     .json.value("practiceName")
                     .toString(),
                 QStringLiteral("Old Oak Clinic"));
        // The conversation from before has no tags.
        const HttpReply c = http.get(QStringLiteral("/v1/conversations/") + conversationId, admin);
        QCOMPARE(c.status, 200);
        QCOMPARE(c.json.value("tags").toArray(), QJsonArray());
        QCOMPARE(server.terminate(), 0);
    }

    void adminsCreateAndChangeLinks()
    {
        EventClient clinicianEvents(m_server.baseUrl(), m_a.clinicianToken, latestSeq(*m_http, m_a.clinicianToken));
        QVERIFY(clinicianEvents.waitForHello());

        HttpReply r = create(m_a, {{"label", "  Front desk flyer "}, {"tag", "new-patient"}}, m_a.adminToken);
        QCOMPARE(r.status, 201);
        const QJsonObject link = r.json;
        const QString id = link.value("id").toString();
        QCOMPARE(link.value("label").toString(), QStringLiteral("Front desk flyer"));
        QCOMPARE(link.value("tag").toString(), QStringLiteral("new-patient"));
        QVERIFY(link.value("enabled").toBool());
        QCOMPARE(link.value("conversationCount").toInteger(), 0);
        QVERIFY(isCode(link.value("code").toString()));
        QCOMPARE(link.value("url").toString(),
                 m_server.baseUrl() + QStringLiteral("/p/") + link.value("code").toString());

        // Oldest first: the default link, then this one.
        const QJsonArray links = linksOf(*m_http, m_a.practiceId, m_a.clinicianToken);
        QCOMPARE(links.size(), 2);
        QCOMPARE(links[0].toObject().value("label").toString(), QStringLiteral("Practice Link"));
        QCOMPARE(links[1].toObject(), link);

        // Staff hear of it.
        QVERIFY(clinicianEvents.waitFor([&] {
            for (const QJsonObject &d : clinicianEvents.dataOf(QStringLiteral("practice_link.updated")))
                if (d == link)
                    return true;
            return false;
        }));

        r = patch(m_a, id, {{"label", "Waiting room poster"}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("label").toString(), QStringLiteral("Waiting room poster"));
        QCOMPARE(r.json.value("tag").toString(), QStringLiteral("new-patient"));
        QCOMPARE(r.json.value("code").toString(), link.value("code").toString());
        r = patch(m_a, id, {{"tag", QJsonValue::Null}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value("tag").isNull());
        r = patch(m_a, id, {{"tag", "Café hours 2"}, {"enabled", false}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("tag").toString(), QStringLiteral("Café hours 2"));
        QVERIFY(!r.json.value("enabled").toBool());
        r = patch(m_a, id, {{"tag", ""}, {"enabled", true}}, m_a.adminToken);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value("tag").isNull());
        QVERIFY(r.json.value("enabled").toBool());
        QCOMPARE(linkById(m_a, id), r.json);
        // Each change reached staff, the last one as it is now.
        QVERIFY(clinicianEvents.waitFor([&] {
            const auto updates = clinicianEvents.dataOf(QStringLiteral("practice_link.updated"));
            return updates.size() >= 5 && updates.last() == r.json;
        }));
        // Limits are exact: 60 characters of label, 30 of tag.
        r = patch(m_a, id, {{"label", QString(60, QLatin1Char('L'))}, {"tag", QString(30, QLatin1Char('t'))}},
                  m_a.adminToken);
        QCOMPARE(r.status, 200);
    }

    void onlyAdminsOfThePracticeChangeLinks()
    {
        const QString id = linksOf(*m_http, m_a.practiceId, m_a.adminToken)[0].toObject().value("id").toString();
        HttpReply r = create(m_a, {{"label", "Clinician's link"}}, m_a.clinicianToken);
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
        QVERIFY(messageOf(r).contains(QStringLiteral("administrator")));
        QCOMPARE(patch(m_a, id, {{"enabled", false}}, m_a.clinicianToken).status, 403);
        // Another practice's admin, and patients, find nothing.
        QCOMPARE(create(m_a, {{"label", "Not mine"}}, m_b.adminToken).status, 404);
        QCOMPARE(patch(m_a, id, {{"enabled", false}}, m_b.adminToken).status, 404);
        QCOMPARE(patch(m_b, id, {{"enabled", false}}, m_b.adminToken).status, 404); // A's link under B's path
        QCOMPARE(create(m_a, {{"label", "Patient's"}}, m_a.patientToken).status, 404);
        QCOMPARE(patch(m_a, id, {{"enabled", false}}, m_a.patientToken).status, 404);
        // Unknown and malformed link ids.
        QCOMPARE(patch(m_a, newId(), {{"enabled", false}}, m_a.adminToken).status, 404);
        QCOMPARE(patch(m_a, QStringLiteral("not-an-id"), {{"enabled", false}}, m_a.adminToken).status, 404);
        QCOMPARE(create(m_a, {{"label", "No token"}}, QString()).status, 401);
        // Nothing changed.
        QVERIFY(linkById(m_a, id).value("enabled").toBool());
    }

    void badInputIsRefused()
    {
        const QString id = linksOf(*m_http, m_a.practiceId, m_a.adminToken)[0].toObject().value("id").toString();
        const qsizetype before = linksOf(*m_http, m_a.practiceId, m_a.adminToken).size();
        struct Case {
            QJsonObject body;
            const char *code;
        };
        const QList<Case> creates{
            {{}, "missing_field"},
            {{{"tag", "x"}}, "missing_field"},
            {{{"label", ""}}, "invalid_field"},
            {{{"label", "   "}}, "invalid_field"},
            {{{"label", QString(61, QLatin1Char('L'))}}, "invalid_field"},
            {{{"label", "Two\nlines"}}, "invalid_field"},
            {{{"label", 5}}, "invalid_field"},
            {{{"label", QJsonValue::Null}}, "invalid_field"},
            {{{"label", "Flyer"}, {"tag", "no/slashes"}}, "invalid_field"},
            {{{"label", "Flyer"}, {"tag", "<b>"}}, "invalid_field"},
            {{{"label", "Flyer"}, {"tag", QString(31, QLatin1Char('t'))}}, "invalid_field"},
            {{{"label", "Flyer"}, {"tag", 7}}, "invalid_field"},
            {{{"label", "Flyer"}, {"enabled", true}}, "invalid_field"},
            {{{"label", "Flyer"}, {"colour", "green"}}, "invalid_field"},
        };
        for (const Case &c : creates) {
            const HttpReply r = create(m_a, c.body, m_a.adminToken);
            QVERIFY2(r.status == 400, qPrintable(QJsonDocument(c.body).toJson(QJsonDocument::Compact)));
            QCOMPARE(r.errorCode(), QLatin1String(c.code));
            QVERIFY(!messageOf(r).isEmpty());
        }
        const QList<Case> patches{
            {{}, "missing_field"},
            {{{"label", ""}}, "invalid_field"},
            {{{"label", QJsonValue::Null}}, "invalid_field"},
            {{{"label", QString(61, QLatin1Char('L'))}}, "invalid_field"},
            {{{"tag", "semi;colon"}}, "invalid_field"},
            {{{"tag", QJsonArray{"a"}}}, "invalid_field"},
            {{{"enabled", "yes"}}, "invalid_field"},
            {{{"enabled", 0}}, "invalid_field"},
            {{{"enabled", false}, {"code", "AAAAAAAAAA"}}, "invalid_field"},
        };
        for (const Case &c : patches) {
            const HttpReply r = patch(m_a, id, c.body, m_a.adminToken);
            QVERIFY2(r.status == 400, qPrintable(QJsonDocument(c.body).toJson(QJsonDocument::Compact)));
            QCOMPARE(r.errorCode(), QLatin1String(c.code));
        }
        // Not JSON.
        QCOMPARE(
            m_http->raw("POST", linksPath(m_a), "label=x", "application/x-www-form-urlencoded", m_a.adminToken).status,
            415);
        QCOMPARE(m_http->raw("POST", linksPath(m_a), "[1]", "application/json", m_a.adminToken).status, 400);
        // Nothing was created or changed.
        QCOMPARE(linksOf(*m_http, m_a.practiceId, m_a.adminToken).size(), before);
        QVERIFY(linkById(m_a, id).value("enabled").toBool());
    }

    void atMostFiftyLinks()
    {
        const Scene s = makeScene(*m_http, QStringLiteral("plmany"));
        QCOMPARE(linksOf(*m_http, s.practiceId, s.adminToken).size(), 1);
        for (int i = 2; i <= 50; ++i)
            QCOMPARE(create(s, {{"label", QStringLiteral("Flyer %1").arg(i)}}, s.adminToken).status, 201);
        const HttpReply r = create(s, {{"label", "One too many"}}, s.adminToken);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("conflict"));
        QVERIFY(messageOf(r).contains(QStringLiteral("50")));
        const QJsonArray links = linksOf(*m_http, s.practiceId, s.adminToken);
        QCOMPARE(links.size(), 50);
        QCOMPARE(links.last().toObject().value("label").toString(), QStringLiteral("Flyer 50"));
        // Changing one is still allowed.
        QCOMPARE(patch(s, links[3].toObject().value("id").toString(), {{"enabled", false}}, s.adminToken).status, 200);
    }

    void publicLookup()
    {
        const QJsonObject link = newLink(m_a, QStringLiteral("Look-up"));
        const QString code = link.value("code").toString();
        HttpReply r = m_http->get(QStringLiteral("/v1/practice-links/") + code);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, (QJsonObject{{"practiceName", "Practice pla"}, {"enabled", true}}));
        QCOMPARE(patch(m_a, link.value("id").toString(), {{"enabled", false}}, m_a.adminToken).status, 200);
        r = m_http->get(QStringLiteral("/v1/practice-links/") + code);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, (QJsonObject{{"practiceName", "Practice pla"}, {"enabled", false}}));
        for (const QString &unknown : {QStringLiteral("AAAAAAAAAA"), QStringLiteral("short"),
                                       QStringLiteral("has%20space"), QString(200, QLatin1Char('x'))}) {
            r = m_http->get(QStringLiteral("/v1/practice-links/") + unknown);
            QCOMPARE(r.status, 404);
            QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
        }
        QCOMPARE(m_http->post(QStringLiteral("/v1/practice-links/") + code, {}).status, 405);
    }

    void lookupsAreLimitedPerAddress()
    {
        TestServer server;
        // Look-ups get five times the codes per address: 5 here.
        QVERIFY(server.start({QStringLiteral("--code-address-limit"), QStringLiteral("1")}));
        HttpClient http(server.baseUrl());
        const Scene s = makeScene(http, QStringLiteral("pllimit"));
        const QString code = linksOf(http, s.practiceId, s.adminToken)[0].toObject().value("code").toString();
        for (int i = 0; i < 5; ++i)
            QCOMPARE(http.get(QStringLiteral("/v1/practice-links/") + code).status, 200);
        const HttpReply r = http.get(QStringLiteral("/v1/practice-links/") + code);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
        QVERIFY(!messageOf(r).isEmpty());
        // Unknown codes count too.
        QCOMPARE(http.get(QStringLiteral("/v1/practice-links/AAAAAAAAAA")).status, 429);
        QCOMPARE(server.terminate(), 0);
    }

    void signUpThroughALink()
    {
        // The practice reads national numbers as British; the link carries a tag.
        QCOMPARE(m_http
                     ->request("PATCH", QStringLiteral("/v1/practices/%1/settings").arg(m_a.practiceId),
                               {{"defaultRegion", "GB"}}, m_a.adminToken)
                     .status,
                 200);
        const QJsonObject link = newLink(m_a, QStringLiteral("Flyer"), QStringLiteral("flyer"));
        const QString code = link.value("code").toString();
        const QString linkId = link.value("id").toString();
        EventClient staff(m_server.baseUrl(), m_a.clinicianToken, latestSeq(*m_http, m_a.clinicianToken));
        QVERIFY(staff.waitForHello());

        const QString e164 = QStringLiteral("+447400123456");
        HttpReply r = m_http->post(QStringLiteral("/v1/codes"), {{"phone", "07400 123456"}, {"practiceLink", code}});
        QCOMPARE(r.status, 202);
        QVERIFY(r.json.value("contactHint").toString().endsWith(QStringLiteral("3456")));
        const QString smsCode = lastCodeTo(*m_http, e164);
        QCOMPARE(smsCode.size(), 6);

        // A new account needs a name; the code stays good.
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", "07400 123456"}, {"code", smsCode}, {"practiceLink", code}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("missing_field"));
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", "07400 123456"},
                          {"code", smsCode},
                          {"name", "Linda Link"},
                          {"practiceLink", code},
                          {"deviceName", "Linda's phone"}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value("created").toBool());
        const QString patientToken = r.json.value("token").toString();
        const QJsonObject user = r.json.value("user").toObject();
        QCOMPARE(user.value("name").toString(), QStringLiteral("Linda Link"));
        QCOMPARE(user.value("role").toString(), QStringLiteral("patient"));
        QCOMPARE(user.value("practiceId").toString(), m_a.practiceId);
        const QJsonArray paired = r.json.value("paired").toArray();
        QCOMPARE(paired.size(), 1);
        const QString conversationId = paired[0].toString();
        QCOMPARE(r.json.value("conversationId").toString(), conversationId);

        // Staff see the new secure conversation with the link's tag, at once and live.
        const HttpReply asStaff =
            m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_a.clinicianToken);
        QCOMPARE(asStaff.status, 200);
        QCOMPARE(asStaff.json.value("kind").toString(), QStringLiteral("secure"));
        QCOMPARE(asStaff.json.value("title").toString(), QStringLiteral("Linda Link"));
        QCOMPARE(asStaff.json.value("patientId").toString(), user.value("id").toString());
        QCOMPARE(asStaff.json.value("tags").toArray(), QJsonArray{"flyer"});
        QVERIFY(asStaff.json.value("invitationState").isNull());
        QVERIFY(
            idsOf(
                m_http->get(QStringLiteral("/v1/conversations"), m_a.adminToken).json.value("conversations").toArray())
                .contains(conversationId));
        QVERIFY(staff.waitFor([&] {
            bool created = false, counted = false;
            for (const QJsonObject &d : staff.dataOf(QStringLiteral("conversation.created")))
                created = created
                    || (d.value("id").toString() == conversationId && d.value("tags").toArray() == QJsonArray{"flyer"});
            for (const QJsonObject &d : staff.dataOf(QStringLiteral("practice_link.updated")))
                counted =
                    counted || (d.value("id").toString() == linkId && d.value("conversationCount").toInteger() == 1);
            return created && counted;
        }));

        // The patient lists it (tags are the practice's own labels: not shown to the patient) and heard of it.
        const QJsonArray mine =
            m_http->get(QStringLiteral("/v1/conversations"), patientToken).json.value("conversations").toArray();
        QCOMPARE(idsOf(mine), QStringList{conversationId});
        QCOMPARE(mine[0].toObject().value("tags").toArray(), QJsonArray());
        QCOMPARE(mine[0].toObject().value("practiceId").toString(), m_a.practiceId);
        QStringList createdForPatient;
        for (const QJsonObject &d : storedEvents(*m_http, patientToken, QStringLiteral("conversation.created")))
            createdForPatient << d.value("id").toString();
        QCOMPARE(createdForPatient, QStringList{conversationId});
        QCOMPARE(linkById(m_a, linkId).value("conversationCount").toInteger(), 1);

        // Signing in again through the link opens no second conversation.
        const QString again = codeThroughLink({{"phone", e164}}, code, e164);
        QCOMPARE(again.size(), 6);
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", e164}, {"code", again}, {"practiceLink", code}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json.value("created").toBool());
        QCOMPARE(r.json.value("paired").toArray(), QJsonArray());
        QCOMPARE(r.json.value("conversationId").toString(), conversationId);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations"), r.json.value("token").toString())
                     .json.value("conversations")
                     .toArray()
                     .size(),
                 1);
        QCOMPARE(linkById(m_a, linkId).value("conversationCount").toInteger(), 1);

        // The page names the practice, never the patient who came through it.
        const Fetched page = fetch(link.value("url").toString());
        QCOMPARE(page.status, 200);
        QVERIFY(!page.body.contains("Linda"));
        QCOMPARE(m_http
                     ->request("PATCH", QStringLiteral("/v1/practices/%1/settings").arg(m_a.practiceId),
                               {{"defaultRegion", "US"}}, m_a.adminToken)
                     .status,
                 200);
    }

    void invitedPatientGetsNoDuplicate()
    {
        const QString phone = newMobile();
        const HttpReply invited = m_http->post(QStringLiteral("/v1/practices/%1/invitations").arg(m_a.practiceId),
                                               {{"patientName", "Ivy Invited"}, {"phone", phone}}, m_a.adminToken);
        QCOMPARE(invited.status, 201);
        const QString invitedConversation = invited.json.value("conversation").toObject().value("id").toString();
        const QJsonObject link = newLink(m_a, QStringLiteral("Counter"), QStringLiteral("counter"));
        const QString code = codeThroughLink({{"phone", phone}}, link.value("code").toString(), phone);
        QCOMPARE(code.size(), 6);
        const HttpReply r =
            m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", phone}, {"code", code}, {"practiceLink", link.value("code").toString()}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value("created").toBool());
        // The invitation's conversation is the one: paired, and no second conversation with the practice.
        QCOMPARE(r.json.value("paired").toArray(), QJsonArray{invitedConversation});
        QCOMPARE(r.json.value("conversationId").toString(), invitedConversation);
        const QJsonArray mine = m_http->get(QStringLiteral("/v1/conversations"), r.json.value("token").toString())
                                    .json.value("conversations")
                                    .toArray();
        QCOMPARE(idsOf(mine), QStringList{invitedConversation});
        QCOMPARE(linkById(m_a, link.value("id").toString()).value("conversationCount").toInteger(), 0);
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/") + invitedConversation, m_a.adminToken)
                     .json.value("tags")
                     .toArray(),
                 QJsonArray());
    }

    void anotherPracticesPatientJoinsThroughALink()
    {
        // Practice B's patient (email and password) follows practice A's link: a conversation with A is added.
        const QJsonObject link = linksOf(*m_http, m_a.practiceId, m_a.adminToken)[0].toObject();
        const qint64 count = link.value("conversationCount").toInteger();
        const QString email = QStringLiteral("pat@plb.example");
        const QString code = codeThroughLink({{"email", email}}, link.value("code").toString(), email);
        QCOMPARE(code.size(), 6);
        const HttpReply r =
            m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"email", email}, {"code", code}, {"practiceLink", link.value("code").toString()}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json.value("created").toBool());
        QCOMPARE(r.json.value("user").toObject().value("id").toString(), m_b.patientId);
        QCOMPARE(r.json.value("user").toObject().value("practiceId").toString(), m_b.practiceId);
        const QString conversationId = r.json.value("conversationId").toString();
        QCOMPARE(r.json.value("paired").toArray(), QJsonArray{conversationId});
        const QStringList mine = idsOf(
            m_http->get(QStringLiteral("/v1/conversations"), m_b.patientToken).json.value("conversations").toArray());
        QCOMPARE(mine.size(), 2);
        QVERIFY(mine.contains(m_b.conversationId));
        QVERIFY(mine.contains(conversationId));
        // The default link has no tag.
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_a.adminToken)
                     .json.value("tags")
                     .toArray(),
                 QJsonArray());
        QCOMPARE(linkById(m_a, link.value("id").toString()).value("conversationCount").toInteger(), count + 1);
        // B's staff do not see A's conversation.
        QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_b.adminToken).status, 404);
    }

    void turnedOffLinksAreRefused()
    {
        const QJsonObject link = newLink(m_a, QStringLiteral("Soon off"));
        const QString code = link.value("code").toString();
        const QString phone = newMobile();
        const QString smsCode = codeThroughLink({{"phone", phone}}, code, phone);
        QCOMPARE(smsCode.size(), 6);
        QCOMPARE(patch(m_a, link.value("id").toString(), {{"enabled", false}}, m_a.adminToken).status, 200);

        HttpReply r =
            m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", phone}, {"code", smsCode}, {"name", "Olive Off"}, {"practiceLink", code}});
        QCOMPARE(r.status, 410);
        QCOMPARE(r.errorCode(), QStringLiteral("link_disabled"));
        QCOMPARE(messageOf(r), QStringLiteral("This Practice Link is turned off. Ask the practice for a new link."));
        r = m_http->post(QStringLiteral("/v1/codes"), {{"phone", phone}, {"practiceLink", code}});
        QCOMPARE(r.status, 410);
        QCOMPARE(r.errorCode(), QStringLiteral("link_disabled"));
        // The code itself was not used up: it still signs up without the link, and opens nothing with practice A.
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", phone}, {"code", smsCode}, {"name", "Olive Off"}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value("paired").toArray().isEmpty());
        QVERIFY(!r.json.contains("conversationId"));
        QVERIFY(m_http->get(QStringLiteral("/v1/conversations"), r.json.value("token").toString())
                    .json.value("conversations")
                    .toArray()
                    .isEmpty());
        QCOMPARE(linkById(m_a, link.value("id").toString()).value("conversationCount").toInteger(), 0);

        // Unknown links, and a link beside an invitation token.
        r = m_http->post(QStringLiteral("/v1/codes"), {{"phone", newMobile()}, {"practiceLink", "AAAAAAAAAA"}});
        QCOMPARE(r.status, 404);
        r = m_http->post(QStringLiteral("/v1/codes/verify"),
                         {{"phone", newMobile()}, {"code", "123456"}, {"practiceLink", "nope"}});
        QCOMPARE(r.status, 404);
        const QString enabledCode =
            linksOf(*m_http, m_a.practiceId, m_a.adminToken)[0].toObject().value("code").toString();
        r = m_http->post(QStringLiteral("/v1/codes"),
                         {{"phone", newMobile()},
                          {"practiceLink", enabledCode},
                          {"invitationToken", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        r = m_http->post(QStringLiteral("/v1/codes"), {{"phone", newMobile()}, {"practiceLink", 12}});
        QCOMPARE(r.status, 400);
        // A link alone is not a contact.
        r = m_http->post(QStringLiteral("/v1/codes"), {{"practiceLink", enabledCode}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("missing_field"));
    }

    void pages()
    {
        QVERIFY(QFile::exists(kChromium));
        // A practice whose name needs escaping.
        const QJsonObject p =
            m_http->createPractice(QStringLiteral("Oak & Ash <Clinic>"), QStringLiteral("admin@oakash.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString admin = p.value("session").toObject().value("token").toString();
        const QJsonObject link = linksOf(*m_http, practiceId, admin)[0].toObject();
        const QString code = link.value("code").toString();
        const QString url = link.value("url").toString();

        const Fetched f = fetch(url);
        QCOMPARE(f.status, 200);
        QCOMPARE(f.headers.value("content-type"), QByteArray("text/html; charset=utf-8"));
        QVERIFY(f.headers.value("content-security-policy")
                    .startsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
        QCOMPARE(f.headers.value("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(f.headers.value("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(f.body.contains("Oak &amp; Ash &lt;Clinic&gt;"));
        QVERIFY(!f.body.contains("<Clinic>"));

        const Rendered page = render(url);
        QVERIFY(page.ok);
        QVERIFY(page.dom.contains(QStringLiteral("data-state=\"enabled\"")));
        QVERIFY(page.dom.contains(
            QStringLiteral("Join <span id=\"practice-name\">Oak &amp; Ash &lt;Clinic&gt;</span> on Larch")));
        QVERIFY(page.dom.contains(
            QStringLiteral(
                "<a class=\"button primary\" id=\"open-in-larch\" href=\"larch://practice/%1\">Open in Larch</a>")
                .arg(code)));
        QVERIFY(page.dom.contains(QStringLiteral("id=\"app-store\" href=\"https://apps.apple.com/app/larch\"")));
        QVERIFY(page.dom.contains(
            QStringLiteral("id=\"google-play\" href=\"https://play.google.com/store/apps/details?id=app.larch\"")));
        QVERIFY(page.dom.contains(QStringLiteral("id=\"desktop\" href=\"https://larch.app/download\"")));
        QString problem = selfContainedProblem(page, m_server.baseUrl());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // Turned off: 410 with a polite page.
        Scene oakAsh;
        oakAsh.practiceId = practiceId;
        QCOMPARE(patch(oakAsh, link.value("id").toString(), {{"enabled", false}}, admin).status, 200);
        QCOMPARE(fetch(url).status, 410);
        const Rendered off = render(url);
        QVERIFY(off.ok);
        QVERIFY(off.dom.contains(QStringLiteral("data-state=\"disabled\"")));
        QVERIFY(off.dom.contains(QStringLiteral("This Practice Link is turned off")));
        QVERIFY(!off.dom.contains(QStringLiteral("larch://practice/")));
        problem = selfContainedProblem(off, m_server.baseUrl());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // Unknown, well-formed or not: 404 with a polite page.
        for (const QString &unknown : {QStringLiteral("AAAAAAAAAA"), QStringLiteral("not%20a%20code")}) {
            const QString address = m_server.baseUrl() + QStringLiteral("/p/") + unknown;
            QCOMPARE(fetch(address).status, 404);
            const Rendered missing = render(address);
            QVERIFY(missing.ok);
            QVERIFY(missing.dom.contains(QStringLiteral("data-state=\"unknown\"")));
            QVERIFY(missing.dom.contains(QStringLiteral("This Practice Link does not work")));
            problem = selfContainedProblem(missing, m_server.baseUrl());
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        QCOMPARE(fetch(m_server.baseUrl() + QStringLiteral("/p/") + code + QStringLiteral("/more")).status, 404);
        const Fetched post = fetch(url, "POST");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.headers.value("allow"), QByteArray("GET"));

        // The iOS app opens /p/* links as it does /i/*.
        const Fetched apple = fetch(m_server.baseUrl() + QStringLiteral("/.well-known/apple-app-site-association"));
        QCOMPARE(apple.status, 200);
        const QJsonObject detail = QJsonDocument::fromJson(apple.body)
                                       .object()
                                       .value("applinks")
                                       .toObject()
                                       .value("details")
                                       .toArray()[0]
                                       .toObject();
        QStringList components;
        for (const QJsonValue &c : detail.value("components").toArray())
            components << c.toObject().value("/").toString();
        QCOMPARE(components, (QStringList{QStringLiteral("/i/*"), QStringLiteral("/p/*")}));
        QCOMPARE(detail.value("paths").toArray(), (QJsonArray{"/i/*", "/p/*"}));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_server.terminate(), 0);
        // No practice name, link or contact in the log.
        const QByteArray log = m_server.standardError();
        for (const char *secret : {"/p/", "Practice pla", "Oak & Ash", "Linda", "7400123456", "Flyer"})
            QVERIFY2(!log.contains(secret), secret);
        QVERIFY(log.contains("practice link created"));
    }
};

QTEST_GUILESS_MAIN(TestServerPracticeLinks)
#include "tst_server_practice_links.moc"
