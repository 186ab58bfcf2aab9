// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_practice_links: signing up through a link end to end, turned-off links, and the /p/ pages in headless Chromium.
#include "tst_server_practice_links.h"

void TestServerPracticeLinks::signUpThroughALink()
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
    const HttpReply asStaff = m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_a.clinicianToken);
    QCOMPARE(asStaff.status, 200);
    QCOMPARE(asStaff.json.value("kind").toString(), QStringLiteral("secure"));
    QCOMPARE(asStaff.json.value("title").toString(), QStringLiteral("Linda Link"));
    QCOMPARE(asStaff.json.value("patientId").toString(), user.value("id").toString());
    QCOMPARE(asStaff.json.value("tags").toArray(), QJsonArray{"flyer"});
    QVERIFY(asStaff.json.value("invitationState").isNull());
    QVERIFY(
        idsOf(m_http->get(QStringLiteral("/v1/conversations"), m_a.adminToken).json.value("conversations").toArray())
            .contains(conversationId));
    QVERIFY(staff.waitFor([&] {
        bool created = false, counted = false;
        for (const QJsonObject &d : staff.dataOf(QStringLiteral("conversation.created")))
            created = created
                || (d.value("id").toString() == conversationId && d.value("tags").toArray() == QJsonArray{"flyer"});
        for (const QJsonObject &d : staff.dataOf(QStringLiteral("practice_link.updated")))
            counted = counted || (d.value("id").toString() == linkId && d.value("conversationCount").toInteger() == 1);
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
    r = m_http->post(QStringLiteral("/v1/codes/verify"), {{"phone", e164}, {"code", again}, {"practiceLink", code}});
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

void TestServerPracticeLinks::invitedPatientGetsNoDuplicate()
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

void TestServerPracticeLinks::anotherPracticesPatientJoinsThroughALink()
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
    const QStringList mine =
        idsOf(m_http->get(QStringLiteral("/v1/conversations"), m_b.patientToken).json.value("conversations").toArray());
    QCOMPARE(mine.size(), 2);
    QVERIFY(mine.contains(m_b.conversationId));
    QVERIFY(mine.contains(conversationId));
    // The default link has no tag.
    QCOMPARE(
        m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_a.adminToken).json.value("tags").toArray(),
        QJsonArray());
    QCOMPARE(linkById(m_a, link.value("id").toString()).value("conversationCount").toInteger(), count + 1);
    // B's staff do not see A's conversation.
    QCOMPARE(m_http->get(QStringLiteral("/v1/conversations/") + conversationId, m_b.adminToken).status, 404);
}

void TestServerPracticeLinks::turnedOffLinksAreRefused()
{
    const QJsonObject link = newLink(m_a, QStringLiteral("Soon off"));
    const QString code = link.value("code").toString();
    const QString phone = newMobile();
    const QString smsCode = codeThroughLink({{"phone", phone}}, code, phone);
    QCOMPARE(smsCode.size(), 6);
    QCOMPARE(patch(m_a, link.value("id").toString(), {{"enabled", false}}, m_a.adminToken).status, 200);

    HttpReply r = m_http->post(QStringLiteral("/v1/codes/verify"),
                               {{"phone", phone}, {"code", smsCode}, {"name", "Olive Off"}, {"practiceLink", code}});
    QCOMPARE(r.status, 410);
    QCOMPARE(r.errorCode(), QStringLiteral("link_disabled"));
    QCOMPARE(messageOf(r), QStringLiteral("This Practice Link is turned off. Ask the practice for a new link."));
    r = m_http->post(QStringLiteral("/v1/codes"), {{"phone", phone}, {"practiceLink", code}});
    QCOMPARE(r.status, 410);
    QCOMPARE(r.errorCode(), QStringLiteral("link_disabled"));
    // The code itself was not used up: it still signs up without the link, and opens nothing with practice A.
    r = m_http->post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", smsCode}, {"name", "Olive Off"}});
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
    const QString enabledCode = linksOf(*m_http, m_a.practiceId, m_a.adminToken)[0].toObject().value("code").toString();
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

void TestServerPracticeLinks::pages()
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

    // A link printed with the practice identity's fingerprint hands it on to the app in its canonical form; anything
    // that is not a fingerprint is left out.
    const QString fp = QStringLiteral("K7QM2XD9ABCDEFGH0123456789JKMNPQ");
    QVERIFY(fetch(url + QStringLiteral("?fp=") + fp.toLower())
                .body.contains(QStringLiteral("href=\"larch://practice/%1?fp=%2\"").arg(code, fp).toUtf8()));
    const Fetched odd = fetch(url + QStringLiteral("?fp=%22%3E%3Cscript%3E"));
    QCOMPARE(odd.status, 200);
    QVERIFY(odd.body.contains(QStringLiteral("href=\"larch://practice/%1\"").arg(code).toUtf8()));

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
