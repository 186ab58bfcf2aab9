// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// ComposeController: a draft per conversation, saved after typing pauses, kept across a reopened store.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "client/sync/SyncEngine.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
const QString A = QStringLiteral("a0000000-0000-4000-8000-000000000001");
const QString B = QStringLiteral("b0000000-0000-4000-8000-000000000002");

// The storage key a device keeps in its keychain; the same across a reopen of its store.
const SecretBytes &storageKey()
{
    static const SecretBytes key = SecretBytes::random(32);
    return key;
}

// One device's parts without a network: the outbox only stores while it has no session.
struct Device {
    LocalStore store;
    ApiClient api;
    SyncEngine sync{&store, &api};
    ComposeController compose{&store, &sync};
    explicit Device(const QString &dir) : store(dir)
    {
        QVERIFY(store.open());
        store.setStorageKey(storageKey());
    }
};
} // namespace

class TestCompose : public QObject {
    Q_OBJECT
private slots:
    void draftsAreKeptPerConversation()
    {
        QTemporaryDir dir;
        Device d(dir.path());
        QSignalSpy canSend(&d.compose, &ComposeController::canSendChanged);
        QVERIFY(!d.compose.canSend());
        d.compose.setText("typed with nothing open");
        QVERIFY(!d.compose.canSend());

        d.compose.setConversation(A);
        QCOMPARE(d.compose.text(), QString());
        d.compose.setText("For A");
        QVERIFY(d.compose.canSend());
        d.compose.setConversation(B);
        QCOMPARE(d.compose.text(), QString());
        QVERIFY(!d.compose.canSend());
        d.compose.setText("   ");
        QVERIFY(!d.compose.canSend());
        d.compose.setText("For B");
        d.compose.setConversation(A);
        QCOMPARE(d.compose.text(), QStringLiteral("For A"));
        d.compose.setConversation(B);
        QCOMPARE(d.compose.text(), QStringLiteral("For B"));
        QVERIFY(canSend.size() >= 3);
    }

    void draftIsSavedAfterTypingPauses()
    {
        QTemporaryDir dir;
        Device d(dir.path());
        d.compose.setConversation(A);
        d.compose.setText("Half a sentence");
        QCOMPARE(d.store.outbox().draft(A), QString()); // not on every keystroke
        QTRY_COMPARE_WITH_TIMEOUT(d.store.outbox().draft(A), QStringLiteral("Half a sentence"), 5000);
    }

    void draftsSurviveAReopenedStore()
    {
        QTemporaryDir dir;
        {
            Device d(dir.path());
            d.compose.setConversation(A);
            d.compose.setText("Kept across restarts");
            d.compose.setConversation(B);
            d.compose.setText("Also kept");
        } // destroyed before the save delay: the destructor writes it
        Device d(dir.path());
        d.compose.setConversation(A);
        QCOMPARE(d.compose.text(), QStringLiteral("Kept across restarts"));
        d.compose.setConversation(B);
        QCOMPARE(d.compose.text(), QStringLiteral("Also kept"));
    }

