// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_audit_retention: how long a practice keeps its audit log (GET/PUT …/audit-log/retention, administrators
// only, 6 to 30 years, bad input refused), the names and people the administrators' screen shows, and pruning
// against the real binary with its retention clock moved forward (--retention-clock-offset-days): only records past
// their practice's retention go, oldest first, and larch-server audit verify still finds the chain intact after, and
// still finds a removal hidden behind a forged or edited anchor.
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QProcess>
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

/// The actions of a practice's newest records, newest first.
QStringList actionsOf(HttpClient &http, const QString &practiceId, const QString &token)
{
    QStringList actions;
    const HttpReply page = http.get(QStringLiteral("/v1/practices/%1/audit-log").arg(practiceId), token);
    for (const QJsonValue &r : page.json.value("records").toArray())
        actions.append(r.toObject().value("action").toString());
    return actions;
}

/// A practice made through the API: its id and its administrator's token.
struct Practice {
    QString id;
    QString adminId;
    QString token;
};

Practice makePractice(HttpClient &http, const QString &name, const QString &email)
{
    const QJsonObject p = http.createPractice(name, email);
    return {p.value("practice").toObject().value("id").toString(), p.value("user").toObject().value("id").toString(),
            p.value("session").toObject().value("token").toString()};
}

} // namespace

class TestServerAuditRetention : public QObject {
    Q_OBJECT

private slots:
    void retentionIsTheAdministratorsSetting()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const Practice oak = makePractice(http, QStringLiteral("Oak"), QStringLiteral("admin@oak.example"));
        const QString path = QStringLiteral("/v1/practices/%1/audit-log/retention").arg(oak.id);
        HttpReply r = http.get(path, oak.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("years").toInt(), 6);
        QVERIFY(r.json.value("isDefault").toBool());
        QCOMPARE(r.json.value("defaultYears").toInt(), 6);
        QCOMPARE(r.json.value("minYears").toInt(), 6);
        QCOMPARE(r.json.value("maxYears").toInt(), 30);

        r = http.request("PUT", path, {{"years", 10}}, oak.token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value("years").toInt(), 10);
        QVERIFY(!r.json.value("isDefault").toBool());
        QCOMPARE(http.get(path, oak.token).json.value("years").toInt(), 10);
        // The change is in the log, with the new period; setting the same period again records nothing.
        QCOMPARE(http.request("PUT", path, {{"years", 10}}, oak.token).status, 200);
        const HttpReply log = http.get(QStringLiteral("/v1/practices/%1/audit-log").arg(oak.id), oak.token);
        const QJsonArray records = log.json.value("records").toArray();
        QCOMPARE(records.at(0).toObject().value("action").toString(), QStringLiteral("audit_retention_changed"));
        QCOMPARE(records.at(0).toObject().value("objectIds").toArray(),
                 (QJsonArray{oak.id, QStringLiteral("years=10")}));
        QCOMPARE(records.at(1).toObject().value("action").toString(), QStringLiteral("practice_created"));

