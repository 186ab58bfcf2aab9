// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests of format-2 messages: text with attachment references, sealed, opened, tampered with and hostile.
#include "core/attachments/AttachmentRef.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/MessageEnvelope.h"
#include "core/protocol/Validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>
#include <sodium.h>

#include "E2eeTestData.h"

using namespace larch;
using namespace e2eetest;

class TestMessageContent : public QObject {
    Q_OBJECT

    const QByteArray m_key = counting(32, 1);
    const SignPair m_sender = signPairFromSeed(0x40);

    static AttachmentRef photo()
    {
        AttachmentRef a;
        a.blobId = kOtherId;
        a.key = counting(AttachmentRef::KeyBytes, 0x10);
        a.blobSha256 = counting(32, 0x50);
        a.size = 2'400'000;
        a.mime = QStringLiteral("image/jpeg");
        a.kind = QStringLiteral("image");
        a.name = QStringLiteral("rash-left-arm.jpg");
        a.width = 4032;
        a.height = 3024;
        a.thumbnail = QByteArray("\xff\xd8\xff\xe0 thumbnail", 14);
        return a;
    }

    MessageEnvelope sealed(const MessageContent &content)
    {
        return sealContent(m_key, kConversation, 7, kClient, kDevice, m_sender.secretKey, content);
    }

    OpenedMessage opened(const MessageEnvelope &e)
    {
        return openMessage(m_key, kConversation, kClient, m_sender.publicKey, e);
    }

