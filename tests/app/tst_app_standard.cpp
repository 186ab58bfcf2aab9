// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Standard (SMS/email) conversations end to end with whole apps against the real larch-server (--demo), a real
// keyring and the loopback SMS gateway in Twilio's shape (tests/support/fakes/sms_gateway.py): a clinician opens an SMS
// conversation, sending waits for consent, a text goes out and its delivery moves, the patient's reply arrives
// live through the signed inbound webhook, STOP blocks sending and START lifts it; then "Invite to Secure
// Conversation" opens a secure thread with its banner, the patient's app signs up with the texted code, and both
// threads belong to the same patient. Last, an email conversation's message lands in the development outbox.
#include "AppTestKit.h"
#include "client/sync/StandardText.h"
#include "client/sync/SyncEngine.h"
#include "Loopback.h"
#include "models/app/AppController.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/PatientOnboarding.h"
#include "models/invites/StandardConversationForm.h"
#include "models/thread/InvitationBanner.h"
#include "models/thread/StandardThread.h"
#include "models/thread/ThreadModel.h"
#include "ServerFiles.h"
#include "TestServer.h"

#include <map>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
const QString GatewayAccount = QStringLiteral("AC0123456789abcdef0123456789abcdef");
const QString GatewayToken = QStringLiteral("gateway-auth-token-for-client-tests");
const QString PracticeNumber = QStringLiteral("+15005550006");
const QString PatientNumber = QStringLiteral("+12015550123");

/// A GET or POST answered by a loopback server: status and body.
struct Answer {
    int status = 0;
    QByteArray body;
};

Answer request(const QUrl &url, const QByteArray *post = nullptr,
               const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager network;
    QNetworkRequest req(url);
    for (const auto &[name, value] : headers)
        req.setRawHeader(name, value);
    QNetworkReply *reply = post ? network.post(req, *post) : network.get(req);
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, NetworkWait);
    Answer a{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return a;
}

