// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_registration: who may create a practice. POST /v1/practices only with open registration (or --demo);
// otherwise the operator runs larch-server practice create, and the first administrator chooses a password on the
// one-time /setup/<token> page (in headless Chromium too).
#include "HeadlessChromium.h"
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace testkit;

namespace {

/// What larch-server practice create printed and how it ended.
struct Command {
    int exitCode = -1;
    QString out;
    QString err;
};

Command practiceCreate(const QString &dataDir, const QString &publicUrl, const QStringList &fields)
{
    QProcess p;
    p.start(TestServer::binary(),
            QStringList{QStringLiteral("practice"), QStringLiteral("create"), QStringLiteral("--data-dir"), dataDir,
                        QStringLiteral("--public-url"), publicUrl}
                + fields);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

const QStringList Birch{QStringLiteral("--name"),        QStringLiteral("Birch Family Medicine"),
                        QStringLiteral("--admin-name"),  QStringLiteral("Ana Ruiz"),
                        QStringLiteral("--admin-email"), QStringLiteral("ana@birch.example")};

QByteArray form(const QString &password, const QString &confirm)
{
    return "password=" + QUrl::toPercentEncoding(password) + "&confirm=" + QUrl::toPercentEncoding(confirm);
}

} // namespace

class TestServerRegistration : public QObject {
    Q_OBJECT

private slots:
    void practicesAreCreatedByTheOperatorUnlessRegistrationIsOpen()
    {
        const QJsonObject body{{"practiceName", "Oak Clinic"},
                               {"adminName", "Olu Ade"},
                               {"adminEmail", "olu@oak.example"},
                               {"adminPassword", "a long enough password"}};
        TestServer closed;
        closed.setOpenRegistration(false);
        QVERIFY2(closed.start(), qPrintable(closed.error()));
        const HttpReply refused = HttpClient(closed.baseUrl()).post(QStringLiteral("/v1/practices"), body);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("registration_closed"));
        QVERIFY(refused.json.value("error").toObject().value("message").toString().contains("practice create"));
        QCOMPARE(closed.terminate(), 0);
        ServerDatabase db(closed.dataDir());
        QCOMPARE(db.value(QStringLiteral("SELECT COUNT(*) FROM practices")).toInt(), 0);

        for (const QString &flag : {QStringLiteral("--open-registration"), QStringLiteral("--demo")}) {
            TestServer open;
            open.setOpenRegistration(false);
            QVERIFY2(open.start({flag}), qPrintable(open.error()));
            QCOMPARE(HttpClient(open.baseUrl()).post(QStringLiteral("/v1/practices"), body).status, 201);
            QCOMPARE(open.terminate(), 0);
        }
    }

    void theFirstAdministratorSetsAPasswordWithTheLink()
    {
        TestServer server;
        server.setOpenRegistration(false);
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        // Made while the server runs on the same data.
        const Command made = practiceCreate(server.dataDir(), server.baseUrl(), Birch);
        QCOMPARE(made.exitCode, 0);
        const QRegularExpressionMatch link =
            QRegularExpression(QStringLiteral("(/setup/[A-Za-z0-9_-]+)")).match(made.out);
        QVERIFY2(link.hasMatch(), qPrintable(made.out));
        QVERIFY(made.out.contains(server.baseUrl() + link.captured(1)));
        QVERIFY(made.out.contains(QStringLiteral("ana@birch.example")));
        const QString path = link.captured(1);
        // Nobody signs in as the administrator before the link is used, whatever the password.
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"), {{"email", "ana@birch.example"}, {"password", ""}}).status,
                 400);
        QCOMPARE(
            http.post(QStringLiteral("/v1/sessions"), {{"email", "ana@birch.example"}, {"password", "anything at all"}})
                .status,
            401);

