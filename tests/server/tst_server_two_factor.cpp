// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// server_two_factor: two-factor sign-in against the real larch-server, with codes computed by oathtool as an
// authenticator app would: enrolment, the second step of sign-in, one use per code, recovery codes, wrong codes
// limited like passwords, a practice that requires it, an administrator's reset, and bad input.
#include "EventClient.h"
#include "HttpClient.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace testkit;

namespace {

const QString Password = QStringLiteral("correct horse battery");

/// The code an authenticator app shows for secret (base32) offsetSteps 30-second steps from now.
QString totp(const QString &secret, int offsetSteps = 0)
{
    const qint64 at = QDateTime::currentSecsSinceEpoch() + 30 * qint64(offsetSteps);
    QProcess p;
    p.start(QStringLiteral("oathtool"),
            {QStringLiteral("--totp"), QStringLiteral("--base32"), QStringLiteral("--now=@%1").arg(at), secret});
    if (!p.waitForFinished(10000) || p.exitCode() != 0)
        return {};
    return QString::fromLatin1(p.readAllStandardOutput()).trimmed();
}

/// A code that is wrong: the current one with its last digit changed (a code of a neighbouring step differs in more
/// than its last digit, but for one chance in a million).
QString wrongCode(const QString &secret)
{
    QString code = totp(secret);
    code[5] = QLatin1Char(code[5] == u'9' ? '0' : char(code[5].toLatin1() + 1));
    return code;
}

struct Enrolled {
    QString secret;
    QStringList recoveryCodes;
};

/// Turns two-factor sign-in on for the account of token; the first code is the current one.
Enrolled enrol(HttpClient &http, const QString &token)
{
    const HttpReply begun = http.post(QStringLiteral("/v1/me/two-factor"), {}, token);
    Enrolled e;
    e.secret = begun.json.value("secret").toString();
    const HttpReply confirmed =
        http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", totp(e.secret)}}, token);
    for (const QJsonValue v : confirmed.json.value("recoveryCodes").toArray())
        e.recoveryCodes.append(v.toString());
    return e;
}

} // namespace

