// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// KeyRing on its own: which grants it opens, what it keeps encrypted across a restart, the recovery backup.
#include "client/e2ee/KeyRing.h"
#include "E2eeUnitScene.h"
#include "ServerFiles.h"

#include <QJsonDocument>
#include <QSignalSpy>

using namespace larch;
using namespace e2eeunit;

namespace {
/// A ring started for a device of the scene (staff hold practice keys; patients open grants with their own key).
std::unique_ptr<KeyRing> startedRing(Scene &s, const Device &device, bool staff)
{
    auto ring = std::make_unique<KeyRing>(s.store.get(), &s.api);
    ring->start(device.keys, device.userId, s.practiceId, staff);
    return ring;
}
} // namespace

/// KeyRing: the conversation and practice keys a device holds, opened from real sealed grants.
class TestKeyRing : public QObject {
    Q_OBJECT

private slots:
    void anEpochKeyIsHeldOnceAndOnlyAt32Bytes()
    {
        Scene s;
        const Device me = s.addDevice(s.patientId);
        auto ring = startedRing(s, me, false);
        QSignalSpy added(ring.get(), &KeyRing::keysAdded);
        const SecretBytes key = SecretBytes::random(32);

        ring->addEpochKey(s.conversationId, 1, key);
        QVERIFY(ring->epochKey(s.conversationId, 1));
        QCOMPARE(*ring->epochKey(s.conversationId, 1), key);
        QCOMPARE(added.size(), 1);
        QCOMPARE(added.first().first().toString(), s.conversationId);
        ring->addEpochKey(s.conversationId, 1, key); // known already: no news
        QCOMPARE(added.size(), 1);
        ring->addEpochKey(s.conversationId, 2, SecretBytes::random(16)); // not a conversation key
        QVERIFY(!ring->epochKey(s.conversationId, 2));
        QCOMPARE(added.size(), 1);
        QCOMPARE(ring->heldEpochs(s.conversationId), QList<qint64>{1});
        QVERIFY(!ring->epochKey(newId(), 1)); // another conversation's epoch 1 is another key
    }

    void keysSurviveARestartOnlyUnderTheSameStorageKey()
    {
        Scene s;
        const Device me = s.addDevice(s.staffId);
        const SecretBytes key = SecretBytes::random(32);
        const PracticeKey practice = PracticeKey::generate(1);
        {
            auto ring = startedRing(s, me, true);
            ring->addEpochKey(s.conversationId, 3, key);
            ring->addPracticeKey(practice);
            ring->stop(); // sign-out forgets what is in memory
            QVERIFY(!ring->epochKey(s.conversationId, 3));
        }
        s.store.reset();
        // Cached encrypted: neither key is on the disk as it is.
        const QByteArray disk = testkit::bytesUnder(s.dir.path());
        QVERIFY(!disk.isEmpty());
        QVERIFY(!disk.contains(key.bytes()));
        QVERIFY(!disk.contains(practice.boxSecret.bytes()));

        s.store = std::make_unique<LocalStore>(s.dir.path());
        QVERIFY(s.store->open());
        QVERIFY(s.store->setStorageKey(s.storageKey));
        auto restarted = startedRing(s, me, true);
        QVERIFY(restarted->epochKey(s.conversationId, 3));
        QCOMPARE(*restarted->epochKey(s.conversationId, 3), key);
        QVERIFY(restarted->practiceKey(1));
        QCOMPARE(restarted->practiceKey(1)->boxSecret, practice.boxSecret);
        QCOMPARE(restarted->practiceKey(1)->boxPublic, practice.boxPublic);
        restarted.reset();

        // A replaced keychain entry (another storage key) cannot read the cache: nothing is held.
        s.store = std::make_unique<LocalStore>(s.dir.path());
        QVERIFY(s.store->open());
        QVERIFY(!s.store->setStorageKey(SecretBytes::random(32)));
        auto other = startedRing(s, me, true);
        QVERIFY(!other->epochKey(s.conversationId, 3));
        QVERIFY(!other->practiceKey(1));
    }

