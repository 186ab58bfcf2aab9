// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of the practice identity: its keys and signed statements against libsodium, its fingerprint, and the decoding
// and checking of the identity list a server hands out.
#include "core/crypto/Crypto.h"
#include "core/crypto/IdentityChain.h"
#include "core/crypto/PracticeIdentity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>
#include <sodium.h>

#include "E2eeTestData.h"

using namespace larch;
using namespace e2eetest;

namespace {
const QString kPractice = QStringLiteral("7f1e0c52-9a1e-4c1b-8f7d-2b6e4d3c1a09");

QByteArray be64(qint64 v)
{
    QByteArray b(8, '\0');
    for (int i = 7; i >= 0; --i, v >>= 8)
        b[i] = char(v & 0xff);
    return b;
}

/// A list of identity versions: version 1 then one per key in next, each signed by the one before unless unsigned
/// names its version.
IdentityChain chainOf(const QList<PracticeIdentityKey> &keys, qint64 unsignedVersion = 0)
{
    IdentityChain chain;
    chain.practiceId = kPractice;
    chain.practiceName = QStringLiteral("Birch Family Medicine");
    for (qsizetype i = 0; i < keys.size(); ++i) {
        IdentityVersion v{keys[i].version, keys[i].signPublic, {}, 1000 + i};
        if (i > 0 && keys[i].version != unsignedVersion)
            v.rotationSignature = keys[i - 1].sign(
                IdentityStatement::rotation(kPractice, keys[i].version, keys[i - 1].signPublic, keys[i].signPublic));
        chain.versions.append(v);
    }
    return chain;
}
} // namespace

