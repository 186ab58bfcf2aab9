// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// models_compose_attachments: sending chips: one message per file with the caption first, files the device cannot keep, a conversation away.
#include "tst_models_compose_attachments.h"

void TestComposeAttachments::sendMakesOneMessagePerFileWithTheCaptionFirst()
{
    Files f;
    QTemporaryDir dir;
    Device d(dir.path());
    ComposeAttachmentModel *chips = d.compose.attachments();
    QVERIFY(chips);
    d.compose.setConversation(A);
    QVERIFY(!d.compose.canSend());
    chips->add({f.png(QStringLiteral("left.png")), f.pdf(QStringLiteral("results.pdf"), 2)});
    QVERIFY(!d.compose.canSend()); // previews still being made
    QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs); // files and no text: sendable
    d.compose.setText("  Your results, as discussed.  ");
    QSignalSpy pending(&d.sync, &SyncEngine::messagePending);
    QVERIFY(d.compose.send());
    QCOMPARE(pending.size(), 2);
    QCOMPARE(chips->count(), 0);
    QCOMPARE(d.compose.text(), QString());
    QVERIFY(!d.compose.canSend());
    const QList<OutboxEntry> outbox = d.store.outbox().entries(A);
    QCOMPARE(outbox.size(), 2);
    QCOMPARE(outbox.at(0).body, QStringLiteral("Your results, as discussed."));
    QVERIFY(outbox.at(0).attachment);
    QCOMPARE(outbox.at(0).attachment->name, QStringLiteral("left.png"));
    QCOMPARE(outbox.at(1).body, QString());
    QVERIFY(outbox.at(1).attachment);
    QCOMPARE(outbox.at(1).attachment->pages, 2);
    QVERIFY(!outbox.at(1).attachment->thumbnail.isEmpty());
}

void TestComposeAttachments::filesTheDeviceCannotKeepStayChips()
{
    Files f;
    QTemporaryDir dir;
    Device d(dir.path());
    ComposeAttachmentModel *chips = d.compose.attachments();
    d.compose.setConversation(A);
    chips->add({f.png(QStringLiteral("one.png")), f.png(QStringLiteral("two.png"), {32, 24}, Qt::darkRed),
                f.pdf(QStringLiteral("three.pdf"), 1)});
    QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs);
    d.compose.setText(QStringLiteral("Before and after"));
    {
        // The device's database refuses a second outbox row, as it would on a full disk.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("refuse"));
        db.setDatabaseName(dir.filePath(QStringLiteral("larch-client.sqlite")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN (SELECT count(*) FROM "
                                      "outbox) >= 1 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("refuse"));
    QSignalSpy pending(&d.sync, &SyncEngine::messagePending);
    QVERIFY(d.compose.send()); // the first file left, with the caption
    QCOMPARE(pending.size(), 1);
    QCOMPARE(d.store.outbox().entries(A).size(), 1);
    QCOMPARE(d.store.outbox().entries(A).first().body, QStringLiteral("Before and after"));
    QCOMPARE(d.store.outbox().entries(A).first().attachment->name, QStringLiteral("one.png"));
    // The other two are still chips, in order, and the sentence says what to do.
    QCOMPARE(chips->count(), 2);
    QCOMPARE(chips->attachments().at(0).name, QStringLiteral("two.png"));
    QCOMPARE(chips->attachments().at(1).name, QStringLiteral("three.pdf"));
    QVERIFY2(d.compose.error().contains(QStringLiteral("could not be saved on this device")),
             qPrintable(d.compose.error()));
    QCOMPARE(d.compose.text(), QString());

    // Nothing kept at all: the caption stays as well.
    d.compose.setText(QStringLiteral("Second try"));
    QVERIFY(!d.compose.send());
    QCOMPARE(chips->count(), 2);
    QCOMPARE(d.compose.text(), QStringLiteral("Second try"));
    QCOMPARE(pending.size(), 1);
    QCOMPARE(d.store.outbox().entries(A).size(), 1);
}

void TestComposeAttachments::chipsWaitWhileTheConversationIsAway()
{
    Files f;
    QTemporaryDir dir;
    Device d(dir.path());
    d.compose.setConversation(A);
    d.compose.attachments()->add({f.png(QStringLiteral("kept.png"))});
    d.compose.setConversation(B);
    QVERIFY(!d.compose.canSend());
    d.compose.setConversation(A);
    QCOMPARE(d.compose.attachments()->count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(d.compose.canSend(), PreviewWaitMs);
    // A conversation that stopped taking files keeps the chips and says why it will not send them.
    const QString why = QStringLiteral("Attachments can be sent only in secure conversations.");
    d.compose.attachments()->setAcceptCheck([&](const QString &) { return why; });
    QVERIFY(!d.compose.send());
    QCOMPARE(d.compose.error(), why);
    QCOMPARE(d.compose.attachments()->count(), 1);
    QCOMPARE(d.store.outbox().entries().size(), 0);
}