    void aPatientDeviceOpensOnlyGrantsSealedToItself()
    {
        Scene s;
        const Device me = s.addDevice(s.patientId);
        const Device other = s.addDevice(s.patientId);
        const PracticeKey practice = PracticeKey::generate(1);
        const SecretBytes mine = SecretBytes::random(32);
        const SecretBytes theirs = SecretBytes::random(32);
        // Listed out of order: the ring keeps them newest first.
        const QJsonObject keys =
            keysJson(4, &practice,
                     {epochJson(2, 1, {other.id()}, sealTo(other.keys.boxPublic, theirs.bytes())),
                      epochJson(4, 1, {me.id()}), // no grant for this device
                      epochJson(1, 1, {me.id(), other.id()}, sealTo(me.keys.boxPublic, mine.bytes())),
                      epochJson(3, 1, {me.id()}, sealTo(me.keys.boxPublic, QByteArray(16, 'k')))}); // not a 32-byte key
        s.serveKeys(&keys);
        auto ring = startedRing(s, me, false);
        QSignalSpy added(ring.get(), &KeyRing::keysAdded);

        QVERIFY(s.refresh(*ring));
        QVERIFY(ring->epochKey(s.conversationId, 1));
        QCOMPARE(*ring->epochKey(s.conversationId, 1), mine);
        QVERIFY(!ring->epochKey(s.conversationId, 2));
        QVERIFY(!ring->epochKey(s.conversationId, 3));
        QVERIFY(!ring->epochKey(s.conversationId, 4));
        QCOMPARE(added.size(), 1);

        const ConversationKeyState *state = ring->conversationState(s.conversationId);
        QVERIFY(state);
        QCOMPARE(state->currentEpoch, 4);
        QCOMPARE(state->practiceKeyVersion, 1);
        QCOMPARE(state->practicePublic, practice.boxPublic);
        QList<qint64> order;
        for (const EpochInfo &e : state->epochs)
            order.append(e.epoch);
        QCOMPARE(order, (QList<qint64>{4, 3, 2, 1}));
        QCOMPARE(state->epochs.last().deviceIds, (QStringList{me.id(), other.id()}));
    }

