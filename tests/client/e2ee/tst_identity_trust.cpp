// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// What the practice identity decides before sealing: which practice keys and epochs a device seals under, and what it
// signs, against a stand-in server that lists what a dishonest server could.
#include "client/e2ee/EpochPlanner.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "core/crypto/PracticeIdentity.h"
#include "E2eeUnitScene.h"

#include <QSignalSpy>

using namespace larch;
using namespace e2eeunit;

namespace {

/// One device of the conversation, a patient's or a staff member's, deciding with the practice's identity version 1
/// listed; the patient has pinned it already.
struct TrustScene : Scene {
    Device phone = addDevice(patientId);
    Device desk = addDevice(staffId);
    PracticeKey v1 = PracticeKey::generate(1);
    PracticeIdentityKey identity = PracticeIdentityKey::generate(1);
    QJsonObject keys; ///< what GET …/keys answers
    KeyRing ring{store.get(), &api};
    PracticeIdentityPins pins{store.get()};
    DeviceDirectory directory{store.get(), &api};
    EpochPlanner planner{&api, &ring, &directory, nullptr};
    std::optional<EpochPlanner::Ready> ready;
    std::optional<EpochPlanner::Failure> failure;

    explicit TrustScene(bool staff = false)
    {
        if (staff) {
            ring.start(desk.keys, staffId, practiceId, true);
            ring.addPracticeKey(v1);
            ring.addIdentityKey(identity);
        } else {
            ring.start(phone.keys, patientId, practiceId, false);
            ring.setPins(&pins);
            PracticePin pin;
            pin.practiceId = practiceId;
            pin.practiceName = QStringLiteral("Birch Family Medicine");
            pin.version = 1;
            pin.publicKey = identity.signPublic;
            store->keys().savePin(pin);
        }
        keys = withIdentity(keysJson(0, &v1, {}), identity.sign(practiceKeyStatement()));
        serveKeys(&keys);
        server.route("POST", path("/epochs"), [](const StandInServer::Request &) {
            return StandInServer::Reply{201, {}};
        });
    }
    QByteArray practiceKeyStatement() const { return IdentityStatement::practiceKey(practiceId, 1, v1.boxPublic, 1); }
    /// keys with the practice identity listed and the practice key signed by signature.
    QJsonObject withIdentity(QJsonObject k, const QByteArray &signature) const
    {
        QJsonObject practice = k.value("practiceKey").toObject();
        practice.insert("identityVersion", 1);
        practice.insert("signature", b64(signature));
        k.insert("practiceKey", practice);
        k.insert("practiceIdentity",
                 QJsonObject{{"practiceId", practiceId},
                             {"practiceName", "Birch Family Medicine"},
                             {"versions",
                              QJsonArray{QJsonObject{{"version", 1},
                                                     {"publicKey", b64(identity.signPublic)},
                                                     {"rotationSignature", QJsonValue()}}}}});
        return k;
    }
    /// Epoch 1 with key, sealed to the practice and the phone, signed as given (identityVersion 0: by createdBy).
    QJsonObject epoch(const SecretBytes &key, const QByteArray &signature, qint64 identityVersion,
                      const QString &createdBy) const
    {
        const QByteArray grant =
            ring.isStaff() ? sealTo(v1.boxPublic, key.bytes()) : sealTo(phone.keys.boxPublic, key.bytes());
        QJsonObject e = epochJson(1, 1, {phone.id()}, grant);
        e.insert("createdByDevice", createdBy);
        e.insert("identityVersion", identityVersion > 0 ? QJsonValue(identityVersion) : QJsonValue());
        e.insert("signature", signature.isEmpty() ? QJsonValue() : QJsonValue(b64(signature)));
        return e;
    }
    void serveEpoch(const QJsonObject &e)
    {
        keys.insert("currentEpoch", 1);
        keys.insert("epochs", QJsonArray{e});
    }
    QByteArray statement(const SecretBytes &key) const
    {
        return IdentityStatement::epoch(conversationId, 1, 1, key.bytes());
    }
    bool prepare()
    {
        bool answered = false;
        ready.reset();
        failure.reset();
        planner.prepare(conversationId,
                        [this, &answered](const std::optional<EpochPlanner::Ready> &r, const EpochPlanner::Failure &f) {
                            answered = true;
                            ready = r;
                            if (!r)
                                failure = f;
                        });
        return QTest::qWaitFor([&] { return answered; }, Wait);
    }
    QList<StandInServer::Request> epochsPosted() const { return server.received("POST", path("/epochs")); }
};

} // namespace

