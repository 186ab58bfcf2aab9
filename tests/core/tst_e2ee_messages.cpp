// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of message envelopes against libsodium's own results, tampering and hostile input.
#include "core/crypto/Crypto.h"
#include "core/crypto/DeviceKeys.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/crypto/RecoveryKey.h"
#include "core/crypto/SafetyCode.h"
#include "core/crypto/StorageCipher.h"
#include "core/protocol/Validation.h"

#include <algorithm>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>
#include <sodium.h>

using namespace larch;
#include "E2eeTestData.h"

using namespace larch;
using namespace e2eetest;

class TestE2eeMessages : public QObject {
    Q_OBJECT

    const QByteArray m_key = counting(32, 1);
    const SignPair m_sender = signPairFromSeed(0x40);

    MessageEnvelope sealed(const QString &text = QStringLiteral("See you at 3."), qint64 epoch = 7)
    {
        return sealMessage(m_key, kConversation, epoch, kClient, kDevice, m_sender.secretKey, text);
    }

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    // ---- messages ----

    void sealMessageMatchesLibsodium()
    {
        const QByteArray nonce = counting(24, 0x80);
        const qint64 epoch = 0x0102030405LL; // distinct bytes catch a wrong byte order
        const QString text = QStringLiteral("Your results are ready — ünïcødé ✓");
        const MessageEnvelope e =
            sealMessageWithNonce(m_key, kConversation, epoch, kClient, kDevice, m_sender.secretKey, text, nonce);

        const QByteArray ad = expectedAd(kConversation, epoch, kClient, kDevice);
        const QByteArray plain = text.toUtf8();
        QByteArray aead(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
        unsigned long long written = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(u(aead), &written, u(plain), plain.size(), u(ad), ad.size(), nullptr,
                                                   u(nonce), u(m_key));
        QCOMPARE(qsizetype(written), aead.size());
        const QByteArray signedBytes = ad + nonce + aead;
        QByteArray signature(crypto_sign_BYTES, '\0');
        crypto_sign_detached(u(signature), nullptr, u(signedBytes), signedBytes.size(), u(m_sender.secretKey));

        QCOMPARE(e.epoch, epoch);
        QCOMPARE(e.senderDeviceId, kDevice);
        QCOMPARE(e.ciphertext.toHex(), (nonce + aead).toHex());
        QCOMPARE(e.signature.toHex(), signature.toHex());

        const OpenedMessage opened = openMessage(m_key, kConversation, kClient, m_sender.publicKey, e);
        QCOMPARE(opened.check, MessageCheck::Ok);
        QCOMPARE(opened.text, text);
    }

    void sealMessageUsesAFreshNonceEachTime()
    {
        const MessageEnvelope a = sealed();
        const MessageEnvelope b = sealed();
        QVERIFY(a.ciphertext.left(24) != b.ciphertext.left(24));
        QCOMPARE(openMessage(m_key, kConversation, kClient, m_sender.publicKey, a).check, MessageCheck::Ok);
        QCOMPARE(openMessage(m_key, kConversation, kClient, m_sender.publicKey, b).check, MessageCheck::Ok);
    }

    void roundTripThroughJson_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("typical") << QStringLiteral("Please take the tablets with food, twice a day.");
        QTest::newRow("empty") << QString();
        QTest::newRow("unicode") << QStringLiteral("مرحبا 你好 🩺 Zoë");
        QTest::newRow("4 KiB") << QString(4096, QLatin1Char('x'));
    }

    void roundTripThroughJson()
    {
        QFETCH(QString, text);
        const MessageEnvelope e = sealed(text);
        QVERIFY(!e.isEmpty());
        const auto back = MessageEnvelope::fromJson(QJsonDocument::fromJson(roundTripJson(e.toJson())).object());
        QVERIFY(back);
        QCOMPARE(*back, e);
        const OpenedMessage opened = openMessage(m_key, kConversation, kClient, m_sender.publicKey, *back);
        QCOMPARE(opened.check, MessageCheck::Ok);
        QCOMPARE(opened.text, text);
    }