    void refreshesAtTheSameTimeShareOneRequest()
    {
        Scene s;
        const Device me = s.addDevice(s.patientId);
        const QJsonObject keys = keysJson(0, nullptr, {});
        s.serveKeys(&keys);
        auto ring = startedRing(s, me, false);
        int answered = 0;
        ring->refreshConversation(s.conversationId, [&](bool ok) { answered += ok; });
        ring->refreshConversation(s.conversationId, [&](bool ok) { answered += ok; });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 2, Wait);
        QCOMPARE(s.server.count("GET", s.path("/keys")), 1);
        // Once answered, the next refresh asks again.
        QVERIFY(s.refresh(*ring));
        QCOMPARE(s.server.count("GET", s.path("/keys")), 2);
    }

    void aFailedRefreshLeavesNoState()
    {
        Scene s;
        const Device me = s.addDevice(s.patientId);
        s.server.route("GET", s.path("/keys"), [](const StandInServer::Request &) {
            return StandInServer::Reply{503, {}};
        });
        auto ring = startedRing(s, me, false);
        QVERIFY(!s.refresh(*ring));
        QVERIFY(!ring->conversationState(s.conversationId));
        QVERIFY(ring->heldEpochs(s.conversationId).isEmpty());
    }

    void staffOpenGrantsThroughThePracticeKeyAndFetchANewVersionOnce()
    {
        Scene s;
        const Device me = s.addDevice(s.staffId);
        const PracticeKey v1 = PracticeKey::generate(1);
        const PracticeKey v2 = PracticeKey::generate(2);
        const SecretBytes k1 = SecretBytes::random(32);
        const SecretBytes k2 = SecretBytes::random(32);
        // Epoch 2 was sealed after a rotation this device has not seen yet.
        const QJsonObject keys = keysJson(2, &v2,
                                          {epochJson(1, 1, {}, sealTo(v1.boxPublic, k1.bytes())),
                                           epochJson(2, 2, {}, sealTo(v2.boxPublic, k2.bytes()))});
        s.serveKeys(&keys);
        const QByteArray practicePath = "/v1/practices/" + s.practiceId.toUtf8() + "/keys";
        s.server.route("GET", practicePath, [&](const StandInServer::Request &) {
            const QJsonArray grants{
                QJsonObject{{"version", 2}, {"sealedKey", b64(sealTo(me.keys.boxPublic, v2.boxSecret.bytes()))}}};
            return StandInServer::Reply{200,
                                        {{"current", QJsonObject{{"version", 2}, {"publicKey", b64(v2.boxPublic)}}},
                                         {"rotationNeeded", false},
                                         {"grants", grants}}};
        });
        auto ring = startedRing(s, me, true);
        ring->addPracticeKey(v1);

        QVERIFY(s.refresh(*ring));
        QCOMPARE(s.server.count("GET", practicePath), 1);
        QVERIFY(ring->practiceKey(2));
        QCOMPARE(ring->practiceKey(2)->boxPublic, v2.boxPublic);
        QCOMPARE(ring->practiceState().currentVersion, 2);
        QVERIFY(ring->epochKey(s.conversationId, 1));
        QCOMPARE(*ring->epochKey(s.conversationId, 1), k1);
        QVERIFY(ring->epochKey(s.conversationId, 2));
        QCOMPARE(*ring->epochKey(s.conversationId, 2), k2);

        // Every version held now: a second refresh does not ask for practice keys again.
        QVERIFY(s.refresh(*ring));
        QCOMPARE(s.server.count("GET", practicePath), 1);
    }

    void practiceKeysAreForStaffAndOnlyFromTheirOwnGrants()
    {
        Scene s;
        const Device staff = s.addDevice(s.staffId);
        const Device colleague = s.addDevice(newId());
        const PracticeKey v1 = PracticeKey::generate(1);
        const QByteArray practicePath = "/v1/practices/" + s.practiceId.toUtf8() + "/keys";
        s.server.route("GET", practicePath, [&](const StandInServer::Request &) {
            // A grant sealed to another staff device: this one cannot open it.
            const QJsonArray grants{QJsonObject{
                {"version", 1}, {"sealedKey", b64(sealTo(colleague.keys.boxPublic, v1.boxSecret.bytes()))}}};
            return StandInServer::Reply{200,
                                        {{"current", QJsonObject{{"version", 1}, {"publicKey", b64(v1.boxPublic)}}},
                                         {"rotationNeeded", true},
                                         {"grants", grants}}};
        });
        auto ring = startedRing(s, staff, true);
        std::optional<bool> ok;
        ring->refreshPracticeKeys([&](bool fetched) { ok = fetched; });
        QTRY_VERIFY_WITH_TIMEOUT(ok.has_value(), Wait);
        QVERIFY(*ok);
        QVERIFY(!ring->practiceKey(1));
        QVERIFY(ring->practiceState().known);
        QCOMPARE(ring->practiceState().currentVersion, 1);
        QVERIFY(ring->practiceState().rotationNeeded);

        // A patient's ring never asks.
        Scene p;
        const Device patient = p.addDevice(p.patientId);
        auto patientRing = startedRing(p, patient, false);
        std::optional<bool> patientOk;
        patientRing->refreshPracticeKeys([&](bool fetched) { patientOk = fetched; });
        QVERIFY(patientOk.has_value()); // answered at once, without a request
        QVERIFY(!*patientOk);
    }

    void aNewPracticeKeyVersionMakesConversationStatesStale()
    {
        Scene s;
        const Device me = s.addDevice(s.staffId);
        const PracticeKey v1 = PracticeKey::generate(1);
        const QJsonObject keys = keysJson(0, &v1, {});
        s.serveKeys(&keys);
        auto ring = startedRing(s, me, true);
        QVERIFY(s.refresh(*ring));
        QVERIFY(ring->conversationState(s.conversationId));

        const PracticeKey v2 = PracticeKey::generate(2);
        ring->setCurrentPracticeKey(v2);
        QVERIFY(!ring->conversationState(s.conversationId)); // new epochs must see version 2 first
        QCOMPARE(ring->practiceState().currentVersion, 2);
        QCOMPARE(ring->practiceState().currentPublic, v2.boxPublic);
        QVERIFY(!ring->practiceState().rotationNeeded);
        QVERIFY(ring->practiceKey(2));
    }

    void aBackupCarriesTheKeysAndImportsOnlyWhatIsNew()
    {
        Scene s;
        const Device me = s.addDevice(s.staffId);
        const QString other = newId();
        const PracticeKey v1 = PracticeKey::generate(1);
        const SecretBytes c1 = SecretBytes::random(32), c2 = SecretBytes::random(32), o1 = SecretBytes::random(32);
        auto ring = startedRing(s, me, true);
        ring->addPracticeKey(v1);
        ring->addEpochKey(s.conversationId, 1, c1);
        ring->addEpochKey(s.conversationId, 2, c2);
        ring->addEpochKey(other, 1, o1);
        const QByteArray backup = ring->exportBackup();
        QCOMPARE(ring->keyNames().size(), 4);

        // A new device of the same person.
        Scene fresh;
        auto restored = startedRing(fresh, me, true);
        QSignalSpy added(restored.get(), &KeyRing::keysAdded);
        QCOMPARE(restored->importBackup(backup), 4);
        QCOMPARE(*restored->epochKey(s.conversationId, 1), c1);
        QCOMPARE(*restored->epochKey(s.conversationId, 2), c2);
        QCOMPARE(*restored->epochKey(other, 1), o1);
        QCOMPARE(restored->practiceKey(1)->boxSecret, v1.boxSecret);
        QStringList announced;
        for (const QList<QVariant> &signal : std::as_const(added))
            announced.append(signal.first().toString());
        announced.sort();
        QStringList expected{QString(), s.conversationId, other};
        expected.sort();
        QCOMPARE(announced, expected);
        QCOMPARE(restored->importBackup(backup), 0); // nothing new the second time

        // Only the keys named go into a partial backup.
        Scene partial;
        auto one = startedRing(partial, me, true);
        QCOMPARE(one->importBackup(ring->exportBackup(
                     {QStringLiteral("e:2:%1").arg(s.conversationId), QStringLiteral("e:9:%1").arg(s.conversationId)})),
                 1);
        QCOMPARE(one->heldEpochs(s.conversationId), QList<qint64>{2});
        QVERIFY(!one->practiceKey(1));

        // What is not a backup is refused; entries that are not keys are skipped.
        QCOMPARE(one->importBackup("not json"), -1);
        QCOMPARE(one->importBackup(R"({"v":2,"epochKeys":[]})"), -1);
        const QJsonObject odd{
            {"v", 1},
            {"epochKeys",
             QJsonArray{QJsonObject{{"conversationId", other}, {"epoch", 0}, {"key", b64(o1.bytes())}},
                        QJsonObject{{"conversationId", other}, {"epoch", 5}, {"key", b64("short")}},
                        QJsonObject{{"conversationId", ""}, {"epoch", 5}, {"key", b64(o1.bytes())}}}}};
        QCOMPARE(one->importBackup(QJsonDocument(odd).toJson()), 0);
        QVERIFY(one->heldEpochs(other).isEmpty());
    }
};

std::unique_ptr<QObject> newKeyRingTest() { return std::make_unique<TestKeyRing>(); }

#include "tst_key_ring.moc"
