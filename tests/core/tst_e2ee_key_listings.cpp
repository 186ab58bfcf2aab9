// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of the key routes' answers as a device decodes them (KeyListings): device lists, the practice's keys, identity
// and grants, a conversation's epochs, key requests and the stored key backup, well formed and hostile.
#include "core/crypto/Crypto.h"
#include "core/crypto/IdentityChain.h"
#include "core/protocol/KeyListings.h"

#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "E2eeTestData.h"

using namespace larch;
using namespace e2eetest;

namespace {
const QString kPractice = QStringLiteral("7f1e0c52-9a1e-4c1b-8f7d-2b6e4d3c1a09");
const QString kPatient = QStringLiteral("5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e");

QString b64(const QByteArray &b) { return QString::fromLatin1(b.toBase64()); }

QJsonObject device(const QString &id = kDevice)
{
    return QJsonObject{{"id", id},
                       {"userId", kPatient},
                       {"name", "Sam's phone"},
                       {"boxPublicKey", b64(counting(32, 1))},
                       {"signPublicKey", b64(counting(32, 0x40))},
                       {"state", "active"},
                       {"createdAt", qint64(1764000000000)},
                       {"revokedAt", QJsonValue::Null}};
}

/// A practice identity list of one version for practice.
QJsonObject identity(const QString &practice = kPractice)
{
    return QJsonObject{{"practiceId", practice},
                       {"practiceName", "Birch Family Medicine"},
                       {"versions", QJsonArray{QJsonObject{{"version", 1}, {"publicKey", b64(counting(32, 0x70))}}}}};
}

QJsonObject grant(const QJsonValue &version, const QJsonValue &sealedKey)
{
    return QJsonObject{{"version", version}, {"sealedKey", sealedKey}};
}

QJsonObject epoch(const QJsonValue &number, const QJsonValue &sealedKey = QJsonValue::Null)
{
    return QJsonObject{{"epoch", number},
                       {"practiceKeyVersion", 2},
                       {"deviceIds", QJsonArray{kDevice}},
                       {"sealedKey", sealedKey},
                       {"createdByDevice", kOtherId},
                       {"identityVersion", 1},
                       {"signature", b64(counting(64, 9))}};
}
} // namespace