/// Posts a text the patient sent, to the inbound webhook, signed the way Twilio signs it (HMAC-SHA1 keyed with the
/// auth token over the URL followed by every field's name and value, sorted by name; base64). The answer's status.
int textFromPatient(const QString &serverUrl, const QString &body, const QString &sid)
{
    const QString url = serverUrl + QStringLiteral("/v1/webhooks/sms/inbound");
    const std::map<QString, QString> fields{
        {"AccountSid", GatewayAccount}, {"Body", body}, {"From", PatientNumber}, {"MessageSid", sid}, {"NumMedia", "0"},
        {"To", PracticeNumber}};
    QByteArray signedText = url.toUtf8();
    QByteArray form;
    for (const auto &[name, value] : fields) {
        signedText += name.toUtf8() + value.toUtf8();
        if (!form.isEmpty())
            form += '&';
        form += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    const QByteArray signature =
        QMessageAuthenticationCode::hash(signedText, GatewayToken.toUtf8(), QCryptographicHash::Sha1).toBase64();
    return request(QUrl(url), &form,
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", signature}})
        .status;
}

QVariant listRole(const AppController &app, const QString &conversationId, int role)
{
    const ConversationListModel *list = app.conversationList();
    const int row = list->rowOf(conversationId);
    return row < 0 ? QVariant() : list->index(row).data(role);
}

QString consentNoteSentence(const QString &name)
{
    return QStringLiteral("%1 recorded verbal consent to unencrypted messages.").arg(name);
}
} // namespace

/// SMS conversations end to end: two whole apps, the real server and the loopback SMS gateway.
class TestAppStandard : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_benDir, m_patientDir;
    loopback::SmsGateway m_gateway;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<AppController> m_ben, m_patient;
    QString m_smsId, m_secureId, m_benToken;
    const QString m_firstText = QStringLiteral("Hello Sam, this is Birch Family Medicine. Your results are in.");

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        qunsetenv("LARCH_CLIENT_DATA_DIR");
        QVERIFY2(m_gateway.start(GatewayAccount, GatewayToken), "tests/support/fakes/sms_gateway.py did not start");
        m_server.setLogFile(m_serverDir.filePath(QStringLiteral("server.log")));
        QVERIFY2(m_server.start({"--demo", "--sms-url", m_gateway.url(), "--sms-account", GatewayAccount, "--sms-token",
                                 GatewayToken, "--sms-from", PracticeNumber}),
                 qPrintable(m_server.error()));
        m_ben = signedInApp(m_benDir.path(), m_server.baseUrl(), QStringLiteral("ben@birch.example"));
        QVERIFY(m_ben->session()->signedIn());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online(), NetworkWait);
        m_benToken =
            bareToken(m_server.baseUrl(), QStringLiteral("ben@birch.example"), QStringLiteral("larch-demo-password"));
        QVERIFY(!m_benToken.isEmpty());
    }

    void clinicianOpensAnSmsConversation()
    {
        StandardConversationForm *form = m_ben->standardForm();
        form->reset(QStringLiteral("sms"));
        form->setName(QStringLiteral("Sam Rivera"));
        form->setContact(QStringLiteral("201 555 0123"));
        QTRY_COMPARE_WITH_TIMEOUT(form->contactDisplay(), QStringLiteral("(201) 555-0123"), NetworkWait);
        QVERIFY(form->canCreate());
        form->create();
        // Created → it opens at once, not encrypted, waiting for consent.
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->current()->id().isEmpty(), NetworkWait);
        m_smsId = m_ben->current()->id();
        QCOMPARE(m_ben->current()->title(), QStringLiteral("Sam Rivera"));
        QVERIFY(form->contact().isEmpty()); // ready for the next one
        QCOMPARE(listRole(*m_ben, m_smsId, ConversationListModel::ChannelRole).toString(), QStringLiteral("sms"));
        QCOMPARE(listRole(*m_ben, m_smsId, ConversationListModel::ContactDisplayRole).toString(),
                 QStringLiteral("(201) 555-0123"));
        QVERIFY(listRole(*m_ben, m_smsId, ConversationListModel::NeedsConsentRole).toBool());
        QVERIFY(!listRole(*m_ben, m_smsId, ConversationListModel::IsSecureRole).toBool());
        StandardThread *standard = m_ben->standard();
        QVERIFY(standard->isStandard());
        QCOMPARE(standard->channel(), QStringLiteral("sms"));
        QCOMPARE(standard->contactDisplay(), QStringLiteral("(201) 555-0123"));

        // The same number again: the existing conversation is offered instead of a second one.
        form->reset(QStringLiteral("sms"));
        form->setContact(QStringLiteral("(201) 555-0123"));
        form->create();
        QTRY_COMPARE_WITH_TIMEOUT(form->duplicateConversationId(), m_smsId, NetworkWait);
        form->reset(QStringLiteral("sms"));
    }

    void sendingWaitsForConsent()
    {
        StandardThread *standard = m_ben->standard();
        ComposeController *compose = m_ben->compose();
        QVERIFY(!standard->canSend());
        QCOMPARE(standard->blockedReason(), StandardText::consentRequired());
        compose->setText(m_firstText);
        QVERIFY(!compose->canSend());
        QVERIFY(!compose->send());
        QCOMPARE(compose->text(), m_firstText); // the draft stays

        // Past the app's own check (as an older copy of the state would let it): the server refuses, the message
        // shows failed with the server's sentence, and its text is kept in the compose bar.
        compose->setText(QString());
        const QString early = QStringLiteral("Sent before consent");
        m_ben->sync()->send(m_smsId, early);
        ThreadModel *thread = m_ben->thread();
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, early), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("failed"), NetworkWait);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, early), ThreadModel::FailureReasonRole),
                 StandardText::consentRequired());
        QCOMPARE(compose->text(), early);
        QVERIFY(m_gateway.textsTo(PatientNumber).isEmpty()); // nothing left the server

        // Consent recorded: a note in the thread, the list and the compose bar follow.
        QSignalSpy saved(standard, &StandardThread::consentSaved);
        standard->recordConsent(QStringLiteral("verbal"), QStringLiteral("Agreed on the phone"));
        QVERIFY(saved.wait(NetworkWait));
        QVERIFY(standard->canSend());
        QVERIFY(standard->consentRecorded());
        QVERIFY(standard->consentText().startsWith(QStringLiteral("Verbal consent recorded by Dr. Ben Okafor on ")));
        QVERIFY(!listRole(*m_ben, m_smsId, ConversationListModel::NeedsConsentRole).toBool());
        const QString noteText = consentNoteSentence(QStringLiteral("Dr. Ben Okafor"));
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, noteText) >= 0, NetworkWait);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, noteText), ThreadModel::KindRole), QStringLiteral("notice"));
        QVERIFY(compose->canSend());
    }

    void messageGoesOutAndItsDeliveryMoves()
    {
        ComposeController *compose = m_ben->compose();
        compose->setText(m_firstText);
        QVERIFY(compose->send());
        ThreadModel *thread = m_ben->thread();
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, m_firstText), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("sent"), NetworkWait);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, m_firstText), ThreadModel::VerificationRole),
                 QStringLiteral("verified"));
        // The text reached the gateway as it was written, to the patient's number, from the practice's.
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway.textsTo(PatientNumber, m_firstText).size(), 1, NetworkWait);
        const QString sid = m_gateway.sidOf(m_firstText);
        QVERIFY(!sid.isEmpty());
        QCOMPARE(m_gateway.report(sid, QStringLiteral("delivered")), 200);
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, m_firstText), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("delivered"), NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(listRole(*m_ben, m_smsId, ConversationListModel::PreviewRole).toString(), m_firstText,
                                  NetworkWait);

        // A text the carrier could not deliver shows failed, with the gateway's reason in a sentence.
        const QString second = QStringLiteral("Please call us to book a follow-up.");
        compose->setText(second);
        QVERIFY(compose->send());
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway.textsTo(PatientNumber, second).size(), 1, NetworkWait);
        const QByteArray callback =
            QJsonDocument(
                QJsonObject{{"sid", m_gateway.sidOf(second)}, {"status", "undelivered"}, {"errorCode", "30006"}})
                .toJson();
        QCOMPARE(request(QUrl(m_gateway.url() + QStringLiteral("/callback")), &callback,
                         {{"Content-Type", "application/json"}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, second), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("failed"), NetworkWait);
        QVERIFY(roleText(*thread, rowOfBody(*thread, second), ThreadModel::FailureReasonRole)
                    .contains(QStringLiteral("30006")));
        QCOMPARE(roleText(*thread, rowOfBody(*thread, m_firstText), ThreadModel::DeliveryStateRole),
                 QStringLiteral("delivered"));
    }

    void patientsReplyArrivesLive()
    {
        const QString reply = QStringLiteral("Thanks! Running 10 minutes late.");
        QCOMPARE(textFromPatient(m_server.baseUrl(), reply, QStringLiteral("SMinbound0001")), 200);
        ThreadModel *thread = m_ben->thread();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, reply) >= 0, NetworkWait);
        const int row = rowOfBody(*thread, reply);
        QCOMPARE(roleText(*thread, row, ThreadModel::DeliveryStateRole), QStringLiteral("received"));
        QCOMPARE(roleText(*thread, row, ThreadModel::SenderNameRole), QStringLiteral("Sam Rivera"));
        QVERIFY(!thread->index(row).data(ThreadModel::IsMineRole).toBool());
        // The gateway retried the same text: nothing new.
        QCOMPARE(textFromPatient(m_server.baseUrl(), reply, QStringLiteral("SMinbound0001")), 200);
        QTest::qWait(500);
        QCOMPARE(countRows(*thread, ThreadModel::BodyRole, reply), 1);
        // A forged signature is refused.
        const QByteArray form = "From=%2B12015550123&MessageSid=SMforged&Body=hi";
        QCOMPARE(request(QUrl(m_server.baseUrl() + QStringLiteral("/v1/webhooks/sms/inbound")), &form,
                         {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", "AAAA"}})
                     .status,
                 403);
    }

    void stopBlocksSendingWithTheReason()
    {
        QCOMPARE(textFromPatient(m_server.baseUrl(), QStringLiteral("STOP"), QStringLiteral("SMinbound0002")), 200);
        ThreadModel *thread = m_ben->thread();
        StandardThread *standard = m_ben->standard();
        const QString stopped = QStringLiteral("This number replied STOP and is unsubscribed.");
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, stopped) >= 0, NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(standard->optedOut(), NetworkWait);
        QVERIFY(listRole(*m_ben, m_smsId, ConversationListModel::OptedOutRole).toBool());
        QVERIFY(!standard->canSend());
        QCOMPARE(standard->blockedReason(), StandardText::optedOut());
        QVERIFY(standard->optedOutText().contains(QStringLiteral("STOP")));
        ComposeController *compose = m_ben->compose();
        compose->setText(QStringLiteral("Are you there?"));
        QVERIFY(!compose->send());
        QCOMPARE(compose->error(), StandardText::optedOut());
        // The number got one confirmation, naming nobody.
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway.textsTo(PatientNumber, QStringLiteral("unsubscribed")).size(), 1,
                                  NetworkWait);
        QVERIFY(!m_gateway.textsTo(PatientNumber, QStringLiteral("unsubscribed"))
                     .first()
                     .contains(QStringLiteral("Birch")));
        // The server refuses a send too, with its sentence (a tool past the app, with a bare session).
        const ApiResult refused =
            call(m_server.baseUrl(), m_benToken, [&](ApiClient &api, QObject *ctx, ApiClient::Callback done) {
                api.postPlainMessage(m_smsId, QStringLiteral("0d6c2a4e-5b1f-4d0e-9a57-1f2e3d4c5b6a"),
                                     QStringLiteral("Are you there?"), ctx, done);
            });
        QCOMPARE(refused.httpStatus, 409);
        QCOMPARE(refused.error.code, QStringLiteral("opted_out"));
        QVERIFY(refused.error.sentence.contains(QStringLiteral("STOP")));
        // Nor can an invitation be texted to a number that said STOP.
        standard->inviteToSecure();
        QTRY_VERIFY_WITH_TIMEOUT(!standard->error().isEmpty(), NetworkWait);
        QVERIFY(standard->error().contains(QStringLiteral("STOP")));
        QCOMPARE(m_ben->current()->id(), m_smsId);

        // START: texting is possible again.
        QCOMPARE(textFromPatient(m_server.baseUrl(), QStringLiteral("start"), QStringLiteral("SMinbound0003")), 200);
        QTRY_VERIFY_WITH_TIMEOUT(!standard->optedOut(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOfBody(*thread, QStringLiteral("This number replied START and can be texted again.")) >= 0, NetworkWait);
        QVERIFY(standard->canSend());
        QVERIFY(compose->send());
        compose->setText(QString());
    }

    void inviteToSecureConversation()
    {
        StandardThread *standard = m_ben->standard();
        QSignalSpy ready(standard, &StandardThread::secureConversationReady);
        standard->inviteToSecure();
        QVERIFY(ready.wait(NetworkWait));
        m_secureId = ready.first().first().toString();
        // The new secure thread opens, with its "Hasn't Created an Account" banner.
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->current()->id(), m_secureId, NetworkWait);
        QVERIFY(m_ben->current()->secure());
        QVERIFY(!m_ben->standard()->isStandard());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitation()->shown(), NetworkWait);
        QVERIFY(listRole(*m_ben, m_secureId, ConversationListModel::IsInvitedRole).toBool());
        QCOMPARE(listRole(*m_ben, m_secureId, ConversationListModel::ChannelRole).toString(), QStringLiteral("secure"));

        // The standard thread says so, with a link that opens the secure one.
        m_ben->current()->open(m_smsId);
        ThreadModel *thread = m_ben->thread();
        const QString invited = QStringLiteral("Invited to a secure conversation.");
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, invited) >= 0, NetworkWait);
        const int row = rowOfBody(*thread, invited);
        QCOMPARE(roleText(*thread, row, ThreadModel::KindRole), QStringLiteral("notice"));
        QCOMPARE(roleText(*thread, row, ThreadModel::LinkConversationIdRole), m_secureId);
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->standard()->secureConversationId(), m_secureId, NetworkWait);
        // The consent note still names its method, read back from the store.
        QVERIFY(rowOfBody(*thread, consentNoteSentence(QStringLiteral("Dr. Ben Okafor"))) >= 0);
        m_ben->current()->open(roleText(*thread, row, ThreadModel::LinkConversationIdRole));
        QCOMPARE(m_ben->current()->id(), m_secureId);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitation()->shown(), NetworkWait);
    }

    // A contact change written just before a message this device already has (its own text, confirmed by the
    // POST's answer before the change's event came) arrives in a copy older than that message. The app fetches the
    // conversation again instead of losing the change.
    void aContactChangeOvertakenByANewerMessageIsFetchedAgain()
    {
        const auto get = [&] {
            const Answer a = request(QUrl(m_server.baseUrl() + QStringLiteral("/v1/conversations/") + m_smsId), nullptr,
                                     {{"Authorization", "Bearer " + m_benToken.toUtf8()}});
            return QJsonDocument::fromJson(a.body).object();
        };
        const QJsonObject invited = get(); // the copy the invitation's event carried
        QCOMPARE(invited.value("standard").toObject().value("secureConversationId").toString(), m_secureId);
        const qint64 invitedSeq = invited.value("lastSeq").toInteger();

        m_ben->sync()->send(m_smsId, QStringLiteral("Your appointment is on Tuesday at 9."));
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->store()->conversations().summary(m_smsId)->lastSeq, invitedSeq + 1,
                                  NetworkWait);
        // The store as that race leaves it: the newer message, the contact from before the invitation.
        QJsonObject raced = get();
        QCOMPARE(raced.value("lastSeq").toInteger(), invitedSeq + 1);
        QJsonObject contact = raced.value("standard").toObject();
        contact.insert("secureConversationId", QJsonValue::Null);
        raced.insert("standard", contact);
        QVERIFY(m_ben->sync()->applyConversationJson(raced));
        QCOMPARE(m_ben->store()->conversations().summary(m_smsId)->standard->secureConversationId, QString());

        // Then the invitation's copy: older than the newest message, so the store holds its contact back, and asks.
        QVERIFY(m_ben->sync()->applyConversationJson(invited));
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->store()->conversations().summary(m_smsId)->standard->secureConversationId,
                                  m_secureId, NetworkWait);
        QCOMPARE(m_ben->store()->conversations().summary(m_smsId)->lastSeq, invitedSeq + 1);
    }

    void patientSignsUpWithTheTextedCode()
    {
        // The invitation went to the number on file, by SMS, with a link and no name.
        QTRY_COMPARE_WITH_TIMEOUT(m_gateway.textsTo(PatientNumber, QStringLiteral("/i/")).size(), 1, NetworkWait);
        const QString invitation = m_gateway.textsTo(PatientNumber, QStringLiteral("/i/")).first();
        QVERIFY(!invitation.contains(QStringLiteral("Sam")));
        const auto link = QRegularExpression(QStringLiteral("/i/([A-Za-z0-9_-]{16,128})")).match(invitation);
        QVERIFY(link.hasMatch());

        m_patient = std::make_unique<AppController>(m_patientDir.path());
        m_patient->session()->setServerUrl(m_server.baseUrl());
        QVERIFY(m_patient->links()->open(QStringLiteral("larch://invite/") + link.captured(1)));
        PatientOnboarding *onboarding = m_patient->onboarding();
        QTRY_VERIFY_WITH_TIMEOUT(!onboarding->contactHint().isEmpty(), NetworkWait);
        onboarding->setContact(QStringLiteral("201 555 0123"));
        const int textsBefore = int(m_gateway.textsTo(PatientNumber).size());
        onboarding->requestCode();
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->step(), QStringLiteral("code"), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_gateway.textsTo(PatientNumber).size() > textsBefore, NetworkWait);
        const QString codeText = m_gateway.textsTo(PatientNumber).last();
        const QString code = QRegularExpression(QStringLiteral("\\b(\\d{6})\\b")).match(codeText).captured(1);
        QCOMPARE(code.size(), 6);
        onboarding->verify(code);
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->session()->signedIn(), NetworkWait);
        QCOMPARE(m_patient->session()->userRole(), AccountRole::Patient);
        QCOMPARE(m_patient->session()->userName(), QStringLiteral("Sam Rivera"));
    }

    void bothThreadsAreTheSamePatients()
    {
        // The patient sees the secure conversation, never the standard one.
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->conversationList()->rowOf(m_secureId) >= 0, NetworkWait);
        QVERIFY(m_patient->conversationList()->rowOf(m_smsId) < 0);
        // Still on the secure thread, the clinician's banner goes away live.
        QCOMPARE(m_ben->current()->id(), m_secureId);
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->invitation()->shown(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!listRole(*m_ben, m_secureId, ConversationListModel::IsInvitedRole).toBool(),
                                 NetworkWait);
        const QString patientId = m_patient->session()->userId();
        QVERIFY(!patientId.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->store()->conversations().patient(m_secureId), patientId, NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(m_ben->store()->conversations().patient(m_smsId), patientId, NetworkWait);
        QCOMPARE(m_patient->store()->conversations().patient(m_secureId), patientId);
    }

    void restartKeepsTheThreadAndNothingIsInTheClear()
    {
        // The clinician's app starts again from its cache: the contact, consent, notes and deliveries are there.
        m_ben.reset();
        m_ben = std::make_unique<AppController>(m_benDir.path());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->signedIn(), NetworkWait);
        QCOMPARE(listRole(*m_ben, m_smsId, ConversationListModel::ContactDisplayRole).toString(),
                 QStringLiteral("(201) 555-0123"));
        QVERIFY(!listRole(*m_ben, m_smsId, ConversationListModel::NeedsConsentRole).toBool());
        m_ben->current()->open(m_smsId);
        ThreadModel *thread = m_ben->thread();
        QCOMPARE(roleText(*thread, rowOfBody(*thread, m_firstText), ThreadModel::DeliveryStateRole),
                 QStringLiteral("delivered"));
        QVERIFY(rowOfBody(*thread, consentNoteSentence(QStringLiteral("Dr. Ben Okafor"))) >= 0);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, QStringLiteral("Invited to a secure conversation.")),
                          ThreadModel::LinkConversationIdRole),
                 m_secureId);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online(), NetworkWait);

        // The device keeps the number and the texts encrypted at rest; the server's log names neither.
        const QByteArray cache = bytesUnder(m_benDir.path());
        for (const QString &secret :
             {QStringLiteral("(201) 555-0123"), PatientNumber, m_firstText, QStringLiteral("Agreed on the phone")})
            QVERIFY2(!containsText(cache, secret), qPrintable(secret));
        const QByteArray log = bytesOf(m_serverDir.filePath(QStringLiteral("server.log")));
        for (const QString &secret : {PatientNumber, QStringLiteral("2015550123"), QStringLiteral("555-0123"),
                                      m_firstText, QStringLiteral("Sam Rivera"), QStringLiteral("Running 10 minutes")})
            QVERIFY2(!containsText(log, secret), qPrintable(secret));
    }

    void emailConversationUsesTheOutbox()
    {
        StandardConversationForm *form = m_ben->standardForm();
        form->reset(QStringLiteral("email"));
        form->setContact(QStringLiteral("jo.park@patient.example"));
        QTRY_VERIFY_WITH_TIMEOUT(!form->contactDisplay().isEmpty(), NetworkWait);
        QSignalSpy created(form, &StandardConversationForm::created);
        form->create();
        QVERIFY(created.wait(NetworkWait));
        const QString emailId = created.first().first().toString();
        QCOMPARE(m_ben->current()->id(), emailId);
        QCOMPARE(listRole(*m_ben, emailId, ConversationListModel::ChannelRole).toString(), QStringLiteral("email"));
        QCOMPARE(m_ben->current()->title(), QStringLiteral("jo.park@patient.example"));
        StandardThread *standard = m_ben->standard();
        QSignalSpy saved(standard, &StandardThread::consentSaved);
        standard->recordConsent(QStringLiteral("patient_initiated"), QString());
        QVERIFY(saved.wait(NetworkWait));
        const QString text = QStringLiteral("Your appointment is confirmed for Tuesday.");
        m_ben->compose()->setText(text);
        QVERIFY(m_ben->compose()->send());
        ThreadModel *thread = m_ben->thread();
        QTRY_VERIFY_WITH_TIMEOUT(
            QStringList({"queued", "sent", "delivered"})
                .contains(roleText(*thread, rowOfBody(*thread, text), ThreadModel::DeliveryStateRole)),
            NetworkWait);
        // No SMTP server was given: the mail waits in the development outbox, to the contact, with the text.
        QTRY_VERIFY_WITH_TIMEOUT(
            ([&] {
                const Answer a = request(QUrl(m_server.baseUrl() + QStringLiteral("/dev/outbox.json")));
                for (const QJsonValue &d : QJsonDocument::fromJson(a.body).object().value("deliveries").toArray()) {
                    const QJsonObject o = d.toObject();
                    if (o.value("to").toString() == QLatin1String("jo.park@patient.example")
                        && o.value("body").toString().contains(text))
                        return true;
                }
                return false;
            }()),
            NetworkWait);
    }

    void cleanupTestCase()
    {
        m_patient.reset();
        m_ben.reset();
    }
};

QTEST_MAIN(TestAppStandard)
#include "tst_app_standard.moc"
