// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Larch's one way to cross threads: post a call to the thread an object lives on, or run work on a pool and post
// its result back.
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QThreadPool>
#include <type_traits>
#include <utility>

namespace larch {

/// Calls fn later on the thread `receiver` lives on, from its event loop; nothing happens if receiver is destroyed
/// before then. From any thread, including receiver's own (a call deferred to the next turn of its loop). fn must
/// hold copies of what it uses, never references to the caller's stack.
template<typename Fn>
void postTo(QObject *receiver, Fn &&fn)
{
    QMetaObject::invokeMethod(receiver, std::forward<Fn>(fn), Qt::QueuedConnection);
}

/// Calls fn on the thread `receiver` lives on and waits until it has run: for stopping an object of a worker thread
/// before that thread ends. Never with a receiver of the calling thread (that would wait for itself).
template<typename Fn>
void callAndWait(QObject *receiver, Fn &&fn)
{
    Q_ASSERT(receiver->thread() != QThread::currentThread());
    QMetaObject::invokeMethod(receiver, std::forward<Fn>(fn), Qt::BlockingQueuedConnection);
}

/// Runs work() on a thread of pool, then done(result) on the thread `receiver` lives on, unless receiver is gone by
/// then. work must not touch receiver; done runs where receiver's own slots run. An owner that waits for its pool
/// before it goes (QThreadPool::waitForDone in its destructor) is alive whenever done runs.
template<typename Work, typename Done>
void runInPool(QThreadPool &pool, QObject *receiver, Work work, Done done)
{
    pool.start([receiver = QPointer<QObject>(receiver), work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        if (receiver) // still there when the work ended; postTo drops the call if it goes before it runs
            postTo(receiver.data(),
                   [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
    });
}

} // namespace larch
