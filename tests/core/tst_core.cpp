// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Unit tests of the wire codecs, input validation and password hashing in larch-core.
#include "core/crypto/Crypto.h"
#include "core/protocol/Protocol.h"
#include "core/protocol/Validation.h"

#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>
#include <sodium.h>

using namespace larch;

class TestCore : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void messageRoundTrip()
    {
        const Message m{newId(),
                        newId(),
                        newId(),
                        17,
                        newId(),
                        QStringLiteral("Dr. Ana Ruiz"),
                        QStringLiteral("See you at 3 — ünïcødé ✓"),
                        1764000123456,
                        {}};
        const auto bytes = QJsonDocument(m.toJson()).toJson(QJsonDocument::Compact);
        const auto back = Message::fromJson(QJsonDocument::fromJson(bytes).object());
        QVERIFY(back);
        QCOMPARE(*back, m);
    }

    void messageWithEnvelopeRoundTrip()
    {
        Message m{newId(), newId(), newId(), 18, newId(), QStringLiteral("Sam Lee"), QString(), 1764000123999, {}};
        m.envelope =
            QJsonObject{{"epoch", 3}, {"senderDeviceId", newId()}, {"ciphertext", "AAEC"}, {"signature", "AwQF"}};
        const QJsonObject json = m.toJson();
        QCOMPARE(json.value(QLatin1String("body")).toString(), QString());
        QCOMPARE(json.value(QLatin1String("envelope")).toObject(), *m.envelope);
        const auto back = Message::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY(back);
        QCOMPARE(*back, m);
        QVERIFY(back->envelope);

        // A plain message has no "envelope" key at all, and a null one reads as absent.
        Message plain = m;
        plain.envelope.reset();
        plain.body = QStringLiteral("hi");
        QVERIFY(!plain.toJson().contains(QLatin1String("envelope")));
        QJsonObject withNull = plain.toJson();
        withNull.insert(QLatin1String("envelope"), QJsonValue(QJsonValue::Null));
        const auto fromNull = Message::fromJson(withNull);
        QVERIFY(fromNull);
        QVERIFY(!fromNull->envelope);
        QCOMPARE(*fromNull, plain);
    }

    void conversationRoundTripWithAndWithoutLastMessage()
    {
        Conversation c;
        c.id = newId();
        c.practiceId = newId();
        c.patientId = newId();
        c.title = QStringLiteral("Sam Lee");
        c.createdAt = 1;
        c.lastActivityAt = 2;
        c.unreadCount = 3;
        c.lastSeq = 9;
        c.members = {Member{c.patientId, QStringLiteral("Sam Lee"), QStringLiteral("patient"), 4}};
        auto back = Conversation::fromJson(c.toJson());
        QVERIFY(back);
        QCOMPARE(*back, c);
        QVERIFY(!back->lastMessage);

        c.lastMessage = Message{newId(), newId(), c.id, 9, newId(), QStringLiteral("x"), QStringLiteral("hi"), 2, {}};
        back = Conversation::fromJson(c.toJson());
        QVERIFY(back);
        QCOMPARE(*back, c);
    }

    void standardConversationAndNotesRoundTrip()
    {
        Conversation c;
        c.id = newId();
        c.practiceId = newId();
        c.patientId = newId();
        c.title = QStringLiteral("(201) 555-0123");
        c.kind = QStringLiteral("sms");
        c.members = {};
        c.tags = {QStringLiteral("flyer")};
        c.standard = StandardContact{
            QStringLiteral("+12015550123"), QStringLiteral("(201) 555-0123"),
            Consent{QStringLiteral("verbal"), QStringLiteral("at the desk"), newId(), QStringLiteral("Ana"), 5}, 7,
            newId()};
        QVERIFY(!c.isSecure());
        auto back = Conversation::fromJson(c.toJson());
        QVERIFY(back);
        QCOMPARE(*back, c);
        // No consent, not opted out, nothing upgraded: null on the wire, and read back the same.
        c.standard = StandardContact{QStringLiteral("sam@example.org"), QStringLiteral("sam@example.org"), {}, 0, {}};
        const auto o = c.toJson();
        QVERIFY(o.value(QStringLiteral("standard")).toObject().value(QStringLiteral("consent")).isNull());
        QVERIFY(o.value(QStringLiteral("standard")).toObject().value(QStringLiteral("optedOutAt")).isNull());
        back = Conversation::fromJson(o);
        QVERIFY(back);
        QCOMPARE(*back, c);
        auto bad = o;
        bad.insert(QStringLiteral("tags"), QJsonArray{1});
        QVERIFY(!Conversation::fromJson(bad));
        bad = o;
        bad.insert(QStringLiteral("standard"), QStringLiteral("sms"));
        QVERIFY(!Conversation::fromJson(bad));
        // A server before standard conversations sends neither field.
        bad = o;
        bad.remove(QStringLiteral("standard"));
        bad.remove(QStringLiteral("tags"));
        back = Conversation::fromJson(bad);
        QVERIFY(back);
        QVERIFY(!back->standard);
        QVERIFY(back->tags.isEmpty());

        Message m{newId(), newId(), c.id, 3, newId(), QStringLiteral("Ana"), QStringLiteral("hi"), 2, {}, {}, {}};
        m.delivery = MessageDelivery{QStringLiteral("failed"), QStringLiteral("Unreachable."), 9};
        auto mb = Message::fromJson(m.toJson());
        QVERIFY(mb);
        QCOMPARE(*mb, m);
        m.delivery.reset();
        m.body.clear();
        m.note = MessageNote{QStringLiteral("secure_invited"), newId()};
        mb = Message::fromJson(m.toJson());
        QVERIFY(mb);
        QCOMPARE(*mb, m);
        auto mo = m.toJson();
        mo.insert(QStringLiteral("note"), QJsonObject{{"kind", 3}});
        QVERIFY(!Message::fromJson(mo));
    }

    void practiceLinkRoundTrip()
    {
        PracticeLink l{newId(),
                       newId(),
                       QStringLiteral("k7Qm2xPa"),
                       QStringLiteral("Front desk flyer"),
                       QStringLiteral("new-patient"),
                       false,
                       QStringLiteral("https://larch.example/p/k7Qm2xPa"),
                       4,
                       2};
        auto back = PracticeLink::fromJson(l.toJson());
        QVERIFY(back);
        QCOMPARE(*back, l);
        l.tag.clear();
        QVERIFY(l.toJson().value(QStringLiteral("tag")).isNull());
        back = PracticeLink::fromJson(l.toJson());
        QVERIFY(back);
        QCOMPARE(*back, l);
        auto o = l.toJson();
        o.insert(QStringLiteral("enabled"), QStringLiteral("yes"));
        QVERIFY(!PracticeLink::fromJson(o));
    }

    void decodersRejectWrongTypes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("seq as string") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":"1",
            "senderId":"d","senderName":"e","body":"f","sentAt":1})");
        QTest::newRow("fractional seq") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":1.5,
            "senderId":"d","senderName":"e","body":"f","sentAt":1})");
        QTest::newRow("missing body") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":1,
            "senderId":"d","senderName":"e","sentAt":1})");
        QTest::newRow("body as object") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":1,
            "senderId":"d","senderName":"e","body":{},"sentAt":1})");
        QTest::newRow("envelope as string") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":1,
            "senderId":"d","senderName":"e","body":"","sentAt":1,"envelope":"AAAA"})");
        QTest::newRow("envelope as array") << QByteArray(R"({"id":"a","clientId":"b","conversationId":"c","seq":1,
            "senderId":"d","senderName":"e","body":"","sentAt":1,"envelope":[]})");
        QTest::newRow("empty") << QByteArray("{}");
    }
    void decodersRejectWrongTypes()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!Message::fromJson(QJsonDocument::fromJson(json).object()));
    }

    void conversationRejectsBadMembersAndLastMessage()
    {
        Conversation c;
        c.id = c.practiceId = c.patientId = c.title = QStringLiteral("x");
        auto o = c.toJson();
        o.insert(QStringLiteral("members"), QJsonArray{QJsonObject{{"userId", 1}}});
        QVERIFY(!Conversation::fromJson(o));
        o = c.toJson();
        o.insert(QStringLiteral("lastMessage"), QStringLiteral("nope"));
        QVERIFY(!Conversation::fromJson(o));
        o = c.toJson();
        o.remove(QStringLiteral("members"));
        QVERIFY(!Conversation::fromJson(o));
    }

    void eventAndSessionRoundTrip()
    {
        const Event e{42, QString::fromLatin1(EventType::ConversationRead),
                      QJsonObject{{"conversationId", "c"}, {"userId", "u"}, {"lastReadSeq", 3}}};
        const auto back = Event::fromJson(e.toJson());
        QVERIFY(back);
        QCOMPARE(back->seq, 42);
        QCOMPARE(back->data, e.data);
        QVERIFY(!Event::fromJson(QJsonObject{{"seq", 1}, {"type", "x"}, {"data", 3}}));

        const Session s{newToken(), 5, User{newId(), "Ana", "ana@birch.example", "admin", newId()}};
        const auto sb = Session::fromJson(s.toJson());
        QVERIFY(sb);
        QCOMPARE(sb->token, s.token);
        QCOMPARE(sb->user, s.user);
        QVERIFY(sb->user.isStaff() && sb->user.isAdmin());
    }

    void errorBodyShape()
    {
        const auto b = errorBody(QStringLiteral("not_found"), QStringLiteral("No such conversation."));
        QCOMPARE(b.value("error").toObject().value("code").toString(), QStringLiteral("not_found"));
        QCOMPARE(b.value("error").toObject().value("message").toString(), QStringLiteral("No such conversation."));
    }

    void fieldReaderAcceptsGoodInput()
    {
        FieldReader r(QJsonObject{{"name", "  Ana Ruiz "},
                                  {"email", "Ana@Birch.Example"},
                                  {"password", "correct horse battery"},
                                  {"seq", 5},
                                  {"role", "clinician"}});
        QCOMPARE(r.string("name", 1, Limits::NameMax), QStringLiteral("Ana Ruiz"));
        QCOMPARE(r.email("email"), QStringLiteral("ana@birch.example"));
        QCOMPARE(r.password("password"), QStringLiteral("correct horse battery"));
        QCOMPARE(r.integer("seq", 0, 100), 5);
        QCOMPARE(r.oneOf("role", {"admin", "clinician"}), QStringLiteral("clinician"));
        QCOMPARE(r.optionalString("absent", 10), QString());
        QVERIFY(r.ok());
    }

    void fieldReaderReportsFirstError_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mention");
        QTest::newRow("missing") << QJsonObject{} << "missing_field"
                                 << "name";
        QTest::newRow("null") << QJsonObject{{"name", QJsonValue::Null}} << "missing_field"
                              << "name";
        QTest::newRow("number") << QJsonObject{{"name", 5}} << "invalid_field"
                                << "string";
        QTest::newRow("blank") << QJsonObject{{"name", "   "}} << "invalid_field"
                               << "1 to 200";
        QTest::newRow("too long") << QJsonObject{{"name", QString(201, QLatin1Char('a'))}} << "invalid_field"
                                  << "200";
    }
    void fieldReaderReportsFirstError()
    {
        QFETCH(QJsonObject, object);
        QFETCH(QString, code);
        QFETCH(QString, mention);
        FieldReader r(object);
        r.string("name", 1, Limits::NameMax);
        r.string("other", 1, 5); // a later error must not replace the first
        QVERIFY(!r.ok());
        QCOMPARE(r.error()->code, code);
        QVERIFY2(r.error()->message.contains(mention), qPrintable(r.error()->message));
    }

    void integersAndChoices()
    {
        FieldReader a(QJsonObject{{"seq", 1.5}});
        a.integer("seq", 0, 10);
        QCOMPARE(a.error()->code, QStringLiteral("invalid_field"));
        FieldReader b(QJsonObject{{"seq", -1}});
        b.integer("seq", 0, 10);
        QVERIFY(!b.ok());
        FieldReader huge(QJsonObject{{"seq", 2.2e23}}); // beyond qint64: refused, never converted
        huge.integer("seq", 0, std::numeric_limits<qint64>::max());
        QCOMPARE(huge.error()->code, QStringLiteral("invalid_field"));
        FieldReader c(QJsonObject{{"seq", "3"}});
        c.integer("seq", 0, 10);
        QVERIFY(!c.ok());
        FieldReader d(QJsonObject{{"role", "patient"}});
        d.oneOf("role", {"admin", "clinician"});
        QVERIFY(d.error()->message.contains(QStringLiteral("admin, clinician")));
        FieldReader e(QJsonObject{{"password", "short"}});
        e.password("password");
        QVERIFY(!e.ok());
    }

    void emails_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "sam@patient.example" << true;
        QTest::newRow("plus") << "sam+larch@mail.patient.example" << true;
        QTest::newRow("no at") << "sam.patient.example" << false;
        QTest::newRow("two ats") << "sam@@patient.example" << false;
        QTest::newRow("no dot") << "sam@localhost" << false;
        QTest::newRow("space") << "sam lee@patient.example" << false;
        QTest::newRow("empty local") << "@patient.example" << false;
        QTest::newRow("trailing dot") << "sam@patient." << false;
        QTest::newRow("too long") << QString(250, QLatin1Char('a')) + "@b.co" << false;
    }
    void emails()
    {
        QFETCH(QString, email);
        QFETCH(bool, valid);
        QCOMPARE(isValidEmail(email), valid);
    }

    void idsAndTokens()
    {
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const QString id = newId();
            QVERIFY2(isValidId(id), qPrintable(id));
            QCOMPARE(id.at(14), QLatin1Char('4'));
            QVERIFY(!seen.contains(id));
            seen.insert(id);
        }
        QVERIFY(!isValidId(QStringLiteral("{") + newId() + QStringLiteral("}")));
        QVERIFY(!isValidId(newId().toUpper()));
        const QString t = newToken();
        QCOMPARE(t.size(), 43); // 32 bytes in base64url without padding
        QVERIFY(!t.contains(QLatin1Char('=')) && !t.contains(QLatin1Char('+')) && !t.contains(QLatin1Char('/')));
        QVERIFY(t != newToken());
        QCOMPARE(tokenDigest(t).size(), 64);
        QCOMPARE(tokenDigest(t), tokenDigest(t));
        QVERIFY(tokenDigest(t) != tokenDigest(newToken()));
        // Known answer: SHA-256("abc")
        QCOMPARE(tokenDigest(QStringLiteral("abc")),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void passwordHashing()
    {
        // The smallest costs libsodium accepts keep the test quick; the algorithm is the same.
        const auto ops = crypto_pwhash_OPSLIMIT_MIN;
        const size_t mem = 8 * 1024;
        const QByteArray h = PasswordHash::hash(QStringLiteral("correct horse battery"), ops, mem);
        QVERIFY(h.startsWith("$argon2id$"));
        QVERIFY(PasswordHash::verify(h, QStringLiteral("correct horse battery")));
        QVERIFY(!PasswordHash::verify(h, QStringLiteral("correct horse batterY")));
        QVERIFY(!PasswordHash::verify(h, QString()));
        QVERIFY(!PasswordHash::verify(QByteArray(), QStringLiteral("x")));
        QVERIFY(!PasswordHash::verify(QByteArray("$argon2id$garbage"), QStringLiteral("x")));
        // Salted: the same password hashes differently each time.
        QVERIFY(h != PasswordHash::hash(QStringLiteral("correct horse battery"), ops, mem));
        QVERIFY(PasswordHash::needsRehash(h));
        QVERIFY(!PasswordHash::needsRehash(h, ops, mem));
        // Non-ASCII passwords survive the UTF-8 round trip.
        const QByteArray u = PasswordHash::hash(QStringLiteral("pässwörd—✓✓✓"), ops, mem);
        QVERIFY(PasswordHash::verify(u, QStringLiteral("pässwörd—✓✓✓")));
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