    void tamperingIsCaught_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<MessageCheck>("expected");
        QTest::newRow("ciphertext byte") << "ciphertext" << MessageCheck::BadSignature;
        QTest::newRow("nonce byte") << "nonce" << MessageCheck::BadSignature;
        QTest::newRow("signature byte") << "signature" << MessageCheck::BadSignature;
        QTest::newRow("epoch") << "epoch" << MessageCheck::BadSignature;
        QTest::newRow("conversation id") << "conversation" << MessageCheck::BadSignature;
        QTest::newRow("client id") << "client" << MessageCheck::BadSignature;
        QTest::newRow("sender device id") << "device" << MessageCheck::BadSignature;
        QTest::newRow("another device's key") << "otherSigner" << MessageCheck::BadSignature;
        QTest::newRow("ciphertext cut short but long enough") << "shortened" << MessageCheck::BadSignature;
        QTest::newRow("unknown device") << "unknownDevice" << MessageCheck::UnknownDevice;
        QTest::newRow("wrong key") << "wrongKey" << MessageCheck::WrongEpochKey;
        QTest::newRow("key of another epoch") << "otherEpochKey" << MessageCheck::WrongEpochKey;
        QTest::newRow("no key held") << "noKey" << MessageCheck::WrongEpochKey;
        QTest::newRow("ciphertext below nonce and tag") << "tooShort" << MessageCheck::Malformed;
        QTest::newRow("empty ciphertext") << "emptyCiphertext" << MessageCheck::Malformed;
        QTest::newRow("signature truncated") << "signatureShort" << MessageCheck::Malformed;
        QTest::newRow("negative epoch") << "negativeEpoch" << MessageCheck::Malformed;
        QTest::newRow("signed non-text content") << "notUtf8" << MessageCheck::BadCiphertext;
    }

    void tamperingIsCaught()
    {
        QFETCH(QString, change);
        QFETCH(MessageCheck, expected);
        const QString secret = QStringLiteral("canary-4f2a: blood test normal");
        MessageEnvelope e = sealed(secret);
        QByteArray key = m_key;
        QString conversation = kConversation;
        QString client = kClient;
        QByteArray signer = m_sender.publicKey;

        if (change == "ciphertext")
            e.ciphertext[e.ciphertext.size() - 5] = char(e.ciphertext.at(e.ciphertext.size() - 5) ^ 0x01);
        else if (change == "nonce")
            e.ciphertext[3] = char(e.ciphertext.at(3) ^ 0x80);
        else if (change == "signature")
            e.signature[10] = char(e.signature.at(10) ^ 0x04);
        else if (change == "epoch")
            e.epoch += 1;
        else if (change == "conversation")
            conversation = kOtherId;
        else if (change == "client")
            client = kOtherId;
        else if (change == "device")
            e.senderDeviceId = kOtherId;
        else if (change == "otherSigner")
            signer = signPairFromSeed(0x41).publicKey;
        else if (change == "shortened")
            e.ciphertext.chop(1);
        else if (change == "unknownDevice")
            signer.clear();
        else if (change == "wrongKey")
            key = counting(32, 2);
        else if (change == "otherEpochKey")
            e = sealMessage(counting(32, 0x90), kConversation, 8, kClient, kDevice, m_sender.secretKey, secret);
        else if (change == "noKey")
            key.clear();
        else if (change == "tooShort")
            e.ciphertext.truncate(MessageEnvelope::NonceBytes + MessageEnvelope::TagBytes - 1);
        else if (change == "emptyCiphertext")
            e.ciphertext.clear();
        else if (change == "signatureShort")
            e.signature.chop(1);
        else if (change == "negativeEpoch")
            e.epoch = -1;
        else if (change == "notUtf8") {
            // A genuine sender that encrypted bytes which are not text, signed as the protocol says.
            const QByteArray nonce = counting(24, 0x10);
            const QByteArray plain("\xff\xfe\x00\x80", 4);
            const QByteArray ad = expectedAd(kConversation, e.epoch, kClient, kDevice);
            QByteArray aead(plain.size() + 16, '\0');
            crypto_aead_xchacha20poly1305_ietf_encrypt(u(aead), nullptr, u(plain), plain.size(), u(ad), ad.size(),
                                                       nullptr, u(nonce), u(m_key));
            e.ciphertext = nonce + aead;
            const QByteArray signedBytes = ad + e.ciphertext;
            crypto_sign_detached(u(e.signature), nullptr, u(signedBytes), signedBytes.size(), u(m_sender.secretKey));
        } else
            QFAIL("unknown change");

        const OpenedMessage opened = openMessage(key, conversation, client, signer, e);
        QCOMPARE(opened.check, expected);
        QVERIFY(opened.text.isEmpty());
        QVERIFY(!describe(opened.check).isEmpty());
    }

    void replayIsCaughtAfterTheOtherChecks()
    {
        const MessageEnvelope e = sealed();
        QSet<QString> seen{kOtherId};
        QCOMPARE(openMessage(m_key, kConversation, kClient, m_sender.publicKey, e, seen).check, MessageCheck::Ok);
        seen.insert(kClient);
        const OpenedMessage replay = openMessage(m_key, kConversation, kClient, m_sender.publicKey, e, seen);
        QCOMPARE(replay.check, MessageCheck::Replayed);
        QVERIFY(replay.text.isEmpty());
        MessageEnvelope forged = e;
        forged.signature[0] = char(forged.signature.at(0) ^ 1);
        QCOMPARE(openMessage(m_key, kConversation, kClient, m_sender.publicKey, forged, seen).check,
                 MessageCheck::BadSignature);
    }

    void envelopeJsonRejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        const MessageEnvelope e = sealed();
        const QString ct = QString::fromLatin1(e.ciphertext.toBase64());
        const QString sig = QString::fromLatin1(e.signature.toBase64());
        auto with = [&](const char *key, const QJsonValue &value) {
            QJsonObject o = e.toJson();
            if (value.isUndefined())
                o.remove(QLatin1String(key));
            else
                o.insert(QLatin1String(key), value);
            return roundTripJson(o);
        };
        auto b64 = [](const QByteArray &b) { return QJsonValue(QString::fromLatin1(b.toBase64())); };
        QTest::newRow("empty document") << QByteArray();
        QTest::newRow("not JSON") << QByteArray("\x01\x02garbage{");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("no epoch") << with("epoch", QJsonValue::Undefined);
        QTest::newRow("no device") << with("senderDeviceId", QJsonValue::Undefined);
        QTest::newRow("no ciphertext") << with("ciphertext", QJsonValue::Undefined);
        QTest::newRow("no signature") << with("signature", QJsonValue::Undefined);
        QTest::newRow("epoch as string") << with("epoch", QStringLiteral("7"));
        QTest::newRow("negative epoch") << with("epoch", -1);
        QTest::newRow("fractional epoch") << with("epoch", 1.5);
        QTest::newRow("epoch too large") << with("epoch", 1e300);
        QTest::newRow("device not an id") << with("senderDeviceId", QStringLiteral("phone"));
        QTest::newRow("device as number") << with("senderDeviceId", 3);
        QTest::newRow("ciphertext base64 garbage") << with("ciphertext", QStringLiteral("@@not*base64!!"));
        QTest::newRow("ciphertext non-Latin-1") << with("ciphertext", QStringLiteral("ÿÿÿÿ✓✓✓✓"));
        QTest::newRow("ciphertext as array") << with("ciphertext", QJsonArray{ct});
        QTest::newRow("ciphertext below nonce and tag") << with("ciphertext", b64(QByteArray(39, 'a')));
        QTest::newRow("ciphertext oversized")
            << with("ciphertext", b64(QByteArray(MessageEnvelope::PlaintextMax + 41, 'a')));
        QTest::newRow("ciphertext huge") << with("ciphertext", QString(4 * 1024 * 1024, QLatin1Char('A')));
        QTest::newRow("signature 63 bytes") << with("signature", b64(e.signature.left(63)));
        QTest::newRow("signature 65 bytes") << with("signature", b64(e.signature + 'x'));
        QTest::newRow("signature garbage") << with("signature", sig.left(40) + QStringLiteral("#"));
    }

    void envelopeJsonRejectsBadInput()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!MessageEnvelope::fromJson(QJsonDocument::fromJson(json).object()));
    }

    void sealMessageRefusesBadInput()
    {
        const QByteArray sk = m_sender.secretKey;
        QVERIFY(sealMessage(m_key.left(31), kConversation, 1, kClient, kDevice, sk, "x").isEmpty());
        QVERIFY(sealMessage(m_key, kConversation, 1, kClient, kDevice, sk.left(32), "x").isEmpty());
        QVERIFY(sealMessage(m_key, kConversation, -1, kClient, kDevice, sk, "x").isEmpty());
        QVERIFY(sealMessage(m_key, kConversation, 1, kClient, QStringLiteral("Phone"), sk, "x").isEmpty());
        QVERIFY(sealMessage(m_key, kConversation, 1, kClient, kDevice, sk,
                            QString(MessageEnvelope::PlaintextMax + 1, QLatin1Char('a')))
                    .isEmpty());
        QVERIFY(!sealMessage(m_key, kConversation, 1, kClient, kDevice, sk,
                             QString(MessageEnvelope::PlaintextMax, QLatin1Char('a')))
                     .isEmpty());
        QVERIFY(
            sealMessageWithNonce(m_key, kConversation, 1, kClient, kDevice, sk, "x", QByteArray(23, 'n')).isEmpty());
        QCOMPARE(openMessage(m_key, kConversation, kClient, m_sender.publicKey, MessageEnvelope{}).check,
                 MessageCheck::Malformed);
    }

    void everyFailureHasItsOwnSentence()
    {
        QVERIFY(describe(MessageCheck::Ok).isEmpty());
        QCOMPARE(describe(MessageCheck::BadSignature),
                 QStringLiteral("This message could not be verified: its signature does not match the sender's "
                                "device."));
        QSet<QString> sentences;
        for (MessageCheck c : {MessageCheck::UnknownDevice, MessageCheck::BadSignature, MessageCheck::BadCiphertext,
                               MessageCheck::WrongEpochKey, MessageCheck::Replayed, MessageCheck::Malformed}) {
            QVERIFY(describe(c).startsWith(QStringLiteral("This message could not be verified: ")));
            sentences.insert(describe(c));
        }
        QCOMPARE(sentences.size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestE2eeMessages)
#include "tst_e2ee_messages.moc"
