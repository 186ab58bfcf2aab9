// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of the key material a recovery backup holds (KeyBackupPayload): its JSON both ways, and the payloads and items
// it refuses or leaves out.
#include "core/crypto/Crypto.h"
#include "core/crypto/KeyBackupPayload.h"

#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "E2eeTestData.h"

using namespace larch;
using namespace e2eetest;

namespace {
QString b64(const QByteArray &b) { return QString::fromLatin1(b.toBase64()); }

QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

KeyBackupPayload fullPayload()
{
    KeyBackupPayload p;
    p.practiceKeys.append({1, SecretBytes(counting(32, 1))});
    p.practiceKeys.append({2, SecretBytes(counting(32, 2))});
    p.identityKeys.append({1, SecretBytes(counting(32, 3))});
    p.epochKeys.append({kConversation, 1, SecretBytes(counting(32, 4))});
    p.epochKeys.append({kConversation, 2, SecretBytes(counting(32, 5))});
    p.epochKeys.append({kOtherId, 7, SecretBytes(counting(32, 6))});
    return p;
}

/// A payload of version 1 whose list holds one well-formed item, then item, then the well-formed one again.
QByteArray withItem(const char *list, const QJsonObject &good, const QJsonValue &item)
{
    return json({{"v", 1}, {QLatin1String(list), QJsonArray{good, item, good}}});
}
} // namespace

class TestE2eeBackupPayload : public QObject {
    Q_OBJECT

    const QJsonObject m_practice{{"version", 3}, {"secret", b64(counting(32, 1))}};
    const QJsonObject m_identity{{"version", 2}, {"seed", b64(counting(32, 2))}};
    const QJsonObject m_epoch{{"conversationId", kConversation}, {"epoch", 4}, {"key", b64(counting(32, 3))}};

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void writesTheBackupFormat()
    {
        const QByteArray bytes = fullPayload().toBytes();
        const QJsonObject o = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(o.value("v").toInt(), 1);
        QCOMPARE(o.value("practiceKeys").toArray().size(), 2);
        QCOMPARE(o.value("practiceKeys")[1].toObject(),
                 (QJsonObject{{"version", 2}, {"secret", b64(counting(32, 2))}}));
        QCOMPARE(o.value("identityKeys").toArray(),
                 (QJsonArray{QJsonObject{{"version", 1}, {"seed", b64(counting(32, 3))}}}));
        QCOMPARE(o.value("epochKeys")[2].toObject(),
                 (QJsonObject{{"conversationId", kOtherId}, {"epoch", 7}, {"key", b64(counting(32, 6))}}));
        QCOMPARE(bytes, json(o)); // compact JSON, as it was always written
        // A payload without identity keys (a patient's) has no identityKeys list at all.
        KeyBackupPayload patient = fullPayload();
        patient.identityKeys.clear();
        QCOMPARE(patient.toBytes(),
                 json({{"v", 1},
                       {"practiceKeys", QJsonDocument::fromJson(bytes).object().value("practiceKeys")},
                       {"epochKeys", QJsonDocument::fromJson(bytes).object().value("epochKeys")}}));
        QCOMPARE(KeyBackupPayload().toBytes(), QByteArray(R"({"epochKeys":[],"practiceKeys":[],"v":1})"));
    }

    void roundTrips()
    {
        const KeyBackupPayload p = fullPayload();
        const auto back = KeyBackupPayload::fromBytes(p.toBytes());
        QVERIFY(back);
        QVERIFY(*back == p);
        QCOMPARE(back->epochKeys[2].conversationId, kOtherId);
        QCOMPARE(back->identityKeys[0].seed.bytes(), counting(32, 3));
        const auto empty = KeyBackupPayload::fromBytes(KeyBackupPayload().toBytes());
        QVERIFY(empty && *empty == KeyBackupPayload());
        // Equality looks at every field.
        KeyBackupPayload other = p;
        other.epochKeys[0].key = SecretBytes(counting(32, 9));
        QVERIFY(!(other == p));
    }

