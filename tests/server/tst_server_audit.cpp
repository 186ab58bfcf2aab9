// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_audit: what the server records for an auditor (sign-ins, failures, sign-outs, revocations, practices made
// by the operator and their setup links), that no email or name is in it, and that larch-server audit verify finds
// a record modified, removed or moved.
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace testkit;

namespace {

/// larch-server audit verify on dataDir: its exit code and what it printed.
QPair<int, QString> verify(const QString &dataDir)
{
    QProcess p;
    p.start(TestServer::binary(),
            {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--data-dir"), dataDir});
    if (!p.waitForFinished(60000))
        return {-1, {}};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
}

} // namespace

class TestServerAudit : public QObject {
    Q_OBJECT

private slots:
    void actionsAreRecordedAndTamperingIsFound()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Audit Practice"), QStringLiteral("au@audit.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString adminId = p.value("user").toObject().value("id").toString();
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"), {{"email", "au@audit.example"}, {"password", "wrong one!!"}})
                     .status,
                 401);
        QCOMPARE(
            http.post(QStringLiteral("/v1/sessions"), {{"email", "nobody@audit.example"}, {"password", "wrong one!!"}})
                .status,
            401);
        const QString token = http.signIn(QStringLiteral("au@audit.example"), QStringLiteral("correct horse battery"));
        QVERIFY(!token.isEmpty());
        QCOMPARE(http.request("DELETE", QStringLiteral("/v1/users/%1/sessions").arg(adminId), {}, token).status, 204);
        const QString again = http.signIn(QStringLiteral("au@audit.example"), QStringLiteral("correct horse battery"));
        QCOMPARE(http.request("DELETE", QStringLiteral("/v1/sessions/current"), {}, again).status, 204);

        ServerDatabase db(server.dataDir());
        const QList<QVariantList> rows = db.rows(
            QStringLiteral("SELECT action, practice_id, user_id, object_ids, address FROM audit_log ORDER BY seq"));
        QStringList actions;
        for (const QVariantList &row : rows)
            actions.append(row.at(0).toString());
        QCOMPARE(actions,
                 (QStringList{"practice_created", "sign_in_failed", "sign_in_failed", "sign_in", "sessions_revoked",
                              "sign_in", "sign_out"}));
        QCOMPARE(rows.at(0).at(1).toString(), practiceId);
        QCOMPARE(rows.at(1).at(2).toString(), adminId); // the account the failed attempt named
        QCOMPARE(rows.at(2).at(2).toString(), QString()); // an unknown email names nobody
        QCOMPARE(rows.at(3).at(4).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(rows.at(4).at(3).toString(), adminId);
        // Never an email address or a name.
        for (const QVariantList &row : rows) {
            for (const QVariant &field : row) {
                QVERIFY(!field.toString().contains(QLatin1Char('@')));
                QVERIFY(!field.toString().contains(QStringLiteral("Audit Practice")));
            }
        }
        // The server itself cannot change the past.
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_log SET action = 'x' WHERE seq = 2")), -1);
        QCOMPARE(db.exec(QStringLiteral("DELETE FROM audit_log WHERE seq = 2")), -1);

        auto [code, said] = verify(server.dataDir());
        QCOMPARE(code, 0);
        QVERIFY2(said.contains(QStringLiteral("intact: 7 records")), qPrintable(said));

        // Someone with the disk drops the guards: each change is found, and named.
        QCOMPARE(db.exec(QStringLiteral("DROP TRIGGER audit_log_append_only_update")), 0);
        QCOMPARE(db.exec(QStringLiteral("DROP TRIGGER audit_log_append_only_delete")), 0);
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_log SET address = '10.0.0.9' WHERE seq = 4")), 1);
        std::tie(code, said) = verify(server.dataDir());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record 4 was modified")), qPrintable(said));
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_log SET address = '127.0.0.1' WHERE seq = 4")), 1);
        QCOMPARE(verify(server.dataDir()).first, 0);

        QCOMPARE(db.exec(QStringLiteral("DELETE FROM audit_log WHERE seq = 5")), 1);
        std::tie(code, said) = verify(server.dataDir());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record 5 was removed")), qPrintable(said));

        // Renumbering to hide the gap, or moving a record, breaks the chain.
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_log SET seq = seq - 1 WHERE seq > 5")), 2);
        std::tie(code, said) = verify(server.dataDir());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record 5 does not follow")), qPrintable(said));
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(verify(QStringLiteral("/nonexistent/larch")).first, 1);
    }

    void staffActionsAreRecordedWithWhereTheyCameFrom()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Oak"), QStringLiteral("admin@oak.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString adminId = p.value("user").toObject().value("id").toString();
        const QString token = p.value("session").toObject().value("token").toString();
        const HttpReply staff = http.post(QStringLiteral("/v1/practices/%1/staff").arg(practiceId),
                                          {{"name", "Dr. Doc"},
                                           {"email", "doc@oak.example"},
                                           {"password", "clinician password"},
                                           {"role", "clinician"}},
                                          token);
        QCOMPARE(staff.status, 201);
        const HttpReply invited = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(practiceId),
                                            {{"patientName", "Pat Doe"}, {"phone", "+1 201 555 0188"}}, token);
        QCOMPARE(invited.status, 201);
        const QString invitationId = invited.json.value("invitation").toObject().value("id").toString();
        QCOMPARE(http.request("DELETE", QStringLiteral("/v1/invitations/%1").arg(invitationId), {}, token).status, 204);
        QCOMPARE(http.post(QStringLiteral("/v1/practices/%1/practice-links").arg(practiceId), {{"label", "Front desk"}},
                           token)
                     .status,
                 201);
        ServerDatabase db(server.dataDir());
        const QList<QVariantList> rows =
            db.rows(QStringLiteral("SELECT action, user_id, object_ids, address FROM audit_log WHERE action <> "
                                   "'practice_created' ORDER BY seq"));
        QStringList actions;
        for (const QVariantList &row : rows) {
            actions.append(row.at(0).toString());
            QCOMPARE(row.at(1).toString(), adminId);
            QCOMPARE(row.at(3).toString(), QStringLiteral("127.0.0.1")); // from the request, not the caller
            QVERIFY(!row.at(2).toString().contains(QLatin1Char('@')));
            QVERIFY(!row.at(2).toString().contains(QStringLiteral("Pat")));
        }
        QCOMPARE(actions,
                 (QStringList{"staff_added", "invitation_created", "invitation_revoked", "practice_link_created"}));
        QVERIFY(rows.at(0).at(2).toString().contains(staff.json.value("id").toString()));
        QVERIFY(rows.at(1).at(2).toString().contains(invitationId));