/// The practice identity in EpochPlanner: docs/security.md, "Practice identity pinning".
class TestIdentityTrust : public QObject {
    Q_OBJECT

private slots:
    void anEpochThePinnedIdentitySignedIsUsed()
    {
        TrustScene s;
        const SecretBytes k = SecretBytes::random(32);
        s.serveEpoch(s.epoch(k, s.identity.sign(s.statement(k)), 1, s.desk.id()));
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 1);
        QCOMPARE(s.epochsPosted().size(), 0);
    }

    void anEpochTheServerMadeUpIsNotUsed_data()
    {
        QTest::addColumn<QString>("forgery");
        QTest::newRow("unsigned") << "unsigned";
        QTest::newRow("signed by another identity") << "other identity";
        QTest::newRow("the identity's signature of another key") << "other key";
        QTest::newRow("signed by a staff device, not the identity") << "staff device";
    }
    void anEpochTheServerMadeUpIsNotUsed()
    {
        // The server can seal a key of its own choosing to the phone's public key; only a signature tells it apart.
        QFETCH(QString, forgery);
        TrustScene s;
        const SecretBytes k = SecretBytes::random(32);
        QByteArray signature;
        qint64 identityVersion = 1;
        if (forgery == "other identity")
            signature = PracticeIdentityKey::generate(1).sign(s.statement(k));
        else if (forgery == "other key")
            signature = s.identity.sign(s.statement(SecretBytes::random(32)));
        else if (forgery == "staff device") {
            signature = IdentityStatement::signWithDevice(s.desk.keys.signSecret.bytes(), s.statement(k));
            identityVersion = 0;
        }
        s.serveEpoch(s.epoch(k, signature, identityVersion, s.desk.id()));
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 2);
        QVERIFY(s.ready->key != k);
        // The phone started epoch 2 itself and signed it with its own device key.
        QCOMPARE(s.epochsPosted().size(), 1);
        const QJsonObject body = s.epochsPosted().first().json();
        QVERIFY(body.value("identityVersion").isUndefined());
        QVERIFY(IdentityStatement::verify(s.phone.keys.signPublic,
                                          IdentityStatement::epoch(s.conversationId, 2, 1, s.ready->key.bytes()),
                                          unb64(body.value("signature"))));
    }

    void anEpochThePatientsOwnDeviceSignedIsUsed()
    {
        TrustScene s;
        const SecretBytes k = SecretBytes::random(32);
        s.serveEpoch(s.epoch(k, IdentityStatement::signWithDevice(s.phone.keys.signSecret.bytes(), s.statement(k)), 0,
                             s.phone.id()));
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        QCOMPARE(s.ready->epoch, 1);
        QCOMPARE(s.epochsPosted().size(), 0);
    }

    void aPracticeKeyThePinnedIdentityDidNotSignIsRefused()
    {
        TrustScene s;
        // The server lists a practice key of its own, signed by a key that is not the practice's.
        s.keys =
            s.withIdentity(keysJson(0, &s.v1, {}), PracticeIdentityKey::generate(1).sign(s.practiceKeyStatement()));
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(s.failure->sentence.contains(QStringLiteral("did not sign")));
        QCOMPARE(s.epochsPosted().size(), 0);
    }

    void aChangedIdentityHoldsEverythingAndIsRecordedOnce()
    {
        TrustScene s;
        QSignalSpy changed(&s.pins, &PracticeIdentityPins::changed);
        const PracticeIdentityKey other = PracticeIdentityKey::generate(1);
        s.identity = other; // the server lists another version 1 (and a key it signed)
        s.keys = s.withIdentity(keysJson(0, &s.v1, {}), other.sign(s.practiceKeyStatement()));
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(s.failure->retryLater);
        QVERIFY(s.failure->sentence.contains(QStringLiteral("Birch Family Medicine's security identity changed")));
        QCOMPARE(s.epochsPosted().size(), 0);
        QCOMPARE(changed.count(), 1);
        QVERIFY(s.pins.isChanged(s.practiceId));
        s.ring.invalidateAll();
        QVERIFY(s.prepare());
        QCOMPARE(changed.count(), 1);
        // Accepting it pins it, and the next message goes under it.
        QVERIFY(s.pins.accept(s.practiceId, false));
        QCOMPARE(s.pins.pin(s.practiceId)->publicKey, other.signPublic);
        s.ring.invalidateAll();
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
    }

    void aPatientWhoJoinedWithAFingerprintTrustsOnlyThatIdentity()
    {
        TrustScene s;
        s.store->clearAccountData(); // nothing pinned yet: a new patient
        s.store->conversations().upsert(s.conversation());
        s.pins.expect(s.conversationId, IdentityFingerprint::of(PracticeIdentityKey::generate(1).signPublic));
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QVERIFY(s.pins.pin(s.practiceId)->offeredMismatch);
        QCOMPARE(s.pins.pin(s.practiceId)->version, 0);
        // A server that then lists no identity at all is not taken at its word either.
        s.keys.remove("practiceIdentity");
        s.ring.invalidateAll();
        QVERIFY(s.prepare());
        QVERIFY(!s.ready);
        QCOMPARE(s.epochsPosted().size(), 0);
        // The fingerprint of the listed identity: pinned and marked verified.
        TrustScene t;
        t.store->clearAccountData();
        t.store->conversations().upsert(t.conversation());
        t.pins.expect(t.conversationId, IdentityFingerprint::of(t.identity.signPublic));
        QVERIFY(t.prepare());
        QVERIFY(t.ready);
        QVERIFY(t.pins.pin(t.practiceId)->verified);
    }

    void staffSignNewEpochsWithThePracticeIdentity()
    {
        TrustScene s(true);
        QVERIFY(s.load(s.directory));
        QVERIFY(s.prepare());
        QVERIFY(s.ready);
        const QJsonObject body = s.epochsPosted().first().json();
        QCOMPARE(body.value("identityVersion").toInteger(), 1);
        QVERIFY(IdentityStatement::verify(s.identity.signPublic,
                                          IdentityStatement::epoch(s.conversationId, 1, 1, s.ready->key.bytes()),
                                          unb64(body.value("signature"))));
    }

    void staffTakeAnEpochThePatientsDeviceSignedButNotAnotherDevices()
    {
        TrustScene s(true);
        const SecretBytes k = SecretBytes::random(32);
        s.serveEpoch(s.epoch(k, IdentityStatement::signWithDevice(s.phone.keys.signSecret.bytes(), s.statement(k)), 0,
                             s.phone.id()));
        QVERIFY(s.prepare());
        QCOMPARE(s.ready->epoch, 1);
        // A colleague's device is no patient device: an epoch it signed (not as the identity) is not taken.
        TrustScene t(true);
        const SecretBytes k2 = SecretBytes::random(32);
        t.serveEpoch(t.epoch(k2, IdentityStatement::signWithDevice(t.desk.keys.signSecret.bytes(), t.statement(k2)), 0,
                             t.desk.id()));
        QVERIFY(t.prepare());
        QCOMPARE(t.ready->epoch, 2);
    }
};

std::unique_ptr<QObject> newIdentityTrustTest() { return std::make_unique<TestIdentityTrust>(); }

#include "tst_identity_trust.moc"
