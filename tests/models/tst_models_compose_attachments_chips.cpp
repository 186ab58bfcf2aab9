// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// models_compose_attachments: adding files as chips: types, refusals and their sentences, sizes, duplicates, the limit, removing and clearing.
#include "tst_models_compose_attachments.h"

void TestComposeAttachments::typeIsToldByContentNotByName()
{
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.png(QStringLiteral("report.pdf"))}), 1);
    QCOMPARE(c.model.refusal(), QString());
    QCOMPARE(c.role(0, ComposeAttachmentModel::KindRole).value<AttachmentKind::Value>(), AttachmentKind::Image);
    QCOMPARE(c.role(0, ComposeAttachmentModel::MimeRole).toString(), QStringLiteral("image/png"));
    QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("report.pdf"));

    const QUrl text = f.write(QStringLiteral("photo.jpg"), "Appointment at 3pm, bring your insurance card.\n");
    QCOMPARE(c.model.add({text}), 0);
    QCOMPARE(c.model.refusal(), QStringLiteral("“photo.jpg” isn't a file Larch can send. ") + Accepted());
    QCOMPARE(c.model.count(), 1); // the earlier chip stays
}

void TestComposeAttachments::refusalsSayWhy_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("empty") << "empty.pdf"
                           << "“empty.pdf” is empty.";
    QTest::newRow("folder") << "Scans"
                            << "“Scans” is a folder. Drop the files themselves.";
    QTest::newRow("dangling link") << "gone.png"
                                   << "“gone.png” can't be read. Check that it still exists and that you may "
                                      "open it.";
    QTest::newRow("missing") << "missing.png"
                             << "“missing.png” can't be read. Check that it still exists and that you may open "
                                "it.";
    QTest::newRow("damaged pdf") << "scan.pdf"
                                 << "“scan.pdf” can't be opened as a PDF; it may be damaged. Save a new copy and "
                                    "add that.";
}

void TestComposeAttachments::refusalsSayWhy()
{
    QFETCH(QString, name);
    QFETCH(QString, sentence);
    Files f;
    f.write(QStringLiteral("empty.pdf"), {});
    QVERIFY(QDir(f.dir.path()).mkdir(QStringLiteral("Scans")));
    QVERIFY(QFile::link(f.path(QStringLiteral("nowhere.png")), f.path(QStringLiteral("gone.png"))));
    f.write(QStringLiteral("scan.pdf"), QByteArrayLiteral("%PDF-1.7\n") + QByteArray(500, 'x'));
    Compose c;
    QCOMPARE(c.model.add({f.url(name)}), 0);
    QCOMPARE(c.model.refusal(), sentence);
    QCOMPARE(c.model.count(), 0);
    if (name == QLatin1String("Scans")) { // a folder dropped from a file manager may end in a slash
        c.model.dismissRefusal();
        c.model.add({QUrl::fromLocalFile(f.path(name) + u'/')});
        QCOMPARE(c.model.refusal(), sentence);
    }
}

void TestComposeAttachments::fileWithoutPermissionIsUnreadable()
{
    if (::geteuid() == 0)
        QSKIP("root reads any file; the dangling link in refusalsSayWhy covers the sentence");
    Files f;
    const QUrl url = f.png(QStringLiteral("private.png"));
    QVERIFY(QFile::setPermissions(url.toLocalFile(), QFileDevice::Permissions()));
    Compose c;
    QCOMPARE(c.model.add({url}), 0);
    QCOMPARE(c.model.refusal(),
             QStringLiteral("“private.png” can't be read. Check that it still exists and "
                            "that you may open it."));
}