        // Administrators read it, newest first, filtered; other staff may not, other practices see nothing.
        const QString path = QStringLiteral("/v1/practices/%1/audit-log").arg(practiceId);
        HttpReply page = http.get(path + QStringLiteral("?limit=2"), token);
        QCOMPARE(page.status, 200);
        QJsonArray records = page.json.value("records").toArray();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(0).toObject().value("action").toString(), QStringLiteral("practice_link_created"));
        QCOMPARE(records.at(0).toObject().value("address").toString(), QStringLiteral("127.0.0.1"));
        const qint64 next = page.json.value("next").toInteger();
        QVERIFY(next > 0);
        page = http.get(path + QStringLiteral("?limit=50&before=%1").arg(next), token);
        QCOMPARE(page.json.value("records").toArray().size(), 3); // invitation_created, staff_added, practice_created
        QVERIFY(page.json.value("next").isNull());
        // One patient: what touched them or their conversation.
        const QString patientId = invited.json.value("conversation").toObject().value("patientId").toString();
        QVERIFY(!patientId.isEmpty());
        page = http.get(path + QStringLiteral("?patientId=%1").arg(patientId), token);
        QCOMPARE(page.status, 200);
        records = page.json.value("records").toArray();
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.at(0).toObject().value("action").toString(), QStringLiteral("invitation_created"));
        const QString docToken = http.signIn(QStringLiteral("doc@oak.example"), QStringLiteral("clinician password"));
        QVERIFY(!docToken.isEmpty());
        page = http.get(path + QStringLiteral("?staffId=%1").arg(staff.json.value("id").toString()), token);
        QCOMPARE(page.json.value("records").toArray().size(), 1); // Dr. Doc's sign-in
        QCOMPARE(page.json.value("records").toArray().at(0).toObject().value("action").toString(),
                 QStringLiteral("sign_in"));
        QCOMPARE(http.get(path, docToken).status, 403);
        QCOMPARE(http.get(path + QStringLiteral("?staffId=not-an-id"), token).status, 404);
        QCOMPARE(http.get(path + QStringLiteral("?from=abc"), token).status, 400);
        const QJsonObject other = http.createPractice(QStringLiteral("Elm"), QStringLiteral("admin@elm.example"));
        QCOMPARE(http.get(path, other.value("session").toObject().value("token").toString()).status, 404);
        // The CSV export: oldest first, a header, and it is recorded itself.
        const HttpReply csv = http.get(path + QStringLiteral("?format=csv"), token);
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.headers.value("content-type").startsWith("text/csv"));
        const QList<QByteArray> lines = csv.body.trimmed().split('\n');
        QCOMPARE(lines.first().trimmed(), QByteArray("seq,at_utc,action,user_id,device_id,object_ids,address"));
        QVERIFY(lines.at(1).contains(",practice_created,"));
        QCOMPARE(lines.size(), 1 + 6); // practice, staff, invitation made and revoked, link, Dr. Doc's sign-in
        QVERIFY(!csv.body.contains('@'));
        page = http.get(path + QStringLiteral("?limit=1"), token);
        QCOMPARE(page.json.value("records").toArray().at(0).toObject().value("action").toString(),
                 QStringLiteral("audit_exported"));
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(verify(server.dataDir()).first, 0);
    }

    void thePracticeSetupIsRecorded()
    {
        TestServer server;
        server.setOpenRegistration(false);
        QVERIFY2(server.start(), qPrintable(server.error()));
        QProcess create;
        create.start(TestServer::binary(),
                     {"practice", "create", "--data-dir", server.dataDir(), "--public-url", server.baseUrl(), "--name",
                      "Elm", "--admin-name", "Eve", "--admin-email", "eve@elm.example"});
        QVERIFY(create.waitForFinished(60000));
        QCOMPARE(create.exitCode(), 0);
        const QString path = QRegularExpression(QStringLiteral("(/setup/[A-Za-z0-9_-]+)"))
                                 .match(QString::fromUtf8(create.readAllStandardOutput()))
                                 .captured(1);
        HttpClient http(server.baseUrl());
        QCOMPARE(http.raw("POST", path, "password=correct+horse+battery&confirm=correct+horse+battery",
                          "application/x-www-form-urlencoded")
                     .status,
                 200);
        ServerDatabase db(server.dataDir());
        const QList<QVariantList> rows =
            db.rows(QStringLiteral("SELECT action, user_id, address FROM audit_log ORDER BY seq"));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).at(0).toString(), QStringLiteral("practice_created"));
        QCOMPARE(rows.at(0).at(2).toString(), QString()); // the operator, on the server's machine
        QCOMPARE(rows.at(1).at(0).toString(), QStringLiteral("password_set_by_setup_link"));
        QVERIFY(!rows.at(1).at(1).toString().isEmpty());
        QCOMPARE(rows.at(1).at(2).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(verify(server.dataDir()).first, 0);
    }
};

QTEST_GUILESS_MAIN(TestServerAudit)
#include "tst_server_audit.moc"
