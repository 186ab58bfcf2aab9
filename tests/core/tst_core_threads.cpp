// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// postTo and runInPool, Larch's one way to cross threads: calls land on the receiver's thread, in order, and never
// on a receiver that is gone.
#include "core/threads/PostTo.h"

#include <atomic>
#include <QSemaphore>
#include <QThread>
#include <QtTest>

using namespace larch;

class TestCoreThreads : public QObject {
    Q_OBJECT
private slots:
    void postToRunsOnTheReceiversThreadInOrder()
    {
        QThread worker;
        worker.start();
        QObject receiver;
        receiver.moveToThread(&worker);
        std::atomic<int> calls{0};
        QList<int> order;
        QThread *ranOn = nullptr;
        for (int i = 0; i < 5; ++i)
            postTo(&receiver, [&, i] {
                ranOn = QThread::currentThread();
                order << i;
                ++calls;
            });
        QTRY_COMPARE(calls.load(), 5);
        QCOMPARE(ranOn, &worker);
        QCOMPARE(order, (QList<int>{0, 1, 2, 3, 4}));
        postTo(&receiver, [&receiver] { receiver.moveToThread(QCoreApplication::instance()->thread()); });
        QTRY_COMPARE(receiver.thread(), QCoreApplication::instance()->thread());
        worker.quit();
        worker.wait();
    }

    void postToOwnThreadWaitsForTheNextTurn()
    {
        QObject receiver;
        bool ran = false;
        postTo(&receiver, [&] { ran = true; });
        QVERIFY(!ran); // not called from inside postTo
        QTRY_VERIFY(ran);
    }

    void postToAGoneReceiverDoesNothing()
    {
        bool ran = false;
        auto *receiver = new QObject;
        postTo(receiver, [&] { ran = true; });
        delete receiver;
        QCoreApplication::sendPostedEvents(); // what was posted, delivered now: nothing for a receiver that is gone
        QVERIFY(!ran);
    }

    void callAndWaitReturnsAfterTheCall()
    {
        QThread worker;
        worker.start();
        QObject receiver;
        receiver.moveToThread(&worker);
        QThread *ranOn = nullptr;
        callAndWait(&receiver, [&] {
            QThread::msleep(20);
            ranOn = QThread::currentThread();
        });
        QCOMPARE(ranOn, &worker); // set before callAndWait returned
        callAndWait(&receiver, [&receiver] { receiver.moveToThread(QCoreApplication::instance()->thread()); });
        worker.quit();
        worker.wait();
    }

    void runInPoolWorksElsewhereAndAnswersHere()
    {
        QThreadPool pool;
        QObject receiver;
        QThread *workedOn = nullptr;
        QThread *answeredOn = nullptr;
        int answer = 0;
        runInPool(
            pool, &receiver,
            [&] {
                workedOn = QThread::currentThread();
                return 42;
            },
            [&](int result) {
                answeredOn = QThread::currentThread();
                answer = result;
            });
        QTRY_COMPARE(answer, 42);
        QVERIFY(workedOn != QThread::currentThread());
        QCOMPARE(answeredOn, QThread::currentThread());
        pool.waitForDone();
    }

    void runInPoolDropsTheAnswerOfAGoneReceiver()
    {
        QThreadPool pool;
        std::atomic<bool> worked{false};
        bool answered = false;
        auto *receiver = new QObject;
        QSemaphore started, release;
        runInPool(
            pool, receiver,
            [&] {
                started.release();
                release.acquire(); // the receiver goes while the work runs
                worked = true;
                return 1;
            },
            [&](int) { answered = true; });
        started.acquire();
        delete receiver;
        release.release();
        pool.waitForDone();
        QCoreApplication::sendPostedEvents(); // the answer was posted before the work ended: delivered now, or never
        QVERIFY(worked);
        QVERIFY(!answered);
    }
};

QTEST_GUILESS_MAIN(TestCoreThreads)
#include "tst_core_threads.moc"
