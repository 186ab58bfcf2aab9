// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ConversationListModel and ConversationFilterModel: index upkeep, role-precise updates, filter, search and sort.
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/TimeText.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace larch;

namespace {
ConversationSummary conv(const QString &id, const QString &title, qint64 activity, qint64 unread = 0,
                         const QString &preview = {})
{
    return ConversationSummary{id, title, QStringLiteral("secure"), preview, activity, unread, 1, {}};
}

QStringList titlesOf(const QAbstractItemModel &model)
{
    QStringList titles;
    for (int i = 0; i < model.rowCount(); ++i)
        titles << model.index(i, 0).data(ConversationListModel::TitleRole).toString();
    return titles;
}

QList<int> rolesOf(const QList<QVariant> &args) { return args.at(2).value<QList<int>>(); }
} // namespace

class TestConversationModels : public QObject {
    Q_OBJECT
private slots:
    void indexFollowsInsertsAndRemovals()
    {
        ConversationListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset({conv("a", "Sam Lee", 100), conv("b", "Maya Chen", 200), conv("c", "Ana Ruiz", 300)});
        QCOMPARE(list.rowCount(), 3);
        QCOMPARE(list.rowOf("b"), 1);
        list.upsert(conv("d", "Ben Okafor", 50));
        QCOMPARE(list.rowOf("d"), 3);
        list.remove("a");
        QCOMPARE(list.rowCount(), 3);
        for (int row = 0; row < list.rowCount(); ++row)
            QCOMPARE(list.rowOf(list.index(row).data(ConversationListModel::ConversationIdRole).toString()), row);
        QCOMPARE(list.rowOf("a"), -1);
        list.remove("unknown");
        QCOMPARE(list.rowCount(), 3);
    }

    void dataChangedCarriesOnlyChangedRoles()
    {
        ConversationListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset({conv("a", "Sam Lee", 100), conv("b", "Maya Chen", 200)});
        QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);

        list.upsert(conv("b", "Maya Chen", 200, 3));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(rolesOf(changed.at(0)), QList<int>{ConversationListModel::UnreadCountRole});

        auto withMessage = conv("b", "Maya Chen", 900, 3, "See you at 3.");
        list.upsert(withMessage);
        QCOMPARE(changed.size(), 2);
        const QList<int> roles = rolesOf(changed.at(1));
        QVERIFY(roles.contains(ConversationListModel::PreviewRole));
        QVERIFY(roles.contains(ConversationListModel::LastActivityAtRole));
        QVERIFY(roles.contains(ConversationListModel::TimeTextRole));
        QVERIFY(!roles.contains(ConversationListModel::UnreadCountRole));
        QVERIFY(!roles.contains(ConversationListModel::TitleRole));

