// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The server never holds message text: a unique canary sent in a secure conversation must appear in no
// file of the data directory (database, WAL, shared memory), not in the debug log, and in no response
// anyone gets — a non-member's nor a member's (members get ciphertext they open themselves).
#include "HttpClient.h"
#include "TestKeyring.h"
#include "TestScene.h"
#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

namespace {

/// Every byte of every file in dir, with the file's name.
QList<QPair<QString, QByteArray>> filesOf(const QString &dir)
{
    QList<QPair<QString, QByteArray>> out;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
        QFile f(info.filePath());
        if (f.open(QIODevice::ReadOnly))
            out.append({info.fileName(), f.readAll()});
    }
    return out;
}

} // namespace

class TestServerCanary : public QObject {
    Q_OBJECT

private slots:
    void canaryNeverReachesTheServer()
    {
        TestServer server;
        QVERIFY(server.start({QStringLiteral("--log-level"), QStringLiteral("debug")}));
        HttpClient http(server.baseUrl());
        TestKeyring keyring(http);
        const Scene s = makeScene(http, QStringLiteral("canary"));
        const Scene outsider = makeScene(http, QStringLiteral("elsewhere"));
        const TestMember admin = keyring.enroll(s.adminToken);
        const TestMember clinician = keyring.enroll(s.clinicianToken);
        const TestMember patient = keyring.enroll(s.patientToken);
        QVERIFY(!patient.deviceId().isEmpty() && clinician.deviceState == QLatin1String("active"));
        // A patient of the same practice is a non-member of this conversation too.
        QCOMPARE(
            http.post(QStringLiteral("/v1/practices/%1/patients").arg(s.practiceId),
                      {{"name", "Neighbour"}, {"email", "neighbour@canary.example"}, {"password", "patient password"}},
                      s.adminToken)
                .status,
            201);
        const QString neighbour =
            http.signIn(QStringLiteral("neighbour@canary.example"), QStringLiteral("patient password"));

        const QByteArray canary = "larch-canary-" + TestKeyring::newUuid().toLatin1();
        const QString text = QStringLiteral("My test result: ") + QString::fromLatin1(canary);
        const QString clientId = TestKeyring::newUuid();
        const HttpReply sent = keyring.send(patient, s.conversationId, text, clientId);
        QCOMPARE(sent.status, 201);
        QVERIFY(!sent.body.contains(canary));
        QCOMPARE(
            keyring.send(admin, s.conversationId, QStringLiteral("Reply about ") + QString::fromLatin1(canary)).status,
            201);
        const QByteArray ciphertext = sent.json.value("envelope").toObject().value("ciphertext").toString().toLatin1();
        QVERIFY(!ciphertext.isEmpty());

        // Every response a member gets carries the ciphertext, never the text; the keyring still opens it.
        const QString c = s.conversationId;
        const QStringList memberPaths{
            QStringLiteral("/v1/conversations"), QStringLiteral("/v1/conversations/%1").arg(c),
            QStringLiteral("/v1/conversations/%1/messages").arg(c), QStringLiteral("/v1/conversations/%1/keys").arg(c),
            QStringLiteral("/v1/events?since=0&limit=200")};
        bool sawCiphertext = false;
        for (const QString &token : {s.adminToken, s.clinicianToken, s.patientToken}) {
            for (const QString &path : memberPaths) {
                const HttpReply r = http.get(path, token);
                QCOMPARE(r.status, 200);
                QVERIFY2(!r.body.contains(canary), qPrintable(path));
                sawCiphertext = sawCiphertext || r.body.contains(ciphertext);
            }
        }
        QVERIFY(sawCiphertext);
        const auto stored = http.get(QStringLiteral("/v1/conversations/%1/messages").arg(c), s.clinicianToken)
                                .json.value("messages")
                                .toArray();
        QCOMPARE(keyring.open(stored.last().toObject()), text);

        // What non-members can ask for.
        const QStringList paths = memberPaths
            + QStringList{QStringLiteral("/v1/conversations/%1/devices").arg(c),
                          QStringLiteral("/v1/key-requests"),
                          QStringLiteral("/v1/me"),
                          QStringLiteral("/v1/me/key-backup"),
                          QStringLiteral("/v1/users/%1/devices").arg(s.patientId),
                          QStringLiteral("/v1/practices/%1/keys").arg(s.practiceId)};
        int answered = 0;
        for (const QString &token : {outsider.adminToken, outsider.patientToken, neighbour, QString()}) {
            for (const QString &path : paths) {
                const HttpReply r = http.get(path, token);
                QVERIFY(r.status != 0);
                QVERIFY2(!r.body.contains(canary), qPrintable(path));
                QVERIFY2(!r.body.contains(ciphertext), qPrintable(path));
                ++answered;
            }
            // Writing into the conversation does not echo anything back either.
            const HttpReply write = http.post(QStringLiteral("/v1/conversations/%1/read").arg(c), {{"seq", 1}}, token);
            QVERIFY(write.status == 404 || write.status == 401);
            QVERIFY(!write.body.contains(canary));
        }
        QCOMPARE(answered, 4 * paths.size());

        // While running (the message is in the WAL), and after shutdown (checkpointed into the database).
        const auto checkFiles = [&](const char *when) {
            const auto files = filesOf(server.dataDir());
            QVERIFY2(!files.isEmpty(), when);
            bool holdsMessage = false;
            for (const auto &[name, bytes] : files) {
                QVERIFY2(!bytes.contains(canary), qPrintable(name + QLatin1String(" ") + QLatin1String(when)));
                holdsMessage = holdsMessage || bytes.contains(clientId.toLatin1());
            }
            // The message is there, so the search looked where it is kept.
            QVERIFY2(holdsMessage, when);
        };
        checkFiles("while running");
        QCOMPARE(server.terminate(), 0);
        checkFiles("after shutdown");
        const QByteArray log = server.standardError();
        QVERIFY(log.contains("POST /v1/conversations/"));
        QVERIFY(!log.contains(canary));
        QVERIFY(!log.contains(ciphertext.left(32)));
    }
};

QTEST_GUILESS_MAIN(TestServerCanary)
#include "tst_server_canary.moc"
