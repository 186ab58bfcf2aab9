// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// EpochPlanner on its own: when a new epoch starts, whom its key is sealed to, and what a refusal means.
#include "client/e2ee/EpochPlanner.h"
#include "client/net/ApiError.h"
#include "E2eeUnitScene.h"

#include <QSet>

using namespace larch;
using namespace e2eeunit;

namespace {
/// A staff device sending in the conversation: it holds practice key version 1; the patient has one active device.
struct PlannerScene : Scene {
    Device me = addDevice(staffId);
    Device phone = addDevice(patientId);
    PracticeKey v1 = PracticeKey::generate(1);
    QJsonObject keys = keysJson(0, &v1, {}); ///< what GET …/keys answers
    StandInServer::Reply epochAnswer{201, {}}; ///< what POST …/epochs answers
    KeyRing ring{store.get(), &api};
    DeviceDirectory directory{store.get(), &api};
    EpochPlanner planner{&api, &ring, &directory, nullptr};

    bool answered = false;
    std::optional<EpochPlanner::Ready> ready;
    std::optional<EpochPlanner::Failure> failure;

    PlannerScene()
    {
        ring.start(me.keys, staffId, practiceId, true);
        ring.addPracticeKey(v1);
        serveKeys(&keys);
        server.route("POST", path("/epochs"), [this](const StandInServer::Request &) { return epochAnswer; });
    }
    /// Runs prepare() to its answer; false when none came.
    bool prepare()
    {
        answered = false;
        ready.reset();
        failure.reset();
        planner.prepare(conversationId,
                        [this](const std::optional<EpochPlanner::Ready> &r, const EpochPlanner::Failure &f) {
                            answered = true;
                            ready = r;
                            if (!r)
                                failure = f;
                        });
        return QTest::qWaitFor([this] { return answered; }, Wait);
    }
    QList<StandInServer::Request> epochsPosted() const { return server.received("POST", path("/epochs")); }
};

/// The ids a new epoch's key was sealed to, each grant checked to open to key with that device's secret.
QSet<QString> grantedDevices(const QJsonObject &body, const QList<Device> &devices, const SecretBytes &key)
{
    QSet<QString> ids;
    for (const QJsonValue &v : body.value("deviceGrants").toArray()) {
        const QString id = v["deviceId"].toString();
        for (const Device &d : devices) {
            if (d.id() != id)
                continue;
            const auto opened = openSealed(d.keys.boxPublic, d.keys.boxSecret.bytes(), unb64(v["sealedKey"]));
            if (opened && *opened == key.bytes())
                ids.insert(id);
        }
    }
    return ids;
}
} // namespace

/// EpochPlanner: docs/security.md, "Conversation keys and epochs", decided against a stand-in server and real keys.
class TestEpochPlanner : public QObject {
    Q_OBJECT

private slots:
    void theFirstEpochIsSealedToThePracticeAndEachActivePatientDevice()
    {
        PlannerScene s;
        const Device tablet = s.addDevice(s.patientId);
        s.addDevice(s.patientId, QStringLiteral("pending"));
        s.addDevice(s.patientId, QStringLiteral("revoked"));
        s.addDevice(newId()); // a colleague's device: staff read through the practice key, never a grant
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 1);
        QCOMPARE(s.ready->key.size(), 32);

        QCOMPARE(s.epochsPosted().size(), 1);
        const QJsonObject body = s.epochsPosted().first().json();
        QCOMPARE(body.value("epoch").toInteger(), 1);
        QCOMPARE(body.value("practiceKeyVersion").toInteger(), 1);
        const auto practiceGrant =
            openSealed(s.v1.boxPublic, s.v1.boxSecret.bytes(), unb64(body.value("practiceGrant")));
        QVERIFY(practiceGrant);
        QCOMPARE(*practiceGrant, s.ready->key.bytes());
        QCOMPARE(body.value("deviceGrants").toArray().size(), 2);
        QCOMPARE(grantedDevices(body, s.devices, s.ready->key), (QSet<QString>{s.phone.id(), tablet.id()}));