class TestE2eeIdentity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    // ---- keys and statements ----

    void identityKeysAreLibsodiumSeedPairs()
    {
        const QByteArray seed = counting(32, 0x40);
        QByteArray pk(32, '\0'), sk(64, '\0');
        crypto_sign_seed_keypair(u(pk), u(sk), u(seed));
        const auto key = PracticeIdentityKey::fromSeed(3, seed);
        QVERIFY(key);
        QCOMPARE(key->version, 3);
        QCOMPARE(key->signPublic.toHex(), pk.toHex());
        QVERIFY(!PracticeIdentityKey::fromSeed(1, seed.left(31)));
        QVERIFY(!PracticeIdentityKey::fromSeed(1, seed + 'x'));

        const QByteArray statement = "any statement";
        const QByteArray signature = key->sign(statement);
        QCOMPARE(signature.size(), 64);
        QCOMPARE(crypto_sign_verify_detached(u(signature), u(statement), statement.size(), u(pk)), 0);
        QVERIFY(IdentityStatement::verify(pk, statement, signature));

        const PracticeIdentityKey fresh = PracticeIdentityKey::generate(1);
        QCOMPARE(fresh.signPublic.size(), 32);
        QCOMPARE(fresh.seed.size(), 32);
        QVERIFY(fresh.signPublic != PracticeIdentityKey::generate(1).signPublic);
    }

    void statementsAreFramedAndLabelled()
    {
        const QByteArray prev = counting(32, 1), next = counting(32, 2), box = counting(32, 3), key = counting(32, 4);
        QCOMPARE(IdentityStatement::rotation(kPractice, 2, prev, next),
                 framed("larch-practice-identity-rotation-v1") + framed(kPractice.toUtf8()) + framed(be64(2))
                     + framed(prev) + framed(next));
        QCOMPARE(IdentityStatement::practiceKey(kPractice, 5, box, 2),
                 framed("larch-practice-key-v1") + framed(kPractice.toUtf8()) + framed(be64(5)) + framed(box)
                     + framed(be64(2)));
        QByteArray commitment(32, '\0');
        const QByteArray input = framed("larch-epoch-key-commitment-v1") + framed(key);
        crypto_generichash(u(commitment), 32, u(input), input.size(), nullptr, 0);
        QCOMPARE(IdentityStatement::keyCommitment(key).toHex(), commitment.toHex());
        QCOMPARE(IdentityStatement::epoch(kConversation, 7, 5, key),
                 framed("larch-epoch-v1") + framed(kConversation.toUtf8()) + framed(be64(7)) + framed(be64(5))
                     + framed(commitment));
    }

    void signaturesBindEveryPart()
    {
        const PracticeIdentityKey id = PracticeIdentityKey::generate(1);
        const QByteArray box = counting(32, 3), key = counting(32, 4);
        const QByteArray keySig = id.sign(IdentityStatement::practiceKey(kPractice, 5, box, 1));
        QVERIFY(IdentityStatement::verify(id.signPublic, IdentityStatement::practiceKey(kPractice, 5, box, 1), keySig));
        QVERIFY(
            !IdentityStatement::verify(id.signPublic, IdentityStatement::practiceKey(kPractice, 6, box, 1), keySig));
        QVERIFY(
            !IdentityStatement::verify(id.signPublic, IdentityStatement::practiceKey(kPractice, 5, key, 1), keySig));
        QVERIFY(
            !IdentityStatement::verify(id.signPublic, IdentityStatement::practiceKey(kPractice, 5, box, 2), keySig));
        QVERIFY(!IdentityStatement::verify(id.signPublic, IdentityStatement::practiceKey(kOtherId, 5, box, 1), keySig));
        QVERIFY(!IdentityStatement::verify(PracticeIdentityKey::generate(1).signPublic,
                                           IdentityStatement::practiceKey(kPractice, 5, box, 1), keySig));

        const QByteArray epochSig = id.sign(IdentityStatement::epoch(kConversation, 2, 5, key));
        QVERIFY(IdentityStatement::verify(id.signPublic, IdentityStatement::epoch(kConversation, 2, 5, key), epochSig));
        QVERIFY(
            !IdentityStatement::verify(id.signPublic, IdentityStatement::epoch(kConversation, 2, 5, box), epochSig));
        QVERIFY(
            !IdentityStatement::verify(id.signPublic, IdentityStatement::epoch(kConversation, 3, 5, key), epochSig));
        // A practice key statement never passes as an epoch statement, even over the same bytes.
        QVERIFY(!IdentityStatement::verify(id.signPublic, IdentityStatement::epoch(kConversation, 5, 1, box), keySig));
        QVERIFY(!IdentityStatement::verify(id.signPublic, {}, {}));
        QVERIFY(!IdentityStatement::verify(id.signPublic.left(31), {}, keySig));
    }

    // ---- fingerprint ----

    void fingerprintIsTruncatedLabelledSha256InCrockfordBase32()
    {
        const QByteArray pk = counting(32, 0x50);
        const QByteArray input = framed("larch-practice-identity-fingerprint-v1") + framed(pk);
        QByteArray digest(32, '\0');
        crypto_hash_sha256(u(digest), u(input), input.size());
        QCOMPARE(IdentityFingerprint::of(pk).toHex(), digest.left(20).toHex());

        const QString link = IdentityFingerprint::linkText(pk);
        QCOMPARE(link.size(), 32);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9A-HJKMNP-TV-Z]{32}$")).match(link).hasMatch());
        const QString shown = IdentityFingerprint::displayText(pk);
        QCOMPARE(shown.size(), 32 + 7);
        QCOMPARE(shown.split(u' ').size(), 8);
        QCOMPARE(QString(shown).remove(u' '), link);

        // Read back as typed: case, spaces, dashes and the look-alikes do not matter.
        QCOMPARE(IdentityFingerprint::parse(link).value_or("none").toHex(), digest.left(20).toHex());
        QCOMPARE(IdentityFingerprint::parse(shown.toLower()).value_or("none").toHex(), digest.left(20).toHex());
        QString lookAlikes = link;
        lookAlikes.replace(u'0', u'O').replace(u'1', u'l');
        QCOMPARE(IdentityFingerprint::parse(lookAlikes).value_or("none").toHex(), digest.left(20).toHex());
        QVERIFY(IdentityFingerprint::matches(*IdentityFingerprint::parse(link), pk));
        QVERIFY(!IdentityFingerprint::matches(*IdentityFingerprint::parse(link), counting(32, 0x51)));
        QVERIFY(!IdentityFingerprint::matches(digest.left(19), pk));

        QVERIFY(IdentityFingerprint::of(pk.left(31)).isEmpty());
        QVERIFY(IdentityFingerprint::linkText({}).isEmpty());
    }

    void fingerprintParsingRefusesWhatIsNotOne_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("31 symbols") << QString(31, u'A');
        QTest::newRow("33 symbols") << QString(33, u'A');
        QTest::newRow("U is not in the alphabet") << QString(31, u'A') + u'U';
        QTest::newRow("punctuation") << QString(31, u'A') + u'!';
        QTest::newRow("non-ASCII") << QString(31, u'A') + QChar(0x0410);
        QTest::newRow("a NUL") << QString(31, u'A') + QChar(0);
    }
    void fingerprintParsingRefusesWhatIsNotOne()
    {
        QFETCH(QString, text);
        QVERIFY(!IdentityFingerprint::parse(text));
    }

    void everyFingerprintRoundTrips()
    {
        for (int i = 0; i < 200; ++i) {
            const PracticeIdentityKey k = PracticeIdentityKey::generate(1);
            const auto parsed = IdentityFingerprint::parse(IdentityFingerprint::displayText(k.signPublic));
            QVERIFY(parsed);
            QVERIFY(IdentityFingerprint::matches(*parsed, k.signPublic));
        }
    }

    // ---- the listed identity against a pin ----

    void verdictsAgainstAPin()
    {
        const PracticeIdentityKey v1 = PracticeIdentityKey::generate(1);
        const PracticeIdentityKey v2 = PracticeIdentityKey::generate(2);
        const PracticeIdentityKey v3 = PracticeIdentityKey::generate(3);
        const IdentityPin pin1{1, v1.signPublic};

        QCOMPARE(chainOf({v1}).check(std::nullopt), ChainVerdict::FirstUse);
        QCOMPARE(chainOf({v1}).check(pin1), ChainVerdict::Unchanged);
        QCOMPARE(chainOf({v1, v2, v3}).check(pin1), ChainVerdict::SignedRotation);
        QCOMPARE(chainOf({v1, v2, v3}).check(IdentityPin{3, v3.signPublic}), ChainVerdict::Unchanged);
        QCOMPARE(chainOf({v1, v2, v3}).check(IdentityPin{2, v2.signPublic}), ChainVerdict::SignedRotation);

        // A version without the previous one's signature, anywhere after the pin, is a change.
        QCOMPARE(chainOf({v1, v2, v3}, 2).check(pin1), ChainVerdict::Changed);
        QCOMPARE(chainOf({v1, v2, v3}, 3).check(pin1), ChainVerdict::Changed);
        // ...but one before the pin was judged when it was pinned.
        QCOMPARE(chainOf({v1, v2, v3}, 2).check(IdentityPin{2, v2.signPublic}), ChainVerdict::SignedRotation);

        // The pinned version with another key, a list that lost the pinned version, or no list at all.
        QCOMPARE(chainOf({v1}).check(IdentityPin{1, v2.signPublic}), ChainVerdict::Changed);
        QCOMPARE(chainOf({v1, v2}).check(IdentityPin{3, v3.signPublic}), ChainVerdict::Changed);
        QCOMPARE(IdentityChain{}.check(pin1), ChainVerdict::Changed);
        QCOMPARE(IdentityChain{}.check(std::nullopt), ChainVerdict::FirstUse);

        // A rotation signed by the right key over another practice's statement does not count.
        IdentityChain elsewhere = chainOf({v1, v2});
        elsewhere.versions[1].rotationSignature =
            v1.sign(IdentityStatement::rotation(kOtherId, 2, v1.signPublic, v2.signPublic));
        QCOMPARE(elsewhere.check(pin1), ChainVerdict::Changed);
        // Nor one signed by the new key itself.
        IdentityChain selfSigned = chainOf({v1, v2});
        selfSigned.versions[1].rotationSignature =
            v2.sign(IdentityStatement::rotation(kPractice, 2, v1.signPublic, v2.signPublic));
        QCOMPARE(selfSigned.check(pin1), ChainVerdict::Changed);
    }

    void chainsRoundTripThroughJson()
    {
        const PracticeIdentityKey v1 = PracticeIdentityKey::generate(1);
        const PracticeIdentityKey v2 = PracticeIdentityKey::generate(2);
        const IdentityChain chain = chainOf({v1, v2});
        const QByteArray json = QJsonDocument(chain.toJson()).toJson(QJsonDocument::Compact);
        const auto back = decodeIdentityChain(json);
        QVERIFY(back);
        QCOMPARE(back->practiceId, kPractice);
        QCOMPARE(back->practiceName, QStringLiteral("Birch Family Medicine"));
        QCOMPARE(back->versions.size(), 2);
        QCOMPARE(back->versions[0].rotationSignature, QByteArray());
        QCOMPARE(back->versions[1].rotationSignature, chain.versions[1].rotationSignature);
        QCOMPARE(back->current()->publicKey, v2.signPublic);
        QCOMPARE(back->version(1)->publicKey, v1.signPublic);
        QVERIFY(!back->version(0));
        QVERIFY(!back->version(3));
        QCOMPARE(back->check(IdentityPin{1, v1.signPublic}), ChainVerdict::SignedRotation);
    }

    void decodingRefusesMalformedLists_data()
    {
        const QString key = QString::fromLatin1(counting(32, 1).toBase64());
        const QString sig = QString::fromLatin1(counting(64, 1).toBase64());
        auto version = [&](const QJsonValue &v, const QJsonValue &k, const QJsonValue &s = QJsonValue::Null) {
            return QJsonObject{{"version", v}, {"publicKey", k}, {"rotationSignature", s}};
        };
        auto doc = [&](const QJsonArray &versions, const QJsonValue &practice = kPractice) {
            return QJsonDocument(QJsonObject{{"practiceId", practice}, {"practiceName", "P"}, {"versions", versions}})
                .toJson(QJsonDocument::Compact);
        };
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not JSON") << QByteArray("{\"practiceId\":");
        QTest::newRow("an array") << QByteArray("[]");
        QTest::newRow("no versions") << doc({});
        QTest::newRow("a bad practice id") << doc({version(1, key)}, "not-an-id");
        QTest::newRow("version 0") << doc({version(0, key)});
        QTest::newRow("a fraction") << doc({version(1.5, key)});
        QTest::newRow("a huge version") << doc({version(1e300, key)});
        QTest::newRow("a gap") << doc({version(1, key), version(3, key, sig)});
        QTest::newRow("going back") << doc({version(2, key), version(1, key)});
        QTest::newRow("a short key") << doc({version(1, QString::fromLatin1(counting(31, 1).toBase64()))});
        QTest::newRow("unpadded base64") << doc({version(1, key.left(43))});
        QTest::newRow("url-safe base64") << doc(
            {version(1, QString::fromLatin1(QByteArray(32, '\xff').toBase64()).replace(u'/', u'_'))});
        QTest::newRow("a short signature") << doc({version(1, key), version(2, key, key)});
        QTest::newRow("a signature of another type") << doc({version(1, key), version(2, key, 7)});
        QTest::newRow("a version that is not an object") << doc({QJsonValue(3)});
        QTest::newRow("a long name") << QJsonDocument(QJsonObject{{"practiceId", kPractice},
                                                                  {"practiceName", QString(201, u'x')},
                                                                  {"versions", QJsonArray{version(1, key)}}})
                                            .toJson(QJsonDocument::Compact);
    }
    void decodingRefusesMalformedLists()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!decodeIdentityChain(json));
    }
};

QTEST_GUILESS_MAIN(TestE2eeIdentity)
#include "tst_e2ee_identity.moc"