class TestE2eeKeyListings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    // ---- devices ----

    void deviceReadsEveryField()
    {
        QJsonObject o = device();
        o.insert("revokedAt", qint64(1764000001000));
        const auto d = DeviceInfo::fromJson(o);
        QVERIFY(d);
        QCOMPARE(d->id, kDevice);
        QCOMPARE(d->userId, kPatient);
        QCOMPARE(d->name, QStringLiteral("Sam's phone"));
        QCOMPARE(d->boxPublic, counting(32, 1));
        QCOMPARE(d->signPublic, counting(32, 0x40));
        QVERIFY(d->isActive());
        QCOMPARE(d->createdAt, qint64(1764000000000));
        QVERIFY(d->revokedAt);
        QCOMPARE(*d->revokedAt, qint64(1764000001000));
        QVERIFY(!DeviceInfo::fromJson(device())->revokedAt);
    }

    void deviceRefusesMalformedFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("an id that is not one") << "id" << QJsonValue("device-1");
        QTest::newRow("no id") << "id" << QJsonValue();
        QTest::newRow("an id of another type") << "id" << QJsonValue(7);
        QTest::newRow("a user id in capitals") << "userId" << QJsonValue(kPatient.toUpper());
        QTest::newRow("a short box key") << "boxPublicKey" << QJsonValue(b64(counting(31, 1)));
        QTest::newRow("a long box key") << "boxPublicKey" << QJsonValue(b64(counting(33, 1)));
        QTest::newRow("no box key") << "boxPublicKey" << QJsonValue();
        QTest::newRow("a box key of another type") << "boxPublicKey" << QJsonValue(32);
        QTest::newRow("an empty sign key") << "signPublicKey" << QJsonValue("");
        QTest::newRow("a url-safe sign key")
            << "signPublicKey" << QJsonValue(b64(QByteArray(32, '\xff')).replace(u'/', u'_').replace(u'+', u'-'));
        QTest::newRow("a sign key with a space") << "signPublicKey" << QJsonValue(b64(counting(32, 1)) + u' ');
        QTest::newRow("a sign key with a stray character")
            << "signPublicKey" << QJsonValue(b64(counting(32, 1)).replace(3, 1, u'*'));
        QTest::newRow("an unknown state") << "state" << QJsonValue("deleted");
        QTest::newRow("a state in capitals") << "state" << QJsonValue("ACTIVE");
        QTest::newRow("no state") << "state" << QJsonValue();
        QTest::newRow("a state of another type") << "state" << QJsonValue(true);
    }
    void deviceRefusesMalformedFields()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QJsonObject o = device();
        if (value.isUndefined())
            o.remove(field);
        else
            o.insert(field, value);
        QVERIFY(!DeviceInfo::fromJson(o));
    }

    void deviceToleratesOptionalFieldsOfOtherTypes()
    {
        QJsonObject o = device();
        o.insert("name", 12);
        o.insert("createdAt", "yesterday");
        o.insert("revokedAt", "never");
        o.insert("boxPublicKey", b64(counting(32, 1)).remove(u'=')); // unpadded base64 reads as before
        const auto d = DeviceInfo::fromJson(o);
        QVERIFY(d);
        QCOMPARE(d->name, QString());
        QCOMPARE(d->createdAt, 0);
        QVERIFY(!d->revokedAt);
        QCOMPARE(d->boxPublic, counting(32, 1));
    }

    void deviceListKeepsTheDevicesItReads()
    {
        QJsonObject bad = device(kOtherId);
        bad.insert("state", "gone");
        const QJsonObject body{{"devices", QJsonArray{device(), bad, 7, "x", QJsonArray{}, device(kClient)}}};
        const QList<DeviceInfo> list = DeviceInfo::listFromJson(body);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].id, kDevice);
        QCOMPARE(list[1].id, kClient);
        QVERIFY(DeviceInfo::listFromJson(QJsonObject{{"devices", device()}}).isEmpty());
        QVERIFY(DeviceInfo::listFromJson(QJsonObject{{"devices", "all"}}).isEmpty());
        QVERIFY(DeviceInfo::listFromJson({}).isEmpty());
    }

    // ---- the practice's keys ----

    void practiceListingReadsEveryPart()
    {
        const QJsonObject body{
            {"current", QJsonObject{{"version", 3}, {"publicKey", b64(counting(32, 2))}, {"createdAt", 5}}},
            {"rotationNeeded", true},
            {"practiceIdentity", identity()},
            {"grants", QJsonArray{grant(1, b64(counting(80, 3))), grant(3, b64(counting(80, 4)))}},
            {"identityGrants", QJsonArray{grant(1, b64(counting(80, 5)))}}};
        const PracticeKeyListing l = PracticeKeyListing::fromJson(body);
        QCOMPARE(l.currentVersion, 3);
        QCOMPARE(l.currentPublic, counting(32, 2));
        QVERIFY(l.rotationNeeded);
        QVERIFY(l.identity);
        QCOMPARE(l.identity->practiceId, kPractice);
        QCOMPARE(l.identity->versions.size(), 1);
        QCOMPARE(l.grants.size(), 2);
        QCOMPARE(l.grants[0].version, 1);
        QCOMPARE(l.grants[0].sealedKey, counting(80, 3));
        QCOMPARE(l.grants[1].version, 3);
        QCOMPARE(l.identityGrants.size(), 1);
        QCOMPARE(l.identityGrants[0].sealedKey, counting(80, 5));
    }

    void practiceListingOfNothing()
    {
        const PracticeKeyListing l = PracticeKeyListing::fromJson({});
        QCOMPARE(l.currentVersion, 0);
        QVERIFY(l.currentPublic.isEmpty());
        QVERIFY(!l.rotationNeeded);
        QVERIFY(!l.identity);
        QVERIFY(l.grants.isEmpty());
        QVERIFY(l.identityGrants.isEmpty());
    }

    void practiceListingOfHostileShapes()
    {
        const QJsonObject body{{"current", QJsonArray{3, "AAAA"}},
                               {"rotationNeeded", "true"},
                               {"practiceIdentity", identity("not-a-practice")},
                               {"grants", grant(1, b64(counting(80, 3)))},
                               {"identityGrants", "all of them"}};
        const PracticeKeyListing l = PracticeKeyListing::fromJson(body);
        QCOMPARE(l.currentVersion, 0);
        QVERIFY(l.currentPublic.isEmpty());
        QVERIFY(!l.rotationNeeded);
        QVERIFY(!l.identity);
        QVERIFY(l.grants.isEmpty());
        QVERIFY(l.identityGrants.isEmpty());
        // A current version's key that is not base64 reads as empty; its version stays as listed.
        const PracticeKeyListing bad = PracticeKeyListing::fromJson(
            QJsonObject{{"current", QJsonObject{{"version", -4}, {"publicKey", "not base64!"}}},
                        {"practiceIdentity", "an identity"}});
        QCOMPARE(bad.currentVersion, -4);
        QVERIFY(bad.currentPublic.isEmpty());
        QVERIFY(!bad.identity);
    }

    void grantsNoDeviceCouldOpenAreLeftOut_data()
    {
        QTest::addColumn<QJsonValue>("item");
        const QString sealed = b64(counting(80, 3));
        QTest::newRow("version 0") << QJsonValue(grant(0, sealed));
        QTest::newRow("a negative version") << QJsonValue(grant(-1, sealed));
        QTest::newRow("the most negative version") << QJsonValue(grant(std::numeric_limits<qint64>::min(), sealed));
        QTest::newRow("a fraction") << QJsonValue(grant(1.5, sealed));
        QTest::newRow("a version beyond 64 bits") << QJsonValue(grant(1e300, sealed));
        QTest::newRow("a version as text") << QJsonValue(grant("2", sealed));
        QTest::newRow("no version") << QJsonValue(QJsonObject{{"sealedKey", sealed}});
        QTest::newRow("no sealed key") << QJsonValue(QJsonObject{{"version", 2}});
        QTest::newRow("an empty sealed key") << QJsonValue(grant(2, ""));
        QTest::newRow("a sealed key of another type") << QJsonValue(grant(2, 80));
        QTest::newRow("a sealed key that is not base64") << QJsonValue(grant(2, sealed + u'!'));
        QTest::newRow("a url-safe sealed key")
            << QJsonValue(grant(2, b64(QByteArray(80, '\xfb')).replace(u'+', u'-').replace(u'/', u'_')));
        QTest::newRow("a number") << QJsonValue(2);
        QTest::newRow("text") << QJsonValue(sealed);
        QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    }
    void grantsNoDeviceCouldOpenAreLeftOut()
    {
        QFETCH(QJsonValue, item);
        const QJsonObject good = grant(7, b64(counting(80, 6)));
        const QJsonArray list{good, item, good};
        const PracticeKeyListing l =
            PracticeKeyListing::fromJson(QJsonObject{{"grants", list}, {"identityGrants", list}});
        for (const QList<KeyGrant> &grants : {l.grants, l.identityGrants}) {
            QCOMPARE(grants.size(), 2); // duplicates stay: the key ring opens a version once
            for (const KeyGrant &g : grants) {
                QCOMPARE(g.version, 7);
                QCOMPARE(g.sealedKey, counting(80, 6));
            }
        }
    }

    void grantsWithLargeWholeVersionsAreKept()
    {
        const QJsonArray list{grant(qint64(1) << 53, "AQID"), grant(std::numeric_limits<qint64>::max(), "AQID"),
                              grant(1e18, "AQID")};
        const PracticeKeyListing l = PracticeKeyListing::fromJson(QJsonObject{{"grants", list}});
        QCOMPARE(l.grants.size(), 3);
        QCOMPARE(l.grants[0].version, qint64(1) << 53);
        QCOMPARE(l.grants[1].version, std::numeric_limits<qint64>::max());
        QCOMPARE(l.grants[2].version, qint64(1000000000000000000));
        QCOMPARE(l.grants[0].sealedKey, QByteArray("\x01\x02\x03"));
    }

    // ---- a conversation's keys ----

    void conversationStateReadsEveryFieldNewestFirst()
    {
        const QJsonObject body{{"currentEpoch", 3},
                               {"practiceKey",
                                QJsonObject{{"version", 2},
                                            {"publicKey", b64(counting(32, 2))},
                                            {"identityVersion", 1},
                                            {"signature", b64(counting(64, 8))}}},
                               {"epochs", QJsonArray{epoch(2, b64(counting(80, 1))), epoch(3), epoch(1)}},
                               {"practiceIdentity", identity()}};
        const ConversationKeyState s = ConversationKeyState::fromJson(body, kPractice);
        QCOMPARE(s.currentEpoch, 3);
        QCOMPARE(s.practiceKeyVersion, 2);
        QCOMPARE(s.practicePublic, counting(32, 2));
        QCOMPARE(s.practiceKeyIdentityVersion, 1);
        QCOMPARE(s.practiceKeySignature, counting(64, 8));
        QCOMPARE(s.epochs.size(), 3);
        QCOMPARE(s.epochs[0].epoch, 3);
        QCOMPARE(s.epochs[1].epoch, 2);
        QCOMPARE(s.epochs[2].epoch, 1);
        const EpochInfo &e = s.epochs[1];
        QCOMPARE(e.practiceKeyVersion, 2);
        QCOMPARE(e.deviceIds, QStringList{kDevice});
        QCOMPARE(e.sealedKey, counting(80, 1));
        QCOMPARE(e.createdByDevice, kOtherId);
        QCOMPARE(e.identityVersion, 1);
        QCOMPARE(e.signature, counting(64, 9));
        QVERIFY(s.epochs[0].sealedKey.isEmpty());
        QCOMPARE(s.practiceId, kPractice);
        QVERIFY(s.identity);
        QCOMPARE(s.trust.state, IdentityTrust::State::Legacy);
    }

    void conversationStateKeepsEveryEpochWhateverItsShape()
    {
        QJsonObject odd = epoch(5, "not base64!");
        odd.insert("deviceIds", QJsonArray{kDevice, 7, QJsonValue::Null});
        odd.insert("signature", 64);
        odd.insert("createdByDevice", QJsonArray{});
        const QJsonObject body{{"currentEpoch", "3"},
                               {"practiceKey", "none"},
                               {"epochs", QJsonArray{odd, "an epoch", epoch(-2), epoch(1e300)}}};
        const ConversationKeyState s = ConversationKeyState::fromJson(body, {});
        QCOMPARE(s.currentEpoch, 0);
        QCOMPARE(s.practiceKeyVersion, 0);
        QVERIFY(s.practicePublic.isEmpty());
        QCOMPARE(s.epochs.size(), 4); // every item is an epoch: the key ring only opens those it can
        QCOMPARE(s.epochs[0].epoch, 5);
        QCOMPARE(s.epochs[0].deviceIds, (QStringList{kDevice, QString(), QString()}));
        QVERIFY(s.epochs[0].sealedKey.isEmpty());
        QVERIFY(s.epochs[0].signature.isEmpty());
        QVERIFY(s.epochs[0].createdByDevice.isEmpty());
        QCOMPARE(s.epochs[1].epoch, 0); // "an epoch" and 1e300 both read as epoch 0
        QCOMPARE(s.epochs[2].epoch, 0);
        QCOMPARE(s.epochs[3].epoch, -2);
        QVERIFY(s.practiceId.isEmpty());
        QVERIFY(!s.identity);
        QVERIFY(ConversationKeyState::fromJson(QJsonObject{{"epochs", epoch(1)}}, {}).epochs.isEmpty());
    }

    void conversationIdentityBelongsToTheConversationsPractice()
    {
        const QJsonObject other{{"practiceIdentity", identity(kOtherId)}};
        // Listed for another practice than the conversation's: dropped, the practice stays the conversation's.
        const ConversationKeyState dropped = ConversationKeyState::fromJson(other, kPractice);
        QVERIFY(!dropped.identity);
        QCOMPARE(dropped.practiceId, kPractice);
        // The practice not known yet: taken from the identity.
        const ConversationKeyState taken = ConversationKeyState::fromJson(other, {});
        QVERIFY(taken.identity);
        QCOMPARE(taken.practiceId, kOtherId);
        // A malformed identity is none, and names no practice.
        QJsonObject broken = identity(kOtherId);
        broken.insert("versions", QJsonArray{QJsonObject{{"version", 1}, {"publicKey", b64(counting(31, 1))}}});
        const ConversationKeyState none = ConversationKeyState::fromJson({{"practiceIdentity", broken}}, {});
        QVERIFY(!none.identity);
        QVERIFY(none.practiceId.isEmpty());
        QVERIFY(!ConversationKeyState::fromJson({{"practiceIdentity", "x"}}, kPractice).identity);
    }

    // ---- key requests ----

    void keyRequestsAreReadOnePerItem()
    {
        const QJsonObject body{
            {"requests",
             QJsonArray{
                 QJsonObject{
                     {"conversationId", kConversation}, {"deviceId", kDevice}, {"userId", kPatient}, {"createdAt", 1}},
                 QJsonObject{{"conversationId", 5}, {"deviceId", QJsonArray{}}}, "a request"}}};
        const QList<PendingKeyRequest> r = PendingKeyRequest::listFromJson(body);
        QCOMPARE(r.size(), 3);
        QCOMPARE(r[0].conversationId, kConversation);
        QCOMPARE(r[0].deviceId, kDevice);
        QCOMPARE(r[0].userId, kPatient);
        for (const PendingKeyRequest &odd : {r[1], r[2]}) {
            QVERIFY(odd.conversationId.isEmpty());
            QVERIFY(odd.deviceId.isEmpty());
            QVERIFY(odd.userId.isEmpty());
        }
        QVERIFY(PendingKeyRequest::listFromJson({{"requests", QJsonObject{{"deviceId", kDevice}}}}).isEmpty());
        QVERIFY(PendingKeyRequest::listFromJson({}).isEmpty());
    }

    // ---- the stored key backup ----

    void storedBackupIsReadLeniently()
    {
        const QJsonObject body{{"backup", b64(counting(100, 1))},
                               {"updatedAt", 1},
                               {"entryKeyId", b64(counting(16, 2)).insert(4, u'\n')},
                               {"entries", QJsonArray{b64(counting(90, 3)), 12, "*"}}};
        const StoredKeyBackup b = StoredKeyBackup::fromJson(body);
        QVERIFY(b.exists);
        QCOMPARE(b.backup, counting(100, 1));
        QCOMPARE(b.entryKeyId, counting(16, 2)); // characters outside the alphabet are skipped
        QCOMPARE(b.entries.size(), 3);
        QCOMPARE(b.entries[0], counting(90, 3));
        QVERIFY(b.entries[1].isEmpty());
        QVERIFY(b.entries[2].isEmpty());
    }

    void storedBackupExistsWhenItsTextIsNotEmpty()
    {
        QVERIFY(!StoredKeyBackup::fromJson({}).exists);
        QVERIFY(!StoredKeyBackup::fromJson({{"backup", ""}}).exists);
        QVERIFY(!StoredKeyBackup::fromJson({{"backup", 42}}).exists);
        QVERIFY(!StoredKeyBackup::fromJson({{"backup", QJsonValue::Null}}).exists);
        // Text that decodes to nothing is still a backup (one that no recovery key opens).
        const StoredKeyBackup junk = StoredKeyBackup::fromJson({{"backup", "***"}, {"entries", "x"}});
        QVERIFY(junk.exists);
        QVERIFY(junk.backup.isEmpty());
        QVERIFY(junk.entries.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eeKeyListings)
#include "tst_e2ee_key_listings.moc"
