// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The audit log screen's controller and model against the real larch-server (--demo): administrators only, records
// in plain words under QAbstractItemModelTester, pages fetched as the list scrolls, filters by staff member, patient
// and dates, the retention period, the CSV export (the whole file or, on any failure, nothing: an earlier file is
// left as it was), the sentence when the server is gone, and sign-out forgetting everything.
#include "client/net/ApiClient.h"
#include "ClientTestKit.h"
#include "models/audit/AuditRecordModel.h"
#include "models/audit/AuditWords.h"
#include "models/audit/PracticeAuditLog.h"
#include "TestServer.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;
using testkit::NetworkWait;

namespace {

using Person = testkit::BarePerson;

bool signIn(Person &person, const QString &serverUrl, const QString &email)
{
    return testkit::signInBare(person, serverUrl, email, QStringLiteral("larch-demo-password"));
}

QVariant roleOf(const AuditRecordModel &model, int row, int role) { return model.index(row).data(role); }

/// Every row's value of role, top to bottom.
QVariantList column(const AuditRecordModel &model, int role)
{
    QVariantList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(roleOf(model, row, role));
    return values;
}

/// Waits until the log has a first page for its filters, or an error.
bool settled(PracticeAuditLog &log)
{
    return QTest::qWaitFor([&] { return !log.loading() && (log.loaded() || !log.error().isEmpty()); }, NetworkWait);
}

/// The id of a choice ({"id", "name"}) named name, or "".
QString choiceNamed(const QVariantList &choices, const QString &name)
{
    for (const QVariant &choice : choices)
        if (choice.toMap().value(QStringLiteral("name")).toString() == name)
            return choice.toMap().value(QStringLiteral("id")).toString();
    return {};
}

} // namespace

