// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// MessageOpener on its own: genuine, tampered, wrongly keyed, replayed and unknown-sender messages, and what it fetches.
#include "client/e2ee/MessageOpener.h"
#include "E2eeUnitScene.h"

#include <QSignalSpy>

using namespace larch;
using namespace e2eeunit;

namespace {
/// A message as the server hands it out: the envelope sealed by a device with its real keys.
Message sealedMessage(const Scene &s, const Device &from, const QString &senderId, qint64 epoch, const SecretBytes &key,
                      const QString &text, const QString &clientId = newId(), qint64 sentAt = 4000)
{
    static qint64 seq = 0;
    const MessageEnvelope envelope =
        sealMessage(key.bytes(), s.conversationId, epoch, clientId, from.id(), from.keys.signSecret.bytes(), text);
    return Message{newId(),   clientId, s.conversationId, ++seq, senderId, QStringLiteral("Sender"),
                   QString(), sentAt,   envelope.toJson()};
}

/// The patient's device opening what the practice sends: the ring holds epoch 1, the list holds both devices.
struct OpenerScene : Scene {
    Device staff = addDevice(staffId);
    Device patient = addDevice(patientId);
    SecretBytes epoch1 = SecretBytes::random(32);
    KeyRing ring{store.get(), &api};
    DeviceDirectory directory{store.get(), &api};
    MessageOpener opener{store.get(), &ring, &directory};

    OpenerScene()
    {
        ring.start(patient.keys, patientId, practiceId, false);
        ring.addEpochKey(conversationId, 1, epoch1);
    }
    /// What SyncEngine does with a received message: open it with what is held, then store the outcome.
    StoredMessage receive(const Message &m)
    {
        const StoredMessage opened = opener.open(m);
        store->messages().applyMessage(opened, patientId);
        return opened;
    }
    /// The outcome stored for a message.
    StoredMessage stored(const Message &m) const
    {
        return store->messages().messageById(m.id).value_or(StoredMessage{});
    }
};
} // namespace

