// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice identity pinning in the models, against the real larch-server: the Practice Link staff share carries the
// fingerprint of the identity their device holds (its QR code too), a patient who joins through it is pinned to that
// identity and verified, a link whose code does not match is refused before anything is asked, and the thread's
// warning after an unsigned change takes the practice's code to accept the new identity.
#include "client/e2ee/KeyRing.h"
#include "client/e2ee/PracticeIdentityPins.h"
#include "client/e2ee/SecureSync.h"
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "ClientTestKit.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/PracticeIdentity.h"
#include "HttpClient.h"
#include "models/invites/LinkRouter.h"
#include "models/invites/PatientOnboarding.h"
#include "models/practicelinks/PracticeLinkModel.h"
#include "models/practicelinks/PracticeLinks.h"
#include "models/practicelinks/QrCode.h"
#include "models/security/PracticeIdentityStatus.h"
#include "models/thread/PracticeIdentityWarning.h"
#include "TestServer.h"

#include <memory>
#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using testkit::NetworkWait;

namespace {

/// One person's device, its store and its end-to-end encryption.
struct Device {
    QTemporaryDir dir;
    std::unique_ptr<LocalStore> store = std::make_unique<LocalStore>(dir.path());
    ApiClient api;
    DeviceKeys keys = DeviceKeys::generate();
    Session session;
    std::unique_ptr<SecureSync> sync;
};

/// Starts a device for a session answer (sign-in or a code's verify), with the conversations its user sees.
bool start(Device &d, const QString &serverUrl, const QJsonObject &sessionBody, HttpClient &http)
{
    d.api.setServerUrl(QUrl(serverUrl));
    d.session = *Session::fromJson(sessionBody);
    d.api.setToken(d.session.token);
    std::optional<ApiResult> answer;
    d.api.registerDevice(d.keys.deviceId, QStringLiteral("Test"), d.keys.boxPublic, d.keys.signPublic, &d.api,
                         [&](const ApiResult &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait) || !answer->ok() || !d.store->open())
        return false;
    d.store->setStorageKey(d.keys.storageKey);
    for (const QJsonValue &c :
         http.get(QStringLiteral("/v1/conversations"), d.session.token).json.value("conversations").toArray())
        d.store->conversations().upsert(*Conversation::fromJson(c.toObject()));
    d.sync = std::make_unique<SecureSync>(d.store.get(), &d.api);
    d.sync->start(d.session, d.keys, answer->body.value("state").toString() == QLatin1String("active"));
    return true;
}

QString codeSentTo(const QString &serverUrl, const QString &to)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(serverUrl + QStringLiteral("/dev/outbox.json"))));
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, NetworkWait);
    const QJsonArray deliveries = QJsonDocument::fromJson(reply->readAll()).object().value("deliveries").toArray();
    reply->deleteLater();
    static const QRegularExpression sixDigits(QStringLiteral("\\b(\\d{6})\\b"));
    for (const QJsonValue &value : deliveries) {
        if (value.toObject().value("to").toString() == to)
            return sixDigits.match(value.toObject().value("body").toString()).captured(1);
    }
    return {};
}

} // namespace

/// Practice identity pinning through Practice Links and the thread's warning, against the real server.
class TestPracticeIdentityModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_scratch;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<HttpClient> m_http;
    Device m_ana, m_jamie;
    QString m_practiceId, m_url, m_conversationId;

    /// A patient signs up through a Practice Link as the app would; the session answer, or an empty object.
    QJsonObject signUp(PatientOnboarding &onboarding, const QString &phone, const QString &name)
    {
        onboarding.setContact(phone);
        onboarding.requestCode();
        if (!QTest::qWaitFor([&] { return onboarding.stepValue() == OnboardingStep::Code; }, NetworkWait))
            return {};
        onboarding.verify(codeSentTo(m_server.baseUrl(), phone));
        if (!QTest::qWaitFor([&] { return onboarding.stepValue() == OnboardingStep::Name; }, NetworkWait))
            return {};
        onboarding.submitName(name);
        (void)QTest::qWaitFor([&] { return onboarding.stepValue() == OnboardingStep::Done; }, NetworkWait);
        return m_lastSession;
    }
    QJsonObject m_lastSession;

