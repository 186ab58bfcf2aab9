// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// SecurityStorage: enrolment, one use per TOTP step and recovery code, challenges, and the practice's policy.
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// SecurityStorage conformance, against the interface alone.
class TestSecurityStorage : public QObject {
    Q_OBJECT

private slots:
    void enrolmentAndCodes()
    {
        const auto store = openFreshStorage();
        const Scene scene = makeScene(*store);
        SecurityStorage &sec = store->security();
        const QString id = scene.clinician.id;
        QVERIFY(!sec.twoFactor(id));
        QVERIFY(sec.beginTwoFactor(id, "sealed-1", 10));
        QVERIFY(sec.beginTwoFactor(id, "sealed-2", 11)); // restarting replaces a pending secret
        QCOMPARE(sec.twoFactor(id)->sealedSecret, QByteArray("sealed-2"));
        QCOMPARE(sec.twoFactor(id)->enabledAt, 0);
        QVERIFY(!sec.useTotpStep(id, 5)); // nothing is on yet
        QVERIFY(sec.enableTwoFactor(id, 100, {"d1", "d2", "d3"}, 20));
        QVERIFY(!sec.enableTwoFactor(id, 101, {"d9"}, 21)); // once
        QVERIFY(!sec.beginTwoFactor(id, "sealed-3", 22)); // on: a new secret needs turning it off first
        QCOMPARE(sec.twoFactor(id)->enabledAt, 20);
        QCOMPARE(sec.twoFactor(id)->lastStep, 100);
        QVERIFY(!sec.useTotpStep(id, 100));
        QVERIFY(!sec.useTotpStep(id, 99));
        QVERIFY(sec.useTotpStep(id, 101));
        QVERIFY(!sec.useTotpStep(id, 101));
        QCOMPARE(sec.recoveryCodesLeft(id), 3);
        QVERIFY(sec.useRecoveryCode(id, "d2", 30));
        QVERIFY(!sec.useRecoveryCode(id, "d2", 31));
        QVERIFY(!sec.useRecoveryCode(id, "dX", 31));
        QVERIFY(!sec.useRecoveryCode(scene.admin.id, "d1", 31)); // another user's code
        QCOMPARE(sec.recoveryCodesLeft(id), 2);
        sec.replaceRecoveryCodes(id, {"e1"});
        QVERIFY(!sec.useRecoveryCode(id, "d1", 32));
        QCOMPARE(sec.recoveryCodesLeft(id), 1);
        sec.removeTwoFactor(id);
        QVERIFY(!sec.twoFactor(id));
        QCOMPARE(sec.recoveryCodesLeft(id), 0);
    }

    void challenges()
    {
        const auto store = openFreshStorage();
        const Scene scene = makeScene(*store);
        SecurityStorage &sec = store->security();
        sec.createChallenge("c1", TwoFactorChallenge{scene.admin.id, 100, 0}, 50);
        sec.createChallenge("c2", TwoFactorChallenge{scene.admin.id, 200, 0}, 60);
        QCOMPARE(sec.challenge("c1")->userId, scene.admin.id);
        QCOMPARE(sec.failChallenge("c1"), 1);
        QCOMPARE(sec.failChallenge("c1"), 2);
        QCOMPARE(sec.challenge("c1")->attempts, 2);
        sec.removeChallenge("c1");
        QVERIFY(!sec.challenge("c1"));
        QCOMPARE(sec.failChallenge("nope"), 0);
        // Expired ones go when the next is made.
        sec.createChallenge("c3", TwoFactorChallenge{scene.admin.id, 400, 0}, 300);
        QVERIFY(!sec.challenge("c2"));
        QVERIFY(sec.challenge("c3"));
    }

    void practicePolicy()
    {
        const auto store = openFreshStorage();
        const Scene scene = makeScene(*store);
        SecurityStorage &sec = store->security();
        const QString practiceId = scene.practice.id;
        QCOMPARE(sec.practicePolicy(practiceId).twoFactorRequired, false);
        QCOMPARE(sec.practicePolicy(practiceId).idleLockMinutes, 15);
        QVERIFY(!sec.mustEnrolTwoFactor(scene.clinician.id, practiceId));
        QCOMPARE(sec.practicePolicy(practiceId).patientsMayCall, false);
        sec.setPracticePolicy(practiceId, PracticePolicy{true, 30, true});
        QCOMPARE(sec.practicePolicy(practiceId).idleLockMinutes, 30);
        QCOMPARE(sec.practicePolicy(practiceId).patientsMayCall, true);
        QVERIFY(sec.mustEnrolTwoFactor(scene.clinician.id, practiceId));
        QVERIFY(sec.beginTwoFactor(scene.clinician.id, "s", 1));
        QVERIFY(sec.mustEnrolTwoFactor(scene.clinician.id, practiceId)); // pending is not on
        QVERIFY(sec.enableTwoFactor(scene.clinician.id, 1, {}, 2));
        QVERIFY(!sec.mustEnrolTwoFactor(scene.clinician.id, practiceId));
        QVERIFY(sec.mustEnrolTwoFactor(scene.admin.id, practiceId));
    }
};

LARCH_STORAGE_TEST(TestSecurityStorage)
#include "tst_storage_security.moc"
