// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_staff: the practice's staff as administrators manage them, against the real larch-server: the list with
// each member's two-factor and password state, adding a colleague by email (the setup link in the development
// outbox, used on the real /setup page), sending the link again, changing roles, who may do what, bad input, and
// the audit records.
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using namespace testkit;

namespace {

const QString Password = QStringLiteral("correct horse battery");

/// The newest email to address in the development outbox, or {}.
QJsonObject lastEmailTo(HttpClient &http, const QString &address)
{
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray()) {
        if (d.toObject().value("to").toString() == address)
            return d.toObject();
    }
    return {};
}

int emailsTo(HttpClient &http, const QString &address)
{
    int n = 0;
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
        n += d.toObject().value("to").toString() == address;
    return n;
}

QString setupPathIn(const QString &body)
{
    return QRegularExpression(QStringLiteral("(/setup/[A-Za-z0-9_-]+)")).match(body).captured(1);
}

QByteArray passwordForm(const QString &password)
{
    const QByteArray p = QUrl::toPercentEncoding(password);
    return "password=" + p + "&confirm=" + p;
}

/// The staff list of practiceId as token sees it, by email.
QHash<QString, QJsonObject> staffByEmail(HttpClient &http, const QString &practiceId, const QString &token)
{
    QHash<QString, QJsonObject> out;
    for (const QJsonValue &v :
         http.get(QStringLiteral("/v1/practices/%1/staff").arg(practiceId), token).json.value("staff").toArray())
        out.insert(v.toObject().value("email").toString(), v.toObject());
    return out;
}

} // namespace

