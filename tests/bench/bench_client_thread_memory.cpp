// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Resident memory of a thread of 100,000 messages, paged in full through ThreadModel.
// The store is filled first; a child process then measures, so the fill's caches do not count.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "models/thread/ThreadModel.h"

#include <cstdio>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace larch;

namespace {
constexpr int Messages = 100000;
const QString Conv = QStringLiteral("c0000000-0000-4000-8000-000000000001");

long residentKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

int measure(const QString &dir)
{
    const long before = residentKb();
    LocalStore store(dir);
    if (!store.open())
        return 1;
    ApiClient api;
    api.setServerUrl(QUrl(QStringLiteral("http://127.0.0.1:1")));
    ThreadModel model(&store, &api);
    model.setUser(QStringLiteral("me"), QStringLiteral("Dr. Ben Okafor"));
    QElapsedTimer timer;
    timer.start();
    model.open(Conv);
    const long opened = residentKb();
    int pages = 0;
    while (model.canFetchMore({}) || model.isLoading()) {
        model.fetchMore({});
        QCoreApplication::processEvents();
        ++pages;
        // Touch what a scrolling view reads, so lazily computed roles are paid for.
        for (int row = std::max(0, model.rowCount() - ThreadModel::PageSize); row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row);
            for (int role : {int(ThreadModel::BodyRole), int(ThreadModel::TimeTextRole), int(ThreadModel::DayTextRole),
                             int(ThreadModel::DeliveryStateRole), int(ThreadModel::IsFirstOfGroupRole)})
                index.data(role);
        }
    }
    const qint64 ms = timer.elapsed();
    const long after = residentKb();
    std::printf("bench_client_thread_memory: rows %d, VmRSS before %.1f MB, after open %.1f MB, after scrolling "
                "through all %.1f MB (target <= 150 MB); paged in %lld ms\n",
                model.rowCount(), before / 1024.0, opened / 1024.0, after / 1024.0, ms);
    return model.rowCount() == Messages ? 0 : 2;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--measure") == 0)
        return measure(QString::fromLocal8Bit(argv[2]));

    QTemporaryDir dir;
    {
        LocalStore store(dir.path());
        if (!store.open())
            return 1;
        Conversation c;
        c.id = Conv;
        c.practiceId = QStringLiteral("practice");
        c.patientId = QStringLiteral("them");
        c.title = QStringLiteral("Sam Lee");
        c.lastSeq = Messages;
        c.members = {
            Member{QStringLiteral("me"), QStringLiteral("Dr. Ben Okafor"), QStringLiteral("clinician"), Messages},
            Member{QStringLiteral("them"), QStringLiteral("Sam Lee"), QStringLiteral("patient"), Messages - 10}};
        store.conversations().upsert(c);
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - qint64(Messages) * 60000;
        store.beginBatch();
        for (int seq = 1; seq <= Messages; ++seq) {
            const bool mine = seq % 3 == 0;
            Message m{QStringLiteral("%1")
                          .arg(seq, 8, 10, QLatin1Char('0'))
                          .prepend(QStringLiteral("e41f0000-0000-4000-8000-0000")),
                      QStringLiteral("%1")
                          .arg(seq, 8, 10, QLatin1Char('0'))
                          .prepend(QStringLiteral("a3c80000-0000-4000-8000-0000")),
                      Conv,
                      seq,
                      mine ? QStringLiteral("me") : QStringLiteral("them"),
                      mine ? QStringLiteral("Dr. Ben Okafor") : QStringLiteral("Sam Lee"),
                      QStringLiteral("Message %1: how are you feeling after the new medication this week?").arg(seq),
                      start + qint64(seq) * 60000,
                      {}};
            store.messages().applyMessage(m, QStringLiteral("me"));
        }
        store.endBatch();
    }
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--measure"), dir.path()});
    process.waitForFinished(600000);
    return process.exitCode();
}