/// MessageOpener: the checks of docs/security.md, "Messages", with real signatures and keys; one fetch, then final.
class TestMessageOpener : public QObject {
    Q_OBJECT

private slots:
    void aGenuineMessageOpensAtOnce()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const Message m = sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("Your results are in."));
        const StoredMessage opened = s.receive(m);
        QCOMPARE(opened.verification, Verification::Verified);
        QCOMPARE(opened.check, MessageCheck::Ok);
        QCOMPARE(opened.message.body, QStringLiteral("Your results are in."));
        QCOMPARE(s.stored(m).message.body, QStringLiteral("Your results are in."));
        QCOMPARE(s.server.count("GET", s.path("/devices")), 1); // only the first load
    }

    void tamperingIsUnverifiable_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("check");
        QTest::newRow("a signature byte") << "signature" << int(MessageCheck::BadSignature);
        QTest::newRow("a ciphertext byte") << "ciphertext" << int(MessageCheck::BadSignature);
        QTest::newRow("the epoch") << "epoch" << int(MessageCheck::BadSignature);
        QTest::newRow("the client id the server claims") << "clientId" << int(MessageCheck::BadSignature);
        QTest::newRow("the sender the server claims") << "senderId" << int(MessageCheck::UnknownDevice);
    }
    void tamperingIsUnverifiable()
    {
        QFETCH(QString, field);
        QFETCH(int, check);
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        s.ring.addEpochKey(s.conversationId, 2, s.epoch1); // a moved epoch finds a key, and still fails
        Message m = sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("Take two tablets."));
        QJsonObject envelope = *m.envelope;
        auto flip = [&](const char *name) {
            QByteArray bytes = unb64(envelope.value(name));
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
            envelope.insert(name, b64(bytes));
        };
        if (field == "signature" || field == "ciphertext")
            flip(field == "signature" ? "signature" : "ciphertext");
        else if (field == "epoch")
            envelope.insert("epoch", 2);
        else if (field == "clientId")
            m.clientId = newId();
        else if (field == "senderId")
            m.senderId = s.patientId; // the staff device does not speak for the patient
        m.envelope = envelope;

        const StoredMessage opened = s.receive(m);
        QCOMPARE(opened.verification, Verification::Unverifiable);
        QCOMPARE(int(opened.check), check);
        QVERIFY(opened.message.body.isEmpty());
        QVERIFY(s.stored(m).message.body.isEmpty());
    }

    void aMessageUnderAnotherKeyOfItsEpochIsUnverifiable()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const Message m =
            sealedMessage(s, s.staff, s.staffId, 1, SecretBytes::random(32), QStringLiteral("Sealed elsewhere."));
        const StoredMessage opened = s.receive(m);
        QCOMPARE(opened.verification, Verification::Unverifiable); // a key is held: it is not merely pending
        QCOMPARE(opened.check, MessageCheck::WrongEpochKey);
        QCOMPARE(s.server.count("GET", s.path("/keys")), 0);
    }

    void aMissingEpochKeyIsFetchedOnce()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const SecretBytes epoch2 = SecretBytes::random(32);
        const PracticeKey practice = PracticeKey::generate(1);
        const QJsonObject keys = keysJson(
            2, &practice, {epochJson(2, 1, {s.patient.id()}, sealTo(s.patient.keys.boxPublic, epoch2.bytes()))});
        s.serveKeys(&keys);
        QSignalSpy opened(&s.opener, &MessageOpener::messageOpened);

        const Message m = sealedMessage(s, s.staff, s.staffId, 2, epoch2, QStringLiteral("After the new epoch."));
        QCOMPARE(s.receive(m).verification, Verification::Unopened);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Wait);
        const auto outcome = opened.first().first().value<StoredMessage>();
        QCOMPARE(outcome.verification, Verification::Verified);
        QCOMPARE(outcome.message.body, QStringLiteral("After the new epoch."));
        QCOMPARE(s.stored(m).verification, Verification::Verified);
        QCOMPARE(s.stored(m).message.body, QStringLiteral("After the new epoch."));
        QCOMPARE(s.server.count("GET", s.path("/keys")), 1);
    }

    void anEpochKeyNotGrantedWaitsAsPendingUntilItArrives()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const SecretBytes epoch2 = SecretBytes::random(32);
        const PracticeKey practice = PracticeKey::generate(1);
        QJsonObject keys = keysJson(2, &practice, {epochJson(2, 1, {})}); // no grant for this device yet
        s.serveKeys(&keys);
        QSignalSpy opened(&s.opener, &MessageOpener::messageOpened);

        const Message first = sealedMessage(s, s.staff, s.staffId, 2, epoch2, QStringLiteral("First."));
        QCOMPARE(s.receive(first).verification, Verification::Unopened);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Wait);
        QCOMPARE(s.stored(first).verification, Verification::KeyPending);
        QCOMPARE(s.stored(first).check, MessageCheck::WrongEpochKey);
        QVERIFY(s.stored(first).message.body.isEmpty());
        // The keys were looked at since the last change: the next message of that epoch waits without asking.
        const Message second = sealedMessage(s, s.staff, s.staffId, 2, epoch2, QStringLiteral("Second."));
        QCOMPARE(s.receive(second).verification, Verification::KeyPending);
        QCOMPARE(s.server.count("GET", s.path("/keys")), 1);

        // The key is handed over; reopening (as SecureSync does when keys arrive) opens both.
        keys = keysJson(2, &practice,
                        {epochJson(2, 1, {s.patient.id()}, sealTo(s.patient.keys.boxPublic, epoch2.bytes()))});
        s.opener.reopen(s.conversationId, true);
        QTRY_COMPARE_WITH_TIMEOUT(s.stored(second).verification, Verification::Verified, Wait);
        QTRY_COMPARE_WITH_TIMEOUT(s.stored(first).verification, Verification::Verified, Wait);
        QCOMPARE(s.stored(first).message.body, QStringLiteral("First."));
        QCOMPARE(s.stored(second).message.body, QStringLiteral("Second."));
        QVERIFY(s.server.count("GET", s.path("/keys")) > 1); // reopening looked again
    }

    void anUnknownSenderDeviceIsLookedUpOnceThenRefused()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        Device stranger; // signs as the staff member, but no list has it
        stranger.userId = s.staffId;
        QSignalSpy opened(&s.opener, &MessageOpener::messageOpened);

        const Message m = sealedMessage(s, stranger, s.staffId, 1, s.epoch1, QStringLiteral("Trust me."));
        QCOMPARE(s.receive(m).verification, Verification::Unopened);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Wait);
        QCOMPARE(s.stored(m).verification, Verification::Unverifiable);
        QCOMPARE(s.stored(m).check, MessageCheck::UnknownDevice);
        QCOMPARE(s.server.count("GET", s.path("/devices")), 2); // the first load and one look-up

        const Message again = sealedMessage(s, stranger, s.staffId, 1, s.epoch1, QStringLiteral("Really."));
        const StoredMessage decided = s.receive(again);
        QCOMPARE(decided.verification, Verification::Unverifiable);
        QCOMPARE(decided.check, MessageCheck::UnknownDevice);
        QCOMPARE(s.server.count("GET", s.path("/devices")), 2);
    }

    void aNewSenderDeviceIsFoundByTheLookUp()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const Device added = s.addDevice(s.staffId); // registered after the list was loaded
        QSignalSpy opened(&s.opener, &MessageOpener::messageOpened);
        const Message m = sealedMessage(s, added, s.staffId, 1, s.epoch1, QStringLiteral("From my new phone."));
        QCOMPARE(s.receive(m).verification, Verification::Unopened);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Wait);
        QCOMPARE(s.stored(m).verification, Verification::Verified);
        QCOMPARE(s.stored(m).message.body, QStringLiteral("From my new phone."));
    }

    void aRevokedDeviceIsTrustedOnlyForWhatItSentBefore()
    {
        OpenerScene s;
        s.devices[0].state = QStringLiteral("revoked");
        s.devices[0].revokedAt = 5000;
        QVERIFY(s.load(s.directory));
        const Message before =
            sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("Before."), newId(), 4000);
        const Message after =
            sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("After."), newId(), 6000);
        QCOMPARE(s.receive(before).verification, Verification::Verified);
        const StoredMessage late = s.receive(after);
        QCOMPARE(late.verification, Verification::Unverifiable);
        QCOMPARE(late.check, MessageCheck::UnknownDevice);
    }

    void aReplayedClientIdIsRefused()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        const Message original = sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("Come in at 9."));
        QCOMPARE(s.receive(original).verification, Verification::Verified);
        // The same message again (a page fetched twice) is still the same genuine message.
        QCOMPARE(s.receive(original).verification, Verification::Verified);
        // Its envelope again under another message id is a replay.
        Message replay = original;
        replay.id = newId();
        replay.seq = original.seq + 10;
        const StoredMessage opened = s.receive(replay);
        QCOMPARE(opened.verification, Verification::Unverifiable);
        QCOMPARE(opened.check, MessageCheck::Replayed);
        QVERIFY(opened.message.body.isEmpty());
    }

    void aMessageWithoutAGoodEnvelopeIsNeverShown()
    {
        OpenerScene s;
        QVERIFY(s.load(s.directory));
        Message plain = sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("ignored"));
        plain.envelope.reset();
        plain.body = QStringLiteral("Plain text in a secure conversation.");
        StoredMessage opened = s.receive(plain);
        QCOMPARE(opened.verification, Verification::Unverifiable);
        QCOMPARE(opened.check, MessageCheck::Malformed);
        QVERIFY(opened.message.body.isEmpty());

        Message cut = sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("ignored"));
        cut.envelope->remove(QStringLiteral("signature"));
        opened = s.receive(cut);
        QCOMPARE(opened.verification, Verification::Unverifiable);
        QCOMPARE(opened.check, MessageCheck::Malformed);
        QCOMPARE(s.server.count("GET", s.path("/devices")), 1); // nothing fetched for what cannot be checked
    }

    void aLookUpThatFailsLeavesTheMessageToOpenLater()
    {
        OpenerScene s;
        int asked = 0;
        s.server.route("GET", s.path("/devices"), [&](const StandInServer::Request &) {
            if (++asked == 1)
                return StandInServer::Reply{503, {}}; // offline for the first look-up
            QJsonArray list;
            for (const Device &d : std::as_const(s.devices))
                list.append(d.json());
            return StandInServer::Reply{200, {{"devices", list}}};
        });
        QSignalSpy opened(&s.opener, &MessageOpener::messageOpened);
        const Message m =
            sealedMessage(s, s.staff, s.staffId, 1, s.epoch1, QStringLiteral("Sent while you were away."));
        QCOMPARE(s.receive(m).verification, Verification::Unopened);
        // The connection is back: the app reopens what waits, until the look-up is made again.
        QVERIFY(QTest::qWaitFor(
            [&] {
                s.opener.reopen(s.conversationId, true);
                return asked == 2;
            },
            Wait));
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, Wait);
        // The failed look-up decided nothing: the one outcome recorded is the genuine message.
        QCOMPARE(opened.first().first().value<StoredMessage>().verification, Verification::Verified);
        QCOMPARE(s.stored(m).message.body, QStringLiteral("Sent while you were away."));
    }
};

std::unique_ptr<QObject> newMessageOpenerTest() { return std::make_unique<TestMessageOpener>(); }

#include "tst_message_opener.moc"