        const HttpReply page = http.get(path);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("id=\"password\"") && page.body.contains("id=\"confirm\""));
        QVERIFY(page.headers.value("content-security-policy").contains("form-action 'self'"));
        QVERIFY(!page.body.contains("Birch") && !page.body.contains("Ana")); // the link's holder learns nothing
        // Refusals keep the link usable and say what to fix.
        HttpReply r = http.raw("POST", path, form("correct horse battery", "correct horse batterz"),
                               "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("not the same"));
        r = http.raw("POST", path, form("short", "short"), "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("10 to 1024 characters"));
        r = http.raw("POST", path, "%%%", "application/x-www-form-urlencoded");
        QVERIFY(r.status == 400);
        QCOMPARE(http.get(path).status, 200);

        r = http.raw("POST", path, form("correct horse battery", "correct horse battery"),
                     "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("data-state=\"done\""));
        const HttpReply signedIn = http.post(QStringLiteral("/v1/sessions"),
                                             {{"email", "ana@birch.example"}, {"password", "correct horse battery"}});
        QCOMPARE(signedIn.status, 201);
        QCOMPARE(signedIn.json.value("user").toObject().value("role").toString(), QStringLiteral("admin"));

        // The link works once.
        r = http.raw("POST", path, form("another password here", "another password here"),
                     "application/x-www-form-urlencoded");
        QCOMPARE(r.status, 410);
        QVERIFY(r.body.contains("data-state=\"used\""));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"),
                           {{"email", "ana@birch.example"}, {"password", "another password here"}})
                     .status,
                 401);
        QCOMPARE(http.get(QStringLiteral("/setup/not-a-real-token")).status, 404);
        QCOMPARE(http.request("PUT", path, {}).status, 405);

        // The same email again, a missing field and a bad address: sentences and exit codes, nothing made.
        Command again = practiceCreate(server.dataDir(), server.baseUrl(), Birch);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("already in use"), qPrintable(again.err));
        again = practiceCreate(server.dataDir(), server.baseUrl(), Birch.mid(0, 4));
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("--admin-email"), qPrintable(again.err));
        again = practiceCreate(server.dataDir(), server.baseUrl(),
                               {"--name", "Elm", "--admin-name", "Eli", "--admin-email", "not an address"});
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("adminEmail"), qPrintable(again.err));
        QCOMPARE(server.terminate(), 0);
    }

    void anExpiredLinkSaysSoAndTheFormRendersInChromium()
    {
        TestServer server;
        server.setOpenRegistration(false);
        QVERIFY2(server.start(), qPrintable(server.error()));
        const Command made =
            practiceCreate(server.dataDir(), server.baseUrl(),
                           {"--name", "Ash Clinic", "--admin-name", "Abe", "--admin-email", "abe@ash.example"});
        QCOMPARE(made.exitCode, 0);
        const QString path = QRegularExpression(QStringLiteral("(/setup/[A-Za-z0-9_-]+)")).match(made.out).captured(1);
        // In a browser: the form, and nothing else asked of the server (Chromium's own password-form look-up at
        // Google is the browser's, not the page's).
        const Rendered page = render(server.baseUrl() + path);
        QVERIFY(page.ok);
        QVERIFY(page.dom.contains(QStringLiteral("id=\"set-password\"")));
        QVERIFY(page.dom.contains(QStringLiteral("data-state=\"open\"")));
        for (const QString &request : page.pageRequests) {
            if (request.startsWith(QLatin1String("http://127.0.0.1")))
                QVERIFY2(request == server.baseUrl() + path, qPrintable(request));
            else
                QVERIFY2(request.startsWith(QLatin1String("https://content-autofill.googleapis.com/")),
                         qPrintable(request));
        }
        // Past its expiry the link only says what to do.
        ServerDatabase db(server.dataDir());
        QCOMPARE(db.exec(QStringLiteral("UPDATE setup_links SET expires_at = 1")), 1);
        HttpClient http(server.baseUrl());
        const HttpReply expired = http.raw("POST", path, form("correct horse battery", "correct horse battery"),
                                           "application/x-www-form-urlencoded");
        QCOMPARE(expired.status, 410);
        QVERIFY(expired.body.contains("data-state=\"expired\""));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"),
                           {{"email", "abe@ash.example"}, {"password", "correct horse battery"}})
                     .status,
                 401);
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerRegistration)
#include "tst_server_registration.moc"