    /// A format-2 envelope over any plaintext, signed as the sender would, so only the content check can fail.
    MessageEnvelope signedContentEnvelope(const QByteArray &plain)
    {
        const QByteArray ad = expectedAd(kConversation, 7, kClient, kDevice, "larch-message-v2");
        const QByteArray nonce = counting(24, 0x90);
        QByteArray aead(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
        unsigned long long written = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(u(aead), &written, u(plain), plain.size(), u(ad), ad.size(), nullptr,
                                                   u(nonce), u(m_key));
        MessageEnvelope e;
        e.epoch = 7;
        e.format = MessageEnvelope::ContentFormat;
        e.senderDeviceId = kDevice;
        e.ciphertext = nonce + aead;
        e.signature = QByteArray(crypto_sign_BYTES, '\0');
        const QByteArray signedBytes = ad + e.ciphertext;
        crypto_sign_detached(u(e.signature), nullptr, u(signedBytes), signedBytes.size(), u(m_sender.secretKey));
        return e;
    }

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void contentRoundTripsThroughSealingAndJson()
    {
        const MessageContent content{QStringLiteral("Here is the photo of the rash."), {photo()}};
        const MessageEnvelope e = sealed(content);
        QVERIFY(!e.isEmpty());
        QCOMPARE(e.format, MessageEnvelope::ContentFormat);
        const QJsonObject json = e.toJson();
        QCOMPARE(json.value("format").toInt(), 2);
        const auto back = MessageEnvelope::fromJson(QJsonDocument::fromJson(roundTripJson(json)).object());
        QVERIFY(back);
        QCOMPARE(*back, e);
        const OpenedMessage o = opened(*back);
        QCOMPARE(o.check, MessageCheck::Ok);
        QCOMPARE(o.text, content.text);
        QCOMPARE(o.attachments, content.attachments);
    }

    void anAttachmentWithoutCaptionIsAMessage()
    {
        const OpenedMessage o = opened(sealed(MessageContent{{}, {photo()}}));
        QCOMPARE(o.check, MessageCheck::Ok);
        QVERIFY(o.text.isEmpty());
        QCOMPARE(o.attachments.size(), 1);
    }

    void aCaptionIsCountedAsAPersonCounts()
    {
        // 20,000 emoji are 20,000 characters (40,000 UTF-16 units): the longest caption, sealed and opened whole.
        const MessageContent content{QStringLiteral(u"\U0001F44D").repeated(Limits::MessageBodyMax), {photo()}};
        const OpenedMessage o = opened(sealed(content));
        QCOMPARE(o.check, MessageCheck::Ok);
        QCOMPARE(o.text, content.text);
    }

    void textEnvelopesStayFormatOneAndCarryNoAttachments()
    {
        const MessageEnvelope e = sealMessage(m_key, kConversation, 7, kClient, kDevice, m_sender.secretKey,
                                              QStringLiteral("{\"text\":\"looks like content\"}"));
        QCOMPARE(e.format, MessageEnvelope::TextFormat);
        QVERIFY(!e.toJson().contains("format"));
        const OpenedMessage o = opened(e);
        QCOMPARE(o.check, MessageCheck::Ok);
        QCOMPARE(o.text, QStringLiteral("{\"text\":\"looks like content\"}"));
        QVERIFY(o.attachments.isEmpty());
    }

    void flippingTheFormatBreaksTheSignature()
    {
        MessageEnvelope content = sealed(MessageContent{QStringLiteral("caption"), {photo()}});
        content.format = MessageEnvelope::TextFormat;
        QCOMPARE(opened(content).check, MessageCheck::BadSignature);
        MessageEnvelope text =
            sealMessage(m_key, kConversation, 7, kClient, kDevice, m_sender.secretKey, QStringLiteral("hello"));
        text.format = MessageEnvelope::ContentFormat;
        QCOMPARE(opened(text).check, MessageCheck::BadSignature);
    }

    void genuineButInvalidContentIsDamaged_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QJsonObject badKey = photo().toJson();
        badKey["key"] = QString::fromLatin1(QByteArray(16, 'k').toBase64());
        QJsonObject pathName = photo().toJson();
        pathName["name"] = "../../etc/passwd";
        QJsonObject unknownKind = photo().toJson();
        unknownKind["kind"] = "archive";
        QJsonObject bigThumb = photo().toJson();
        bigThumb["thumbnail"] = QString::fromLatin1(QByteArray(AttachmentRef::ThumbnailMax + 1, 't').toBase64());
        auto withAttachment = [](const QJsonObject &a) {
            return QJsonDocument(QJsonObject{{"text", ""}, {"attachments", QJsonArray{a}}}).toJson();
        };
        QTest::newRow("not JSON") << QByteArray("plain words");
        QTest::newRow("empty content") << QByteArray("{\"text\":\"\",\"attachments\":[]}");
        QTest::newRow("attachments not a list") << QByteArray("{\"text\":\"x\",\"attachments\":{}}");
        QTest::newRow("short key") << withAttachment(badKey);
        QTest::newRow("name with a path") << withAttachment(pathName);
        QTest::newRow("unknown kind") << withAttachment(unknownKind);
        QTest::newRow("thumbnail too large") << withAttachment(bigThumb);
        QJsonArray five;
        for (int i = 0; i < MessageContent::AttachmentsMax + 1; ++i)
            five.append(photo().toJson());
        QTest::newRow("too many attachments")
            << QJsonDocument(QJsonObject{{"text", ""}, {"attachments", five}}).toJson();
    }

    void genuineButInvalidContentIsDamaged()
    {
        QFETCH(QByteArray, plain);
        const OpenedMessage o = opened(signedContentEnvelope(plain));
        QCOMPARE(o.check, MessageCheck::BadCiphertext);
        QVERIFY(o.text.isEmpty());
        QVERIFY(o.attachments.isEmpty());
    }

    void sealContentRefusesWhatReceiversWouldRefuse()
    {
        QVERIFY(sealed(MessageContent{}).isEmpty());
        AttachmentRef bad = photo();
        bad.sha256 = QByteArray(5, 'x');
        QVERIFY(sealed(MessageContent{QStringLiteral("caption"), {bad}}).isEmpty());
        QVERIFY(sealed(MessageContent{QString(Limits::MessageBodyMax + 1, u'a'), {}}).isEmpty());
    }

    void envelopeFormatMustBeKnown_data()
    {
        QTest::addColumn<QJsonValue>("format");
        QTest::newRow("four") << QJsonValue(4); // 3 is a call signal (tst_e2ee_call_signals)
        QTest::newRow("zero") << QJsonValue(0);
        QTest::newRow("text") << QJsonValue("2");
        QTest::newRow("fraction") << QJsonValue(2.5);
        QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    }

