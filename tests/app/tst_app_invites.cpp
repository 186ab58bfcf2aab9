// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Secure conversation invitations end to end with two whole apps against the real larch-server (--demo) and a
// real keyring, email through a real SMTP server on loopback (aiosmtpd): a clinician invites by email and
// writes a welcome note; the patient app opens the link from the received mail, as main() does, and joins with
// the code from the code mail; the banner goes away live on the clinician's screen; the patient reads the
// welcome note.
#include "AppTestKit.h"
#include "Loopback.h"
#include "models/app/AppController.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/InviteController.h"
#include "models/invites/PatientOnboarding.h"
#include "models/thread/InvitationBanner.h"
#include "models/thread/ThreadModel.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

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

/// The first mail received to an address that contains (or, with contains false, lacks) marker; "" if none.
QString mailTo(const loopback::MailSink &smtp, const QString &to, const QString &marker, bool contains = true)
{
    for (const QString &mail : smtp.mails()) {
        if (mail.contains(QStringLiteral("<%1>").arg(to)) && mail.contains(marker) == contains)
            return mail;
    }
    return {};
}

int rowOfConversation(const ConversationListModel &list, const QString &id) { return list.rowOf(id); }
} // namespace

/// Invitations by e-mail end to end: the clinician's app invites, the patient's app joins from the mails.
class TestAppInvites : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_benDir, m_patientDir;
    loopback::MailSink m_smtp;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<AppController> m_ben, m_patient;
    const QString m_email = QStringLiteral("riley@patient.example");
    const QString m_welcome = QStringLiteral("Welcome to Birch Family Medicine, Riley. Write to us here any time.");
    QString m_conversationId;
    QString m_link;

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        qunsetenv("LARCH_CLIENT_DATA_DIR");
        // A real SMTP server on loopback; its Mailbox handler keeps every mail as a file in a Maildir.
        QVERIFY2(m_smtp.start(), "aiosmtpd did not start; install python3-aiosmtpd");
        QVERIFY2(m_server.start({"--demo", "--smtp-url", m_smtp.url(), "--smtp-from",
                                 "Birch Family Medicine <invites@birch.example>"}),
                 qPrintable(m_server.error()));
        m_ben = signedInApp(m_benDir.path(), m_server.baseUrl(), QStringLiteral("ben@birch.example"));
        QVERIFY(m_ben->session()->signedIn());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->session()->online(), NetworkWait);
    }

    void clinicianInvitesByEmail()
    {
        InviteController *form = m_ben->invite();
        form->setPatientName(QStringLiteral("Riley Park"));
        form->setEmail(m_email);
        QTRY_VERIFY_WITH_TIMEOUT(form->canCreate(), NetworkWait);
        form->create();
        // Created → the new conversation opens at once, with its banner.
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->current()->id().isEmpty(), NetworkWait);
        m_conversationId = m_ben->current()->id();
        QCOMPARE(m_ben->current()->title(), QStringLiteral("Riley Park"));
        const int row = rowOfConversation(*m_ben->conversationList(), m_conversationId);
        QVERIFY(row >= 0);
        QVERIFY(m_ben->conversationList()->index(row).data(ConversationListModel::IsInvitedRole).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitation()->shown(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_ben->invitation()->stateLine().contains(m_email), NetworkWait);
        QVERIFY(form->patientName().isEmpty()); // the form is ready for the next patient

        // The invitation went out by email through the SMTP server, with a link; nothing in the development outbox.
        QTRY_VERIFY_WITH_TIMEOUT(!mailTo(m_smtp, m_email, QStringLiteral("/i/")).isEmpty(), NetworkWait);
        const QString mail = mailTo(m_smtp, m_email, QStringLiteral("/i/"));
        const auto link = QRegularExpression(QStringLiteral("/i/([A-Za-z0-9_-]{43})")).match(mail);
        QVERIFY2(link.hasMatch(), "the invitation mail holds no link");
        m_link = QStringLiteral("larch://invite/") + link.captured(1);
        QVERIFY(!mail.contains(QStringLiteral("Riley"))); // no names in invitations
        QVERIFY(outbox(m_server.baseUrl()).isEmpty());

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
        m_ben->compose()->setText(m_welcome);
        QVERIFY(m_ben->compose()->send());
        ThreadModel *thread = m_ben->thread();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, m_welcome) >= 0, NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(roleText(*thread, rowOfBody(*thread, m_welcome), ThreadModel::DeliveryStateRole),
                                  QStringLiteral("sent"), NetworkWait);
    }

    void patientJoinsWithTheCode()
    {
        m_patient = std::make_unique<AppController>(m_patientDir.path());
        m_patient->session()->setServerUrl(m_server.baseUrl());
        // The link from the mail, handed over as main() does with the desktop file's argument.
        QVERIFY(m_patient->links()->open(m_link));
        QVERIFY(m_patient->links()->opened());
        QVERIFY(m_patient->links()->notice().isEmpty());
        PatientOnboarding *onboarding = m_patient->onboarding();
        QVERIFY(onboarding->fromInvitation());
        QTRY_VERIFY_WITH_TIMEOUT(!onboarding->contactHint().isEmpty(), NetworkWait); // the masked address
        onboarding->setContact(m_email);
        onboarding->requestCode();
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->step(), QStringLiteral("code"), NetworkWait);
        // The code arrives as a second mail, without a link.
        QTRY_VERIFY_WITH_TIMEOUT(!mailTo(m_smtp, m_email, QStringLiteral("/i/"), false).isEmpty(), NetworkWait);
        const QString body = mailTo(m_smtp, m_email, QStringLiteral("/i/"), false);
        const QString code = QRegularExpression(QStringLiteral("\\b(\\d{6})\\b"))
                                 .match(body.section(QStringLiteral("\n\n"), 1))
                                 .captured(1);
        QCOMPARE(code.size(), 6);

        // A wrong code first: the sentence says so and the flow stays on the code step.
        const QString wrong = code == QLatin1String("000000") ? QStringLiteral("111111") : QStringLiteral("000000");
        onboarding->verify(wrong);
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->errorKind(), QStringLiteral("wrong"), NetworkWait);
        QVERIFY(!onboarding->error().isEmpty());
        QCOMPARE(onboarding->step(), QStringLiteral("code"));

        // The invitation named the patient, so no name is asked for: signed in and paired.
        onboarding->verify(code);
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->session()->signedIn(), NetworkWait);
        QCOMPARE(m_patient->session()->userRole(), AccountRole::Patient);
        QCOMPARE(m_patient->session()->userName(), QStringLiteral("Riley Park"));
    }

    void bannerDisappearsLiveForTheClinician()
    {
        // Still on the same thread, without reopening it: the event takes the banner and the label away.
        QCOMPARE(m_ben->current()->id(), m_conversationId);
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->invitation()->shown(), NetworkWait);
        const int row = rowOfConversation(*m_ben->conversationList(), m_conversationId);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_ben->conversationList()->index(row).data(ConversationListModel::IsInvitedRole).toBool(), NetworkWait);
    }

    void patientReadsTheWelcomeNote()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->conversationList()->rowOf(m_conversationId) >= 0, NetworkWait);
        m_patient->current()->open(m_conversationId);
        ThreadModel *thread = m_patient->thread();
        // The key reaches the new device through the clinician's app answering the key request.
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBody(*thread, m_welcome) >= 0, 2 * NetworkWait);
        QCOMPARE(roleText(*thread, rowOfBody(*thread, m_welcome), ThreadModel::VerificationRole),
                 QStringLiteral("verified"));
        QVERIFY(!m_patient->invitation()->shown()); // patients never see the banner
    }

    void linkWhileSignedInSaysWhy()
    {
        // A second start hands the link to the running app; signed in, it cannot join, and a sentence says so.
        QVERIFY(m_ben->links()->open(m_link));
        QVERIFY(m_ben->links()->notice().contains(QStringLiteral("Sign out first")));
        QVERIFY(m_ben->session()->signedIn());
        m_ben->links()->dismissNotice();
        QVERIFY(m_ben->links()->notice().isEmpty());

        QVERIFY(m_patient->links()->open(m_link));
        QVERIFY(m_patient->links()->notice().contains(QStringLiteral("sign out")));
        QVERIFY(m_patient->session()->signedIn());
        QVERIFY(!m_patient->links()->open(QStringLiteral("larch://elsewhere/x")));

        // The app started with the link while its cached session is still being read from the keychain (as
        // main() does): the link waits, and the session resumed, it gives the sentence instead of joining.
        m_patient.reset();
        m_patient = std::make_unique<AppController>(m_patientDir.path());
        QVERIFY(m_patient->links()->open(m_link));
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->session()->signedIn(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->links()->notice().contains(QStringLiteral("sign out")), NetworkWait);
        QVERIFY(!m_patient->links()->opened());
        m_patient->session()->signOut();
        QVERIFY(m_patient->links()->notice().isEmpty());
    }

    void cleanupTestCase()
    {
        m_patient.reset();
        m_ben.reset();
    }
};

QTEST_MAIN(TestAppInvites)
#include "tst_app_invites.moc"
