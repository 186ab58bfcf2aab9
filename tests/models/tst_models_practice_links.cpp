// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice Links in the app against the real larch-server (--demo): the staff's list under
// QAbstractItemModelTester, adding, renaming and turning links off (administrators only), live updates from
// practice_link.updated events, copying a link, QR codes (a saved PNG decodes back to the link with zbarimg), and
// a patient's onboarding through a link, including a link that was turned off.
#include "client/net/ApiClient.h"
#include "client/net/EventStream.h"
#include "ClientTestKit.h"
#include "models/app/AppController.h"
#include "models/invites/LinkRouter.h"
#include "models/invites/PatientOnboarding.h"
#include "models/practicelinks/PracticeLinkModel.h"
#include "models/practicelinks/PracticeLinks.h"
#include "models/practicelinks/QrCode.h"
#include "TestServer.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
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

/// A signed-in staff member's API (a bare session: Practice Links need no device).
struct Staff {
    ApiClient api;
    QString practiceId;
    QString userId;
};

bool signIn(Staff &staff, const QString &serverUrl, const QString &email)
{
    staff.api.setServerUrl(QUrl(serverUrl));
    std::optional<ApiResult> answer;
    QObject context;
    staff.api.signIn(email, QStringLiteral("larch-demo-password"), QStringLiteral("Test"), &context,
                     [&answer](const ApiResult &r) { answer = r; });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, NetworkWait) || !answer->ok())
        return false;
    const QJsonObject user = answer->body.value(QLatin1String("user")).toObject();
    staff.api.setToken(answer->body.value(QLatin1String("token")).toString());
    staff.practiceId = user.value(QLatin1String("practiceId")).toString();
    staff.userId = user.value(QLatin1String("id")).toString();
    return true;
}

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
        const QJsonObject delivery = value.toObject();
        if (delivery.value("to").toString() == to)
            return sixDigits.match(delivery.value("body").toString()).captured(1);
    }
    return {};
}

/// What zbarimg reads from an image file, or "" when it reads nothing.
QString decodeQr(const QString &path)
{
    QProcess zbar;
    zbar.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), path});
    if (!zbar.waitForFinished(30000))
        return {};
    QString text = QString::fromUtf8(zbar.readAllStandardOutput());
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

/// The roles of every dataChanged a spy caught, in order.
QList<QList<int>> changedRoles(const QSignalSpy &spy)
{
    QList<QList<int>> roles;
    for (const QList<QVariant> &arguments : spy)
        roles.append(arguments.at(2).value<QList<int>>());
    return roles;
}

QVariant roleOf(const PracticeLinkModel &model, int row, int role) { return model.index(row).data(role); }
} // namespace