/// PracticeAuditLog and AuditRecordModel against the real server.
class TestAuditLogModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_serverDir, m_scratch;
    TestServer m_server{m_serverDir.path()};
    Person m_ana, m_ben; // the administrator and a clinician of Birch Family Medicine

    std::unique_ptr<PracticeAuditLog> logFor(Person &person, bool admin)
    {
        auto log = std::make_unique<PracticeAuditLog>(
            &person.api, [&person] { return person.practiceId; }, [admin] { return admin; });
        return log;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start({"--demo"}), qPrintable(m_server.error()));
        QVERIFY(signIn(m_ana, m_server.baseUrl(), QStringLiteral("ana@birch.example")));
        QVERIFY(signIn(m_ben, m_server.baseUrl(), QStringLiteral("ben@birch.example")));
        for (int i = 0; i < 4; ++i) { // more of Ben's sign-ins than fit on a page
            Person again;
            QVERIFY(signIn(again, m_server.baseUrl(), QStringLiteral("ben@birch.example")));
        }
    }

    void recordsReadInPlainWords()
    {
        QCOMPARE(AuditWords::action(QStringLiteral("sign_in")), QStringLiteral("Signed in"));
        QCOMPARE(AuditWords::action(QStringLiteral("invitation_resent")), QStringLiteral("Invitation resent"));
        QCOMPARE(AuditWords::action(QStringLiteral("role_changed")), QStringLiteral("Role changed"));
        QVERIFY(AuditWords::isWarning(QStringLiteral("sign_in_failed")));
        QCOMPARE(AuditWords::action(QStringLiteral("staff_role_changed")),
                 QStringLiteral("Changed a staff member's role"));
        QVERIFY(AuditWords::isWarning(QStringLiteral("staff_role_changed")));
        QVERIFY(AuditWords::isWarning(QStringLiteral("practice_identity_replaced")));
        QVERIFY(!AuditWords::isWarning(QStringLiteral("sign_in")));
        const QHash<QString, AuditName> names{{"u1", {"staff", "Dr. Ben Okafor"}},    {"p1", {"patient", "Sam Lee"}},
                                              {"c1", {"conversation", "Sam Lee"}},    {"i1", {"invitation", "Sam Lee"}},
                                              {"l1", {"practiceLink", "Front desk"}}, {"x1", {"practice", "Birch"}},
                                              {"d1", {"device", "Front desk"}}};
        QVERIFY(AuditWords::object(QString(), {}, {"u1", "role=admin"}, names)
                    .endsWith(QStringLiteral("now an administrator")));
        // A call: its id names nothing to show, its conversation the patient, and how it ended in plain words.
        QCOMPARE(AuditWords::action(QStringLiteral("call_started")), QStringLiteral("Started a video call"));
        QCOMPARE(AuditWords::object(QString(), {}, {"call-1", "c1"}, names),
                 QStringLiteral("Conversation with Sam Lee"));
        QCOMPARE(AuditWords::object(QString(), {}, {"call-1", "outcome=missed"}, names), QStringLiteral("missed"));
        QCOMPARE(AuditWords::object(QString(), {}, {"call-1", "outcome=completed"}, names),
                 QStringLiteral("after it was answered"));
        QCOMPARE(AuditWords::who(QStringLiteral("call_ended"), QString(), names), QStringLiteral("Larch server"));
        QCOMPARE(AuditWords::who(QStringLiteral("sign_in"), QStringLiteral("u1"), names),
                 QStringLiteral("Dr. Ben Okafor"));
        QCOMPARE(AuditWords::who(QStringLiteral("sign_in_failed"), QString(), names),
                 QStringLiteral("Unknown account"));
        QCOMPARE(AuditWords::who(QStringLiteral("practice_created"), QString(), names),
                 QStringLiteral("Server operator"));
        QCOMPARE(AuditWords::who(QStringLiteral("audit_pruned"), QString(), names), QStringLiteral("Larch server"));
        QCOMPARE(AuditWords::object(QStringLiteral("u1"), {}, {"i1", "c1"}, names),
                 QStringLiteral("Invitation of Sam Lee"));
        QCOMPARE(AuditWords::object(QStringLiteral("u1"), {}, {"u1"}, names), QString()); // not the actor again
        QCOMPARE(AuditWords::object(QStringLiteral("u1"), {}, {"upload-id", "c1"}, names),
                 QStringLiteral("Conversation with Sam Lee"));
        QCOMPARE(AuditWords::object(QString(), {}, {"l1"}, names),
                 QStringLiteral("Practice Link \u201cFront desk\u201d"));
        QCOMPARE(AuditWords::object(QString(), {}, {"x1", "years=10"}, names), QStringLiteral("Kept for 10 years"));
        // A device and its owner are one phrase; the acting device is not repeated as the object.
        QCOMPARE(AuditWords::object(QStringLiteral("u1"), {}, {"d1", "p1"}, names),
                 QStringLiteral("Device \u201cFront desk\u201d of Sam Lee"));
        QCOMPARE(AuditWords::object(QStringLiteral("p1"), QStringLiteral("d1"), {"d1"}, names), QString());
    }

    void onlyAdministratorsAsk()
    {
        auto log = logFor(m_ben, false);
        QVERIFY(!log->canView());
        log->open();
        QTest::qWait(300);
        QVERIFY(!log->loading());
        QVERIFY(!log->loaded());
        QCOMPARE(log->model()->rowCount(), 0);
        // The server refuses a clinician anyway, and the screen says what to do.
        auto pretending = logFor(m_ben, true);
        pretending->open();
        QVERIFY(settled(*pretending));
        QVERIFY(!pretending->loaded());
        QVERIFY2(pretending->error().contains(QLatin1String("Only administrators")), qPrintable(pretending->error()));
    }

    void pagesArriveAsTheListScrolls()
    {
        // No tester until the end: it asks for more on every change, as an eager view would.
        auto log = logFor(m_ana, true);
        log->setPageSize(3);
        QVERIFY(log->canView());
        log->open();
        QVERIFY(settled(*log));
        QVERIFY2(log->error().isEmpty(), qPrintable(log->error()));
        QCOMPARE(log->model()->rowCount(), 3);
        QVERIFY(log->hasMore());
        QVERIFY(log->model()->canFetchMore({}));
        // The newest first: Ben's sign-ins, with where they came from.
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::ActionRole).toString(), QStringLiteral("sign_in"));
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::ActionTextRole).toString(), QStringLiteral("Signed in"));
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::WhoRole).toString(), QStringLiteral("Dr. Ben Okafor"));
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::AddressRole).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(!roleOf(*log->model(), 0, AuditRecordModel::WhenRole).toString().isEmpty());
        QVERIFY(roleOf(*log->model(), 0, AuditRecordModel::AtRole).toDateTime().isValid());
        int fetches = 0;
        while (log->model()->canFetchMore({})) {
            const int before = log->model()->rowCount();
            log->model()->fetchMore({});
            log->model()->fetchMore({}); // a view asks again while the page is on its way: one request
            QVERIFY(log->loadingMore());
            QVERIFY(QTest::qWaitFor([&] { return !log->loadingMore(); }, NetworkWait));
            QVERIFY2(log->error().isEmpty(), qPrintable(log->error()));
            QVERIFY(log->model()->rowCount() > before);
            QVERIFY(log->model()->rowCount() <= before + 3);
            QVERIFY(++fetches < 20);
        }
        QVERIFY(!log->hasMore());
        // Every record once, newest first, ending with the practice's creation.
        const QVariantList seqs = column(*log->model(), AuditRecordModel::SeqRole);
        for (int i = 1; i < seqs.size(); ++i)
            QVERIFY(seqs.at(i).toLongLong() < seqs.at(i - 1).toLongLong());
        const QVariantList actions = column(*log->model(), AuditRecordModel::ActionRole);
        QCOMPARE(actions.last().toString(), QStringLiteral("practice_created"));
        QCOMPARE(actions.count(QStringLiteral("sign_in")), 6);
        const int staffAdded = int(actions.indexOf(QStringLiteral("staff_added")));
        QVERIFY(staffAdded >= 0);
        QCOMPARE(roleOf(*log->model(), staffAdded, AuditRecordModel::WhoRole).toString(), QStringLiteral("Ana Ruiz"));
        QCOMPARE(roleOf(*log->model(), staffAdded, AuditRecordModel::ObjectRole).toString(),
                 QStringLiteral("Dr. Ben Okafor"));
        QCOMPARE(roleOf(*log->model(), staffAdded, AuditRecordModel::ActionTextRole).toString(),
                 QStringLiteral("Added a staff member"));
        QAbstractItemModelTester tester(log->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void anEagerViewGetsEveryPage()
    {
        auto log = logFor(m_ana, true);
        log->setPageSize(4);
        QAbstractItemModelTester tester(log->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        log->open();
        QVERIFY(QTest::qWaitFor([&] { return log->loaded() && !log->hasMore() && !log->loadingMore(); }, NetworkWait));
        QCOMPARE(column(*log->model(), AuditRecordModel::ActionRole).last().toString(),
                 QStringLiteral("practice_created"));
    }

    void filtersNarrowTheList()
    {
        auto log = logFor(m_ana, true);
        QAbstractItemModelTester tester(log->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        log->open();
        QVERIFY(settled(*log));
        QVERIFY(!log->filtered());
        const int all = log->model()->rowCount();
        QVERIFY(QTest::qWaitFor([&] { return log->staffChoices().size() == 2; }, NetworkWait));
        const QString ben = choiceNamed(log->staffChoices(), QStringLiteral("Dr. Ben Okafor"));
        QCOMPARE(ben, m_ben.userId);

        log->setStaffFilter(ben);
        QVERIFY(log->filtered());
        QCOMPARE(log->staffName(), QStringLiteral("Dr. Ben Okafor"));
        QVERIFY(settled(*log));
        QCOMPARE(log->model()->rowCount(), 5);
        for (const QVariant &who : column(*log->model(), AuditRecordModel::WhoRole))
            QCOMPARE(who.toString(), QStringLiteral("Dr. Ben Okafor"));
        log->setStaffFilter(QString());

        log->searchPatients(QStringLiteral("sam"));
        QVERIFY(QTest::qWaitFor([&] { return log->patientChoices().size() == 1; }, NetworkWait));
        const QString sam = choiceNamed(log->patientChoices(), QStringLiteral("Sam Lee"));
        QVERIFY(!sam.isEmpty());
        log->setPatientFilter(sam, QStringLiteral("Sam Lee"));
        QVERIFY(settled(*log));
        QCOMPARE(log->model()->rowCount(), 1);
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::ActionTextRole).toString(),
                 QStringLiteral("Added a patient"));
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::ObjectRole).toString(), QStringLiteral("Sam Lee"));
        QVERIFY(log->suggestedExportFile().fileName().startsWith(QLatin1String("Audit log - Sam Lee - ")));
        log->setPatientFilter(QString(), QString());

        // Dates: a year long ago has nothing; what a person types wrong is said, and changes nothing.
        QCOMPARE(log->setDates(QStringLiteral("2001-01-01"), QStringLiteral("2001-12-31")), QString());
        QCOMPARE(log->dateRangeText(),
                 QLocale().toString(QDate(2001, 1, 1), QStringLiteral("d MMM yyyy")) + QStringLiteral(" \u2013 ")
                     + QLocale().toString(QDate(2001, 12, 31), QStringLiteral("d MMM yyyy")));
        QVERIFY(settled(*log));
        QVERIFY(log->loaded());
        QCOMPARE(log->model()->rowCount(), 0);
        QVERIFY(log->filtered());
        QVERIFY(log->setDates(QStringLiteral("yesterday-ish"), QString()).contains(QLatin1String("first day")));
        QVERIFY(log->setDates(QStringLiteral("2026-12-07"), QStringLiteral("2026-12-01"))
                    .contains(QLatin1String("before")));
        QCOMPARE(log->fromDate(), QDate(2001, 1, 1));
        log->setLastDays(1); // today
        QVERIFY(settled(*log));
        QCOMPARE(log->model()->rowCount(), all);
        log->clearFilters();
        QVERIFY(!log->filtered());
        QVERIFY(settled(*log));
        QCOMPARE(log->model()->rowCount(), all);
    }

    void theRetentionPeriodIsShownAndChanged()
    {
        auto log = logFor(m_ana, true);
        log->open();
        QVERIFY(QTest::qWaitFor([&] { return log->retentionYears() > 0; }, NetworkWait));
        QCOMPARE(log->retentionYears(), 6);
        QVERIFY(log->retentionIsDefault());
        log->setRetentionYears(5);
        QVERIFY(log->actionError().contains(QLatin1String("HIPAA")));
        QVERIFY(!log->retentionBusy());
        log->setRetentionYears(8);
        QVERIFY(log->retentionBusy());
        QVERIFY(QTest::qWaitFor([&] { return !log->retentionBusy(); }, NetworkWait));
        QCOMPARE(log->actionError(), QString());
        QCOMPARE(log->retentionYears(), 8);
        QVERIFY(!log->retentionIsDefault());
        QVERIFY(log->notice().contains(QLatin1String("8 years")));
        // The change is the newest record.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return log->loaded() && log->model()->rowCount() > 0
                    && roleOf(*log->model(), 0, AuditRecordModel::ActionRole).toString() == u"audit_retention_changed";
            },
            NetworkWait));
        QCOMPARE(roleOf(*log->model(), 0, AuditRecordModel::ObjectRole).toString(), QStringLiteral("Kept for 8 years"));
        QVERIFY(roleOf(*log->model(), 0, AuditRecordModel::WarningRole).toBool());
        log->setRetentionYears(6);
        QVERIFY(QTest::qWaitFor([&] { return !log->retentionBusy(); }, NetworkWait));
        QCOMPARE(log->retentionYears(), 6);
    }

    void anExportIsTheWholeFileOrNothing()
    {
        auto log = logFor(m_ana, true);
        log->open();
        QVERIFY(settled(*log));
        const QString folder = m_scratch.filePath(QStringLiteral("exports"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = QDir(folder).filePath(QStringLiteral("audit.csv"));

        log->exportCsv(QUrl::fromLocalFile(QDir(folder).filePath(QStringLiteral("audit")))); // ".csv" is added
        QVERIFY(log->exporting());
        QVERIFY(QTest::qWaitFor([&] { return !log->exporting(); }, NetworkWait));
        QVERIFY2(log->actionError().isEmpty(), qPrintable(log->actionError()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        file.close();
        QCOMPARE(lines.first().trimmed(), QByteArray("seq,at_utc,action,user_id,device_id,object_ids,address"));
        QVERIFY(lines.size() > 5);
        QCOMPARE(log->notice(), QStringLiteral("Exported %1 records.").arg(lines.size() - 1));

        // A refused export (a staff member the server does not know) leaves the earlier file as it was.
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("an earlier export\n");
        file.close();
        log->setStaffFilter(QStringLiteral("00000000-0000-4000-8000-000000000000"));
        log->exportCsv(QUrl::fromLocalFile(path));
        QVERIFY(QTest::qWaitFor([&] { return !log->exporting(); }, NetworkWait));
        QVERIFY(!log->actionError().isEmpty());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("an earlier export\n"));
        file.close();
        QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("audit.csv")}); // nothing half-written
        // A folder that is not there: said, and nothing asked of the server.
        log->clearFilters();
        log->exportCsv(QUrl::fromLocalFile(m_scratch.filePath(QStringLiteral("gone/audit.csv"))));
        QVERIFY(QTest::qWaitFor([&] { return !log->exporting() && !log->actionError().isEmpty(); }, NetworkWait));
        QVERIFY2(log->actionError().contains(QLatin1String("doesn't exist")), qPrintable(log->actionError()));
    }

    void signingOutForgetsEverything()
    {
        auto log = logFor(m_ana, true);
        log->open();
        QVERIFY(settled(*log));
        log->setLastDays(7);
        QVERIFY(settled(*log));
        QVERIFY(log->model()->rowCount() > 0);
        QSignalSpy reset(log->model(), &QAbstractItemModel::modelReset);
        log->reset();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(log->model()->rowCount(), 0);
        QVERIFY(!log->loaded());
        QVERIFY(!log->filtered());
        QCOMPARE(log->retentionYears(), 0);
        QVERIFY(log->staffChoices().isEmpty());
    }

    void theServerGoneIsSaidAndRecovered()
    {
        auto log = logFor(m_ana, true);
        log->open();
        QVERIFY(settled(*log));
        const int rows = log->model()->rowCount();
        const quint16 port = m_server.port();
        QCOMPARE(m_server.terminate(), 0);
        log->reload();
        QVERIFY(settled(*log));
        QVERIFY(!log->loaded());
        QCOMPARE(log->error(), ErrorText::unreachable());
        QVERIFY2(m_server.start({"--demo"}, port), qPrintable(m_server.error()));
        log->reload();
        QVERIFY(settled(*log));
        QVERIFY(log->loaded());
        QCOMPARE(log->error(), QString());
        QVERIFY(log->model()->rowCount() >= rows);
    }
};

QTEST_MAIN(TestAuditLogModels)
#include "tst_models_audit.moc"
