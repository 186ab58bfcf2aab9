// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice Links end to end with whole apps against the real larch-server (--demo, development outbox) and a real
// keyring: an administrator adds a tagged link and a clinician's app sees it live; a new patient's app opens
// larch://practice/<code> as main() hands it over, is asked for a code (read from /dev/outbox.json), verifies it,
// gives a name, and lands in the new secure conversation, which appears with the link's tag live in the
// clinician's app; a link turned off shows its polite sentence instead of the form.
#include "AppTestKit.h"
#include "models/app/AppController.h"
#include "models/app/RoleLookup.h"
#include "models/conversations/ConversationListModel.h"
#include "models/invites/PatientOnboarding.h"
#include "models/practicelinks/PracticeLinkModel.h"
#include "models/practicelinks/PracticeLinks.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using namespace testkit;

namespace {
/// The newest 6-digit code the development outbox sent to `to`; "" when none arrived.
QString codeSentTo(const QString &serverUrl, const QString &to)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(serverUrl + QStringLiteral("/dev/outbox.json"))));
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, NetworkWait);
    const QJsonArray deliveries = QJsonDocument::fromJson(reply->readAll()).object().value("deliveries").toArray();
    reply->deleteLater();
    static const QRegularExpression sixDigits(QStringLiteral("\\b(\\d{6})\\b"));
    for (const QJsonValue &value : deliveries) { // newest first
        if (value.toObject().value("to").toString() == to)
            return sixDigits.match(value.toObject().value("body").toString()).captured(1);
    }
    return {};
}

/// The row of the link with this label, or -1.
int rowLabelled(const PracticeLinkModel &links, const QString &label)
{
    for (int row = 0; row < links.rowCount(); ++row) {
        if (links.index(row).data(PracticeLinkModel::LabelRole).toString() == label)
            return row;
    }
    return -1;
}
} // namespace

/// Practice Links end to end: staff apps see links live, a patient's app signs up through one.
class TestAppPracticeLinks : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_anaDir, m_benDir, m_patientDir, m_laterDir;
    TestServer m_server{m_serverDir.path()};
    std::unique_ptr<AppController> m_ana, m_ben, m_patient;
    QString m_url, m_code, m_linkId;
    const QString m_phone = QStringLiteral("+12015550166");