void TestComposeAttachments::overTheLimitIsRefused()
{
    Files f;
    Compose c;
    QSignalSpy maxChanged(&c.model, &ComposeAttachmentModel::maxBytesChanged);
    QCOMPARE(c.model.maxBytes(), 100LL * 1024 * 1024);
    QCOMPARE(c.model.maxSizeText(), QStringLiteral("100 MB"));
    c.model.setMaxBytes(2048);
    QCOMPARE(maxChanged.size(), 1);
    const QUrl big = f.noisyPng(QStringLiteral("wound.png"), {64, 64});
    const qint64 size = QFileInfo(big.toLocalFile()).size();
    QVERIFY(size > 2048);
    QCOMPARE(c.model.add({big}), 0);
    QCOMPARE(c.model.refusal(),
             QStringLiteral("“wound.png” is %1; attachments can be up to 2 KB.").arg(AttachmentText::sizeText(size)));
    // The words for the server's real limit.
    QCOMPARE(
        composeRefusalSentence({{QStringLiteral("clinic.mov"), ComposeRefusal::Reason::TooLarge, 140LL * 1024 * 1024}},
                               ComposeAttachmentModel::DefaultMaxBytes, ComposeAttachmentModel::MaxPending),
        QStringLiteral("“clinic.mov” is 140 MB; attachments can be up to 100 MB."));
}

void TestComposeAttachments::sizesReadAsPeopleReadThem()
{
    QCOMPARE(AttachmentText::sizeText(512), QStringLiteral("512 bytes"));
    QCOMPARE(AttachmentText::sizeText(18 * 1024), QStringLiteral("18 KB"));
    QCOMPARE(AttachmentText::sizeText(qint64(2.4 * 1024 * 1024)), QStringLiteral("2.4 MB"));
    QCOMPARE(AttachmentText::sizeText(140LL * 1024 * 1024), QStringLiteral("140 MB"));
    QCOMPARE(AttachmentText::sizeText(100LL * 1024 * 1024), QStringLiteral("100 MB"));
}

