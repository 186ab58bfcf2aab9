// Secure conversation invitations end to end with two whole apps against the real larch-server (--demo, the
// development outbox) and a real keyring: a clinician invites by email and writes a welcome note; the patient
// joins with the code from the outbox; the banner goes away live on the clinician's screen; the patient reads
// the welcome note.
#include "AppController.h"
#include "ComposeController.h"
#include "ConversationListModel.h"
#include "E2eeTestKit.h"
#include "InvitationBanner.h"
#include "InviteController.h"
#include "PatientOnboarding.h"
#include "ServerProcess.h"
#include "ThreadModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace e2ee;

namespace {
/// The development outbox's deliveries, newest first.
QJsonArray outbox(const QString &serverUrl)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(serverUrl + QStringLiteral("/dev/outbox.json"))));
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, NetworkWait);
    const QJsonArray list = QJsonDocument::fromJson(reply->readAll()).object().value("deliveries").toArray();
    reply->deleteLater();
    return list;
}

/// The newest delivery to an address: an invitation (with invitationId) or a one-time code.
QJsonObject newestTo(const QString &serverUrl, const QString &to, bool invitation)
{
    for (const QJsonValue &value : outbox(serverUrl)) {
        const QJsonObject d = value.toObject();
        if (d.value("to").toString() == to && d.value("invitationId").isString() == invitation)
            return d;
    }
    return {};
}

int rowOfConversation(const ConversationListModel &list, const QString &id) { return list.rowOf(id); }
} // namespace

class TestClientInvites : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_benDir, m_patientDir;
    ServerProcess m_server;
    std::unique_ptr<AppController> m_ben, m_patient;
    const QString m_email = QStringLiteral("riley@patient.example");
    const QString m_welcome = QStringLiteral("Welcome to Birch Family Medicine, Riley. Write to us here any time.");
    QString m_conversationId;

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        qunsetenv("LARCH_CLIENT_DATA_DIR");
        QVERIFY2(m_server.start(m_serverDir.path(), 0, {"--demo"}), qPrintable(m_server.error()));
        m_ben = signedInApp(m_benDir.path(), m_server.url(), QStringLiteral("ben@birch.example"));
        QVERIFY(m_ben->signedIn());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->online(), NetworkWait);
    }

    void clinicianInvitesByEmail()
    {
        InviteController *form = m_ben->inviteController();
        form->setPatientName(QStringLiteral("Riley Park"));
        form->setEmail(m_email);
        QTRY_VERIFY_WITH_TIMEOUT(form->canCreate(), NetworkWait);
        form->create();
        // Created → the new conversation opens at once, with its banner.
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->currentConversationId().isEmpty(), NetworkWait);
        m_conversationId = m_ben->currentConversationId();
        QCOMPARE(m_ben->currentConversationTitle(), QStringLiteral("Riley Park"));
        const int row = rowOfConversation(*m_ben->conversationList(), m_conversationId);
        QVERIFY(row >= 0);
        QVERIFY(m_ben->conversationList()->index(row).data(ConversationListModel::IsInvitedRole).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitationBanner()->shown(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitationBanner()->stateLine().contains(m_email), NetworkWait);
        QVERIFY(form->patientName().isEmpty());  // the form is ready for the next patient

        // The invitation went out by email through the development outbox, with a link.
        QTRY_VERIFY_WITH_TIMEOUT(!newestTo(m_server.url(), m_email, true).isEmpty(), NetworkWait);
        QVERIFY(newestTo(m_server.url(), m_email, true).value("body").toString().contains("/i/"));

        // Inviting the same email again offers the existing conversation instead of a duplicate.
        form->setPatientName(QStringLiteral("Riley Park"));
        form->setEmail(m_email);
        QTRY_COMPARE_WITH_TIMEOUT(form->matches().size(), 1, NetworkWait);
        form->create();
        QTRY_COMPARE_WITH_TIMEOUT(form->duplicateConversationId(), m_conversationId, NetworkWait);
        QVERIFY(!form->error().isEmpty());
        form->reset();
    }

    void clinicianWritesAWelcomeNote()
    {
        m_ben->composeController()->setText(m_welcome);
        QVERIFY(m_ben->composeController()->send());
        ThreadModel *thread = m_ben->threadModel();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, m_welcome) >= 0, NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, m_welcome), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("sent"), NetworkWait);
    }

    void patientJoinsWithTheCode()
    {
        m_patient = std::make_unique<AppController>(m_patientDir.path());
        m_patient->setServerUrl(m_server.url());
        PatientOnboarding *onboarding = m_patient->patientOnboarding();
        onboarding->setContact(m_email);
        onboarding->requestCode();
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->step(), QStringLiteral("code"), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!newestTo(m_server.url(), m_email, false).isEmpty(), NetworkWait);
        const QString body = newestTo(m_server.url(), m_email, false).value("body").toString();
        const QString code = QRegularExpression(QStringLiteral("\\b(\\d{6})\\b")).match(body).captured(1);
        QCOMPARE(code.size(), 6);

        // A wrong code first: the sentence says so and the flow stays on the code step.
        const QString wrong = code == QLatin1String("000000") ? QStringLiteral("111111") : QStringLiteral("000000");
        onboarding->verify(wrong);
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->errorKind(), QStringLiteral("wrong"), NetworkWait);
        QVERIFY(!onboarding->error().isEmpty());
        QCOMPARE(onboarding->step(), QStringLiteral("code"));

        // The invitation named the patient, so no name is asked for: signed in and paired.
        onboarding->verify(code);
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->signedIn(), NetworkWait);
        QCOMPARE(m_patient->userRole(), QStringLiteral("patient"));
        QCOMPARE(m_patient->userName(), QStringLiteral("Riley Park"));
    }

    void bannerDisappearsLiveForTheClinician()
    {
        // Still on the same thread, without reopening it: the event takes the banner and the label away.
        QCOMPARE(m_ben->currentConversationId(), m_conversationId);
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->invitationBanner()->shown(), NetworkWait);
        const int row = rowOfConversation(*m_ben->conversationList(), m_conversationId);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_ben->conversationList()->index(row).data(ConversationListModel::IsInvitedRole).toBool(), NetworkWait);
    }

    void patientReadsTheWelcomeNote()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->conversationList()->rowOf(m_conversationId) >= 0, NetworkWait);
        m_patient->openConversation(m_conversationId);
        ThreadModel *thread = m_patient->threadModel();
        // The key reaches the new device through the clinician's app answering the key request.
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, m_welcome) >= 0, 2 * NetworkWait);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, m_welcome), ThreadModel::VerificationRole),
                 QStringLiteral("verified"));
        QVERIFY(!m_patient->invitationBanner()->shown());  // patients never see the banner
    }

    void cleanupTestCase()
    {
        m_patient.reset();
        m_ben.reset();
    }
};

QTEST_MAIN(TestClientInvites)
#include "tst_client_invites.moc"
