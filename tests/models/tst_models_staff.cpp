// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The Staff page's controller against the real larch-server (--demo), under QAbstractItemModelTester: the list with
// roles, adding a colleague (the link in the development outbox), sending it again, a role change and its refusal for
// one's own row, a second factor reset, deactivation, the form's sentences, a clinician refused, and sign-out.
#include "client/net/ApiClient.h"
#include "ClientTestKit.h"
#include "HttpClient.h"
#include "models/staff/StaffDirectory.h"
#include "TestServer.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace larch;
using testkit::NetworkWait;

namespace {

using Person = testkit::BarePerson;

bool signIn(Person &person, const QString &serverUrl, const QString &email)
{
    return testkit::signInBare(person, serverUrl, email, QStringLiteral("larch-demo-password"));
}

bool settled(StaffDirectory &staff)
{
    return QTest::qWaitFor([&] { return !staff.busy(); }, NetworkWait);
}

/// The row of the member whose email is email, or -1.
int rowOf(const StaffDirectory &staff, const QString &email)
{
    for (int row = 0; row < staff.rowCount(); ++row) {
        if (staff.index(row).data(StaffDirectory::EmailRole).toString() == email)
            return row;
    }
    return -1;
}

QVariant cell(const StaffDirectory &staff, const QString &email, int role)
{
    return staff.index(rowOf(staff, email)).data(role);
}

} // namespace

