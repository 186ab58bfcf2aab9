// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Two-factor sign-in and the idle lock in the whole app against the real larch-server (--demo): an administrator
// requires two-factor sign-in and is led to enrol at once, a clinician enrols at sign-in before anything opens, the
// code step of sign-in (a wrong code, then a recovery code), codes from oathtool as an authenticator app makes
// them; the lock after idle time, unlocking with the password or the device's PIN, and signing out after too many
// wrong tries.
#include "AppTestKit.h"
#include "client/store/LocalStore.h"
#include "models/security/IdleLock.h"
#include "models/security/SecurityPolicy.h"
#include "models/security/TwoFactorSetup.h"
#include "TestServer.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace larch;
using namespace testkit;

namespace {

const QString Password = QStringLiteral("larch-demo-password");

/// The code an authenticator app shows for the otpauth:// uri, offsetSteps 30-second steps from now.
QString codeFor(const QString &uri, int offsetSteps = 0)
{
    const QString secret = QRegularExpression(QStringLiteral("secret=([A-Z2-7]+)")).match(uri).captured(1);
    QProcess p;
    p.start(QStringLiteral("oathtool"),
            {QStringLiteral("--totp"), QStringLiteral("--base32"),
             QStringLiteral("--now=@%1").arg(QDateTime::currentSecsSinceEpoch() + 30 * qint64(offsetSteps)), secret});
    if (!p.waitForFinished(10000) || p.exitCode() != 0)
        return {};
    return QString::fromLatin1(p.readAllStandardOutput()).trimmed();
}

/// Walks enrolment through: start, the first code, the recovery codes kept. Returns the otpauth:// uri.
QString enrol(TwoFactorSetup &setup, QStringList *recoveryCodes)
{
    if (setup.step() != TwoFactorSetup::Scan)
        setup.start();
    if (!QTest::qWaitFor([&] { return setup.step() == TwoFactorSetup::Scan && !setup.busy(); }, NetworkWait))
        return {};
    const QString uri = setup.uri();
    setup.confirm(codeFor(uri));
    if (!QTest::qWaitFor([&] { return setup.step() == TwoFactorSetup::RecoveryCodes; }, NetworkWait))
        return {};
    *recoveryCodes = setup.recoveryCodes();
    setup.done();
    return uri;
}

} // namespace

class TestAppSignInSecurity : public QObject {
    Q_OBJECT