    void envelopeFormatMustBeKnown()
    {
        QFETCH(QJsonValue, format);
        QJsonObject json = sealed(MessageContent{QStringLiteral("caption"), {photo()}}).toJson();
        json["format"] = format;
        QVERIFY(!MessageEnvelope::fromJson(json));
    }

    void attachmentRefKeepsOptionalFieldsOutWhenZero()
    {
        AttachmentRef pdf = photo();
        pdf.kind = QStringLiteral("pdf");
        pdf.mime = QStringLiteral("application/pdf");
        pdf.width = pdf.height = 0;
        pdf.thumbnail.clear();
        pdf.pages = 12;
        const QJsonObject json = pdf.toJson();
        QVERIFY(!json.contains("width"));
        QVERIFY(!json.contains("thumbnail"));
        QCOMPARE(json.value("pages").toInt(), 12);
        QCOMPARE(AttachmentRef::fromJson(json), std::optional<AttachmentRef>(pdf));

        QCOMPARE(json.value("blobSha256").toString(), QString::fromLatin1(pdf.blobSha256.toHex()));
        QVERIFY(!json.contains("sha256"));

        // Older apps sent the plaintext's hash instead of the blob's: still read.
        AttachmentRef older = pdf;
        older.blobSha256.clear();
        older.sha256 = counting(32, 0x30);
        QVERIFY(!older.toJson().contains("blobSha256"));
        QCOMPARE(AttachmentRef::fromJson(older.toJson()), std::optional<AttachmentRef>(older));

        // Without any hash the content would not be bound to the sender's signature: refused.
        AttachmentRef unhashed = pdf;
        unhashed.blobSha256.clear();
        QVERIFY(!AttachmentRef::fromJson(unhashed.toJson()));
    }

    void attachmentRefRejectsHostileFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("blob id not an id") << "blobId" << QJsonValue("../blobs/other");
        QTest::newRow("size zero") << "size" << QJsonValue(0);
        QTest::newRow("size negative") << "size" << QJsonValue(-5);
        QTest::newRow("size fraction") << "size" << QJsonValue(1.5);
        QTest::newRow("hash not hex") << "sha256" << QJsonValue(QString(64, u'z'));
        QTest::newRow("hash short") << "sha256" << QJsonValue(QString(62, u'a'));
        QTest::newRow("hash a number") << "sha256" << QJsonValue(42);
        QTest::newRow("blob hash not hex") << "blobSha256" << QJsonValue(QString(64, u'z'));
        QTest::newRow("blob hash long") << "blobSha256" << QJsonValue(QString(66, u'a'));
        QTest::newRow("blob hash missing") << "blobSha256" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("key not base64") << "key" << QJsonValue("!!!!");
        QTest::newRow("name empty") << "name" << QJsonValue("");
        QTest::newRow("name backslash") << "name" << QJsonValue("C:\\Users\\ana\\scan.pdf");
        QTest::newRow("name control") << "name" << QJsonValue(QStringLiteral("scan\u0007.pdf"));
        QTest::newRow("name too long") << "name" << QJsonValue(QString(AttachmentRef::NameMax + 1, u'n'));
        QTest::newRow("width negative") << "width" << QJsonValue(-1);
        QTest::newRow("height without width") << "width" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("width without height") << "height" << QJsonValue(0);
        QTest::newRow("size beyond an integer") << "size" << QJsonValue(1.2e126);
        QTest::newRow("pages text") << "pages" << QJsonValue("12");
        QTest::newRow("kind missing") << "kind" << QJsonValue(QJsonValue::Undefined);
    }

    void attachmentRefRejectsHostileFields()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QJsonObject json = photo().toJson();
        if (value.isUndefined())
            json.remove(field);
        else
            json[field] = value;
        QVERIFY(!AttachmentRef::fromJson(json));
    }
};

QTEST_GUILESS_MAIN(TestMessageContent)
#include "tst_e2ee_message_content.moc"