void TestComposeAttachments::severalAtOnceKeepTheGoodOnesAndNameTheOthers()
{
    Files f;
    Compose c;
    QCOMPARE(c.model.add({f.png(QStringLiteral("before.png"))}), 1);
    QVERIFY(QDir(f.dir.path()).mkdir(QStringLiteral("Scans")));
    const QList<QUrl> drop{f.pdf(QStringLiteral("referral.pdf"), 1), f.write(QStringLiteral("notes.txt"), "notes"),
                           f.url(QStringLiteral("Scans")), f.orientedJpeg(QStringLiteral("rash.jpg"))};
    QCOMPARE(c.model.add(drop), 2);
    QCOMPARE(c.model.count(), 3);
    QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("before.png"));
    QCOMPARE(c.role(1, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("referral.pdf"));
    QCOMPARE(c.role(2, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("rash.jpg"));
    QCOMPARE(c.model.refusal(),
             QStringLiteral("2 files were not added: “notes.txt” isn't a file Larch can send; "
                            "“Scans” is a folder. ")
                 + Accepted());

    // The next add that takes a file clears the sentence; dismissing does too.
    QCOMPARE(c.model.add({f.png(QStringLiteral("after.png"))}), 1);
    QCOMPARE(c.model.refusal(), QString());
    c.model.add({f.url(QStringLiteral("Scans"))});
    QVERIFY(!c.model.refusal().isEmpty());
    c.model.dismissRefusal();
    QCOMPARE(c.model.refusal(), QString());
    QVERIFY(c.waitReady());
}

void TestComposeAttachments::manyRefusalsNameAFewAndCountTheRest()
{
    QList<ComposeRefusal> refusals;
    for (int i = 1; i <= 6; ++i)
        refusals << ComposeRefusal{QStringLiteral("t%1.txt").arg(i), ComposeRefusal::Reason::Unsupported, 0};
    refusals[1].reason = ComposeRefusal::Reason::Empty;
    QCOMPARE(composeRefusalSentence(refusals, ComposeAttachmentModel::DefaultMaxBytes, 10),
             QStringLiteral("6 files were not added: “t1.txt” isn't a file Larch can send; “t2.txt” is empty; "
                            "“t3.txt” isn't a file Larch can send; “t4.txt” isn't a file Larch can send; and 2 "
                            "more. ")
                 + Accepted());
}

void TestComposeAttachments::sameFileTwiceIsOneChip()
{
    Files f;
    Compose c;
    const QUrl png = f.png(QStringLiteral("a.png"));
    QCOMPARE(c.model.add({png, png}), 1);
    QCOMPARE(c.model.add({png}), 0);
    QCOMPARE(c.model.count(), 1);
    QCOMPARE(c.model.refusal(), QString());
}

void TestComposeAttachments::atMostTenChips()
{
    Files f;
    Compose c;
    QList<QUrl> urls;
    for (int i = 1; i <= 12; ++i)
        urls << f.png(QStringLiteral("p%1.png").arg(i), {8, 8}, QColor::fromHsv(i * 25, 200, 200));
    QCOMPARE(c.model.add(urls), ComposeAttachmentModel::MaxPending);
    QCOMPARE(c.model.count(), 10);
    QCOMPARE(c.model.refusal(),
             QStringLiteral("2 files were not added: “p11.png” would make more than 10 "
                            "attachments; “p12.png” would make more than 10 attachments."));
    QVERIFY(c.waitReady());
}

void TestComposeAttachments::chipsStayWithTheirConversation()
{
    Files f;
    Compose c;
    QSignalSpy reset(&c.model, &QAbstractItemModel::modelReset);
    c.model.add({f.png(QStringLiteral("for-a.png"))});
    c.model.setConversation(B);
    QCOMPARE(c.model.count(), 0);
    c.model.add({f.png(QStringLiteral("b1.png")), f.png(QStringLiteral("b2.png"))});
    c.model.add({f.write(QStringLiteral("x.txt"), "x")});
    QVERIFY(!c.model.refusal().isEmpty());
    c.model.setConversation(A);
    QCOMPARE(c.model.refusal(), QString()); // a sentence belongs to the drop it answered
    QCOMPARE(c.model.count(), 1);
    QCOMPARE(c.role(0, ComposeAttachmentModel::NameRole).toString(), QStringLiteral("for-a.png"));
    c.model.setConversation(QString());
    QCOMPARE(c.model.count(), 0);
    c.model.setConversation(B);
    QCOMPARE(c.model.count(), 2);
    QVERIFY(c.waitReady());
    c.model.setConversation(A);
    QVERIFY(c.waitReady());
    QVERIFY(c.model.attachments().constFirst().width > 0); // its preview arrived while it waited elsewhere
    QCOMPARE(reset.size(), 5);
}

void TestComposeAttachments::refusedWhereFilesCannotGo()
{
    Files f;
    ComposeAttachmentModel model;
    QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 0);
    QCOMPARE(model.refusal(), QStringLiteral("Open a conversation to add attachments."));
    const QString sms = QStringLiteral("Attachments can be sent only in secure conversations.");
    model.setAcceptCheck([&](const QString &id) { return id == B ? sms : QString(); });
    model.setConversation(B);
    QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 0);
    QCOMPARE(model.refusal(), sms);
    model.setConversation(A);
    QCOMPARE(model.add({f.png(QStringLiteral("a.png"))}), 1);
}

void TestComposeAttachments::removeAndClearDropTheAppsOwnCopies()
{
    Files f;
    Compose c;
    const QString capture = c.model.capturePath(QStringLiteral("jpg"));
    QVERIFY(capture.startsWith(c.model.privateDir()));
    QVERIFY(capture.endsWith(QLatin1String(".jpg")));
    QFile::copy(f.orientedJpeg(QStringLiteral("cam.jpg")).toLocalFile(), capture);
    const QString picked = f.png(QStringLiteral("picked.png")).toLocalFile();
    QCOMPARE(c.model.add({QUrl::fromLocalFile(capture), QUrl::fromLocalFile(picked)}), 2);
    const QList<PendingAttachment> pending = c.model.attachments();
    QVERIFY(pending.at(0).ownsSource);
    QVERIFY(!pending.at(1).ownsSource);
    c.model.remove(0);
    QVERIFY(!QFile::exists(capture)); // the app's copy goes with its chip
    c.model.remove(5); // no such row: nothing happens
    c.model.clear();
    QCOMPARE(c.model.count(), 0);
    QVERIFY(QFile::exists(picked)); // the person's own file is never touched
    QVERIFY(c.waitReady());
}

QTEST_MAIN(TestComposeAttachments)
