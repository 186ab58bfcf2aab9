// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The key of one-time code digests on the real larch-server: a 32-byte file of mode 0600 in the data directory,
// digests in the database that are not a plain SHA-256 of contact and code, the same key after a restart, and a
// key file of the wrong size that stops the server with a clear error.
#include "HttpClient.h"
#include "TestServer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

namespace {

/// The code in the newest outbox delivery to a contact, or "".
QString lastCodeTo(HttpClient &http, const QString &to)
{
    static const QRegularExpression code(QStringLiteral("\\b([0-9]{6})\\b"));
    for (const QJsonValue &d : http.get(QStringLiteral("/dev/outbox.json")).json.value("deliveries").toArray())
        if (d.toObject().value("to").toString() == to)
            return code.match(d.toObject().value("body").toString()).captured(1);
    return {};
}

/// The stored digest of a contact's code, read from the database file with Qt's SQLite driver.
QByteArray storedDigest(const QString &dataDir, const QString &contact)
{
    QByteArray digest;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("codekey"));
        db.setDatabaseName(dataDir + QStringLiteral("/larch.sqlite3"));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT code_digest FROM contact_codes WHERE contact = ?"));
            q.addBindValue(contact);
            if (q.exec() && q.next())
                digest = q.value(0).toByteArray();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("codekey"));
    return digest;
}

QByteArray sha256Hex(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestServerCodeKey : public QObject {
    Q_OBJECT

private slots:
    void keyedDigestsSurviveARestart()
    {
        QTemporaryDir data;
        const QString phone = QStringLiteral("+33612399001");
        QString code;
        QByteArray key;
        {
            TestServer server(data.path());
            QVERIFY(server.start());
            QFile keyFile(data.filePath(QStringLiteral("code.key")));
            QVERIFY(keyFile.exists());
            QCOMPARE(keyFile.size(), 32);
            QCOMPARE(keyFile.permissions() & ~(QFile::ReadUser | QFile::WriteUser),
                     QFile::ReadOwner | QFile::WriteOwner);
            QVERIFY(keyFile.open(QIODevice::ReadOnly));
            key = keyFile.readAll();

            HttpClient http(server.baseUrl());
            QCOMPARE(http.post(QStringLiteral("/v1/codes"), {{"phone", phone}}).status, 202);
            code = lastCodeTo(http, phone);
            QVERIFY(!code.isEmpty());
            QCOMPARE(server.terminate(), 0);
        }
        // The database keeps a keyed digest: not the SHA-256 someone could match against a million codes.
        const QByteArray digest = storedDigest(data.path(), phone);
        QCOMPARE(digest.size(), 64);
        for (const QString &plain : {phone + QLatin1Char('\n') + code, phone + code, code})
            QVERIFY(digest != sha256Hex(plain)
                    && digest != QCryptographicHash::hash(plain.toUtf8(), QCryptographicHash::Sha256));
        QVERIFY(!digest.contains(code.toLatin1()));

        // The key is read again on the next start, so the code still verifies.
        TestServer restarted(data.path());
        QVERIFY(restarted.start());
        QFile keyFile(data.filePath(QStringLiteral("code.key")));
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        QCOMPARE(keyFile.readAll(), key);
        HttpClient http(restarted.baseUrl());
        const HttpReply verified =
            http.post(QStringLiteral("/v1/codes/verify"), {{"phone", phone}, {"code", code}, {"name", "Kay Keyed"}});
        QCOMPARE(verified.status, 200);
        QVERIFY(!verified.json.value("token").toString().isEmpty());
    }

    void keyOfTheWrongSizeStopsTheServer()
    {
        QTemporaryDir data;
        QFile keyFile(data.filePath(QStringLiteral("code.key")));
        QVERIFY(keyFile.open(QIODevice::WriteOnly));
        keyFile.write("too short");
        keyFile.close();
        TestServer server(data.path());
        QVERIFY(!server.start());
        const QByteArray err = server.standardError();
        QVERIFY2(err.contains("code key") && err.contains("holds 9 bytes instead of 32"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServerCodeKey)
#include "tst_server_codekey.moc"