        // This device holds the new key, and looks at the conversation's keys afresh before the next decision.
        QVERIFY(s.ring.epochKey(s.conversationId, 1));
        QCOMPARE(*s.ring.epochKey(s.conversationId, 1), s.ready->key);
        QVERIFY(!s.ring.conversationState(s.conversationId));
    }

    void theCurrentEpochServesWhileNothingChanged()
    {
        PlannerScene s;
        const SecretBytes k3 = SecretBytes::random(32);
        s.keys = keysJson(3, &s.v1, {epochJson(3, 1, {s.phone.id()}, sealTo(s.v1.boxPublic, k3.bytes()))});
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 3);
        QCOMPARE(s.ready->key, k3);
        QCOMPARE(s.epochsPosted().size(), 0);
        // Asked again with the state held: no round trip at all.
        const int asked = s.server.count("GET", s.path("/keys"));
        QVERIFY(s.prepare());
        QCOMPARE(s.ready->epoch, 3);
        QCOMPARE(s.server.count("GET", s.path("/keys")), asked);
    }

    void aChangeStartsTheNextEpoch_data()
    {
        QTest::addColumn<QString>("change");
        QTest::newRow("the patient added a device") << "added";
        QTest::newRow("a patient device was revoked") << "revoked";
        QTest::newRow("the practice key was rotated") << "rotated";
        QTest::newRow("this device does not hold the current key") << "unheld";
    }
    void aChangeStartsTheNextEpoch()
    {
        QFETCH(QString, change);
        PlannerScene s;
        const SecretBytes k3 = SecretBytes::random(32);
        const PracticeKey v2 = PracticeKey::generate(2);
        QStringList holders{s.phone.id()};
        QByteArray grant = sealTo(s.v1.boxPublic, k3.bytes());
        const PracticeKey *current = &s.v1;
        if (change == "added") {
            s.addDevice(s.patientId);
        } else if (change == "revoked") {
            const Device old = s.addDevice(s.patientId, change);
            holders.append(old.id());
        } else if (change == "rotated") {
            s.ring.addPracticeKey(v2);
            current = &v2;
        } else if (change == "unheld") {
            grant = sealTo(PracticeKey::generate(1).boxPublic, k3.bytes()); // sealed to a key this device lacks
        }
        s.keys = keysJson(3, current, {epochJson(3, 1, holders, grant)});

        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 4);
        QVERIFY(s.ready->key != k3);
        QCOMPARE(s.epochsPosted().size(), 1);
        const QJsonObject body = s.epochsPosted().first().json();
        QCOMPARE(body.value("epoch").toInteger(), 4);
        QCOMPARE(body.value("practiceKeyVersion").toInteger(), current->version);
        QVERIFY(openSealed(current->boxPublic, current->boxSecret.bytes(), unb64(body.value("practiceGrant"))));
        QSet<QString> active;
        for (const Device &d : std::as_const(s.devices)) {
            if (d.userId == s.patientId && d.state == QLatin1String("active"))
                active.insert(d.id());
        }
        QCOMPARE(grantedDevices(body, s.devices, s.ready->key), active);
    }

    void withoutAPracticeKeyNothingIsSent()
    {
        PlannerScene s;
        s.keys = keysJson(0, nullptr, {});
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(s.failure->retryLater);
        QVERIFY(s.failure->sentence.contains(QStringLiteral("encryption key")));
        QCOMPARE(s.epochsPosted().size(), 0);
    }

    void aPracticePublicKeyThatIsNotThePracticesIsRefused()
    {
        PlannerScene s;
        PracticeKey impostor = PracticeKey::generate(1); // the server lists version 1 with another public key
        s.keys = keysJson(0, &impostor, {});
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(!s.failure->retryLater); // waiting does not make a wrong key right
        QVERIFY(s.failure->sentence.contains(QStringLiteral("does not belong to the practice")));
        QCOMPARE(s.epochsPosted().size(), 0);
    }

    void aConflictLooksAgainAndTakesTheEpochSomeoneElseStarted()
    {
        PlannerScene s;
        const SecretBytes theirs = SecretBytes::random(32);
        s.server.route("POST", s.path("/epochs"), [&](const StandInServer::Request &) {
            // A colleague started epoch 1 a moment earlier.
            s.keys = keysJson(1, &s.v1, {epochJson(1, 1, {s.phone.id()}, sealTo(s.v1.boxPublic, theirs.bytes()))});
            return StandInServer::Reply{409, {{"error", QJsonObject{{"code", "epoch_conflict"}}}}};
        });
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 1);
        QCOMPARE(s.ready->key, theirs);
        QCOMPARE(s.epochsPosted().size(), 1);
        QCOMPARE(s.server.count("GET", s.path("/keys")), 2);
    }

    void aPatientWhoseNewEpochKeepsConflictingSealsUnderTheEpochItHolds()
    {
        PlannerScene s;
        // The patient's phone; the practice rotated its key, which only staff can act on.
        s.ring.start(s.phone.keys, s.patientId, s.practiceId, false);
        const SecretBytes k1 = SecretBytes::random(32);
        const PracticeKey v2 = PracticeKey::generate(2);
        s.keys = keysJson(1, &v2, {epochJson(1, 1, {s.phone.id()}, sealTo(s.phone.keys.boxPublic, k1.bytes()))});
        s.epochAnswer = {409, {{"error", QJsonObject{{"code", "epoch_conflict"}}}}};
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 1);
        QCOMPARE(s.ready->key, k1);
        QCOMPARE(s.epochsPosted().size(), 4); // every attempt tried before settling
    }

    void refusalsSayWhetherWaitingHelps_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryLater");
        QTest::newRow("device not approved yet (403)") << 403 << true;
        QTest::newRow("server trouble (503)") << 503 << true;
        QTest::newRow("a bad request (400)") << 400 << false;
    }
    void refusalsSayWhetherWaitingHelps()
    {
        QFETCH(int, status);
        QFETCH(bool, retryLater);
        PlannerScene s;
        s.epochAnswer = {status, {{"error", QJsonObject{{"code", "refused"}, {"message", "Refused."}}}}};
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QCOMPARE(s.failure->retryLater, retryLater);
        QVERIFY(!s.failure->sentence.isEmpty());
        QVERIFY(!s.ring.epochKey(s.conversationId, 1)); // a key the server did not take is not kept
    }

    void anUnreachableServerWaits()
    {
        PlannerScene s;
        s.server.route("GET", s.path("/keys"), [](const StandInServer::Request &) {
            return StandInServer::Reply{503, {}};
        });
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(s.failure->retryLater);
        QCOMPARE(s.failure->sentence, ErrorText::unreachable());
        QCOMPARE(s.epochsPosted().size(), 0);
    }
};

std::unique_ptr<QObject> newEpochPlannerTest() { return std::make_unique<TestEpochPlanner>(); }

#include "tst_epoch_planner.moc"