/// StaffDirectory against the real server.
class TestStaffModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir;
    TestServer m_server{m_serverDir.path()};
    Person m_ana, m_ben; // the administrator and a clinician of Birch Family Medicine

    std::unique_ptr<StaffDirectory> staffFor(Person &person)
    {
        return std::make_unique<StaffDirectory>(
            &person.api, [&person] { return person.practiceId; }, [&person] { return person.userId; });
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        QVERIFY(signIn(m_ana, m_server.baseUrl(), QStringLiteral("ana@birch.example")));
        QVERIFY(signIn(m_ben, m_server.baseUrl(), QStringLiteral("ben@birch.example")));
    }

    void theListAndWhatAnAdministratorDoes()
    {
        auto staff = staffFor(m_ana);
        QAbstractItemModelTester tester(staff.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        staff->load();
        QVERIFY(settled(*staff));
        QVERIFY2(staff->error().isEmpty(), qPrintable(staff->error()));
        QVERIFY(staff->loaded());
        QCOMPARE(staff->rowCount(), 2);
        const QString ana = QStringLiteral("ana@birch.example"), ben = QStringLiteral("ben@birch.example");
        QCOMPARE(cell(*staff, ana, StaffDirectory::AdminRole).toBool(), true);
        QCOMPARE(cell(*staff, ana, StaffDirectory::IsYouRole).toBool(), true);
        QCOMPARE(cell(*staff, ben, StaffDirectory::AdminRole).toBool(), false);
        QCOMPARE(cell(*staff, ben, StaffDirectory::IsYouRole).toBool(), false);
        QCOMPARE(cell(*staff, ben, StaffDirectory::PasswordSetRole).toBool(), true);
        QCOMPARE(cell(*staff, ben, StaffDirectory::NameRole).toString(), QStringLiteral("Dr. Ben Okafor"));
        QVERIFY(staff->roleNames().values().contains("twoFactor"));

        // The form's own sentences, before anything is sent.
        staff->add(QStringLiteral("  "), QStringLiteral("x@birch.example"), false);
        QCOMPARE(staff->error(), QStringLiteral("Enter the person's name."));
        staff->add(QStringLiteral("Rosa"), QStringLiteral("not an address"), false);
        QVERIFY(staff->error().startsWith(QStringLiteral("Enter an email address")));
        QCOMPARE(staff->rowCount(), 2);

        // Added: the row shows them waiting for their password, the notice where the link went.
        QSignalSpy added(staff.get(), &StaffDirectory::added);
        staff->add(QStringLiteral("Nurse Rosa Diaz"), QStringLiteral(" Rosa@Birch.example "), false);
        QVERIFY(settled(*staff));
        QVERIFY2(staff->error().isEmpty(), qPrintable(staff->error()));
        QCOMPARE(added.size(), 1);
        const QString rosa = QStringLiteral("rosa@birch.example");
        QCOMPARE(staff->rowCount(), 3);
        QCOMPARE(cell(*staff, rosa, StaffDirectory::PasswordSetRole).toBool(), false);
        QVERIFY(staff->notice().contains(rosa));
        HttpClient http(m_server.baseUrl());
        QTRY_VERIFY(http.get(QStringLiteral("/dev/outbox.json")).body.contains(rosa.toUtf8()));
        // The same email again: the server's sentence, nothing added.
        staff->add(QStringLiteral("Someone"), rosa, true);
        QVERIFY(settled(*staff));
        QCOMPARE(staff->error(), QStringLiteral("This email address is already in use."));
        QCOMPARE(staff->rowCount(), 3);

        const QString rosaId = cell(*staff, rosa, StaffDirectory::UserIdRole).toString();
        staff->resendLink(rosaId);
        QVERIFY(settled(*staff));
        QVERIFY2(staff->error().isEmpty(), qPrintable(staff->error()));
        QVERIFY(staff->notice().contains(QStringLiteral("new link")));

        // Roles: Rosa becomes an administrator; Ana's own role is refused with the server's sentence.
        staff->setAdmin(rosaId, true);
        QVERIFY(settled(*staff));
        QCOMPARE(cell(*staff, rosa, StaffDirectory::AdminRole).toBool(), true);
        QCOMPARE(staff->notice(), QStringLiteral("Nurse Rosa Diaz is now an administrator."));
        staff->setAdmin(m_ana.userId, false);
        QVERIFY(settled(*staff));
        QVERIFY(staff->error().contains(QStringLiteral("your own role")));
        QCOMPARE(cell(*staff, ana, StaffDirectory::AdminRole).toBool(), true);

        // Deactivated: the row goes, and the server no longer lists her.
        staff->deactivate(rosaId);
        QVERIFY(settled(*staff));
        QVERIFY2(staff->error().isEmpty(), qPrintable(staff->error()));
        QCOMPARE(rowOf(*staff, rosa), -1);
        QVERIFY(staff->notice().contains(QStringLiteral("Nurse Rosa Diaz can no longer sign in")));
        staff->load();
        QVERIFY(settled(*staff));
        QCOMPARE(staff->rowCount(), 2);

        staff->reset();
        QCOMPARE(staff->rowCount(), 0);
        QVERIFY(!staff->loaded());
    }

    void anAnswerAfterSignOutShowsNothing()
    {
        auto staff = staffFor(m_ana);
        staff->load();
        QVERIFY(staff->busy());
        staff->reset(); // signed out while the list was on its way
        QTest::qWait(500);
        QTRY_VERIFY_WITH_TIMEOUT(!staff->busy(), NetworkWait);
        QCOMPARE(staff->rowCount(), 0);
        QVERIFY(!staff->loaded());
    }

    void resettingASecondFactorShowsAtOnce()
    {
        // Ben turns two-factor sign-in on (the code from oathtool, as an authenticator app would).
        HttpClient http(m_server.baseUrl());
        const QString benToken =
            http.signIn(QStringLiteral("ben@birch.example"), QStringLiteral("larch-demo-password"));
        const QString secret =
            http.post(QStringLiteral("/v1/me/two-factor"), {}, benToken).json.value("secret").toString();
        QProcess oathtool;
        oathtool.start(QStringLiteral("oathtool"), {QStringLiteral("--totp"), QStringLiteral("--base32"), secret});
        QVERIFY(oathtool.waitForFinished(10000));
        const QString code = QString::fromLatin1(oathtool.readAllStandardOutput()).trimmed();
        QCOMPARE(http.post(QStringLiteral("/v1/me/two-factor/confirm"), {{"code", code}}, benToken).status, 200);

        auto staff = staffFor(m_ana);
        staff->load();
        QVERIFY(settled(*staff));
        const QString ben = QStringLiteral("ben@birch.example");
        QCOMPARE(cell(*staff, ben, StaffDirectory::TwoFactorRole).toBool(), true);
        staff->resetTwoFactor(cell(*staff, ben, StaffDirectory::UserIdRole).toString());
        QVERIFY(settled(*staff));
        QVERIFY2(staff->error().isEmpty(), qPrintable(staff->error()));
        QCOMPARE(cell(*staff, ben, StaffDirectory::TwoFactorRole).toBool(), false);
        QVERIFY(staff->notice().contains(QStringLiteral("Dr. Ben Okafor")));
        QCOMPARE(http.get(QStringLiteral("/v1/me/two-factor"), benToken).json.value("enabled").toBool(), false);
    }

    void aClinicianIsRefused()
    {
        auto staff = staffFor(m_ben);
        staff->load();
        QVERIFY(settled(*staff));
        QVERIFY(!staff->loaded());
        QVERIFY(!staff->error().isEmpty());
        QCOMPARE(staff->rowCount(), 0);
    }

    void theServerGoneIsASentence()
    {
        Person lost;
        lost.api.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:9")));
        lost.api.setToken(QStringLiteral("x"));
        lost.practiceId = m_ana.practiceId;
        auto staff = staffFor(lost);
        staff->load();
        QVERIFY(settled(*staff));
        QVERIFY(!staff->loaded());
        QVERIFY2(staff->error().contains(QStringLiteral("server"))
                     || staff->error().contains(QStringLiteral("connect")),
                 qPrintable(staff->error()));
    }
};

QTEST_MAIN(TestStaffModels)
#include "tst_models_staff.moc"