class TestServerStaff : public QObject {
    Q_OBJECT

private slots:
    void addAColleagueWhoChoosesTheirPassword()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p =
            http.createPractice(QStringLiteral("Staff Clinic"), QStringLiteral("admin@staff.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString token = p.value("session").toObject().value("token").toString();
        const QString staffPath = QStringLiteral("/v1/practices/%1/staff").arg(practiceId);

        // Added without a password: nobody can sign in as them yet, and the email carries the link alone.
        const HttpReply added = http.post(
            staffPath, {{"name", "Rosa Diaz"}, {"email", "Rosa@Staff.example"}, {"role", "clinician"}}, token);
        QCOMPARE(added.status, 201);
        QCOMPARE(added.json.value("email").toString(), QStringLiteral("rosa@staff.example"));
        QCOMPARE(added.json.value("passwordSet").toBool(), false);
        QCOMPARE(added.json.value("twoFactor").toBool(), false);
        const QString rosaId = added.json.value("id").toString();
        QTRY_VERIFY(!lastEmailTo(http, QStringLiteral("rosa@staff.example")).isEmpty());
        const QJsonObject email = lastEmailTo(http, QStringLiteral("rosa@staff.example"));
        const QString body = email.value("body").toString();
        const QString firstPath = setupPathIn(body);
        QVERIFY2(!firstPath.isEmpty(), qPrintable(body));
        QVERIFY(body.contains(server.baseUrl() + firstPath));
        QVERIFY2(!body.contains(QStringLiteral("Staff Clinic")) && !body.contains(QStringLiteral("Rosa"))
                     && !body.contains(QStringLiteral("admin@")),
                 qPrintable(body));
        // The page the link opens tells her what to do, and nothing about the practice.
        const HttpReply page = http.get(firstPath);
        QCOMPARE(page.status, 200);
        QVERIFY(!page.body.contains("first administrator") && !page.body.contains("Staff Clinic"));
        QCOMPARE(
            http.post(QStringLiteral("/v1/sessions"), {{"email", "rosa@staff.example"}, {"password", Password}}).status,
            401);

        // The list shows her waiting for her password.
        QHash<QString, QJsonObject> staff = staffByEmail(http, practiceId, token);
        QCOMPARE(staff.size(), 2);
        QCOMPARE(staff.value(QStringLiteral("rosa@staff.example")).value("passwordSet").toBool(), false);
        QCOMPARE(staff.value(QStringLiteral("admin@staff.example")).value("passwordSet").toBool(), true);
        QCOMPARE(staff.value(QStringLiteral("admin@staff.example")).value("role").toString(), QStringLiteral("admin"));

        // Sent again: the first link stops working, the new one sets her password once.
        const HttpReply resent = http.post(staffPath + QStringLiteral("/%1/setup-link").arg(rosaId), {}, token);
        QCOMPARE(resent.status, 200);
        QTRY_COMPARE(emailsTo(http, QStringLiteral("rosa@staff.example")), 2);
        const QString secondPath =
            setupPathIn(lastEmailTo(http, QStringLiteral("rosa@staff.example")).value("body").toString());
        QVERIFY(!secondPath.isEmpty() && secondPath != firstPath);
        const HttpReply superseded =
            http.raw("POST", firstPath, passwordForm(Password), "application/x-www-form-urlencoded");
        QCOMPARE(superseded.status, 410);
        QVERIFY(superseded.body.contains("newer link"));
        QCOMPARE(http.raw("POST", secondPath, passwordForm(Password), "application/x-www-form-urlencoded").status, 200);
        const HttpReply signedIn =
            http.post(QStringLiteral("/v1/sessions"), {{"email", "rosa@staff.example"}, {"password", Password}});
        QCOMPARE(signedIn.status, 201);
        QCOMPARE(signedIn.json.value("user").toObject().value("role").toString(), QStringLiteral("clinician"));
        QCOMPARE(staffByEmail(http, practiceId, token).value(QStringLiteral("rosa@staff.example")).value("passwordSet"),
                 QJsonValue(true));
        // Once she has a password there is no link to send.
        const HttpReply noLink = http.post(staffPath + QStringLiteral("/%1/setup-link").arg(rosaId), {}, token);
        QCOMPARE(noLink.status, 409);
        QVERIFY(noLink.json.value("error").toObject().value("message").toString().contains(
            QStringLiteral("already chosen a password")));

        // An email in use is refused, and nothing is sent.
        const HttpReply clash =
            http.post(staffPath, {{"name", "Again"}, {"email", "rosa@staff.example"}, {"role", "clinician"}}, token);
        QCOMPARE(clash.status, 409);
        QCOMPARE(emailsTo(http, QStringLiteral("rosa@staff.example")), 2);

        // Another practice's administrator reaches none of it; a clinician sends no link; a patient is no target.
        const QJsonObject other =
            http.createPractice(QStringLiteral("Other Clinic"), QStringLiteral("admin@other.example"));
        const QString otherToken = other.value("session").toObject().value("token").toString();
        QCOMPARE(http.get(staffPath, otherToken).status, 404);
        QCOMPARE(
            http.post(staffPath, {{"name", "X"}, {"email", "x@other.example"}, {"role", "admin"}}, otherToken).status,
            404);
        QCOMPARE(http.request("PATCH", staffPath + "/" + rosaId, {{"role", "admin"}}, otherToken).status, 404);
        QCOMPARE(http.post(staffPath + QStringLiteral("/%1/setup-link").arg(rosaId), {}, otherToken).status, 404);
        const QString rosaToken = signedIn.json.value("token").toString();
        QCOMPARE(http.post(staffPath + QStringLiteral("/%1/setup-link").arg(rosaId), {}, rosaToken).status, 403);
        const HttpReply patient =
            http.post(QStringLiteral("/v1/practices/%1/patients").arg(practiceId),
                      {{"name", "Pat"}, {"email", "pat@staff.example"}, {"password", Password}}, token);
        QCOMPARE(patient.status, 201);
        const QString patientId = patient.json.value("user").toObject().value("id").toString();
        QCOMPARE(http.request("PATCH", staffPath + "/" + patientId, {{"role", "admin"}}, token).status, 404);
        QCOMPARE(http.post(staffPath + QStringLiteral("/%1/setup-link").arg(patientId), {}, token).status, 404);

        ServerDatabase db(server.dataDir());
        QStringList actions;
        for (const QVariantList &row : db.rows(QStringLiteral("SELECT action FROM audit_log ORDER BY seq")))
            actions.append(row.at(0).toString());
        QVERIFY(actions.contains(QStringLiteral("staff_added")));
        QVERIFY(actions.contains(QStringLiteral("staff_setup_link_sent")));
        QVERIFY(actions.contains(QStringLiteral("password_set_by_setup_link")));
        // Only the link's digest is stored.
        QVERIFY(db.rows(QStringLiteral("SELECT 1 FROM setup_links WHERE link_digest LIKE '%%1%'").arg(firstPath.mid(7)))
                    .isEmpty());
    }

    void rolesChangeButNeverYourOwn()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Role Clinic"), QStringLiteral("admin@role.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString adminToken = p.value("session").toObject().value("token").toString();
        const QString adminId = p.value("user").toObject().value("id").toString();
        const QString staffPath = QStringLiteral("/v1/practices/%1/staff").arg(practiceId);
        const HttpReply added = http.post(
            staffPath, {{"name", "Sam"}, {"email", "sam@role.example"}, {"password", Password}, {"role", "clinician"}},
            adminToken);
        QCOMPARE(added.status, 201);
        const QString samId = added.json.value("id").toString();
        const QString samToken = http.signIn(QStringLiteral("sam@role.example"), Password);
        QVERIFY(!samToken.isEmpty());

        // A clinician neither lists nor changes the staff.
        QCOMPARE(http.get(staffPath, samToken).status, 403);
        QCOMPARE(http.request("PATCH", staffPath + "/" + adminId, {{"role", "clinician"}}, samToken).status, 403);
        QCOMPARE(http.post(staffPath, {{"name", "X"}, {"email", "x@role.example"}, {"role", "admin"}}, samToken).status,
                 403);

        // The administrator makes Sam an administrator; his session acts as one at once.
        HttpReply changed = http.request("PATCH", staffPath + "/" + samId, {{"role", "admin"}}, adminToken);
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.json.value("role").toString(), QStringLiteral("admin"));
        QCOMPARE(http.get(staffPath, samToken).status, 200);
        QCOMPARE(http.get(QStringLiteral("/v1/me"), samToken).json.value("role").toString(), QStringLiteral("admin"));
        // Nobody changes their own role, so a practice always keeps an administrator.
        HttpReply own = http.request("PATCH", staffPath + "/" + adminId, {{"role", "clinician"}}, adminToken);
        QCOMPARE(own.status, 409);
        QVERIFY(
            own.json.value("error").toObject().value("message").toString().contains(QStringLiteral("your own role")));
        // Sam, now an administrator, may make the first one a clinician.
        changed = http.request("PATCH", staffPath + "/" + adminId, {{"role", "clinician"}}, samToken);
        QCOMPARE(changed.status, 200);
        QCOMPARE(http.get(staffPath, adminToken).status, 403);

