// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A video call's sealed signalling (format-3 envelopes): each kind of CallSignal through sealCallSignal and
// openCallSignal, the additional data it is bound to, what the codec refuses, and that a call signal and a message
// never pass for each other.
#include "core/crypto/Crypto.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/protocol/CallSignal.h"
#include "E2eeTestData.h"

#include <QJsonDocument>
#include <QtTest>
#include <sodium.h>

using namespace larch;
using namespace e2eetest;

class CallSignalTest : public QObject {
    Q_OBJECT

    const QByteArray m_key = counting(32, 7);
    const SignPair m_sender = signPairFromSeed(40);
    const QString m_call = kClient;

    static CallSignal offer()
    {
        CallSignal s;
        s.kind = CallSignal::Kind::Offer;
        s.seq = 1;
        s.sdp = QStringLiteral("v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\na=fingerprint:sha-256 00:11\r\n");
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void everyKindSurvivesTheTrip()
    {
        CallSignal candidate;
        candidate.kind = CallSignal::Kind::Candidate;
        candidate.seq = 7;
        candidate.mediaLine = 1;
        candidate.candidate = QStringLiteral("candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host");
        CallSignal media;
        media.kind = CallSignal::Kind::MediaState;
        media.seq = 8;
        media.microphoneMuted = true;
        media.cameraOff = false;
        CallSignal answer = offer();
        answer.kind = CallSignal::Kind::Answer;
        CallSignal endOfCandidates = candidate;
        endOfCandidates.candidate.clear();
        for (const CallSignal &signal : {offer(), answer, candidate, media, endOfCandidates}) {
            const MessageEnvelope e =
                sealCallSignal(m_key, kConversation, 3, m_call, kDevice, m_sender.secretKey, signal);
            QVERIFY(!e.isEmpty());
            QCOMPARE(e.format, MessageEnvelope::CallSignalFormat);
            QCOMPARE(e.toJson().value("format").toInt(), 3);
            const auto read = MessageEnvelope::fromJson(e.toJson());
            QVERIFY(read);
            const OpenedCallSignal opened = openCallSignal(m_key, kConversation, m_call, m_sender.publicKey, *read);
            QCOMPARE(opened.check, MessageCheck::Ok);
            QCOMPARE(*opened.signal, signal);
        }
    }

    void boundToItsCallConversationAndKey()
    {
        const MessageEnvelope e = sealCallSignal(m_key, kConversation, 3, m_call, kDevice, m_sender.secretKey, offer());
        // The signature covers "larch-call-v1", the conversation, epoch, call and device: as docs/security.md says.
        const QByteArray ad = expectedAd(kConversation, 3, m_call, kDevice, "larch-call-v1");
        const QByteArray signedBytes = ad + e.ciphertext;
        QCOMPARE(crypto_sign_verify_detached(u(e.signature), u(signedBytes), quint64(signedBytes.size()),
                                             u(m_sender.publicKey)),
                 0);
        QCOMPARE(openCallSignal(m_key, kConversation, kOtherId, m_sender.publicKey, e).check,
                 MessageCheck::BadSignature); // another call
        QCOMPARE(openCallSignal(m_key, kOtherId, m_call, m_sender.publicKey, e).check, MessageCheck::BadSignature);
        QCOMPARE(openCallSignal(counting(32, 8), kConversation, m_call, m_sender.publicKey, e).check,
                 MessageCheck::WrongEpochKey);
        QCOMPARE(openCallSignal(m_key, kConversation, m_call, signPairFromSeed(41).publicKey, e).check,
                 MessageCheck::BadSignature);
        QCOMPARE(openCallSignal(m_key, kConversation, m_call, QByteArray(), e).check, MessageCheck::UnknownDevice);
    }

    void signalsAndMessagesNeverPassForEachOther()
    {
        const MessageEnvelope signal =
            sealCallSignal(m_key, kConversation, 3, m_call, kDevice, m_sender.secretKey, offer());
        QCOMPARE(openMessage(m_key, kConversation, m_call, m_sender.publicKey, signal).check, MessageCheck::Malformed);
        MessageEnvelope relabelled = signal;
        relabelled.format = MessageEnvelope::TextFormat; // a server flipping the format breaks the signature
        QCOMPARE(openMessage(m_key, kConversation, m_call, m_sender.publicKey, relabelled).check,
                 MessageCheck::BadSignature);
        const MessageEnvelope message = sealMessage(m_key, kConversation, 3, m_call, kDevice, m_sender.secretKey,
                                                    QString::fromUtf8(offer().toBytes()));
        QCOMPARE(openCallSignal(m_key, kConversation, m_call, m_sender.publicKey, message).check,
                 MessageCheck::Malformed);
        relabelled = message;
        relabelled.format = MessageEnvelope::CallSignalFormat;
        QCOMPARE(openCallSignal(m_key, kConversation, m_call, m_sender.publicKey, relabelled).check,
                 MessageCheck::BadSignature);
    }

    void theCodecRefusesWhatIsNotASignal()
    {
        const QByteArray refused[] = {
            "",
            "[]",
            "{\"kind\":\"offer\",\"seq\":1}", // no sdp
            "{\"kind\":\"offer\",\"seq\":1,\"sdp\":\"\"}", // empty sdp
            "{\"kind\":\"offer\",\"seq\":0,\"sdp\":\"v=0\"}", // seq starts at 1
            "{\"kind\":\"offer\",\"seq\":1.5,\"sdp\":\"v=0\"}",
            "{\"kind\":\"offer\",\"seq\":4294967296,\"sdp\":\"v=0\"}",
            "{\"kind\":\"offer\",\"seq\":\"1\",\"sdp\":\"v=0\"}",
            "{\"kind\":\"hangup\",\"seq\":1}",
            "{\"kind\":\"candidate\",\"seq\":1,\"mediaLine\":16,\"candidate\":\"c\"}",
            "{\"kind\":\"candidate\",\"seq\":1,\"mediaLine\":-1,\"candidate\":\"c\"}",
            "{\"kind\":\"candidate\",\"seq\":1,\"candidate\":\"c\"}",
            "{\"kind\":\"media\",\"seq\":1,\"microphoneMuted\":1,\"cameraOff\":false}",
            "{\"kind\":\"media\",\"seq\":1,\"cameraOff\":false}",
        };
        for (const QByteArray &bytes : refused)
            QVERIFY2(!CallSignal::fromBytes(bytes), bytes.constData());
        CallSignal tooLong = offer();
        tooLong.sdp = QString(CallSignal::SdpMax + 1, u'x');
        QVERIFY(!CallSignal::fromBytes(tooLong.toBytes()));
        QVERIFY(sealCallSignal(m_key, kConversation, 3, m_call, kDevice, m_sender.secretKey, tooLong).isEmpty());
        QVERIFY(!CallSignal::fromBytes(QByteArray(CallSignal::BytesMax + 1, ' ')));
        // Unknown fields are for later versions: ignored.
        QVERIFY(CallSignal::fromBytes("{\"kind\":\"offer\",\"seq\":1,\"sdp\":\"v=0\",\"restart\":true}"));
    }
};

QTEST_GUILESS_MAIN(CallSignalTest)
#include "tst_e2ee_call_signals.moc"