        // Bad input: 400 with the protocol's JSON error, nothing changed.
        const QList<QPair<QJsonObject, QString>> bad = {
            {{{"years", 5}}, QStringLiteral("invalid_field")},
            {{{"years", 31}}, QStringLiteral("invalid_field")},
            {{{"years", -6}}, QStringLiteral("invalid_field")},
            {{{"years", 6.5}}, QStringLiteral("invalid_field")},
            {{{"years", "10"}}, QStringLiteral("invalid_field")},
            {{{"years", QJsonValue()}}, QStringLiteral("invalid_field")},
            {{{"years", 1e300}}, QStringLiteral("invalid_field")},
            {{}, QStringLiteral("missing_field")},
            {{{"years", 8}, {"days", 1}}, QStringLiteral("invalid_field")},
        };
        for (const auto &[body, code] : bad) {
            r = http.request("PUT", path, body, oak.token);
            QCOMPARE(r.status, 400);
            QCOMPARE(r.errorCode(), code);
            QVERIFY(!r.json.value("error").toObject().value("message").toString().isEmpty());
        }
        r = http.raw("PUT", path, "{\"years\": ", "application/json", oak.token);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("bad_json"));
        r = http.raw("PUT", path, "years=8", "application/x-www-form-urlencoded", oak.token);
        QCOMPARE(r.status, 415);
        QCOMPARE(http.get(path, oak.token).json.value("years").toInt(), 10);
        QCOMPARE(http.request("DELETE", path, {}, oak.token).status, 405);

        // Administrators of the practice only.
        QCOMPARE(http.post(QStringLiteral("/v1/practices/%1/staff").arg(oak.id),
                           {{"name", "Dr. Doc"},
                            {"email", "doc@oak.example"},
                            {"password", "clinician password"},
                            {"role", "clinician"}},
                           oak.token)
                     .status,
                 201);
        const QString doc = http.signIn(QStringLiteral("doc@oak.example"), QStringLiteral("clinician password"));
        QCOMPARE(http.get(path, doc).status, 403);
        r = http.request("PUT", path, {{"years", 30}}, doc);
        QCOMPARE(r.status, 403);
        const Practice elm = makePractice(http, QStringLiteral("Elm"), QStringLiteral("admin@elm.example"));
        QCOMPARE(http.get(path, elm.token).status, 404);
        QCOMPARE(http.request("PUT", path, {{"years", 7}}, elm.token).status, 404);
        QCOMPARE(http.get(path).status, 401);
        QCOMPARE(http.get(path, oak.token).json.value("years").toInt(), 10);
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(verify(server.dataDir()).first, 0);
    }

    void theScreenGetsNamesAndPeople()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const Practice oak = makePractice(http, QStringLiteral("Oak"), QStringLiteral("admin@oak.example"));
        const HttpReply staff = http.post(QStringLiteral("/v1/practices/%1/staff").arg(oak.id),
                                          {{"name", "Dr. Doc"},
                                           {"email", "doc@oak.example"},
                                           {"password", "clinician password"},
                                           {"role", "clinician"}},
                                          oak.token);
        QCOMPARE(staff.status, 201);
        const HttpReply invited = http.post(QStringLiteral("/v1/practices/%1/invitations").arg(oak.id),
                                            {{"patientName", "Pat Doe"}, {"phone", "+1 201 555 0188"}}, oak.token);
        QCOMPARE(invited.status, 201);
        const QString invitationId = invited.json.value("invitation").toObject().value("id").toString();
        const QString patientId = invited.json.value("conversation").toObject().value("patientId").toString();
        const Practice elm = makePractice(http, QStringLiteral("Elm"), QStringLiteral("admin@elm.example"));

        const HttpReply page = http.get(QStringLiteral("/v1/practices/%1/audit-log").arg(oak.id), oak.token);
        QCOMPARE(page.status, 200);
        const QJsonObject names = page.json.value("names").toObject();
        QCOMPARE(names.value(oak.adminId).toObject(), (QJsonObject{{"kind", "staff"}, {"name", "Admin of Oak"}}));
        QCOMPARE(names.value(staff.json.value("id").toString()).toObject(),
                 (QJsonObject{{"kind", "staff"}, {"name", "Dr. Doc"}}));
        QCOMPARE(names.value(invitationId).toObject(), (QJsonObject{{"kind", "invitation"}, {"name", "Pat Doe"}}));
        QCOMPARE(names.value(oak.id).toObject(), (QJsonObject{{"kind", "practice"}, {"name", "Oak"}}));
        QVERIFY(!names.contains(elm.adminId));

        const QString people = QStringLiteral("/v1/practices/%1/audit-log/people").arg(oak.id);
        HttpReply r = http.get(people, oak.token);
        QCOMPARE(r.status, 200);
        const QJsonArray staffList = r.json.value("staff").toArray();
        QCOMPARE(staffList.size(), 2);
        QCOMPARE(staffList.at(0).toObject().value("name").toString(), QStringLiteral("Admin of Oak"));
        QCOMPARE(staffList.at(0).toObject().value("role").toString(), QStringLiteral("admin"));
        QVERIFY(staffList.at(0).toObject().value("active").toBool());
        QCOMPARE(staffList.at(1).toObject().value("name").toString(), QStringLiteral("Dr. Doc"));
        QCOMPARE(r.json.value("patients").toArray(), (QJsonArray{QJsonObject{{"id", patientId}, {"name", "Pat Doe"}}}));
        QCOMPARE(http.get(people + QStringLiteral("?q=pat%20d"), oak.token).json.value("patients").toArray().size(), 1);
        QCOMPARE(http.get(people + QStringLiteral("?q=zz"), oak.token).json.value("patients").toArray().size(), 0);
        QCOMPARE(http.get(people, elm.token).status, 404);
        const QString doc = http.signIn(QStringLiteral("doc@oak.example"), QStringLiteral("clinician password"));
        QCOMPARE(http.get(people, doc).status, 403);
        QCOMPARE(server.terminate(), 0);
    }

    void pruningKeepsTheChainVerifiable()
    {
        QTemporaryDir dataDir;
        TestServer server(dataDir.path());
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        // Oak keeps the default 6 years, Elm 10; records are written now.
        const Practice oak = makePractice(http, QStringLiteral("Oak"), QStringLiteral("admin@oak.example")); // 1
        const Practice elm = makePractice(http, QStringLiteral("Elm"), QStringLiteral("admin@elm.example")); // 2
        QCOMPARE(http.request("PUT", QStringLiteral("/v1/practices/%1/audit-log/retention").arg(elm.id),
                              {{"years", 10}}, elm.token)
                     .status,
                 200); // 3
        QVERIFY(!http.signIn(QStringLiteral("admin@oak.example")).isEmpty()); // 4
        QCOMPARE(server.terminate(), 0);
        const quint16 port = server.port(); // restarted where http expects it

        // Seven years on: Oak's first record goes; Elm's, kept 10 years, stays, and so does everything after it
        // (the chain is one, so records go only as a prefix).
        QVERIFY2(server.start({"--retention-clock-offset-days", "2600"}, port), qPrintable(server.error()));
        QStringList oakLog = actionsOf(http, oak.id, http.signIn(QStringLiteral("admin@oak.example")));
        QCOMPARE(oakLog, (QStringList{"sign_in", "audit_pruned", "sign_in"}));
        QCOMPARE(actionsOf(http, elm.id, elm.token), (QStringList{"audit_retention_changed", "practice_created"}));
        QCOMPARE(server.terminate(), 0);
        {
            ServerDatabase db(dataDir.path());
            QCOMPARE(db.value(QStringLiteral("SELECT MIN(seq) FROM audit_log")).toLongLong(), 2);
            QCOMPARE(db.value(QStringLiteral("SELECT MAX(through_seq) FROM audit_prune")).toLongLong(), 1);
        }
        auto [code, said] = verify(dataDir.path());
        QCOMPARE(code, 0);
        QVERIFY2(said.contains(QStringLiteral("Records 1 to 1 were removed")), qPrintable(said));

        // Eleven years on: everything written so far is past both periods.
        QVERIFY2(server.start({"--retention-clock-offset-days", "4020"}, port), qPrintable(server.error()));
        QCOMPARE(actionsOf(http, elm.id, elm.token), QStringList{"audit_pruned"});
        QCOMPARE(server.terminate(), 0);
        std::tie(code, said) = verify(dataDir.path());
        QCOMPARE(code, 0);
        QVERIFY2(said.contains(QStringLiteral("intact: 2 records")), qPrintable(said)); // one audit_pruned each
        // A restart on today's clock removes nothing more.
        QVERIFY2(server.start({}, port), qPrintable(server.error()));
        QCOMPARE(server.terminate(), 0);
        QVERIFY(verify(dataDir.path()).second.contains(QStringLiteral("intact: 2 records")));

        // Someone with the disk: the server's own guards first, then each way of hiding a removal is found.
        ServerDatabase db(dataDir.path());
        const qint64 first = db.value(QStringLiteral("SELECT MIN(seq) FROM audit_log")).toLongLong();
        QCOMPARE(db.exec(QStringLiteral("DELETE FROM audit_log WHERE seq = ?"), {first}), -1);
        QCOMPARE(db.exec(QStringLiteral("DELETE FROM audit_prune")), -1);
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_prune SET at = at - 1")), -1);
        QCOMPARE(
            db.exec(QStringLiteral("INSERT INTO audit_prune SELECT seq, hash, at, at FROM audit_log WHERE seq = ?"),
                    {first}),
            -1); // a record written just now cannot be pruned
        for (const char *trigger : {"audit_log_append_only_delete", "audit_prune_checked",
                                    "audit_prune_append_only_update", "audit_prune_append_only_delete"})
            QCOMPARE(db.exec(QStringLiteral("DROP TRIGGER %1").arg(QLatin1String(trigger))), 0);

        // An edited anchor no longer leads to the first record.
        const QByteArray hash =
            db.value(QStringLiteral("SELECT CAST(hash AS BLOB) FROM audit_prune ORDER BY through_seq DESC LIMIT 1"))
                .toByteArray();
        QCOMPARE(
            db.exec(QStringLiteral("UPDATE audit_prune SET hash = zeroblob(32) WHERE through_seq = ?"), {first - 1}),
            1);
        std::tie(code, said) = verify(dataDir.path());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record %1 does not follow the last pruned record").arg(first)),
                 qPrintable(said));
        QCOMPARE(db.exec(QStringLiteral("UPDATE audit_prune SET hash = ? WHERE through_seq = ?"), {hash, first - 1}),
                 1);
        QCOMPARE(verify(dataDir.path()).first, 0);

        // A removal without an anchor.
        const QList<QVariantList> kept =
            db.rows(QStringLiteral("SELECT at, CAST(hash AS BLOB) FROM audit_log WHERE seq = ?"), {first});
        QCOMPARE(kept.size(), 1);
        QCOMPARE(db.exec(QStringLiteral("DELETE FROM audit_log WHERE seq = ?"), {first}), 1);
        std::tie(code, said) = verify(dataDir.path());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record %1 was removed").arg(first)), qPrintable(said));

        // The same removal behind a forged anchor naming the young record it removed.
        QCOMPARE(db.exec(QStringLiteral("INSERT INTO audit_prune VALUES (?, ?, ?, ?)"),
                         {first, kept.at(0).at(1), kept.at(0).at(0), kept.at(0).at(0).toLongLong() + 1000}),
                 1);
        std::tie(code, said) = verify(dataDir.path());
        QCOMPARE(code, 3);
        QVERIFY2(said.contains(QStringLiteral("record %1 was not 6 years old").arg(first)), qPrintable(said));
    }
};

QTEST_GUILESS_MAIN(TestServerAuditRetention)
#include "tst_server_audit_retention.moc"