    void sendPutsTrimmedTextInTheOutboxAndClearsTheDraft()
    {
        QTemporaryDir dir;
        Device d(dir.path());
        QSignalSpy pending(&d.sync, &SyncEngine::messagePending);
        d.compose.setConversation(A);
        d.compose.setText("  See you at 3.  \n");
        QVERIFY(d.compose.send());
        QCOMPARE(pending.size(), 1);
        QCOMPARE(d.compose.text(), QString());
        QVERIFY(!d.compose.canSend());
        const QList<OutboxEntry> outbox = d.store.outbox().entries(A);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.first().body, QStringLiteral("See you at 3."));
        QCOMPARE(d.store.outbox().draft(A), QString());
        QVERIFY(!d.compose.send()); // nothing to send
        QCOMPARE(d.store.outbox().entries().size(), 1);
    }

    void tooLongMessageIsRefusedWithAReason()
    {
        QTemporaryDir dir;
        Device d(dir.path());
        d.compose.setConversation(A);
        d.compose.setText(QString(20001, u'x'));
        QVERIFY(!d.compose.send());
        QVERIFY(d.compose.error().contains(QStringLiteral("too long")));
        QCOMPARE(d.store.outbox().entries().size(), 0);
        QCOMPARE(d.compose.text().size(), 20001); // nothing the person wrote is lost
        d.compose.setText("short");
        QCOMPARE(d.compose.error(), QString());
        // Past the bytes an envelope holds (80,000 of UTF-8), fewer characters are still too long: 5,000 joined
        // families are 125,000 bytes.
        const QString family = QStringLiteral(u"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
        d.compose.setText(family.repeated(5000));
        QVERIFY(!d.compose.send());
        QVERIFY(d.compose.error().contains(QStringLiteral("too long")));
        QCOMPARE(d.store.outbox().entries().size(), 0);
    }

    void lengthIsCountedAsAPersonCounts()
    {
        // 20,000 emoji are 40,000 UTF-16 units but 20,000 characters: sent.
        QTemporaryDir dir;
        Device d(dir.path());
        d.compose.setConversation(A);
        const QString emoji = QStringLiteral(u"\U0001F44D").repeated(20000);
        d.compose.setText(emoji);
        QVERIFY2(d.compose.send(), qPrintable(d.compose.error()));
        QCOMPARE(d.store.outbox().entries(A).size(), 1);
        QCOMPARE(d.store.outbox().entries(A).first().body, emoji);
    }

    void theAppsOrphanedCopiesAreSweptAndQueuedOnesKept()
    {
        // Copies the app made (converted photos, captures) that a crash left behind go; one an outbox entry still
        // sends stays, and so does one written during this run (a conversion in progress).
        QTemporaryDir dir;
        Device device(dir.path());
        const QString outgoing = QDir(dir.path()).filePath(QStringLiteral("outgoing"));
        QVERIFY(QDir().mkpath(outgoing));
        const QDateTime before = QDateTime::currentDateTime();
        auto write = [&](const QString &name, const QDateTime &when) {
            QFile f(QDir(outgoing).filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("photo bytes");
            QVERIFY(f.flush()); // closing must not write again after the time is set
            QVERIFY(f.setFileTime(when, QFileDevice::FileModificationTime));
        };
        write(QStringLiteral("orphan.jpg"), before.addSecs(-3600));
        write(QStringLiteral("queued.jpg"), before.addSecs(-3600));
        write(QStringLiteral("converting.jpg"), before.addSecs(60));
        PendingAttachment queued;
        queued.sourcePath = QDir(outgoing).filePath(QStringLiteral("queued.jpg"));
        queued.ownsSource = true;
        queued.type = AttachmentType{QStringLiteral("image/jpeg"), QStringLiteral("image")};
        queued.name = QStringLiteral("queued.jpg");
        queued.sourceSize = 11;
        device.store.outbox().enqueueAttachment(A, QString(), queued);

        QStringList kept;
        for (const OutboxEntry &entry : device.store.outbox().entries()) {
            if (entry.attachment && entry.attachment->ownsSource)
                kept.append(entry.attachment->sourcePath);
        }
        QCOMPARE(kept, QStringList{queued.sourcePath});
        QCOMPARE(ComposeAttachmentModel::sweepPrivateDir(outgoing, kept, before), 1);
        QVERIFY(!QFile::exists(QDir(outgoing).filePath(QStringLiteral("orphan.jpg"))));
        QVERIFY(QFile::exists(queued.sourcePath));
        QVERIFY(QFile::exists(QDir(outgoing).filePath(QStringLiteral("converting.jpg"))));
    }
};

QTEST_GUILESS_MAIN(TestCompose)
#include "tst_models_compose.moc"