        // Bad input and wrong targets.
        QCOMPARE(http.request("PATCH", staffPath + "/" + adminId, {{"role", "patient"}}, samToken).status, 400);
        QCOMPARE(http.request("PATCH", staffPath + "/" + adminId, {{"role", 7}}, samToken).status, 400);
        QCOMPARE(http.request("PATCH", staffPath + "/" + adminId, {}, samToken).status, 400);
        QCOMPARE(http.raw("PATCH", staffPath + "/" + adminId, "{not json", "application/json", samToken).status, 400);
        QCOMPARE(http.request("PATCH", staffPath + "/not-an-id", {{"role", "admin"}}, samToken).status, 404);
        QCOMPARE(http.request("PATCH", QStringLiteral("/v1/practices/%1/staff/%2").arg(adminId, adminId),
                              {{"role", "admin"}}, samToken)
                     .status,
                 404);
        QCOMPARE(http.request("PUT", staffPath + "/" + adminId, {{"role", "admin"}}, samToken).status, 405);
        const HttpReply shortPassword =
            http.post(staffPath, {{"name", "Y"}, {"email", "y@role.example"}, {"password", "short"}, {"role", "admin"}},
                      samToken);
        QCOMPARE(shortPassword.status, 400);
        QCOMPARE(http.post(staffPath, {{"name", ""}, {"email", "y@role.example"}, {"role", "admin"}}, samToken).status,
                 400);
        QCOMPARE(http.post(staffPath, {{"name", "Y"}, {"email", "not an email"}, {"role", "admin"}}, samToken).status,
                 400);
        QCOMPARE(http.post(staffPath, {{"name", "Y"}, {"email", "y@role.example"}, {"role", "owner"}}, samToken).status,
                 400);
        // A deactivated member's role cannot change.
        QCOMPARE(http.request("DELETE", staffPath + "/" + adminId, {}, samToken).status, 204);
        QCOMPARE(http.request("PATCH", staffPath + "/" + adminId, {{"role", "admin"}}, samToken).status, 404);

        ServerDatabase db(server.dataDir());
        const QList<QVariantList> rows = db.rows(QStringLiteral(
            "SELECT user_id, object_ids FROM audit_log WHERE action = 'staff_role_changed' ORDER BY seq"));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).at(0).toString(), adminId);
        QVERIFY(rows.at(0).at(1).toString().contains(samId));
        QVERIFY(rows.at(0).at(1).toString().contains(QStringLiteral("role=admin")));
        QCOMPARE(rows.at(1).at(0).toString(), samId);
        QVERIFY(rows.at(1).at(1).toString().contains(adminId));
        QVERIFY(rows.at(1).at(1).toString().contains(QStringLiteral("role=clinician")));
    }
};

QTEST_GUILESS_MAIN(TestServerStaff)
#include "tst_server_staff.moc"