class TestServerTwoFactor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("oathtool")).isEmpty())
            QFAIL("oathtool is missing: packaging/install-deps.sh installs it");
    }

    void enrolSignInAndRecoveryCodes()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Two Factor Clinic"), QStringLiteral("tf@tf.example"));
        const QString token = p.value("session").toObject().value("token").toString();
        const QString adminId = p.value("user").toObject().value("id").toString();

        HttpReply status = http.get(QStringLiteral("/v1/me/two-factor"), token);
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json.value("enabled").toBool(), false);

        // Begin: a secret and the otpauth URI of the QR code; nothing is on until the first code.
        const HttpReply begun = http.post(QStringLiteral("/v1/me/two-factor"), {}, token);
        QCOMPARE(begun.status, 201);
        const QString secret = begun.json.value("secret").toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z2-7]{32}$")).match(secret).hasMatch());
        const QString uri = begun.json.value("uri").toString();
        QVERIFY2(uri.startsWith(QStringLiteral("otpauth://totp/Larch:tf@tf.example?")), qPrintable(uri));
        QVERIFY(uri.contains(QStringLiteral("secret=") + secret));
        QVERIFY(uri.contains(QStringLiteral("issuer=Larch")));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"), {{"email", "tf@tf.example"}, {"password", Password}}).status,
                 201); // still one step

        HttpReply wrong = http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", wrongCode(secret)}}, token);
        QCOMPARE(wrong.status, 400);
        QCOMPARE(wrong.errorCode(), QStringLiteral("wrong_code"));
        const HttpReply confirmed =
            http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", totp(secret)}}, token);
        QCOMPARE(confirmed.status, 200);
        QStringList codes;
        for (const QJsonValue v : confirmed.json.value("recoveryCodes").toArray())
            codes.append(v.toString());
        QCOMPARE(codes.size(), 10);
        QCOMPARE(QSet<QString>(codes.begin(), codes.end()).size(), 10);
        for (const QString &c : codes)
            QVERIFY2(QRegularExpression(QStringLiteral("^[2-9a-hjkmnp-tw-z]{10}$")).match(c).hasMatch(), qPrintable(c));
        status = http.get(QStringLiteral("/v1/me/two-factor"), token);
        QCOMPARE(status.json.value("enabled").toBool(), true);
        QCOMPARE(status.json.value("recoveryCodesLeft").toInt(), 10);
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor"), {}, token).errorCode(),
                 QStringLiteral("already_enabled"));

        // The password alone now gives a challenge, never a session.
        auto challenge = [&] {
            const HttpReply r =
                http.post(QStringLiteral("/v1/sessions"), {{"email", "tf@tf.example"}, {"password", Password}});
            if (r.status != 200 || r.json.contains("token"))
                return QString();
            return r.json.value("twoFactor").toObject().value("challenge").toString();
        };
        QString c = challenge();
        QVERIFY(!c.isEmpty());
        wrong = http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", wrongCode(secret)}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.errorCode(), QStringLiteral("wrong_code"));
        // The code of the next step (accepted for a phone a little ahead) signs in, with spaces as some apps show.
        const QString next = totp(secret, 1);
        const QString spaced = next.left(3) + u' ' + next.mid(3);
        HttpReply signedIn = http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", spaced}});
        QCOMPARE(signedIn.status, 201);
        const QString token2 = signedIn.json.value("token").toString();
        QCOMPARE(http.get(QStringLiteral("/v1/me"), token2).status, 200);
        // A challenge is good once; a code too, and so is every earlier one.
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", next}}).errorCode(),
                 QStringLiteral("challenge_expired"));
        c = challenge();
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", next}}).errorCode(),
                 QStringLiteral("wrong_code"));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", totp(secret)}})
                     .errorCode(),
                 QStringLiteral("wrong_code"));
        // A recovery code, typed in capitals with a hyphen, works once.
        const QString recovery = codes.at(3).left(5).toUpper() + u'-' + codes.at(3).mid(5).toUpper();
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", recovery}}).status,
                 201);
        c = challenge();
        QCOMPARE(
            http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", recovery}}).errorCode(),
            QStringLiteral("wrong_code"));
        QCOMPARE(http.get(QStringLiteral("/v1/me/two-factor"), token).json.value("recoveryCodesLeft").toInt(), 9);

        // New recovery codes replace the old ones.
        const HttpReply renewed =
            http.post(QStringLiteral("/v1/me/two-factor/recovery-codes"), {{"code", codes.at(0)}}, token);
        QCOMPARE(renewed.status, 200);
        QCOMPARE(renewed.json.value("recoveryCodes").toArray().size(), 10);
        QCOMPARE(
            http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", codes.at(1)}}).errorCode(),
            QStringLiteral("wrong_code"));
        const QString fresh = renewed.json.value("recoveryCodes").toArray().at(0).toString();
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", fresh}}).status, 201);

        // Turning it off takes a code; then the password alone signs in again.
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/disable"), {{"code", "000000"}}, token).status, 400);
        const QString second = renewed.json.value("recoveryCodes").toArray().at(1).toString();
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/disable"), {{"code", second}}, token).status, 204);
        QCOMPARE(http.post(QStringLiteral("/v1/sessions"), {{"email", "tf@tf.example"}, {"password", Password}}).status,
                 201);

        // The database holds neither the secret nor a recovery code.
        ServerDatabase db(server.dataDir());
        QCOMPARE(db.rows(QStringLiteral("SELECT COUNT(*) FROM two_factor")).at(0).at(0).toInt(), 0);
        const QList<QVariantList> rows =
            db.rows(QStringLiteral("SELECT action, user_id, object_ids FROM audit_log ORDER BY seq"));
        QStringList actions;
        for (const QVariantList &row : rows) {
            actions.append(row.at(0).toString());
            QCOMPARE(row.at(1).toString(), adminId);
        }
        QVERIFY(actions.contains(QStringLiteral("two_factor_enabled")));
        QVERIFY(actions.contains(QStringLiteral("two_factor_failed")));
        QVERIFY(actions.contains(QStringLiteral("recovery_code_used")));
        QVERIFY(actions.contains(QStringLiteral("recovery_codes_renewed")));
        QVERIFY(actions.contains(QStringLiteral("two_factor_disabled")));
        QCOMPARE(actions.count(QStringLiteral("sign_in")), 5);
    }

    void secretIsSealed()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Sealed Clinic"), QStringLiteral("se@tf.example"));
        const QString token = p.value("session").toObject().value("token").toString();
        const Enrolled e = enrol(http, token);
        QCOMPARE(e.recoveryCodes.size(), 10);
        ServerDatabase db(server.dataDir());
        const QByteArray sealed =
            db.rows(QStringLiteral("SELECT sealed_secret FROM two_factor")).at(0).at(0).toByteArray();
        QVERIFY(sealed.size() > 20);
        QProcess decode;
        decode.start(QStringLiteral("base32"), {QStringLiteral("-d")});
        decode.write(e.secret.toLatin1() + "====\n");
        decode.closeWriteChannel();
        QVERIFY(decode.waitForFinished(10000));
        const QByteArray raw = decode.readAllStandardOutput();
        QCOMPARE(raw.size(), 20);
        QVERIFY(!sealed.contains(raw));
        const QString digests =
            db.rows(QStringLiteral("SELECT group_concat(hex(digest)) FROM two_factor_recovery_codes"))
                .at(0)
                .at(0)
                .toString();
        for (const QString &code : e.recoveryCodes)
            QVERIFY(!digests.contains(QString::fromLatin1(code.toLatin1().toHex()), Qt::CaseInsensitive));
    }

    void wrongCodesAreLimited()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Limit Clinic"), QStringLiteral("li@tf.example"));
        const Enrolled e = enrol(http, p.value("session").toObject().value("token").toString());
        auto challenge = [&] {
            return http.post(QStringLiteral("/v1/sessions"), {{"email", "li@tf.example"}, {"password", Password}})
                .json.value("twoFactor")
                .toObject()
                .value("challenge")
                .toString();
        };
        // Five wrong codes end a challenge: even the right code is refused after them.
        const QString c = challenge();
        for (int i = 0; i < 5; ++i)
            QCOMPARE(
                http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", wrongCode(e.secret)}})
                    .errorCode(),
                QStringLiteral("wrong_code"));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c}, {"code", totp(e.secret, 1)}})
                     .errorCode(),
                 QStringLiteral("challenge_expired"));
        // Ten wrong codes a minute per account, across challenges: the eleventh is not even checked.
        const QString c2 = challenge();
        for (int i = 0; i < 5; ++i)
            http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c2}, {"code", wrongCode(e.secret)}});
        const QString c3 = challenge();
        const HttpReply limited =
            http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", c3}, {"code", totp(e.secret, 1)}});
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.errorCode(), QStringLiteral("rate_limited"));
    }

    void practiceRequiresIt()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Strict Clinic"), QStringLiteral("ad@st.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString admin = p.value("session").toObject().value("token").toString();
        const HttpReply added = http.post(
            QStringLiteral("/v1/practices/%1/staff").arg(practiceId),
            {{"name", "Dr Lee"}, {"email", "lee@st.example"}, {"password", Password}, {"role", "clinician"}}, admin);
        QCOMPARE(added.status, 201);
        const QString leeId = added.json.value("id").toString();
        const HttpReply patient =
            http.post(QStringLiteral("/v1/practices/%1/patients").arg(practiceId),
                      {{"name", "Pat"}, {"email", "pat@st.example"}, {"password", Password}}, admin);
        QCOMPARE(patient.status, 201);

        // Only an administrator turns the requirement on.
        const QString lee = http.signIn(QStringLiteral("lee@st.example"));
        EventClient leeEvents(server.baseUrl(), lee, 0);
        QVERIFY(leeEvents.waitForHello());
        QCOMPARE(http.request("PATCH", QStringLiteral("/v1/practices/%1/settings").arg(practiceId),
                              {{"twoFactorRequired", true}}, lee)
                     .status,
                 403);
        const HttpReply set = http.request("PATCH", QStringLiteral("/v1/practices/%1/settings").arg(practiceId),
                                           {{"twoFactorRequired", true}, {"idleLockMinutes", 10}}, admin);
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json.value("twoFactorRequired").toBool(), true);
        QCOMPARE(set.json.value("idleLockMinutes").toInt(), 10);
        // Staff without it lose their event socket at once (4003), so their apps lead them to enrol.
        QVERIFY(leeEvents.waitFor([&] { return leeEvents.m_closed; }));
        QCOMPARE(leeEvents.m_closeCode, 4003);
        EventClient refusedEvents(server.baseUrl(), lee, 0);
        QVERIFY(refusedEvents.waitFor([&] { return refusedEvents.m_closed; }));
        QVERIFY(refusedEvents.m_hello.isEmpty());
        // Sessions opened before it, too: the next request says to enrol.
        QCOMPARE(http.get(QStringLiteral("/v1/practices/%1/settings").arg(practiceId), lee).errorCode(),
                 QStringLiteral("two_factor_enrolment_required"));

        // Staff without it: their sessions may enrol, read /v1/me and sign out, nothing else.
        const HttpReply s =
            http.post(QStringLiteral("/v1/sessions"), {{"email", "lee@st.example"}, {"password", Password}});
        QCOMPARE(s.status, 201);
        QCOMPARE(s.json.value("twoFactorEnrolmentRequired").toBool(), true);
        const QString pending = s.json.value("token").toString();
        const HttpReply refused = http.get(QStringLiteral("/v1/conversations"), pending);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("two_factor_enrolment_required"));
        QCOMPARE(http.get(QStringLiteral("/v1/me"), pending).json.value("twoFactorEnrolmentRequired").toBool(), true);
        QCOMPARE(http.get(QStringLiteral("/v1/me/two-factor"), pending).json.value("required").toBool(), true);
        QCOMPARE(http.get(QStringLiteral("/v1/conversations"), admin).status, 403); // the administrator too
        const Enrolled e = enrol(http, pending);
        QCOMPARE(e.recoveryCodes.size(), 10);
        QCOMPARE(http.get(QStringLiteral("/v1/conversations"), pending).status, 200);
        QCOMPARE(http.get(QStringLiteral("/v1/practices/%1/settings").arg(practiceId), lee)
                     .json.value("idleLockMinutes")
                     .toInt(),
                 10); // every staff member's app reads the lock time
        QVERIFY(!http.get(QStringLiteral("/v1/me"), pending).json.contains("twoFactorEnrolmentRequired"));
        // It cannot be turned off while required.
        const HttpReply off =
            http.post(QStringLiteral("/v1/me/two-factor/disable"), {{"code", e.recoveryCodes.at(0)}}, pending);
        QCOMPARE(off.status, 403);
        QCOMPARE(off.errorCode(), QStringLiteral("two_factor_required"));
        // Patients are not asked, and cannot enrol.
        const QString pat = http.signIn(QStringLiteral("pat@st.example"));
        QCOMPARE(http.get(QStringLiteral("/v1/conversations"), pat).status, 200);
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor"), {}, pat).status, 403);

        // A lost phone: an administrator (not a clinician) resets it, and the member enrols again.
        const QString resetPath = QStringLiteral("/v1/practices/%1/staff/%2/two-factor").arg(practiceId, leeId);
        const QString adminEnrolled = [&] {
            const Enrolled a = enrol(http, admin);
            return a.secret;
        }();
        QVERIFY(!adminEnrolled.isEmpty());
        QCOMPARE(http.request("DELETE", resetPath, {}, pending).status, 403);
        QCOMPARE(http.request("DELETE", resetPath, {}, admin).status, 204);
        QCOMPARE(http.get(QStringLiteral("/v1/conversations"), pending).errorCode(),
                 QStringLiteral("two_factor_enrolment_required"));
        QCOMPARE(http.request("DELETE",
                              QStringLiteral("/v1/practices/%1/staff/%2/two-factor")
                                  .arg(practiceId, patient.json.value("user").toObject().value("id").toString()),
                              {}, admin)
                     .status,
                 404);

        ServerDatabase db(server.dataDir());
        QStringList actions;
        for (const QVariantList &row : db.rows(QStringLiteral("SELECT action FROM audit_log ORDER BY seq")))
            actions.append(row.at(0).toString());
        QVERIFY(actions.contains(QStringLiteral("two_factor_required")));
        QVERIFY(actions.contains(QStringLiteral("two_factor_reset")));
        QVERIFY(actions.contains(QStringLiteral("practice_settings_changed")));
    }

    void badInput()
    {
        TestServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        HttpClient http(server.baseUrl());
        const QJsonObject p = http.createPractice(QStringLiteral("Input Clinic"), QStringLiteral("in@tf.example"));
        const QString practiceId = p.value("practice").toObject().value("id").toString();
        const QString token = p.value("session").toObject().value("token").toString();
        const QString settings = QStringLiteral("/v1/practices/%1/settings").arg(practiceId);
        for (const QJsonValue &v : {QJsonValue(0), QJsonValue(61), QJsonValue(1.5), QJsonValue(QStringLiteral("15")),
                                    QJsonValue(QJsonValue::Null)}) {
            const HttpReply r = http.request("PATCH", settings, {{"idleLockMinutes", v}}, token);
            QCOMPARE(r.status, 400);
            QVERIFY(!r.json.value("error").toObject().value("message").toString().isEmpty());
        }
        QCOMPARE(http.request("PATCH", settings, {{"twoFactorRequired", "yes"}}, token).status, 400);
        QCOMPARE(
            http.request("PATCH", settings, {{"idleLockMinutes", 60}}, token).json.value("idleLockMinutes").toInt(),
            60);

        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", "123456"}}, token).errorCode(),
                 QStringLiteral("no_enrolment"));
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/confirm"), {}, token).status, 400);
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", 123456}}, token).status, 400);
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", QString(40, u'1')}}, token).status,
                 400);
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/disable"), {{"code", "123456"}}, token).errorCode(),
                 QStringLiteral("not_enabled"));
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"code", "123456"}}).status, 400);
        QCOMPARE(http.post(QStringLiteral("/v1/sessions/two-factor"), {{"challenge", "nope"}, {"code", "123456"}})
                     .errorCode(),
                 QStringLiteral("challenge_expired"));
        QCOMPARE(http.raw("POST", QStringLiteral("/v1/sessions/two-factor"), "{", "application/json").status, 400);
        QCOMPARE(http.raw("POST", QStringLiteral("/v1/sessions/two-factor"), "code=1", "text/plain").status, 415);
        QCOMPARE(http.get(QStringLiteral("/v1/me/two-factor")).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestServerTwoFactor)
#include "tst_server_two_factor.moc"
