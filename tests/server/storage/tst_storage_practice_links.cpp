// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// PracticeLinkStorage: the default link, codes, the per-practice limit, changes, conversations opened through a link.
#include "core/crypto/Crypto.h"
#include "StorageBackend.h"
#include "StorageScene.h"

#include <QtTest>

using namespace larch;
using namespace larch::server;
using namespace larch::server::conformance;

/// PracticeLinkStorage conformance, against the interface alone.
class TestPracticeLinkStorage : public QObject {
    Q_OBJECT

    static PracticeLinkRecord link(const Scene &sc, const QString &label, qint64 at, const QString &tag = {})
    {
        return PracticeLinkRecord{newId(), sc.practice.id, {}, label, tag, true, at, at, 0};
    }

    /// One event to the admin naming the link's label and count, so tests see what the storage passed.
    static PracticeLinkEvents eventsTo(const User &admin)
    {
        return [admin](const PracticeLinkRecord &l) {
            return QList<NewEvent>{NewEvent{
                admin.id, QStringLiteral("practice.link"),
                QStringLiteral("{\"label\":\"%1\",\"count\":%2}").arg(l.label).arg(l.conversationCount).toUtf8()}};
        };
    }

private slots:
    void everyPracticeStartsWithALink()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const auto links = s.practiceLinks().linksOfPractice(sc.practice.id);
        QCOMPARE(links.size(), 1);
        QCOMPARE(links[0].label, QStringLiteral("Practice Link"));
        QVERIFY(links[0].enabled);
        QCOMPARE(links[0].code.size(), 10);
        QCOMPARE(s.practiceLinks().practiceLinkByCode(links[0].code)->id, links[0].id);
        QCOMPARE(s.practiceLinks().practiceLink(links[0].id)->practiceId, sc.practice.id);
        QVERIFY(!s.practiceLinks().practiceLinkByCode(QStringLiteral("nosuchcode")));
    }

    void createsUpToTheLimitWithFreshCodes()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        PracticeLinkStorage &p = s.practiceLinks();
        const auto made = p.createPracticeLink(link(sc, QStringLiteral("Flyer"), 2000, QStringLiteral("flyer")), 3,
                                               eventsTo(sc.admin));
        QCOMPARE(made.status, PracticeLinkWriteResult::Status::Done);
        QCOMPARE(made.link.code.size(), 10);
        QCOMPARE(made.link.tag, QStringLiteral("flyer"));
        QCOMPARE(made.events.size(), 1);
        QCOMPARE(made.events[0].userId, sc.admin.id);
        QVERIFY(made.events[0].data.contains("Flyer"));
        const auto second = p.createPracticeLink(link(sc, QStringLiteral("Website"), 2100), 3, eventsTo(sc.admin));
        QCOMPARE(second.status, PracticeLinkWriteResult::Status::Done);
        QVERIFY(second.link.code != made.link.code);
        const auto tooMany = p.createPracticeLink(link(sc, QStringLiteral("Radio"), 2200), 3, eventsTo(sc.admin));
        QCOMPARE(tooMany.status, PracticeLinkWriteResult::Status::TooMany);
        QVERIFY(tooMany.events.isEmpty());
        const auto all = p.linksOfPractice(sc.practice.id);
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[1].label, QStringLiteral("Flyer"));
        QCOMPARE(all[2].label, QStringLiteral("Website"));
        QCOMPARE(s.conversations().latestEventSeq(sc.admin.id), 2);
    }

    void changesLabelTagAndEnabled()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        PracticeLinkStorage &p = s.practiceLinks();
        PracticeLinkRecord l = p.linksOfPractice(sc.practice.id).value(0);
        const QString code = l.code;
        l.label = QStringLiteral("Front desk");
        l.tag = QStringLiteral("desk");
        l.enabled = false;
        l.code = QStringLiteral("ignoredxyz");
        l.updatedAt = 900;
        const auto changed = p.updatePracticeLink(l, eventsTo(sc.admin));
        QCOMPARE(changed.status, PracticeLinkWriteResult::Status::Done);
        QCOMPARE(changed.link.code, code);
        const auto stored = *p.practiceLink(l.id);
        QCOMPARE(stored.label, QStringLiteral("Front desk"));
        QCOMPARE(stored.tag, QStringLiteral("desk"));
        QVERIFY(!stored.enabled);
        QCOMPARE(stored.updatedAt, 900);
        QCOMPARE(stored.code, code);
        l.id = newId();
        QCOMPARE(p.updatePracticeLink(l, eventsTo(sc.admin)).status, PracticeLinkWriteResult::Status::NotFound);
    }

    void opensOneConversationPerPatientAndCountsIt()
    {
        const auto store = openFreshStorage();
        Storage &s = *store;
        const Scene sc = makeScene(s);
        const Scene other = makeScene(s, QStringLiteral("b"));
        PracticeLinkStorage &p = s.practiceLinks();
        const PracticeLinkRecord l = p.linksOfPractice(other.practice.id).value(0);
        // Scene a's patient opens a conversation with practice b through b's link.
        ConversationRecord c{
            newId(), other.practice.id,        sc.patient.id, QStringLiteral("Pat"), QStringLiteral("secure"), 700, 700,
            0,       {QStringLiteral("flyer")}};
        const QList<NewEvent> events{NewEvent{sc.patient.id, QStringLiteral("conversation.created"), "{}"}};
        const auto opened = p.openLinkConversation(c, l.id, events, eventsTo(other.admin));
        QVERIFY(opened.created);
        QCOMPARE(opened.conversationId, c.id);
        QCOMPARE(opened.events.size(), 2);
        QVERIFY(opened.events[1].data.contains("\"count\":1"));
        const auto stored = s.conversations().conversation(c.id);
        QVERIFY(stored);
        QCOMPARE(stored->tags, QStringList{QStringLiteral("flyer")});
        QCOMPARE(p.practiceLink(l.id)->conversationCount, 1);
        // A second sign-up through the link finds the same conversation and stores nothing.
        ConversationRecord again = c;
        again.id = newId();
        const auto second = p.openLinkConversation(again, l.id, events, eventsTo(other.admin));
        QVERIFY(!second.created);
        QCOMPARE(second.conversationId, c.id);
        QVERIFY(second.events.isEmpty());
        QVERIFY(!s.conversations().conversation(again.id));
        QCOMPARE(p.practiceLink(l.id)->conversationCount, 1);
    }
};

LARCH_STORAGE_TEST(TestPracticeLinkStorage)
#include "tst_storage_practice_links.moc"
