// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Cold start to the first painted conversation list over 10,000 cached conversations.
// The parent fills a store in a temporary folder, then times child processes from exec to the first frame.
#include "client/store/LocalStore.h"
#include "HeadlessPlatform.h"
#include "models/conversations/ConversationFilterModel.h"
#include "models/conversations/ConversationListModel.h"

#include <algorithm>
#include <cstdio>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlContext>
#include <QQuickView>
#include <QTemporaryDir>

using namespace larch;

namespace {
constexpr int Conversations = 10000;
constexpr int Runs = 5;

const char *const ListQml = R"(
import QtQuick
ListView {
    width: 420; height: 900
    model: conversations
    delegate: Item {
        width: ListView.view.width; height: 64
        Rectangle { x: 8; y: 8; width: 48; height: 48; radius: 24; color: "#d8e6d5"
            Text { anchors.centerIn: parent; text: initials } }
        Text { x: 64; y: 10; text: title; font.bold: unreadCount > 0 }
        Text { x: 64; y: 34; width: parent.width - 140; elide: Text.ElideRight; text: preview }
        Text { anchors.right: parent.right; anchors.rightMargin: 8; y: 10; text: timeText }
    }
}
)";

int child(int argc, char **argv, const QString &dir)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QGuiApplication app(argc, argv);
    LocalStore store(dir);
    if (!store.open()) {
        std::fprintf(stderr, "%s\n", qPrintable(store.errorString()));
        return 1;
    }
    const qint64 opened = sinceMain.elapsed();
    ConversationListModel list;
    list.reset(store.conversations().summaries());
    ConversationFilterModel filter;
    filter.setSourceModel(&list);
    const qint64 loaded = sinceMain.elapsed();
    QQuickView view;
    view.rootContext()->setContextProperty(QStringLiteral("conversations"), &filter);
    QObject::connect(&view, &QQuickWindow::frameSwapped, &app, [&] {
        std::printf("painted %lld opened %lld loaded %lld rows %d\n", sinceMain.elapsed(), opened, loaded,
                    filter.rowCount());
        std::fflush(stdout);
        app.quit();
    });
    view.setSource(QUrl::fromLocalFile(QStringLiteral("%1/list.qml").arg(dir)));
    if (view.status() != QQuickView::Ready) {
        std::fprintf(stderr, "the list QML did not load\n");
        return 1;
    }
    view.show();
    return app.exec();
}

void fill(const QString &dir)
{
    LocalStore store(dir);
    if (!store.open())
        qFatal("cannot open the store: %s", qPrintable(store.errorString()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    store.beginBatch();
    for (int i = 0; i < Conversations; ++i) {
        Conversation c;
        c.id = QStringLiteral("c%1").arg(i, 8, 10, QLatin1Char('0'));
        c.practiceId = QStringLiteral("practice");
        c.patientId = QStringLiteral("patient%1").arg(i);
        c.title = QStringLiteral("Patient Number%1").arg(i);
        c.createdAt = now - 86400000LL * 30;
        c.lastActivityAt = now - qint64(i) * 60000;
        c.unreadCount = i % 4;
        c.members = {Member{QStringLiteral("staff"), QStringLiteral("Staff"), QStringLiteral("clinician"), 0}};
        const int messages = i < 1000 ? 3 : 1;
        for (int seq = 1; seq <= messages; ++seq) {
            Message m{QStringLiteral("m%1-%2").arg(i).arg(seq),
                      QStringLiteral("k%1-%2").arg(i).arg(seq),
                      c.id,
                      seq,
                      c.patientId,
                      c.title,
                      QStringLiteral("Message %1 about the appointment on Tuesday.").arg(seq),
                      c.lastActivityAt - (messages - seq) * 1000,
                      {}};
            if (seq == messages)
                c.lastMessage = m;
            store.messages().applyMessage(m, QStringLiteral("staff"));
        }
        c.lastSeq = messages;
        store.conversations().upsert(c);
    }
    store.endBatch();
    QFile qml(QStringLiteral("%1/list.qml").arg(dir));
    qml.open(QIODevice::WriteOnly);
    qml.write(ListQml);
}
} // namespace

int main(int argc, char **argv)
{
    bench::useOffscreenWithoutDisplay();
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0)
        return child(argc, argv, QString::fromLocal8Bit(argv[2]));

    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    QElapsedTimer fillTimer;
    fillTimer.start();
    fill(dir.path());
    std::printf("bench_client_start: %d conversations stored in %lld ms\n", Conversations, fillTimer.elapsed());

    QList<qint64> totals;
    for (int run = 0; run < Runs; ++run) {
        QProcess process;
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer timer;
        timer.start();
        process.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child"), dir.path()});
        QByteArray out;
        while (!out.contains('\n') && process.waitForReadyRead(30000))
            out += process.readAllStandardOutput();
        const qint64 total = timer.elapsed();
        process.waitForFinished(30000);
        if (!out.startsWith("painted")) {
            std::printf("run %d: the child did not paint (exit %d)\n", run + 1, process.exitCode());
            return 1;
        }
        totals << total;
        std::printf("run %d: %lld ms from exec to first frame (child: %s)\n", run + 1, total,
                    out.trimmed().constData());
    }
    std::sort(totals.begin(), totals.end());
    std::printf("bench_client_start: median %lld ms cold start to first painted list of %d conversations "
                "(target <= 400 ms)\n",
                totals.at(totals.size() / 2), Conversations);
    return 0;
}