private slots:
    void initTestCase()
    {
        QVERIFY(initCrypto());
        QVERIFY(m_server.start());
        m_http = std::make_unique<HttpClient>(m_server.baseUrl());
        const QJsonObject practice =
            m_http->createPractice(QStringLiteral("Birch Family Medicine"), QStringLiteral("ana@birch.example"));
        m_practiceId = practice.value("practice").toObject().value("id").toString();
        QVERIFY(start(m_ana, m_server.baseUrl(), practice.value("session").toObject(), *m_http));
        m_ana.sync->connected();
        QTRY_VERIFY_WITH_TIMEOUT(m_ana.sync->keys()->currentIdentity(), NetworkWait);
    }

    void theLinkStaffShareCarriesTheIdentitysFingerprint()
    {
        PracticeLinks links(
            &m_ana.api, [this] { return m_practiceId; }, [] { return true; });
        QAbstractItemModelTester tester(links.links(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        links.load();
        QTRY_VERIFY_WITH_TIMEOUT(links.loaded(), NetworkWait);
        const PracticeLinkModel &model = *links.links();
        const QString plain = model.index(0).data(PracticeLinkModel::UrlRole).toString();
        QVERIFY(!plain.contains(QLatin1String("fp=")));
        QVERIFY(model.index(0).data(PracticeLinkModel::FingerprintRole).toString().isEmpty());

        QSignalSpy changes(links.links(), &QAbstractItemModel::dataChanged);
        const QByteArray identity = m_ana.sync->keys()->currentIdentity()->signPublic;
        links.setIdentityKey(identity);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.first().at(2).value<QList<int>>(),
                 (QList<int>{PracticeLinkModel::UrlRole, PracticeLinkModel::FingerprintRole}));
        links.setIdentityKey(identity); // the same again changes nothing
        QCOMPARE(changes.size(), 1);
        m_url = model.index(0).data(PracticeLinkModel::UrlRole).toString();
        QCOMPARE(m_url, plain + QStringLiteral("?fp=") + IdentityFingerprint::linkText(identity));
        QCOMPARE(model.index(0).data(PracticeLinkModel::FingerprintRole).toString(),
                 IdentityFingerprint::displayText(identity));
        QVERIFY(model.roleNames().values().contains("fingerprint"));
        QCOMPARE(LinkRouter::practiceLinkCode(m_url), LinkRouter::practiceLinkCode(plain));
        QCOMPARE(LinkRouter::practiceLinkFingerprint(m_url).value_or("none"), IdentityFingerprint::of(identity));

        // The QR code printed for the waiting room is that very link.
        const QString png = m_scratch.filePath(QStringLiteral("poster.png"));
        QVERIFY(links.saveQrCode(m_url, QUrl::fromLocalFile(png)));
        QProcess zbar;
        zbar.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), png});
        QVERIFY(zbar.waitForFinished(30000));
        QCOMPARE(QString::fromUtf8(zbar.readAllStandardOutput()).trimmed(), m_url);

        // The page the link opens hands the fingerprint on to the app.
        const HttpReply page = m_http->get(QUrl(m_url).path() + QStringLiteral("?") + QUrl(m_url).query());
        QVERIFY(page.body.contains(("larch://practice/" + LinkRouter::practiceLinkCode(m_url)
                                    + "?fp=" + IdentityFingerprint::linkText(identity))
                                       .toUtf8()));
    }

    void fingerprintsInLinksAreReadForgivinglyOrRefused()
    {
        const QByteArray fp = IdentityFingerprint::of(PracticeIdentityKey::generate(1).signPublic);
        const QString text = IdentityFingerprint::textOf(fp);
        QCOMPARE(LinkRouter::practiceLinkFingerprint(QStringLiteral("larch://practice/AbC_12-xyz?fp=") + text.toLower())
                     .value_or("none"),
                 fp);
        QCOMPARE(LinkRouter::practiceLinkFingerprint(QStringLiteral("https://larch.example/p/AbC_12-xyz#fp=") + text)
                     .value_or("none"),
                 fp);
        QCOMPARE(LinkRouter::practiceLinkFingerprint(QStringLiteral("https://larch.example/p/AbC_12-xyz")).value(),
                 QByteArray());
        QVERIFY(!LinkRouter::practiceLinkFingerprint(QStringLiteral("larch://practice/AbC_12-xyz?fp=12345")));
    }

    void aLinkWhoseCodeDoesNotMatchIsRefusedBeforeAnythingIsAsked()
    {
        ApiClient api;
        api.setServerUrl(QUrl(m_server.baseUrl()));
        PatientOnboarding onboarding(&api, [](const QJsonObject &) {});
        const QString code = LinkRouter::practiceLinkCode(m_url);
        onboarding.openPracticeLink(code, IdentityFingerprint::of(PracticeIdentityKey::generate(1).signPublic));
        QTRY_VERIFY_WITH_TIMEOUT(onboarding.linkUnusable(), NetworkWait);
        QVERIFY(!onboarding.identityMatched());
        QCOMPARE(onboarding.error(),
                 QStringLiteral("This Practice Link's security code does not match Birch Family Medicine on this "
                                "server, so Larch will not join through it. Ask the practice in person for its link."));
        onboarding.setContact(QStringLiteral("+12015550170"));
        onboarding.requestCode();
        QVERIFY(!onboarding.busy()); // nothing is asked with it
        QCOMPARE(onboarding.stepValue(), OnboardingStep::Contact);

        // A code cut short or mistyped is refused at once, without asking the server.
        onboarding.openPracticeLink(code, std::nullopt);
        QVERIFY(onboarding.linkUnusable());
        QVERIFY(onboarding.error().contains(QLatin1String("damaged")));
        QVERIFY(!onboarding.busy());
    }

    void aPatientWhoJoinsThroughTheLinkIsPinnedToItsIdentityAndVerified()
    {
        ApiClient api;
        api.setServerUrl(QUrl(m_server.baseUrl()));
        PatientOnboarding onboarding(&api, [this](const QJsonObject &body) { m_lastSession = body; });
        onboarding.openPracticeLink(LinkRouter::practiceLinkCode(m_url), LinkRouter::practiceLinkFingerprint(m_url));
        QTRY_COMPARE_WITH_TIMEOUT(onboarding.practiceName(), QStringLiteral("Birch Family Medicine"), NetworkWait);
        QVERIFY(onboarding.identityMatched());
        QVERIFY(!onboarding.linkUnusable());
        const QJsonObject session = signUp(onboarding, QStringLiteral("+12015550171"), QStringLiteral("Jamie Rivera"));
        QVERIFY(!session.isEmpty());
        m_conversationId = onboarding.joinedConversationId();
        QVERIFY(!m_conversationId.isEmpty());

        // The app's session starts and holds the link's fingerprint as what the practice's identity must be.
        QVERIFY(start(m_jamie, m_server.baseUrl(), session, *m_http));
        PracticeIdentityWarning warning(m_jamie.store.get(), m_jamie.sync.get(), [] { return true; });
        warning.expectAfterSignIn(m_conversationId, onboarding.linkFingerprint());
        warning.applyExpectation();
        warning.setConversation(m_conversationId);
        QTRY_VERIFY_WITH_TIMEOUT(m_jamie.sync->pins()->pin(m_practiceId).has_value(), NetworkWait);
        const PracticePin pin = *m_jamie.sync->pins()->pin(m_practiceId);
        QCOMPARE(pin.publicKey, m_ana.sync->keys()->currentIdentity()->signPublic);
        QVERIFY(pin.verified);
        QTRY_VERIFY_WITH_TIMEOUT(warning.verified(), NetworkWait);
        QVERIFY(!warning.shown());
    }

    void theWarningTakesThePracticesCodeToAcceptAChangedIdentity()
    {
        std::optional<bool> replaced;
        m_ana.sync->replacePracticeIdentity([&](bool ok, const QString &) { replaced = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(replaced.value_or(false), NetworkWait);
        const QByteArray next = m_ana.sync->keys()->currentIdentity()->signPublic;

        PracticeIdentityWarning warning(m_jamie.store.get(), m_jamie.sync.get(), [] { return true; });
        QSignalSpy changed(&warning, &PracticeIdentityWarning::changed);
        warning.setConversation(m_conversationId); // opening the thread asks the server
        QTRY_VERIFY_WITH_TIMEOUT(warning.shown(), NetworkWait);
        QCOMPARE(warning.practiceName(), QStringLiteral("Birch Family Medicine"));
        QCOMPARE(warning.newFingerprint(), IdentityFingerprint::displayText(next));
        QVERIFY(!warning.pinnedFingerprint().isEmpty());
        QVERIFY(warning.canAccept());
        QVERIFY(!warning.linkMismatch());
        QVERIFY(!warning.verified());

        QVERIFY(!warning.checkCode(QStringLiteral("1234")));
        QVERIFY(warning.error().contains(QLatin1String("32")));
        QVERIFY(!warning.checkCode(IdentityFingerprint::displayText(PracticeIdentityKey::generate(1).signPublic)));
        QVERIFY(warning.error().contains(QLatin1String("does not match")));
        QVERIFY(warning.shown());
        // Read out by the practice, typed in lower case with dashes: accepted, and verified.
        QVERIFY(warning.checkCode(IdentityFingerprint::displayText(next).toLower().replace(u' ', u'-')));
        QVERIFY(warning.error().isEmpty());
        QVERIFY(!warning.shown());
        QVERIFY(warning.verified());
        QVERIFY(m_jamie.sync->heldConversations().isEmpty());

        // A code scanned later while signed in is compared with the practices the patient messages.
        QVERIFY(warning.checkScannedFingerprint(IdentityFingerprint::of(next)).contains(QLatin1String("matches")));
        QVERIFY(warning.checkScannedFingerprint(IdentityFingerprint::of(PracticeIdentityKey::generate(1).signPublic))
                    .contains(QLatin1String("does not match")));
    }

    void staffNeverSeeTheWarning()
    {
        PracticeIdentityWarning warning(m_ana.store.get(), m_ana.sync.get(), [] { return false; });
        warning.setConversation(m_conversationId);
        QVERIFY(!warning.shown());
    }

    void administratorsSeeTheSecurityCodeAndReplaceTheIdentity()
    {
        PracticeIdentityStatus status(m_ana.sync.get(), [] { return true; });
        QCOMPARE(status.state(), PracticeIdentityStatus::State::Unknown);
        status.refresh();
        QVERIFY(status.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!status.busy(), NetworkWait);
        QCOMPARE(status.state(), PracticeIdentityStatus::State::Held);
        const QString before = status.securityCode();
        QCOMPARE(before, IdentityFingerprint::displayText(m_ana.sync->keys()->currentIdentity()->signPublic));

        // A device that holds the identity has nothing to replace: a signed rotation serves, and patients are
        // spared a warning.
        status.replace();
        QVERIFY(!status.busy());
        QVERIFY(status.error().contains(QLatin1String("nothing to replace")));
        QCOMPARE(status.securityCode(), before);
        QCOMPARE(IdentityFingerprint::displayText(m_ana.sync->keys()->currentIdentity()->signPublic), before);

        // Someone who is not an administrator is told so, and nothing changes.
        PracticeIdentityStatus clinicians(m_ana.sync.get(), [] { return false; });
        clinicians.replace();
        QVERIFY(!clinicians.busy());
        QVERIFY(clinicians.error().contains(QLatin1String("Only an administrator")));
        QCOMPARE(IdentityFingerprint::displayText(m_ana.sync->keys()->currentIdentity()->signPublic),
                 status.securityCode());

        // A patient's app has no practice identity status to show.
        PracticeIdentityStatus patients(m_jamie.sync.get(), [] { return false; });
        patients.refresh();
        QVERIFY(!patients.busy());
        QCOMPARE(patients.state(), PracticeIdentityStatus::State::Unknown);
        status.reset();
        QCOMPARE(status.state(), PracticeIdentityStatus::State::Unknown);
        QVERIFY(status.securityCode().isEmpty());
    }

    void aDeviceWaitingForApprovalDoesNotHoldTheIdentity()
    {
        // Ana's second device: the practice has keys, so it waits for approval and holds nothing yet.
        Device second;
        const QJsonObject session =
            m_http
                ->post(
                    QStringLiteral("/v1/sessions"),
                    {{"email", "ana@birch.example"}, {"password", "correct horse battery"}, {"deviceName", "Laptop"}})
                .json;
        QVERIFY(start(second, m_server.baseUrl(), session, *m_http));
        PracticeIdentityStatus status(second.sync.get(), [] { return true; });
        status.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!status.busy(), NetworkWait);
        QCOMPARE(status.state(), PracticeIdentityStatus::State::NotHeld);
        QVERIFY(status.securityCode().isEmpty());
        // Replacing from it is refused with the reason: only an approved device may.
        status.replace();
        QTRY_VERIFY_WITH_TIMEOUT(!status.busy(), NetworkWait);
        QVERIFY2(status.error().contains(QLatin1String("approved")), qPrintable(status.error()));
        second.sync->stop();
    }

    void cleanupTestCase()
    {
        for (Device *d : {&m_ana, &m_jamie})
            if (d->sync)
                d->sync->stop();
    }
};

QTEST_MAIN(TestPracticeIdentityModels)
#include "tst_models_practice_identity.moc"