/// The Practice Links model and controller against the real server.
class TestPracticeLinkModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_scratch;
    TestServer m_server{m_serverDir.path()};
    Staff m_ana, m_ben; // an administrator and a clinician of Birch Family Medicine
    QString m_addedId;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        QVERIFY(signIn(m_ana, m_server.baseUrl(), QStringLiteral("ana@birch.example")));
        QVERIFY(signIn(m_ben, m_server.baseUrl(), QStringLiteral("ben@birch.example")));
    }

    void linksAreParsedFromBothForms()
    {
        QCOMPARE(LinkRouter::practiceLinkCode(QStringLiteral("larch://practice/AbC_12-xyz")),
                 QStringLiteral("AbC_12-xyz"));
        QCOMPARE(LinkRouter::practiceLinkCode(QStringLiteral(" https://larch.example/p/AbC_12-xyz ")),
                 QStringLiteral("AbC_12-xyz"));
        QCOMPARE(LinkRouter::practiceLinkCode(QStringLiteral("http://127.0.0.1:8080/p/AbC_12-xyz/")),
                 QStringLiteral("AbC_12-xyz"));
        QVERIFY(LinkRouter::practiceLinkCode(QStringLiteral("larch://invite/AbC_12-xyz")).isEmpty());
        QVERIFY(LinkRouter::practiceLinkCode(QStringLiteral("https://larch.example/i/AbC_12-xyz")).isEmpty());
        QVERIFY(LinkRouter::practiceLinkCode(QStringLiteral("larch://practice/a b")).isEmpty());
        QVERIFY(LinkRouter::practiceLinkCode(QStringLiteral("AbC_12-xyz")).isEmpty());
        // A Practice Link is never taken for an invitation.
        QVERIFY(LinkRouter::invitationToken(QStringLiteral("larch://practice/AbC_12-xyz")).isEmpty());
        QVERIFY(LinkRouter::invitationToken(QStringLiteral("https://larch.example/p/AbC_12-xyz")).isEmpty());
    }

    void validationSentences()
    {
        QVERIFY(!PracticeLinks::problemWithLabel(QStringLiteral("  ")).isEmpty());
        QVERIFY(PracticeLinks::problemWithLabel(QString(61, u'x')).contains(QLatin1String("60 characters")));
        QVERIFY(PracticeLinks::problemWithLabel(QStringLiteral("Front desk flyer")).isEmpty());
        QVERIFY(PracticeLinks::problemWithTag(QString()).isEmpty());
        QVERIFY(PracticeLinks::problemWithTag(QStringLiteral("new-patient_2 Ré")).isEmpty());
        QVERIFY(PracticeLinks::problemWithTag(QStringLiteral("new/patient")).contains(QLatin1String("letters")));
        QVERIFY(PracticeLinks::problemWithTag(QString(31, u'x')).contains(QLatin1String("30 characters")));
        // Characters as a person counts them: 60 emoji, joined families or stacked accents are a full label, and 30
        // Hangul syllables written in jamo (three UTF-16 units each) a full tag.
        const QString family = QStringLiteral(u"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
        QCOMPARE(PracticeLinks::problemWithLabel(QStringLiteral(u"\U0001F44D").repeated(60)), QString());
        QCOMPARE(PracticeLinks::problemWithLabel(family.repeated(60)), QString());
        QCOMPARE(PracticeLinks::problemWithLabel(QStringLiteral(u"e\u0301\u0302\u0303\u0304").repeated(60)), QString());
        QVERIFY(PracticeLinks::problemWithLabel(family.repeated(61)).contains(QLatin1String("(it is 61 now)")));
        QCOMPARE(PracticeLinks::problemWithTag(QStringLiteral(u"\u1100\u1161\u11A8").repeated(30)), QString());
        QVERIFY(PracticeLinks::problemWithTag(QStringLiteral(u"\u1100\u1161\u11A8").repeated(31))
                    .contains(QLatin1String("(it is 31 now)")));
        QCOMPARE(PracticeLinks::qrFileName(QStringLiteral("Front desk: flyer/1")),
                 QStringLiteral("Front desk flyer 1 QR code.png"));
    }

    void staffSeeThePracticesLink()
    {
        PracticeLinks links(
            &m_ben.api, [this] { return m_ben.practiceId; }, [] { return false; });
        QAbstractItemModelTester tester(links.links(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!links.canEdit());
        QVERIFY(!links.loaded());
        links.load();
        QVERIFY(links.busy());
        QTRY_VERIFY_WITH_TIMEOUT(links.loaded(), NetworkWait);
        QVERIFY(!links.busy());
        QVERIFY(links.error().isEmpty());
        const PracticeLinkModel &model = *links.links();
        QVERIFY(model.rowCount() >= 1); // every practice has one from the start
        QCOMPARE(roleOf(model, 0, PracticeLinkModel::LabelRole).toString(), QStringLiteral("Practice Link"));
        QVERIFY(roleOf(model, 0, PracticeLinkModel::EnabledRole).toBool());
        QVERIFY(roleOf(model, 0, PracticeLinkModel::TagRole).toString().isEmpty());
        QCOMPARE(roleOf(model, 0, PracticeLinkModel::ConversationCountRole).toLongLong(), 0);
        const QString url = roleOf(model, 0, PracticeLinkModel::UrlRole).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^https?://.+/p/[A-Za-z0-9_-]{10}$")).match(url).hasMatch(),
                 qPrintable(url));
        QVERIFY(!roleOf(model, 0, PracticeLinkModel::LinkIdRole).toString().isEmpty());
        const QHash<int, QByteArray> names = model.roleNames();
        for (const char *name : {"linkId", "label", "tag", "enabled", "url", "conversationCount"})
            QVERIFY2(names.values().contains(name), name);

        // A clinician may not add or turn off links: the server's sentence, and the switch goes back.
        QSignalSpy formErrors(&links, &PracticeLinks::formErrorChanged);
        links.add(QStringLiteral("Lobby poster"), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!links.formError().isEmpty(), NetworkWait);
        QCOMPARE(model.rowCount(), 1);
        const QString linkId = roleOf(model, 0, PracticeLinkModel::LinkIdRole).toString();
        links.setEnabled(linkId, false);
        QVERIFY(!roleOf(model, 0, PracticeLinkModel::EnabledRole).toBool()); // at once, as the switch shows it
        QTRY_VERIFY_WITH_TIMEOUT(!links.error().isEmpty(), NetworkWait);
        QVERIFY(roleOf(model, 0, PracticeLinkModel::EnabledRole).toBool());
    }

    void formRefusesBadInputWithoutAsking()
    {
        PracticeLinks links(
            &m_ana.api, [this] { return m_ana.practiceId; }, [] { return true; });
        links.add(QString(), QStringLiteral("new-patient"));
        QVERIFY(!links.formError().isEmpty());
        QVERIFY(!links.busy()); // nothing was sent
        links.add(QStringLiteral("Flyer"), QStringLiteral("new/patient"));
        QVERIFY(links.formError().contains(QLatin1String("tag")));
        QVERIFY(!links.busy());
    }

    void adminAddsRenamesAndOthersSeeItLive()
    {
        // Ben's screen follows events; Ana adds and changes links.
        PracticeLinks bens(
            &m_ben.api, [this] { return m_ben.practiceId; }, [] { return false; });
        QAbstractItemModelTester bensTester(bens.links(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventStream events(&m_ben.api);
        connect(&events, &EventStream::eventArrived, &bens, &PracticeLinks::applyEvent);
        bens.load();
        QTRY_VERIFY_WITH_TIMEOUT(bens.loaded(), NetworkWait);
        events.start(0);
        QTRY_VERIFY_WITH_TIMEOUT(events.isOnline(), NetworkWait);
        const int before = bens.links()->rowCount();

        PracticeLinks anas(
            &m_ana.api, [this] { return m_ana.practiceId; }, [] { return true; });
        QAbstractItemModelTester anasTester(anas.links(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(anas.canEdit());
        anas.load();
        QTRY_VERIFY_WITH_TIMEOUT(anas.loaded(), NetworkWait);
        QSignalSpy added(&anas, &PracticeLinks::added);
        const int anasBefore = anas.links()->rowCount();
        anas.add(QStringLiteral("Front desk flyer"), QStringLiteral("new-patient"));
        anas.add(QStringLiteral("Front desk flyer"), QStringLiteral("new-patient")); // a second click: one link
        QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, NetworkWait);
        QTest::qWait(300);
        QCOMPARE(added.size(), 1);
        QCOMPARE(anas.links()->rowCount(), anasBefore + 1);
        QVERIFY(anas.formError().isEmpty());
        m_addedId = added.first().first().toString();
        const int anasRow = anas.links()->rowOf(m_addedId);
        QCOMPARE(anasRow, anas.links()->rowCount() - 1); // oldest first: the new one is last
        QCOMPARE(roleOf(*anas.links(), anasRow, PracticeLinkModel::TagRole).toString(), QStringLiteral("new-patient"));

        // Live on Ben's screen, without a reload.
        QTRY_COMPARE_WITH_TIMEOUT(bens.links()->rowCount(), before + 1, NetworkWait);
        const int bensRow = bens.links()->rowOf(m_addedId);
        QCOMPARE(roleOf(*bens.links(), bensRow, PracticeLinkModel::LabelRole).toString(),
                 QStringLiteral("Front desk flyer"));

        // Renaming and dropping the tag changes only those roles, here and there.
        QSignalSpy anasChanges(anas.links(), &QAbstractItemModel::dataChanged);
        QSignalSpy bensChanges(bens.links(), &QAbstractItemModel::dataChanged);
        QSignalSpy updated(&anas, &PracticeLinks::updated);
        anas.update(m_addedId, QStringLiteral("Waiting room poster"), QString());
        QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(*bens.links(), bensRow, PracticeLinkModel::LabelRole).toString(),
                                  QStringLiteral("Waiting room poster"), NetworkWait);
        QVERIFY(roleOf(*bens.links(), bensRow, PracticeLinkModel::TagRole).toString().isEmpty());
        const QList<int> renamed{PracticeLinkModel::LabelRole, Qt::DisplayRole, PracticeLinkModel::TagRole};
        QCOMPARE(changedRoles(anasChanges).value(0), renamed);
        QCOMPARE(changedRoles(bensChanges).value(0), renamed);

        // Turning it off: the switch's role alone.
        anasChanges.clear();
        bensChanges.clear();
        anas.setEnabled(m_addedId, false);
        QTRY_VERIFY_WITH_TIMEOUT(!roleOf(*bens.links(), bensRow, PracticeLinkModel::EnabledRole).toBool(), NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!anas.busy(), NetworkWait);
        QVERIFY(anas.error().isEmpty());
        QCOMPARE(changedRoles(anasChanges), QList<QList<int>>{{PracticeLinkModel::EnabledRole}});
        QCOMPARE(changedRoles(bensChanges), QList<QList<int>>{{PracticeLinkModel::EnabledRole}});
        events.stop();

        // Signing out forgets the list.
        bens.reset();
        QCOMPARE(bens.links()->rowCount(), 0);
        QVERIFY(!bens.loaded());
    }

    void copyLinkPutsItOnTheClipboard()
    {
        PracticeLinks links(
            &m_ben.api, [this] { return m_ben.practiceId; }, [] { return false; });
        const QString url = m_server.baseUrl() + QStringLiteral("/p/AbCdEfGhIj");
        links.copyLink(url);
        QCOMPARE(QGuiApplication::clipboard()->text(), url);
        QVERIFY(!links.notice().isEmpty());
        links.dismissNotice();
        QVERIFY(links.notice().isEmpty());
    }

    void qrImagesHaveWholeModulesAndAQuietZone()
    {
        const QString url = QStringLiteral("https://larch.birch.example/p/AbCdEfGhIj");
        const int modules = QrCode::sideInModules(url);
        QVERIFY(modules >= 21 + 2 * QrCode::QuietZoneModules);
        const QImage image = QrCode::image(url, 5);
        QCOMPARE(image.width(), modules * 5);
        QCOMPARE(image.height(), image.width());
        // The quiet zone is white all round; the finder pattern's corner is the first dark module.
        const int quiet = QrCode::QuietZoneModules * 5;
        for (int i = 0; i < image.width(); ++i) {
            QCOMPARE(qGray(image.pixel(i, quiet - 1)), 255);
            QCOMPARE(qGray(image.pixel(quiet - 1, i)), 255);
            QCOMPARE(qGray(image.pixel(i, image.height() - quiet)), 255);
            QCOMPARE(qGray(image.pixel(image.width() - quiet, i)), 255);
        }
        QCOMPARE(qGray(image.pixel(quiet, quiet)), 0);
        QCOMPARE(qGray(image.pixel(quiet + 4, quiet + 4)), 0);

        // The image provider fits whole modules into the size asked for, from a percent-encoded id.
        QrImageProvider provider;
        QSize size;
        const QString id = QString::fromLatin1(QUrl::toPercentEncoding(url));
        const QImage onScreen = provider.requestImage(id, &size, QSize(160, 160));
        QVERIFY(!onScreen.isNull());
        QCOMPARE(size, onScreen.size());
        QVERIFY(onScreen.width() <= 160);
        QCOMPARE(onScreen.width() % modules, 0);
        QVERIFY(onScreen.width() > 160 - modules);
        QCOMPARE(onScreen, QrCode::image(url, onScreen.width() / modules));
        QVERIFY(QrCode::image(QString(), 4).isNull());
    }

    void savedQrCodeDecodesBackToTheLink()
    {
        PracticeLinks links(
            &m_ana.api, [this] { return m_ana.practiceId; }, [] { return true; });
        links.load();
        QTRY_VERIFY_WITH_TIMEOUT(links.loaded(), NetworkWait);
        const QString url = roleOf(*links.links(), 0, PracticeLinkModel::UrlRole).toString();
        // ".png" is added to a name chosen without it.
        const QString chosen = m_scratch.filePath(QStringLiteral("Front desk flyer QR code"));
        QVERIFY(links.saveQrCode(url, QUrl::fromLocalFile(chosen)));
        const QString saved = chosen + QStringLiteral(".png");
        QVERIFY(links.error().isEmpty());
        QVERIFY(links.notice().contains(QLatin1String("Front desk flyer QR code.png")));
        const QImage image(saved);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= QrCode::FlyerPixels);
        QCOMPARE(image.width() % QrCode::sideInModules(url), 0);
        QCOMPARE(decodeQr(saved), url);

        // A folder that cannot be written says so.
        QVERIFY(!links.saveQrCode(url, QUrl::fromLocalFile(QStringLiteral("/proc/no-such-folder/code.png"))));
        QVERIFY(!links.error().isEmpty());
    }

    void patientJoinsThroughALink()
    {
        PracticeLinks links(
            &m_ana.api, [this] { return m_ana.practiceId; }, [] { return true; });
        links.load();
        QTRY_VERIFY_WITH_TIMEOUT(links.loaded(), NetworkWait);
        const QString url = roleOf(*links.links(), 0, PracticeLinkModel::UrlRole).toString();
        const QString code = LinkRouter::practiceLinkCode(url);
        QVERIFY(!code.isEmpty());

        ApiClient api;
        api.setServerUrl(QUrl(m_server.baseUrl()));
        std::optional<QJsonObject> session;
        PatientOnboarding onboarding(&api, [&session](const QJsonObject &body) { session = body; });
        onboarding.openPracticeLink(code);
        QVERIFY(onboarding.fromPracticeLink());
        QVERIFY(!onboarding.fromInvitation());
        QTRY_COMPARE_WITH_TIMEOUT(onboarding.practiceName(), QStringLiteral("Birch Family Medicine"), NetworkWait);
        QVERIFY(!onboarding.linkUnusable());
        QVERIFY(onboarding.error().isEmpty());

        const QString phone = QStringLiteral("+12015550177");
        onboarding.setContact(phone);
        onboarding.requestCode();
        QTRY_COMPARE_WITH_TIMEOUT(onboarding.stepValue(), OnboardingStep::Code, NetworkWait);
        QTRY_VERIFY_WITH_TIMEOUT(!codeSentTo(m_server.baseUrl(), phone).isEmpty(), NetworkWait);
        onboarding.verify(codeSentTo(m_server.baseUrl(), phone));
        // Nobody invited this number: a new account needs a name.
        QTRY_COMPARE_WITH_TIMEOUT(onboarding.stepValue(), OnboardingStep::Name, NetworkWait);
        onboarding.submitName(QStringLiteral("Jamie Rivera"));
        QTRY_VERIFY_WITH_TIMEOUT(session.has_value(), NetworkWait);
        QCOMPARE(onboarding.stepValue(), OnboardingStep::Done);
        QVERIFY(!onboarding.joinedConversationId().isEmpty());
        QVERIFY(session->value(QLatin1String("paired")).toArray().contains(onboarding.joinedConversationId()));
        QCOMPARE(session->value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString(),
                 QStringLiteral("Jamie Rivera"));

        // The link counts the conversation it started.
        links.load();
        QTRY_VERIFY_WITH_TIMEOUT(!links.busy(), NetworkWait);
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(*links.links(), 0, PracticeLinkModel::ConversationCountRole).toLongLong(), 1,
                                  NetworkWait);
    }

    void aLinkTurnedOffSaysSoPolitely()
    {
        PracticeLinks links(
            &m_ana.api, [this] { return m_ana.practiceId; }, [] { return true; });
        links.load();
        QTRY_VERIFY_WITH_TIMEOUT(links.loaded(), NetworkWait);
        QVERIFY(!m_addedId.isEmpty());
        const PracticeLink *off = links.links()->link(m_addedId); // turned off above
        QVERIFY(off);
        QVERIFY(!off->enabled);

        ApiClient api;
        api.setServerUrl(QUrl(m_server.baseUrl()));
        PatientOnboarding onboarding(&api, [](const QJsonObject &) {});
        onboarding.openPracticeLink(off->code);
        QTRY_VERIFY_WITH_TIMEOUT(onboarding.linkUnusable(), NetworkWait);
        QCOMPARE(onboarding.practiceName(), QStringLiteral("Birch Family Medicine"));
        QCOMPARE(onboarding.error(),
                 QStringLiteral("This Practice Link is turned off. Ask Birch Family Medicine for a new link."));
        onboarding.setContact(QStringLiteral("+12015550178"));
        onboarding.requestCode(); // nothing is asked with a link that is off
        QVERIFY(!onboarding.busy());
        QCOMPARE(onboarding.stepValue(), OnboardingStep::Contact);

        // Turned off after the page was opened: the code request's refusal says the same.
        const QString firstCode =
            links.links()->link(roleOf(*links.links(), 0, PracticeLinkModel::LinkIdRole).toString())->code;
        onboarding.openPracticeLink(firstCode);
        QTRY_COMPARE_WITH_TIMEOUT(onboarding.practiceName(), QStringLiteral("Birch Family Medicine"), NetworkWait);
        QVERIFY(!onboarding.linkUnusable());
        const QString firstId = roleOf(*links.links(), 0, PracticeLinkModel::LinkIdRole).toString();
        links.setEnabled(firstId, false);
        QTRY_VERIFY_WITH_TIMEOUT(!links.busy(), NetworkWait);
        QVERIFY(links.error().isEmpty());
        onboarding.setContact(QStringLiteral("+12015550178"));
        onboarding.requestCode();
        QTRY_VERIFY_WITH_TIMEOUT(onboarding.linkUnusable(), NetworkWait);
        QVERIFY(onboarding.error().contains(QLatin1String("turned off")));
        links.setEnabled(firstId, true);
        QTRY_VERIFY_WITH_TIMEOUT(!links.busy(), NetworkWait);

        // An unknown code.
        onboarding.openPracticeLink(QStringLiteral("ZZZZZZZZZZ"));
        QTRY_VERIFY_WITH_TIMEOUT(onboarding.linkUnusable(), NetworkWait);
        QVERIFY(onboarding.error().contains(QLatin1String("not valid")));
        onboarding.reset();
        QVERIFY(!onboarding.fromPracticeLink());
        QVERIFY(!onboarding.linkUnusable());
    }
};

QTEST_MAIN(TestPracticeLinkModels)
#include "tst_models_practice_links.moc"
