// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// KeyHandover on its own: which key requests a staff device answers, and what it seals to the new device.
#include "client/e2ee/KeyHandover.h"
#include "E2eeUnitScene.h"

#include <QSignalSpy>

using namespace larch;
using namespace e2eeunit;

namespace {
/// A staff device holding epochs 1 and 2 of the conversation; the server queues key requests for it to answer.
struct HandoverScene : Scene {
    Device me = addDevice(staffId);
    Device phone = addDevice(patientId);
    PracticeKey v1 = PracticeKey::generate(1);
    SecretBytes k1 = SecretBytes::random(32);
    SecretBytes k2 = SecretBytes::random(32);
    QJsonObject keys = keysJson(3, &v1,
                                {epochJson(1, 1, {}, sealTo(v1.boxPublic, k1.bytes())),
                                 epochJson(2, 1, {}, sealTo(v1.boxPublic, k2.bytes())),
                                 epochJson(3, 1, {})}); // an epoch this device was never granted
    QJsonArray requests; ///< what GET /v1/key-requests answers the first time; nothing after
    StandInServer::Reply handoverAnswer{200, {}};
    KeyRing ring{store.get(), &api};
    DeviceDirectory directory{store.get(), &api};
    KeyHandover handover{store.get(), &api, &ring, &directory};

    HandoverScene()
    {
        ring.start(me.keys, staffId, practiceId, true);
        ring.addPracticeKey(v1);
        ring.addEpochKey(conversationId, 1, k1);
        ring.addEpochKey(conversationId, 2, k2);
        serveKeys(&keys);
        server.route("GET", "/v1/key-requests", [this](const StandInServer::Request &) {
            return StandInServer::Reply{200, {{"requests", std::exchange(requests, {})}}};
        });
        server.route("POST", path("/keys"), [this](const StandInServer::Request &) { return handoverAnswer; });
    }
    void request(const QString &conversation, const QString &deviceId, const QString &userId)
    {
        requests.append(QJsonObject{{"conversationId", conversation}, {"deviceId", deviceId}, {"userId", userId}});
    }
    /// Answers every queued request and waits until the run is over: a second answerAll() during a run makes it
    /// run once more afterwards, so the second look at the requests comes only when every answer is done.
    bool answerEverything()
    {
        handover.answerAll();
        handover.answerAll();
        return QTest::qWaitFor([this] { return server.count("GET", "/v1/key-requests") == 2; }, Wait);
    }
    QList<StandInServer::Request> handovers() const { return server.received("POST", path("/keys")); }
};
} // namespace

/// KeyHandover: a patient's new device gets every epoch key held, and only the patient's own active device does.
class TestKeyHandover : public QObject {
    Q_OBJECT

private slots:
    void thePatientsNewDeviceGetsEveryEpochKeyHeld()
    {
        HandoverScene s;
        const Device tablet = s.addDevice(s.patientId);
        s.request(s.conversationId, tablet.id(), s.patientId);
        QSignalSpy handedOver(&s.handover, &KeyHandover::handedOver);
        QVERIFY(s.answerEverything());

        QCOMPARE(handedOver.size(), 1);
        QCOMPARE(handedOver.first().at(0).toString(), s.conversationId);
        QCOMPARE(handedOver.first().at(1).toString(), tablet.id());
        QCOMPARE(s.handovers().size(), 1);
        const QJsonArray grants = s.handovers().first().json().value("grants").toArray();
        QCOMPARE(grants.size(), 2); // epoch 3 is not held here, so it cannot be handed on
        QHash<qint64, QByteArray> opened;
        for (const QJsonValue &g : grants) {
            QCOMPARE(g["deviceId"].toString(), tablet.id());
            const auto key = openSealed(tablet.keys.boxPublic, tablet.keys.boxSecret.bytes(), unb64(g["sealedKey"]));
            QVERIFY(key);
            opened.insert(g["epoch"].toInteger(), *key);
        }
        QCOMPARE(opened.value(1), s.k1.bytes());
        QCOMPARE(opened.value(2), s.k2.bytes());
        // The conversation's key state changed on the server: it is fetched afresh next time.
        QVERIFY(!s.ring.conversationState(s.conversationId));
    }

    void requestsForAnyOtherDeviceAreRefused_data()
    {
        QTest::addColumn<QString>("whose");
        QTest::newRow("a staff device asked for as the patient's") << "staff";
        QTest::newRow("a device the request says is not the patient's") << "notPatient";
        QTest::newRow("a pending device") << "pending";
        QTest::newRow("a revoked device") << "revoked";
        QTest::newRow("a device the server does not list") << "unlisted";
        QTest::newRow("a conversation this device does not know") << "unknownConversation";
    }
    void requestsForAnyOtherDeviceAreRefused()
    {
        QFETCH(QString, whose);
        HandoverScene s;
        QString conversation = s.conversationId;
        QString deviceId;
        QString userId = s.patientId;
        if (whose == "staff") {
            deviceId = s.addDevice(newId()).id();
        } else if (whose == "notPatient") {
            const QString colleague = newId();
            deviceId = s.addDevice(colleague).id();
            userId = colleague;
        } else if (whose == "pending" || whose == "revoked") {
            deviceId = s.addDevice(s.patientId, whose).id();
        } else if (whose == "unlisted") {
            deviceId = newId();
        } else if (whose == "unknownConversation") {
            deviceId = s.phone.id();
            conversation = newId();
        }
        s.request(conversation, deviceId, userId);
        QSignalSpy handedOver(&s.handover, &KeyHandover::handedOver);
        QVERIFY(s.answerEverything());
        QCOMPARE(handedOver.size(), 0);
        QCOMPARE(s.handovers().size(), 0);
    }

    void aHandoverTheServerRefusesIsNotAnnounced()
    {
        HandoverScene s;
        s.handoverAnswer = {409, {{"error", QJsonObject{{"code", "conflict"}}}}};
        s.request(s.conversationId, s.phone.id(), s.patientId);
        QSignalSpy handedOver(&s.handover, &KeyHandover::handedOver);
        QVERIFY(s.answerEverything());
        QCOMPARE(s.handovers().size(), 1);
        QCOMPARE(handedOver.size(), 0);
    }

    void withNoListedEpochKeyHeldNothingIsSent()
    {
        HandoverScene s;
        // The server lists epochs this device was never granted; the keys it holds are of no listed epoch.
        s.keys = keysJson(5, &s.v1, {epochJson(4, 1, {}), epochJson(5, 1, {})});
        s.request(s.conversationId, s.phone.id(), s.patientId);
        QSignalSpy handedOver(&s.handover, &KeyHandover::handedOver);
        QVERIFY(s.answerEverything());
        QCOMPARE(s.handovers().size(), 0);
        QCOMPARE(handedOver.size(), 0);
    }

    void onlyStaffDevicesAnswer()
    {
        HandoverScene s;
        s.ring.start(s.phone.keys, s.patientId, s.practiceId, false);
        s.request(s.conversationId, s.phone.id(), s.patientId);
        s.handover.answerAll();
        // A request made after it, through the same client, reaches the server; the handover asked for nothing.
        bool answered = false;
        s.api.fetchMe(&s.api, [&](const ApiResult &) { answered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(answered, Wait);
        QCOMPARE(s.server.count("GET", "/v1/key-requests"), 0);
    }
};

std::unique_ptr<QObject> newKeyHandoverTest() { return std::make_unique<TestKeyHandover>(); }

#include "tst_key_handover.moc"