    QTemporaryDir m_serverDir, m_anaDir, m_benDir;
    TestServer m_server{m_serverDir.path()};

private slots:
    void initTestCase() { QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error())); }

    void requiringTwoFactorLeadsEveryoneToEnrol()
    {
        auto ana = signedInApp(m_anaDir.path(), m_server.baseUrl(), QStringLiteral("ana@birch.example"));
        QVERIFY(ana->session()->signedIn());
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->online(); }, NetworkWait));

        // The administrator requires it: her own app leads her to enrol at once (the server closed her socket).
        QSignalSpy saved(ana->policy(), &SecurityPolicy::saved);
        ana->policy()->save(true, 20);
        QVERIFY(saved.wait(NetworkWait));
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->enrolmentRequired(); }, NetworkWait));
        QCOMPARE(ana->lock()->idleMinutes(), 20);
        QStringList codes;
        const QString uri = enrol(*ana->twoFactor(), &codes);
        QVERIFY(uri.startsWith(QStringLiteral("otpauth://totp/Larch:ana@birch.example?")));
        QCOMPARE(codes.size(), 10);
        QVERIFY(!ana->session()->enrolmentRequired());
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->online(); }, NetworkWait));

        // Signing in again takes a code; a wrong one says so and keeps the step; a recovery code works.
        ana->session()->signOut();
        ana->session()->signIn(QStringLiteral("ana@birch.example"), Password);
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->codeNeeded(); }, NetworkWait));
        QVERIFY(!ana->session()->signedIn());
        ana->session()->submitCode(QStringLiteral("000000"));
        QVERIFY(QTest::qWaitFor([&] { return !ana->session()->busy(); }, NetworkWait));
        QVERIFY(ana->session()->signInError().contains(QStringLiteral("code is not right")));
        QVERIFY(ana->session()->codeNeeded());
        ana->session()->submitCode(codes.at(2));
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->signedIn(); }, NetworkWait));
        QVERIFY(!ana->session()->codeNeeded());
        QVERIFY(QTest::qWaitFor([&] { return ana->session()->online(); }, NetworkWait));

        // A clinician without it: enrolment comes before anything else, then the session starts.
        auto ben = std::make_unique<AppController>(m_benDir.path());
        ben->session()->setServerUrl(m_server.baseUrl());
        ben->session()->signIn(QStringLiteral("ben@birch.example"), Password);
        QVERIFY(QTest::qWaitFor([&] { return ben->session()->enrolmentRequired(); }, NetworkWait));
        QVERIFY(!ben->session()->signedIn());
        QStringList benCodes;
        QVERIFY(!enrol(*ben->twoFactor(), &benCodes).isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return ben->session()->signedIn(); }, NetworkWait));
        QVERIFY(QTest::qWaitFor([&] { return ben->session()->online(); }, NetworkWait));
        // It cannot be turned off while the practice requires it.
        ben->twoFactor()->refresh();
        QVERIFY(QTest::qWaitFor([&] { return !ben->twoFactor()->busy(); }, NetworkWait));
        QVERIFY(ben->twoFactor()->enabled());
        QVERIFY(ben->twoFactor()->required());
        ben->twoFactor()->disable(benCodes.at(0));
        QVERIFY(QTest::qWaitFor([&] { return !ben->twoFactor()->busy(); }, NetworkWait));
        QVERIFY(ben->twoFactor()->error().contains(QStringLiteral("requires")));
        QVERIFY(ben->twoFactor()->enabled());

        // Back to optional, so the lock tests below sign in with the password alone.
        ana->policy()->save(false, 15);
        QVERIFY(saved.wait(NetworkWait));
    }

    void lockHidesAndUnlocks()
    {
        QTemporaryDir dir;
        auto app = signedInApp(dir.path(), m_server.baseUrl(), QStringLiteral("sam@patient.example"));
        QVERIFY(app->session()->signedIn());
        IdleLock *lock = app->lock();
        // The password is kept only as an Argon2id hash.
        const QString hash = app->store()->setting(QStringLiteral("lockPasswordHash"));
        QVERIFY2(hash.startsWith(QStringLiteral("$argon2id$")), qPrintable(hash));
        QVERIFY(!hash.contains(Password));

        lock->setIdleLimitMsForTest(150);
        QVERIFY(QTest::qWaitFor([&] { return lock->locked(); }, NetworkWait));
        QVERIFY(!lock->unlocksWithPin());
        QVERIFY(!lock->unlock(QStringLiteral("not the password")));
        QVERIFY(lock->error().contains(QStringLiteral("9 tries left")));
        QVERIFY(lock->locked());
        // Messages keep arriving underneath: the session stays connected while locked.
        QVERIFY(app->session()->online());
        lock->setIdleLimitMsForTest(0);
        QVERIFY(lock->unlock(Password));
        QVERIFY(!lock->locked());
        QVERIFY(lock->error().isEmpty());

        // At phone size a PIN set on the device unlocks instead; a short or non-digit PIN is refused.
        lock->setPhoneMode(true);
        QVERIFY(!lock->setPin(QStringLiteral("12")));
        QVERIFY(!lock->setPin(QStringLiteral("12ab")));
        QVERIFY(lock->setPin(QStringLiteral("2468")));
        QVERIFY(!app->store()->setting(QStringLiteral("lockPinHash")).contains(QStringLiteral("2468")));
        lock->lockNow();
        QVERIFY(lock->locked());
        QVERIFY(lock->unlocksWithPin());
        QVERIFY(!lock->unlock(Password));
        QVERIFY(lock->unlock(QStringLiteral("2468")));

        // Ten wrong tries sign out, and the sign-in page says why.
        lock->lockNow();
        for (int i = 0; i < IdleLock::MaxWrongTries; ++i)
            QVERIFY(!lock->unlock(QStringLiteral("0000")));
        QVERIFY(QTest::qWaitFor([&] { return !app->session()->signedIn(); }, NetworkWait));
        QVERIFY(app->session()->signInError().contains(QStringLiteral("Too many wrong tries")));
        QVERIFY(!lock->locked());
        QVERIFY(app->store()->setting(QStringLiteral("lockPinHash")).isEmpty());
    }
};

QTEST_MAIN(TestAppSignInSecurity)
#include "tst_app_sign_in_security.moc"