    void refusesWhatIsNotAPayload_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("not JSON") << QByteArray("{\"v\":1,");
        QTest::newRow("an array") << QByteArray("[{\"v\":1}]");
        QTest::newRow("no version") << QByteArray("{\"practiceKeys\":[]}");
        QTest::newRow("version 2") << QByteArray("{\"v\":2,\"epochKeys\":[]}");
        QTest::newRow("version 0") << QByteArray("{\"v\":0}");
        QTest::newRow("version as text") << QByteArray("{\"v\":\"1\"}");
        QTest::newRow("version true") << QByteArray("{\"v\":true}");
        QTest::newRow("a fractional version") << QByteArray("{\"v\":1.5}");
        QTest::newRow("a version beyond int") << QByteArray("{\"v\":4294967297}");
        QTest::newRow("a huge version") << QByteArray("{\"v\":1e300}");
        QTest::newRow("a number too large for a double") << QByteArray("{\"v\":1e400}");
    }
    void refusesWhatIsNotAPayload()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(!KeyBackupPayload::fromBytes(bytes));
    }

    void readsWhatKeyRingAlwaysRead()
    {
        // Version 1 written as 1.0, lists that are not arrays (as none), unknown fields, unpadded base64.
        const auto p =
            KeyBackupPayload::fromBytes(json({{"v", 1.0},
                                              {"practiceKeys", "none"},
                                              {"identityKeys", QJsonObject{{"version", 1}}},
                                              {"epochKeys",
                                               QJsonArray{QJsonObject{{"conversationId", kConversation},
                                                                      {"epoch", 2},
                                                                      {"key", b64(counting(32, 3)).remove(u'=')},
                                                                      {"note", "x"}}}},
                                              {"extra", 5}}));
        QVERIFY(p);
        QVERIFY(p->practiceKeys.isEmpty());
        QVERIFY(p->identityKeys.isEmpty());
        QCOMPARE(p->epochKeys.size(), 1);
        QCOMPARE(p->epochKeys[0].key.bytes(), counting(32, 3));
    }

    void leavesOutMalformedPracticeKeys_data()
    {
        QTest::addColumn<QJsonValue>("item");
        const QString secret = b64(counting(32, 7));
        auto item = [](const QJsonValue &version, const QJsonValue &secret) {
            return QJsonValue(QJsonObject{{"version", version}, {"secret", secret}});
        };
        QTest::newRow("version 0") << item(0, secret);
        QTest::newRow("a negative version") << item(-5, secret);
        QTest::newRow("the most negative version") << item(std::numeric_limits<qint64>::min(), secret);
        QTest::newRow("a fractional version") << item(2.5, secret);
        QTest::newRow("a version beyond 64 bits") << item(1e300, secret);
        QTest::newRow("a version as text") << item("3", secret);
        QTest::newRow("a short secret") << item(3, b64(counting(31, 7)));
        QTest::newRow("a long secret") << item(3, b64(counting(33, 7)));
        QTest::newRow("an empty secret") << item(3, "");
        QTest::newRow("a secret of another type") << item(3, 32);
        QTest::newRow("a secret with a space") << item(3, secret + u' ');
        QTest::newRow("a url-safe secret") << item(3, b64(QByteArray(32, '\xfb')).replace(u'+', u'-'));
        QTest::newRow("no secret") << QJsonValue(QJsonObject{{"version", 3}});
        QTest::newRow("not an object") << QJsonValue(3);
    }
    void leavesOutMalformedPracticeKeys()
    {
        QFETCH(QJsonValue, item);
        const auto p = KeyBackupPayload::fromBytes(withItem("practiceKeys", m_practice, item));
        QVERIFY(p);
        QCOMPARE(p->practiceKeys.size(), 2);
        for (const KeyBackupPayload::PracticeKeyItem &k : p->practiceKeys) {
            QCOMPARE(k.version, 3);
            QCOMPARE(k.secret.bytes(), counting(32, 1));
        }
        // The same item as an identity seed is left out the same way.
        QJsonObject asIdentity = item.toObject();
        if (asIdentity.contains("secret"))
            asIdentity.insert("seed", asIdentity.take("secret"));
        const auto q = KeyBackupPayload::fromBytes(
            withItem("identityKeys", m_identity, item.isObject() ? QJsonValue(asIdentity) : item));
        QVERIFY(q);
        QCOMPARE(q->identityKeys.size(), 2);
        QCOMPARE(q->identityKeys[1].seed.bytes(), counting(32, 2));
    }

    void leavesOutMalformedEpochKeys_data()
    {
        QTest::addColumn<QJsonValue>("item");
        const QString key = b64(counting(32, 8));
        auto item = [](const QJsonValue &conversation, const QJsonValue &epoch, const QJsonValue &key) {
            return QJsonValue(QJsonObject{{"conversationId", conversation}, {"epoch", epoch}, {"key", key}});
        };
        QTest::newRow("no conversation") << item(QJsonValue(), 1, key);
        QTest::newRow("an empty conversation") << item("", 1, key);
        QTest::newRow("a conversation of another type") << item(12, 1, key);
        QTest::newRow("epoch 0") << item(kConversation, 0, key);
        QTest::newRow("a negative epoch") << item(kConversation, -1, key);
        QTest::newRow("a fractional epoch") << item(kConversation, 1.25, key);
        QTest::newRow("an epoch beyond 64 bits") << item(kConversation, 1e19, key);
        QTest::newRow("a short key") << item(kConversation, 1, b64(counting(16, 8)));
        QTest::newRow("a key of another type") << item(kConversation, 1, QJsonArray{key});
        QTest::newRow("a key that is not base64") << item(kConversation, 1, key.left(20) + u'#' + key.mid(21));
        QTest::newRow("not an object") << QJsonValue("e:1:" + kConversation);
    }
    void leavesOutMalformedEpochKeys()
    {
        QFETCH(QJsonValue, item);
        const auto p = KeyBackupPayload::fromBytes(withItem("epochKeys", m_epoch, item));
        QVERIFY(p);
        QCOMPARE(p->epochKeys.size(), 2);
        for (const KeyBackupPayload::EpochKeyItem &k : p->epochKeys) {
            QCOMPARE(k.conversationId, kConversation);
            QCOMPARE(k.epoch, 4);
            QCOMPARE(k.key.bytes(), counting(32, 3));
        }
    }

    void keepsAnyConversationIdAndLargeNumbers()
    {
        // The payload is the device's own: a conversation id is any text that is not empty, a version or epoch any
        // whole number from 1 up that fits 64 bits; each written again reads back the same.
        KeyBackupPayload p;
        p.practiceKeys.append({std::numeric_limits<qint64>::max(), SecretBytes(counting(32, 1))});
        p.epochKeys.append(
            {QStringLiteral("\u00e9t\u00e9 \"quoted\" \\ \U0001F332"), qint64(1) << 60, SecretBytes(counting(32, 2))});
        p.epochKeys.append({QString(QChar(0xd800)), 1, SecretBytes(counting(32, 3))}); // a lone surrogate
        const auto back = KeyBackupPayload::fromBytes(p.toBytes());
        QVERIFY(back);
        QVERIFY(*back == p);
    }
};

QTEST_GUILESS_MAIN(TestE2eeBackupPayload)
#include "tst_e2ee_backup_payload.moc"
