// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice identity pinning against the real larch-server: an administrator's device makes the practice identity, a
// patient's device pins it on first use, follows a rotation the old identity signed without a word, and refuses to
// seal anything to the practice after an unsigned change (with a notice in the thread), while it still reads what the
// practice sends; accepting the change lets the held message go.
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/SecureSync.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "ClientTestKit.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/PracticeIdentity.h"
#include "HttpClient.h"
#include "TestServer.h"

#include <memory>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using testkit::NetworkWait;

namespace {

/// One person's device: its keys, its store and its end-to-end encryption, signed in to the test server.
struct Device {
    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store = std::make_unique<LocalStore>(dir.path());
    ApiClient api;
    DeviceKeys keys = DeviceKeys::generate();
    Session session;
    std::unique_ptr<SecureSync> sync;
};

/// What sealing an outbox entry gave: an envelope, or a sentence and whether waiting may help.
struct Sealed {
    std::optional<QJsonObject> envelope;
    QString sentence;
    bool retryLater = false;
};

} // namespace

/// Practice identity pinning, end to end on loopback (docs/security.md, "Practice identity pinning").
class TestClientIdentityPins : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<HttpClient> m_http;
    QString m_practiceId, m_adminToken, m_benId, m_conversationId;
    Device m_ana, m_ben, m_sam;

    /// Signs device in as email, registers its keys and starts its end-to-end encryption with the conversations it
    /// sees in its store.
    bool join(Device &d, const QString &email, const QString &password)
    {
        d.api.setServerUrl(QUrl(m_server.baseUrl()));
        std::optional<ApiResult> answer;
        d.api.signIn(email, password, QStringLiteral("Test"), &d.api, [&](const ApiResult &r) { answer = r; });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait) || !answer->ok())
            return false;
        d.session = *Session::fromJson(answer->body);
        d.api.setToken(d.session.token);
        answer.reset();
        d.api.registerDevice(d.keys.deviceId, QStringLiteral("Test"), d.keys.boxPublic, d.keys.signPublic, &d.api,
                             [&](const ApiResult &r) { answer = r; });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait) || !answer->ok())
            return false;
        const bool active = answer->body.value("state").toString() == QLatin1String("active");
        if (!d.store->open())
            return false;
        d.store->setStorageKey(d.keys.storageKey);
        for (const QJsonValue &c :
             m_http->get(QStringLiteral("/v1/conversations"), d.session.token).json.value("conversations").toArray())
            d.store->conversations().upsert(*Conversation::fromJson(c.toObject()));
        d.sync = std::make_unique<SecureSync>(d.store.get(), &d.api);
        d.sync->start(d.session, d.keys, active);
        return true;
    }

    Sealed seal(Device &d, const QString &text)
    {
        OutboxEntry entry;
        entry.clientId = newId();
        entry.conversationId = m_conversationId;
        entry.body = text;
        std::optional<Sealed> out;
        d.sync->seal(entry, [&](const std::optional<QJsonObject> &envelope, const EpochPlanner::Failure &f) {
            out = Sealed{envelope, f.sentence, f.retryLater};
        });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, NetworkWait))
            return Sealed{std::nullopt, QStringLiteral("(test) no answer"), false};
        if (out->envelope) {
            std::optional<ApiResult> posted;
            d.api.postEnvelope(m_conversationId, entry.clientId, *out->envelope, &d.api,
                               [&](const ApiResult &r) { posted = r; });
            if (!QTest::qWaitFor([&] { return posted.has_value(); }, NetworkWait) || !posted->ok())
                return Sealed{std::nullopt, QStringLiteral("(test) the server refused the message"), false};
        }
        return *out;
    }

    /// The epochs of the conversation as the server lists them to the patient, newest first.
    QJsonArray epochs() const
    {
        return m_http->get(QStringLiteral("/v1/conversations/%1/keys").arg(m_conversationId), m_sam.session.token)
            .json.value("epochs")
            .toArray();
    }

    std::optional<PracticePin> samPin() const { return m_sam.sync->pins()->pin(m_practiceId); }

    QList<ThreadNotice> samNotices() const
    {
        return m_sam.store->messages().notices(m_conversationId, 0, std::numeric_limits<qint64>::max());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(initCrypto());
        QVERIFY(m_server.start());
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        const QJsonObject practice =
            m_http->createPractice(QStringLiteral("Birch Family Medicine"), QStringLiteral("ana@birch.example"));
        m_practiceId = practice.value("practice").toObject().value("id").toString();
        m_adminToken = practice.value("session").toObject().value("token").toString();
        m_benId = m_http
                      ->post(QStringLiteral("/v1/practices/%1/staff").arg(m_practiceId),
                             {{"name", "Ben Okafor"},
                              {"email", "ben@birch.example"},
                              {"password", "clinician password"},
                              {"role", "clinician"}},
                             m_adminToken)
                      .json.value("id")
                      .toString();
        const HttpReply patient = m_http->post(
            QStringLiteral("/v1/practices/%1/patients").arg(m_practiceId),
            {{"name", "Sam Lee"}, {"email", "sam@patient.example"}, {"password", "patient password"}}, m_adminToken);
        m_conversationId = patient.json.value("conversation").toObject().value("id").toString();
        QVERIFY(!m_conversationId.isEmpty());

        // Ben's device comes first (no key yet, so it is trusted as it comes); Ana's, an administrator's, makes the
        // practice key and the practice identity, sealed to both.
        QVERIFY(join(m_ben, QStringLiteral("ben@birch.example"), QStringLiteral("clinician password")));
        QVERIFY(join(m_ana, QStringLiteral("ana@birch.example"), QStringLiteral("correct horse battery")));
        m_ana.sync->connected();
        QTRY_VERIFY_WITH_TIMEOUT(m_ana.sync->keys()->currentIdentity(), NetworkWait);
        QCOMPARE(m_ana.sync->keys()->currentIdentity()->version, 1);
        const QJsonObject listed =
            m_http->get(QStringLiteral("/v1/practices/%1/keys").arg(m_practiceId), m_ben.session.token).json;
        QCOMPARE(listed.value("identityGrants").toArray().size(), 1); // Ben's device holds it too
    }

    void aPatientPinsThePracticeIdentityOnFirstUse()
    {
        QVERIFY(join(m_sam, QStringLiteral("sam@patient.example"), QStringLiteral("patient password")));
        QVERIFY(!samPin());
        const Sealed sent = seal(m_sam, QStringLiteral("Hello, is the clinic open on Saturday?"));
        QVERIFY2(sent.envelope, qPrintable(sent.sentence));

        const auto pin = samPin();
        QVERIFY(pin);
        QCOMPARE(pin->version, 1);
        QCOMPARE(pin->publicKey, m_ana.sync->keys()->currentIdentity()->signPublic);
        QCOMPARE(pin->practiceName, QStringLiteral("Birch Family Medicine"));
        QVERIFY(!pin->verified);
        QVERIFY(!pin->changed());
        QVERIFY(samNotices().isEmpty());
        // The epoch Sam's device started is signed by that device, and the practice's staff take it as it is.
        const QJsonObject epoch = epochs().first().toObject();
        QCOMPARE(epoch.value("createdByDevice").toString(), m_sam.keys.deviceId);
        QVERIFY(epoch.value("identityVersion").isNull());
        QVERIFY(!epoch.value("signature").toString().isEmpty());
        QVERIFY(seal(m_ana, QStringLiteral("Yes, from 9 to noon.")).envelope);
        QCOMPARE(epochs().size(), 1);
    }

    void aRotationSignedByThePinnedIdentityIsFollowedSilently()
    {
        QVERIFY(samPin());
        // Ben leaves the practice: Ana's device rotates the key and the identity, the new one signed by the old.
        QCOMPARE(m_http
                     ->request("DELETE", QStringLiteral("/v1/practices/%1/staff/%2").arg(m_practiceId, m_benId), {},
                               m_adminToken)
                     .status,
                 204);
        m_ana.sync->connected();
        QTRY_COMPARE_WITH_TIMEOUT(
            m_ana.sync->keys()->currentIdentity() ? m_ana.sync->keys()->currentIdentity()->version : 0, 2, NetworkWait);
        QSignalSpy changed(m_sam.sync.get(), &SecureSync::identityChanged);
        m_sam.sync->keys()->invalidateAll();
        const Sealed sent = seal(m_sam, QStringLiteral("Thanks! See you Saturday."));
        QVERIFY2(sent.envelope, qPrintable(sent.sentence));
        const auto pin = samPin();
        QCOMPARE(pin->version, 2);
        QCOMPARE(pin->publicKey, m_ana.sync->keys()->currentIdentity()->signPublic);
        QVERIFY(!pin->changed());
        QVERIFY(samNotices().isEmpty()); // silently
        QCOMPARE(epochs().first().toObject().value("practiceKeyVersion").toInteger(), 2);
        QVERIFY(m_sam.sync->heldConversations().isEmpty());
    }

    void anUnsignedChangeIsShownAndNothingIsSealedToIt()
    {
        // The practice's identity is replaced without the old one's signature (as a server listing a key of its own
        // would look): the patient's device warns and seals nothing to the new practice key.
        std::optional<bool> replaced;
        m_ana.sync->replacePracticeIdentity([&](bool ok, const QString &) { replaced = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(replaced.has_value(), NetworkWait);
        QVERIFY(*replaced);
        QCOMPARE(m_ana.sync->keys()->currentIdentity()->version, 3);
        const qint64 epochsBefore = epochs().size();

        QSignalSpy changed(m_sam.sync.get(), &SecureSync::identityChanged);
        QSignalSpy notices(m_sam.sync.get(), &SecureSync::noticeAdded);
        m_sam.sync->keys()->invalidateAll();
        const Sealed held = seal(m_sam, QStringLiteral("Can I bring my daughter too?"));
        QVERIFY(!held.envelope);
        QVERIFY(held.retryLater);
        QVERIFY2(held.sentence.contains(QStringLiteral("Birch Family Medicine's security identity changed")),
                 qPrintable(held.sentence));
        QCOMPARE(epochs().size(), epochsBefore);
        for (const QJsonValue &e : epochs())
            QVERIFY(e.toObject().value("practiceKeyVersion").toInteger() < 3);

        auto pin = samPin();
        QCOMPARE(pin->version, 2); // the pinned identity stays
        QVERIFY(pin->changed());
        QCOMPARE(pin->offeredVersion, 3);
        QCOMPARE(pin->offeredKey, m_ana.sync->keys()->currentIdentity()->signPublic);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(notices.count(), 1);
        QVERIFY(
            samNotices().first().text.startsWith(QStringLiteral("Birch Family Medicine's security identity changed")));
        QCOMPARE(m_sam.sync->heldConversations(), QSet<QString>{m_conversationId});
        // Asked again, nothing new is written: the change is recorded once.
        m_sam.sync->keys()->invalidateAll();
        QVERIFY(!seal(m_sam, QStringLiteral("Hello?")).envelope);
        QCOMPARE(samNotices().size(), 1);

        // What the practice sends still opens: the thread keeps working.
        const Sealed reply = seal(m_ana, QStringLiteral("Of course, bring her along."));
        QVERIFY2(reply.envelope, qPrintable(reply.sentence));
        const QJsonObject page =
            m_http->get(QStringLiteral("/v1/conversations/%1/messages").arg(m_conversationId), m_sam.session.token)
                .json;
        const auto message = Message::fromJson(page.value("messages").toArray().first().toObject());
        QVERIFY(message);
        m_sam.store->messages().applyMessage(*message, m_sam.session.user.id);
        QSignalSpy opened(m_sam.sync.get(), &SecureSync::messageOpened);
        StoredMessage result = m_sam.sync->open(*message);
        if (result.verification == Verification::Unopened) {
            QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), NetworkWait);
            result = opened.last().first().value<StoredMessage>();
        }
        QCOMPARE(result.verification, Verification::Verified);
        QCOMPARE(result.message.body, QStringLiteral("Of course, bring her along."));

        // After checking the new identity with the practice, the person accepts it: messages go again.
        QVERIFY(m_sam.sync->acceptIdentity(m_practiceId, true));
        pin = samPin();
        QCOMPARE(pin->version, 3);
        QVERIFY(pin->verified);
        QVERIFY(!pin->changed());
        QVERIFY(m_sam.sync->heldConversations().isEmpty());
        QCOMPARE(samNotices().size(), 2);
        QVERIFY(seal(m_sam, QStringLiteral("Can I bring my daughter too?")).envelope);
        QCOMPARE(epochs().first().toObject().value("practiceKeyVersion").toInteger(), 3);
    }

    void aScannedFingerprintMarksThePinVerifiedAndAnotherMatchesNothing()
    {
        PracticeIdentityPins *pins = m_sam.sync->pins();
        const QByteArray current = m_ana.sync->keys()->currentIdentity()->signPublic;
        QCOMPARE(pins->checkFingerprint(IdentityFingerprint::of(PracticeIdentityKey::generate(1).signPublic)).match,
                 PracticeIdentityPins::FingerprintMatch::NoMatch);
        const auto matched = pins->checkFingerprint(IdentityFingerprint::of(current));
        QCOMPARE(matched.match, PracticeIdentityPins::FingerprintMatch::Pinned);
        QCOMPARE(matched.practiceName, QStringLiteral("Birch Family Medicine"));
        QVERIFY(samPin()->verified);
    }

    void cleanupTestCase()
    {
        for (Device *d : {&m_ana, &m_ben, &m_sam})
            if (d->sync)
                d->sync->stop();
    }
};

QTEST_GUILESS_MAIN(TestClientIdentityPins)
#include "tst_client_identity_pins.moc"