private slots:
    void initTestCase()
    {
        qunsetenv("LARCH_SERVER_URL");
        qunsetenv("LARCH_CLIENT_DATA_DIR");
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        // Ben's computer is the practice's first device (active); Ana's new one waits for approval, which
        // Practice Links do not need.
        m_ben = signedInApp(m_benDir.path(), m_server.baseUrl(), QStringLiteral("ben@birch.example"));
        QVERIFY(m_ben->session()->signedIn());
        m_ana = signedInApp(m_anaDir.path(), m_server.baseUrl(), QStringLiteral("ana@birch.example"));
        QVERIFY(m_ana->session()->signedIn());
        QTRY_VERIFY_WITH_TIMEOUT(m_ana->session()->online() && m_ben->session()->online(), NetworkWait);
    }

    void administratorAddsATaggedLinkSeenLiveByColleagues()
    {
        PracticeLinks *bens = m_ben->practiceLinks();
        QVERIFY(!bens->canEdit());
        bens->load();
        QTRY_VERIFY_WITH_TIMEOUT(bens->loaded(), NetworkWait);
        const int before = bens->links()->rowCount();
        QVERIFY(before >= 1);

        PracticeLinks *anas = m_ana->practiceLinks();
        QVERIFY(anas->canEdit());
        anas->load();
        QTRY_VERIFY_WITH_TIMEOUT(anas->loaded(), NetworkWait);
        QSignalSpy added(anas, &PracticeLinks::added);
        anas->add(QStringLiteral("Front desk flyer"), QStringLiteral("new-patient"));
        QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, NetworkWait);
        m_linkId = added.first().first().toString();
        const PracticeLink *link = anas->links()->link(m_linkId);
        QVERIFY(link);
        m_url = link->url;
        m_code = link->code;
        QVERIFY(m_url.endsWith(QStringLiteral("/p/") + m_code));

        // Ben's open page follows the event stream of his whole app.
        QTRY_COMPARE_WITH_TIMEOUT(bens->links()->rowCount(), before + 1, NetworkWait);
        const int row = rowLabelled(*bens->links(), QStringLiteral("Front desk flyer"));
        QVERIFY(row >= 0);
        QCOMPARE(bens->links()->index(row).data(PracticeLinkModel::TagRole).toString(), QStringLiteral("new-patient"));
    }

    void patientSignsUpThroughTheLink()
    {
        m_patient = std::make_unique<AppController>(m_patientDir.path());
        m_patient->session()->setServerUrl(m_server.baseUrl());
        // As main() hands over the desktop file's argument.
        QVERIFY(m_patient->links()->open(QStringLiteral("larch://practice/") + m_code));
        QVERIFY(m_patient->links()->opened());
        PatientOnboarding *onboarding = m_patient->onboarding();
        QVERIFY(onboarding->fromPracticeLink());
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->practiceName(), QStringLiteral("Birch Family Medicine"), NetworkWait);
        QVERIFY(!onboarding->linkUnusable());

        onboarding->setContact(QStringLiteral("201 555 0166")); // read in the practice's region
        onboarding->requestCode();
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->step(), QStringLiteral("code"), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!codeSentTo(m_server.baseUrl(), m_phone).isEmpty(), NetworkWait);
        onboarding->verify(codeSentTo(m_server.baseUrl(), m_phone));
        QTRY_COMPARE_WITH_TIMEOUT(onboarding->step(), QStringLiteral("name"), NetworkWait);
        onboarding->submitName(QStringLiteral("Jamie Rivera"));
        QTRY_VERIFY_WITH_TIMEOUT(m_patient->session()->signedIn(), NetworkWait);
        QCOMPARE(m_patient->session()->userRole(), AccountRole::Patient);
        QCOMPARE(m_patient->session()->userName(), QStringLiteral("Jamie Rivera"));

        // The new secure conversation opens by itself once it is listed.
        const QString joined = onboarding->joinedConversationId();
        QVERIFY(!joined.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_patient->current()->id(), joined, NetworkWait);
        QVERIFY(m_patient->current()->secure());
        QVERIFY(!m_patient->links()->opened());
    }

    void theConversationAppearsLiveForStaffWithTheTag()
    {
        const QString joined = m_patient->onboarding()->joinedConversationId();
        ConversationListModel *list = m_ben->conversationList();
        QTRY_VERIFY_WITH_TIMEOUT(list->rowOf(joined) >= 0, NetworkWait);
        const int row = list->rowOf(joined);
        QCOMPARE(list->index(row).data(ConversationListModel::TitleRole).toString(), QStringLiteral("Jamie Rivera"));
        QVERIFY(list->index(row).data(ConversationListModel::IsSecureRole).toBool());
        const int tagsRole = roleNumber(list, "tags");
        QVERIFY2(tagsRole >= 0, "the conversation list has no tags role");
        QCOMPARE(list->index(row).data(tagsRole).toStringList(), QStringList{QStringLiteral("new-patient")});

        // The link counts it, live on the administrator's page.
        PracticeLinks *anas = m_ana->practiceLinks();
        const int linkRow = anas->links()->rowOf(m_linkId);
        QTRY_COMPARE_WITH_TIMEOUT(
            anas->links()->index(linkRow).data(PracticeLinkModel::ConversationCountRole).toLongLong(), 1, NetworkWait);
    }

    void linkWhileSignedInSaysWhy()
    {
        QVERIFY(m_ben->links()->open(m_url)); // the https form, as a second start hands it over
        QVERIFY(m_ben->links()->notice().contains(QStringLiteral("Sign out first")));
        m_ben->links()->dismissNotice();
        QVERIFY(m_patient->links()->open(QStringLiteral("larch://practice/") + m_code));
        QVERIFY(m_patient->links()->notice().contains(QStringLiteral("sign out")));
    }

    void aLinkTurnedOffIsAPoliteSentence()
    {
        PracticeLinks *anas = m_ana->practiceLinks();
        anas->setEnabled(m_linkId, false);
        QTRY_VERIFY_WITH_TIMEOUT(!anas->busy(), NetworkWait);
        QVERIFY(anas->error().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!m_ben->practiceLinks()->links()->link(m_linkId)->enabled, NetworkWait);

        auto later = std::make_unique<AppController>(m_laterDir.path());
        later->session()->setServerUrl(m_server.baseUrl());
        QVERIFY(later->links()->open(m_url)); // https://…/p/<code>, opened from a browser
        PatientOnboarding *onboarding = later->onboarding();
        QVERIFY(onboarding->fromPracticeLink());
        QTRY_VERIFY_WITH_TIMEOUT(onboarding->linkUnusable(), NetworkWait);
        QCOMPARE(onboarding->error(),
                 QStringLiteral("This Practice Link is turned off. Ask Birch Family Medicine for a new link."));
        QCOMPARE(onboarding->step(), QStringLiteral("contact"));
        // The way on without the link: the ordinary join form.
        onboarding->reset();
        QVERIFY(!onboarding->linkUnusable());
        QVERIFY(onboarding->error().isEmpty());
    }

    void cleanupTestCase()
    {
        m_patient.reset();
        m_ben.reset();
        m_ana.reset();
    }
};

QTEST_MAIN(TestAppPracticeLinks)
#include "tst_app_practice_links.moc"