        list.upsert(withMessage); // nothing new: no signal at all
        QCOMPARE(changed.size(), 2);
    }

    void rolesReadAsDocumented()
    {
        ConversationListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QDateTime now = QDateTime::currentDateTime();
        auto c = conv("a", "Sam Lee", now.toMSecsSinceEpoch(), 2, "Hello");
        list.reset({c, ConversationSummary{"b", "Dr. Ben Okafor", "sms", "", 0, 0, 0, {}}});
        const QModelIndex first = list.index(0);
        QCOMPARE(first.data(ConversationListModel::InitialsRole).toString(), QStringLiteral("SL"));
        QCOMPARE(first.data(ConversationListModel::IsSecureRole).toBool(), true);
        QCOMPARE(first.data(ConversationListModel::UnreadCountRole).toInt(), 2);
        QCOMPARE(first.data(ConversationListModel::TimeTextRole).toString(), TimeText::timeOfDay(now));
        const QModelIndex second = list.index(1);
        QCOMPARE(second.data(ConversationListModel::InitialsRole).toString(), QStringLiteral("BO"));
        QCOMPARE(second.data(ConversationListModel::IsSecureRole).toBool(), false);
        QCOMPARE(second.data(ConversationListModel::PreviewRole).toString(), QString());
        const auto roleNames = list.roleNames().values();
        for (const char *name : {"conversationId", "title", "preview", "lastActivityAt", "timeText", "unreadCount",
                                 "isSecure", "initials"})
            QVERIFY2(roleNames.contains(QByteArray(name)), name);
    }

    void listTimeText()
    {
        const QDateTime now(QDate(2025, 11, 27), QTime(15, 0)); // a Thursday
        QCOMPARE(TimeText::listTime(QDateTime(QDate(2025, 11, 27), QTime(14, 5)), now), QStringLiteral("14:05"));
        QCOMPARE(TimeText::listTime(QDateTime(QDate(2025, 11, 24), QTime(9, 0)), now),
                 QLocale().toString(QDate(2025, 11, 24), QStringLiteral("ddd")));
        QCOMPARE(TimeText::listTime(QDateTime(QDate(2025, 11, 12), QTime(9, 0)), now),
                 QLocale().toString(QDate(2025, 11, 12), QStringLiteral("d MMM")));
        QVERIFY(TimeText::listTime(QDateTime(QDate(2024, 11, 12), QTime(9, 0)), now).endsWith(QStringLiteral("2024")));
    }

    void proxySortsNewestFirstAndFollowsActivity()
    {
        ConversationListModel list;
        ConversationFilterModel proxy;
        proxy.setSourceModel(&list);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset({conv("a", "Sam Lee", 100), conv("b", "Maya Chen", 300), conv("c", "Ana Ruiz", 200)});
        QCOMPARE(titlesOf(proxy), (QStringList{"Maya Chen", "Ana Ruiz", "Sam Lee"}));
        QCOMPARE(proxy.count(), 3);

        list.upsert(conv("a", "Sam Lee", 400, 1, "New message"));
        QCOMPARE(titlesOf(proxy), (QStringList{"Sam Lee", "Maya Chen", "Ana Ruiz"}));

        QSignalSpy counted(&proxy, &ConversationFilterModel::countChanged);
        list.upsert(conv("d", "Ben Okafor", 250));
        QCOMPARE(titlesOf(proxy), (QStringList{"Sam Lee", "Maya Chen", "Ben Okafor", "Ana Ruiz"}));
        QCOMPARE(proxy.count(), 4);
        QCOMPARE(counted.size(), 1);
    }

    void unreadFilterFollowsReadState()
    {
        ConversationListModel list;
        ConversationFilterModel proxy;
        proxy.setSourceModel(&list);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset({conv("a", "Sam Lee", 100, 2), conv("b", "Maya Chen", 300), conv("c", "Ana Ruiz", 200, 1)});
        proxy.setFilter(ConversationFilterModel::Unread);
        QCOMPARE(titlesOf(proxy), (QStringList{"Ana Ruiz", "Sam Lee"}));
        list.upsert(conv("c", "Ana Ruiz", 200, 0));
        QCOMPARE(titlesOf(proxy), QStringList{"Sam Lee"});
        list.upsert(conv("b", "Maya Chen", 300, 5));
        QCOMPARE(titlesOf(proxy), (QStringList{"Maya Chen", "Sam Lee"}));
        QCOMPARE(proxy.count(), 2);
        proxy.setFilter(ConversationFilterModel::All);
        QCOMPARE(proxy.count(), 3);
    }

    void searchMatchesTitleAndPreviewIgnoringCase()
    {
        ConversationListModel list;
        ConversationFilterModel proxy;
        proxy.setSourceModel(&list);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        list.reset({conv("a", "Sam Lee", 100, 0, "Blood test results"), conv("b", "Maya Chen", 300, 0, "Thanks"),
                    conv("c", "Ana Ruiz", 200, 0, "See you")});
        proxy.setSearchText("BLOOD");
        QCOMPARE(titlesOf(proxy), QStringList{"Sam Lee"});
        proxy.setSearchText("chen");
        QCOMPARE(titlesOf(proxy), QStringList{"Maya Chen"});
        list.upsert(conv("c", "Ana Ruiz", 200, 0, "Chen asked about a refill"));
        QCOMPARE(titlesOf(proxy), (QStringList{"Maya Chen", "Ana Ruiz"}));
        proxy.setSearchText("");
        QCOMPARE(proxy.count(), 3);
        proxy.setSearchText("nobody");
        QCOMPARE(proxy.count(), 0);
    }

    void manyConversationsStayConsistent()
    {
        ConversationListModel list;
        ConversationFilterModel proxy;
        proxy.setSourceModel(&list);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QList<ConversationSummary> many;
        for (int i = 0; i < 500; ++i)
            many << conv(QString::number(i), QStringLiteral("Patient %1").arg(i), i * 10, i % 3);
        list.reset(many);
        for (int i = 0; i < 500; i += 7)
            list.upsert(conv(QString::number(i), QStringLiteral("Patient %1").arg(i), 10000 + i, 0));
        for (int i = 1; i < 500; i += 50)
            list.remove(QString::number(i));
        for (int row = 0; row < list.rowCount(); ++row)
            QCOMPARE(list.rowOf(list.index(row).data(ConversationListModel::ConversationIdRole).toString()), row);
        const auto newestFirst = [&proxy] {
            for (int row = 1; row < proxy.rowCount(); ++row) {
                if (proxy.index(row - 1, 0).data(ConversationListModel::LastActivityAtRole).toDateTime()
                    < proxy.index(row, 0).data(ConversationListModel::LastActivityAtRole).toDateTime())
                    return false;
            }
            return true;
        };
        QVERIFY(newestFirst());
        QCOMPARE(proxy.index(0, 0).data(ConversationListModel::ConversationIdRole).toString(), QStringLiteral("497"));

        // Rows that come back through a filter or a search land in their sorted place.
        proxy.setFilter(ConversationFilterModel::Unread);
        QVERIFY(proxy.rowCount() > 0 && proxy.rowCount() < list.rowCount());
        QVERIFY(newestFirst());
        proxy.setSearchText(QStringLiteral("patient 4"));
        QVERIFY(newestFirst());
        proxy.setSearchText(QString());
        proxy.setFilter(ConversationFilterModel::All);
        QCOMPARE(proxy.rowCount(), list.rowCount());
        QVERIFY(newestFirst());
        // New activity moves a conversation to the top, also while a search is active.
        proxy.setSearchText(QStringLiteral("patient"));
        list.upsert(conv(QStringLiteral("3"), QStringLiteral("Patient 3"), 50000, 1));
        QCOMPARE(proxy.index(0, 0).data(ConversationListModel::ConversationIdRole).toString(), QStringLiteral("3"));
        QVERIFY(newestFirst());
    }
};

QTEST_GUILESS_MAIN(TestConversationModels)
#include "tst_models_conversations.moc"
