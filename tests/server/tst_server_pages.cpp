// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The server's pages in headless Chromium: the invitation page renders with the right links and loads nothing
// from outside the server; polite pages for unknown, revoked and expired links; the development outbox; the
// app-link files; the headers every page carries.
#include "HeadlessChromium.h"
#include "HttpClient.h"
#include "TestServer.h"

#include <QDir>
#include <QtTest>

class TestServerPages : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    std::unique_ptr<HttpClient> m_http;
    QString m_practiceId, m_admin;

    /// Invites a patient by SMS (the development outbox) and returns {invitation id, link}.
    QPair<QString, QString> invite(const QString &phone)
    {
        const HttpReply r = m_http->post(QStringLiteral("/v1/practices/%1/invitations").arg(m_practiceId),
                                         {{"patientName", "Page Patient"}, {"phone", phone}}, m_admin);
        if (r.status != 201)
            return {};
        const QString id = r.json.value(QLatin1String("invitation")).toObject().value(QLatin1String("id")).toString();
        for (const QJsonValue &d :
             m_http->get(QStringLiteral("/dev/outbox.json")).json.value(QLatin1String("deliveries")).toArray()) {
            if (d.toObject().value(QLatin1String("invitationId")).toString() != id)
                continue;
            const auto m = QRegularExpression(QStringLiteral("https?://\\S+/i/[A-Za-z0-9_-]+"))
                               .match(d.toObject().value(QLatin1String("body")).toString());
            return {id, m.captured()};
        }
        return {id, QString()};
    }

    /// The page loaded only from this server, and has no way to load anything (no script, style sheet, frame,
    /// image or font reference).
    void checkSelfContained(const Rendered &page)
    {
        const QString problem = selfContainedProblem(page, m_server.baseUrl());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(kChromium));
        QVERIFY(m_server.start(
            {QStringLiteral("--ios-app-url"), QStringLiteral("https://apps.apple.com/app/larch/id1234567890"),
             QStringLiteral("--android-package"), QStringLiteral("org.example.larch"),
             QStringLiteral("--desktop-download-url"), QStringLiteral("https://downloads.example.org/larch"),
             QStringLiteral("--android-cert-sha256"), QStringLiteral("aa:bb:cc,DD:EE:FF"),
             QStringLiteral("--ios-app-id"), QStringLiteral("ABCDE12345.org.example.larch")}));
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        const QJsonObject p =
            m_http->createPractice(QStringLiteral("Pages Practice"), QStringLiteral("admin@pages.example"));
        m_practiceId = p.value(QLatin1String("practice")).toObject().value(QLatin1String("id")).toString();
        m_admin = p.value(QLatin1String("session")).toObject().value(QLatin1String("token")).toString();
        QVERIFY(!m_admin.isEmpty());
    }

    void invitationPage()
    {
        const auto [id, link] = invite(QStringLiteral("+12015550150"));
        QVERIFY(link.startsWith(m_server.baseUrl() + QStringLiteral("/i/")));
        const QString token = link.mid(link.lastIndexOf(QLatin1Char('/')) + 1);

        const Fetched f = fetch(link);
        QCOMPARE(f.status, 200);
        QCOMPARE(f.headers.value("content-type"), QByteArray("text/html; charset=utf-8"));
        QVERIFY(f.headers.value("content-security-policy")
                    .startsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
        QCOMPARE(f.headers.value("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(f.headers.value("referrer-policy"), QByteArray("no-referrer"));
        QVERIFY(!f.body.contains("Page Patient")); // no names on a page anyone with the link may see

        const Rendered page = render(link);
        QVERIFY(page.ok);
        QVERIFY(page.dom.contains(QStringLiteral("data-state=\"pending\"")));
        QVERIFY(page.dom.contains(
            QStringLiteral(
                "<a class=\"button primary\" id=\"open-in-larch\" href=\"larch://invite/%1\">Open in Larch</a>")
                .arg(token)));
        QVERIFY(page.dom.contains(
            QStringLiteral("id=\"app-store\" href=\"https://apps.apple.com/app/larch/id1234567890\"")));
        QVERIFY(page.dom.contains(QStringLiteral(
            "id=\"google-play\" href=\"https://play.google.com/store/apps/details?id=org.example.larch\"")));
        QVERIFY(page.dom.contains(QStringLiteral("id=\"desktop\" href=\"https://downloads.example.org/larch\"")));
        QVERIFY(page.dom.contains(QStringLiteral("id=\"expiry\"")));
        checkSelfContained(page);
    }

    void politePages()
    {
        // Unknown: a well-formed token nobody issued, and a malformed one.
        for (const QString &token :
             {QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), QStringLiteral("not%20a%20token")}) {
            QCOMPARE(fetch(m_server.baseUrl() + QStringLiteral("/i/") + token).status, 404);
            const Rendered page = render(m_server.baseUrl() + QStringLiteral("/i/") + token);
            QVERIFY(page.ok);
            QVERIFY(page.dom.contains(QStringLiteral("data-state=\"unknown\"")));
            QVERIFY(page.dom.contains(QStringLiteral("This invitation link does not work")));
            checkSelfContained(page);
        }
        // Revoked.
        const auto [id, link] = invite(QStringLiteral("+12015550151"));
        QVERIFY(!link.isEmpty());
        QCOMPARE(m_http->request("DELETE", QStringLiteral("/v1/invitations/") + id, {}, m_admin).status, 204);
        QCOMPARE(fetch(link).status, 410);
        const Rendered revoked = render(link);
        QVERIFY(revoked.dom.contains(QStringLiteral("data-state=\"revoked\"")));
        checkSelfContained(revoked);
        // Other methods are refused with a JSON error.
        const Fetched post = fetch(link, "POST");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.headers.value("allow"), QByteArray("GET"));
        QVERIFY(post.body.contains("method_not_allowed"));
    }

    void expiredPage()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--invite-days"), QStringLiteral("0")}));
        HttpClient http(server.baseUrl());
        const QJsonObject p =
            http.createPractice(QStringLiteral("Expiry Practice"), QStringLiteral("admin@expiry.example"));
        const QString practiceId = p.value(QLatin1String("practice")).toObject().value(QLatin1String("id")).toString();
        const QString admin = p.value(QLatin1String("session")).toObject().value(QLatin1String("token")).toString();
        QCOMPARE(http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                           {{"patientName", "Late Patient"}, {"email", "late@patient.example"}}, admin)
                     .status,
                 201);
        const QJsonArray deliveries =
            http.get(QStringLiteral("/dev/outbox.json")).json.value(QLatin1String("deliveries")).toArray();
        QCOMPARE(deliveries.size(), 1);
        const QString link = QRegularExpression(QStringLiteral("http://\\S+/i/[A-Za-z0-9_-]+"))
                                 .match(deliveries[0].toObject().value(QLatin1String("body")).toString())
                                 .captured();
        QCOMPARE(fetch(link).status, 410);
        const Rendered page = render(link);
        QVERIFY(page.dom.contains(QStringLiteral("data-state=\"expired\"")));
        QVERIFY(page.dom.contains(QStringLiteral("This invitation has expired")));
        QCOMPARE(server.terminate(), 0);
    }

    void outbox()
    {
        const auto first = invite(QStringLiteral("+12015550152"));
        const auto second = invite(QStringLiteral("+12015550153"));
        QVERIFY(!first.second.isEmpty() && !second.second.isEmpty());
        // Newest first, every field present. The courier sends on its own thread: the newest is sent soon after.
        HttpReply json;
        const auto newestSent = [&] {
            json = m_http->get(QStringLiteral("/dev/outbox.json"));
            const QJsonArray all = json.json.value(QLatin1String("deliveries")).toArray();
            return !all.isEmpty()
                && all[0].toObject().value(QLatin1String("state")).toString() == QLatin1String("sent");
        };
        QTRY_VERIFY_WITH_TIMEOUT(newestSent(), 10000);
        QCOMPARE(json.status, 200);
        const QJsonArray deliveries = json.json.value(QLatin1String("deliveries")).toArray();
        QVERIFY(deliveries.size() >= 2);
        const QJsonObject newest = deliveries[0].toObject();
        QCOMPARE(newest.value(QLatin1String("invitationId")).toString(), second.first);
        QCOMPARE(deliveries[1].toObject().value(QLatin1String("invitationId")).toString(), first.first);
        QCOMPARE(newest.value(QLatin1String("channel")).toString(), QStringLiteral("sms"));
        QCOMPARE(newest.value(QLatin1String("to")).toString(), QStringLiteral("+12015550153"));
        QCOMPARE(newest.value(QLatin1String("state")).toString(), QStringLiteral("sent"));
        for (const char *key : {"id", "subject", "body", "createdAt"})
            QVERIFY2(newest.contains(QLatin1String(key)), key);

        // The page shows the links as links.
        const Rendered page = render(m_server.baseUrl() + QStringLiteral("/dev/outbox"));
        QVERIFY(page.ok);
        QVERIFY(page.dom.contains(QStringLiteral("<a class=\"link\" href=\"%1\">%1</a>").arg(second.second)));
        QVERIFY(page.dom.indexOf(second.second) < page.dom.indexOf(first.second));
        checkSelfContained(page);
    }

    void outboxOnlyWhenUsed()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--sms-url"), QStringLiteral("http://127.0.0.1:9"),
                              QStringLiteral("--sms-account"), QStringLiteral("AC1"), QStringLiteral("--sms-token"),
                              QStringLiteral("t"), QStringLiteral("--sms-from"), QStringLiteral("+15005550006"),
                              QStringLiteral("--smtp-url"), QStringLiteral("smtp://127.0.0.1:9"),
                              QStringLiteral("--smtp-from"), QStringLiteral("larch@clinic.example")}));
        HttpClient http(server.baseUrl());
        QCOMPARE(http.get(QStringLiteral("/dev/outbox")).status, 404);
        QCOMPARE(http.get(QStringLiteral("/dev/outbox.json")).status, 404);
        QCOMPARE(server.terminate(), 0);
    }

    void wellKnown()
    {
        const Fetched links = fetch(m_server.baseUrl() + QStringLiteral("/.well-known/assetlinks.json"));
        QCOMPARE(links.status, 200);
        QCOMPARE(links.headers.value("content-type"), QByteArray("application/json"));
        QJsonParseError error{};
        const QJsonDocument assets = QJsonDocument::fromJson(links.body, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(assets.isArray());
        const QJsonObject target = assets.array()[0].toObject().value(QLatin1String("target")).toObject();
        QCOMPARE(target.value(QLatin1String("package_name")).toString(), QStringLiteral("org.example.larch"));
        QCOMPARE(target.value(QLatin1String("sha256_cert_fingerprints")).toArray(),
                 QJsonArray({"AA:BB:CC", "DD:EE:FF"}));

        const Fetched apple = fetch(m_server.baseUrl() + QStringLiteral("/.well-known/apple-app-site-association"));
        QCOMPARE(apple.status, 200);
        QCOMPARE(apple.headers.value("content-type"), QByteArray("application/json"));
        const QJsonDocument aasa = QJsonDocument::fromJson(apple.body, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject detail = aasa.object()
                                       .value(QLatin1String("applinks"))
                                       .toObject()
                                       .value(QLatin1String("details"))
                                       .toArray()[0]
                                       .toObject();
        QCOMPARE(detail.value(QLatin1String("appIDs")).toArray(), QJsonArray({"ABCDE12345.org.example.larch"}));
        QCOMPARE(detail.value(QLatin1String("components")).toArray()[0].toObject().value(QLatin1String("/")).toString(),
                 QStringLiteral("/i/*"));
        QCOMPARE(fetch(m_server.baseUrl() + QStringLiteral("/.well-known/other")).status, 404);
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_server.terminate(), 0);
        // No link, token or number in the log.
        QVERIFY(!m_server.standardError().contains("/i/"));
        QVERIFY(!m_server.standardError().contains("2015550"));
    }
};

QTEST_MAIN(TestServerPages)
#include "tst_server_pages.moc"
