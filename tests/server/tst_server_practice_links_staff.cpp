// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_practice_links: every practice's default link, and what staff may change: create, rename, turn off, the cap, bad input, the public look-up.
#include "tst_server_practice_links.h"

void TestServerPracticeLinks::initTestCase()
{
    QVERIFY(initCrypto());
    QVERIFY(m_server.start(kRoomyLimits));
    m_http = std::make_unique<HttpClient>(m_server.baseUrl());
    m_a = makeScene(*m_http, QStringLiteral("pla"));
    m_b = makeScene(*m_http, QStringLiteral("plb"));
    QVERIFY(!m_a.patientToken.isEmpty());
    QVERIFY(!m_b.patientToken.isEmpty());
}

void TestServerPracticeLinks::newPracticeHasADefaultLink()
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

void TestServerPracticeLinks::demoPracticeHasADefaultLink()
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

void TestServerPracticeLinks::migrationGivesExistingPracticesALink()
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
        db.prepare("INSERT INTO conversations (id, practice_id, patient_id, title, kind, created_at, last_activity_at) "
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

void TestServerPracticeLinks::adminsCreateAndChangeLinks()
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
    QCOMPARE(link.value("url").toString(), m_server.baseUrl() + QStringLiteral("/p/") + link.value("code").toString());

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

void TestServerPracticeLinks::onlyAdminsOfThePracticeChangeLinks()
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

void TestServerPracticeLinks::badInputIsRefused()
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
    QCOMPARE(m_http->raw("POST", linksPath(m_a), "label=x", "application/x-www-form-urlencoded", m_a.adminToken).status,
             415);
    QCOMPARE(m_http->raw("POST", linksPath(m_a), "[1]", "application/json", m_a.adminToken).status, 400);
    // Nothing was created or changed.
    QCOMPARE(linksOf(*m_http, m_a.practiceId, m_a.adminToken).size(), before);
    QVERIFY(linkById(m_a, id).value("enabled").toBool());
}

void TestServerPracticeLinks::atMostFiftyLinks()
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

void TestServerPracticeLinks::publicLookup()
{
    const QJsonObject link = newLink(m_a, QStringLiteral("Look-up"));
    const QString code = link.value("code").toString();
    HttpReply r = m_http->get(QStringLiteral("/v1/practice-links/") + code);
    QCOMPARE(r.status, 200);
    // No identity yet (no staff device made one): identityKey is null, and the name is all the look-up tells.
    QCOMPARE(r.json, (QJsonObject{{"practiceName", "Practice pla"}, {"enabled", true}, {"identityKey", QJsonValue()}}));
    QCOMPARE(patch(m_a, link.value("id").toString(), {{"enabled", false}}, m_a.adminToken).status, 200);
    r = m_http->get(QStringLiteral("/v1/practice-links/") + code);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json,
             (QJsonObject{{"practiceName", "Practice pla"}, {"enabled", false}, {"identityKey", QJsonValue()}}));
    for (const QString &unknown : {QStringLiteral("AAAAAAAAAA"), QStringLiteral("short"), QStringLiteral("has%20space"),
                                   QString(200, QLatin1Char('x'))}) {
        r = m_http->get(QStringLiteral("/v1/practice-links/") + unknown);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    }
    QCOMPARE(m_http->post(QStringLiteral("/v1/practice-links/") + code, {}).status, 405);
}

void TestServerPracticeLinks::lookupsAreLimitedPerAddress()
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

void TestServerPracticeLinks::cleanupTestCase()
{
    QCOMPARE(m_server.terminate(), 0);
    // No practice name, link or contact in the log.
    const QByteArray log = m_server.standardError();
    for (const char *secret : {"/p/", "Practice pla", "Oak & Ash", "Linda", "7400123456", "Flyer"})
        QVERIFY2(!log.contains(secret), secret);
    QVERIFY(log.contains("practice link created"));
}

QTEST_GUILESS_MAIN(TestServerPracticeLinks)
