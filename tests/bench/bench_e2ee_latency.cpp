// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// bench_e2ee_latency: what end-to-end encryption adds to a message's trip from one app to another.
// Two whole client stacks (AppController, sync, keys, store) and the real larch-server on loopback, device keys in
// a real keyring (run through tests/support/run-with-keyring.sh). For each message it measures the full trip, compose to
// the receiver's verified row, and, on the very same stacks and message, the work only encryption adds: sealing
// under the conversation's epoch (SecureSync::seal), opening and checking the envelope (SecureSync::open), and
// encrypting and decrypting the text at rest in both caches. The trip minus that work is the plaintext path.
#include "client/e2ee/DeviceIdentity.h"
#include "client/e2ee/SecureSync.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/StorageCipher.h"
#include "models/app/AccountSession.h"
#include "models/app/AppController.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/ConversationListModel.h"
#include "models/conversations/CurrentConversation.h"
#include "TestServer.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace larch;

namespace {
constexpr int Messages = 300;
constexpr int Warmup = 20;
constexpr int WaitMs = 30000;

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto at = std::min(values.size() - 1, size_t(p * double(values.size() - 1) + 0.5));
    return values[at];
}

std::unique_ptr<AppController> signIn(const QString &dir, const QString &url, const QString &email)
{
    auto app = std::make_unique<AppController>(dir);
    app->session()->setServerUrl(url);
    app->session()->signIn(email, QStringLiteral("larch-demo-password"));
    (void)QTest::qWaitFor([&] { return app->session()->online(); }, WaitMs);
    return app;
}

QString conversationOf(const AppController &app, const QString &title)
{
    const ConversationListModel *list = app.conversationList();
    for (int row = 0; row < list->rowCount(); ++row) {
        if (list->index(row).data(ConversationListModel::TitleRole).toString() == title)
            return list->index(row).data(ConversationListModel::ConversationIdRole).toString();
    }
    return {};
}

/// µs of the encryption-only work for one message, measured on the sender's and the receiver's stacks.
double addedMicros(AppController &sender, AppController &receiver, const StoredMessage &received)
{
    QElapsedTimer t;
    // Sender: sealing under the current epoch (all keys at hand, as for every message after the first).
    OutboxEntry entry;
    entry.clientId = newId();
    entry.conversationId = received.message.conversationId;
    entry.body = received.message.body;
    bool sealed = false;
    t.start();
    sender.sync()->secure()->seal(entry, [&sealed](const std::optional<QJsonObject> &e, const EpochPlanner::Failure &) {
        sealed = e.has_value();
    });
    qint64 ns = t.nsecsElapsed();
    if (!sealed)
        return -1; // sealing waited for the network: not the steady state this measures
    // Receiver: signature, key and replay checks and decryption.
    t.restart();
    const StoredMessage opened = receiver.sync()->secure()->open(received.message);
    ns += t.nsecsElapsed();
    if (opened.verification != Verification::Verified)
        return -1;
    // Both caches: the outbox text and the stored body on the sender, the body and preview on the receiver.
    const QByteArray text = received.message.body.toUtf8();
    const QByteArray senderKey = sender.identity()->keys().storageKey.bytes();
    const QByteArray receiverKey = receiver.identity()->keys().storageKey.bytes();
    t.restart();
    for (const QByteArray *key : {&senderKey, &senderKey, &receiverKey, &receiverKey}) {
        const QByteArray sealedRow = StorageCipher::encrypt(*key, "messages\x1f" + entry.clientId.toUtf8(), text);
        if (!StorageCipher::decrypt(*key, "messages\x1f" + entry.clientId.toUtf8(), sealedRow))
            return -1;
    }
    ns += t.nsecsElapsed();
    return double(ns) / 1000.0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    initCrypto();
    QTemporaryDir benDir, samDir;
    TestServer server;
    if (!server.start({"--demo", "--log-level", "warn"})) {
        std::fprintf(stderr, "bench_e2ee_latency: %s\n", qPrintable(server.error()));
        return 1;
    }
    auto ben = signIn(benDir.path(), server.baseUrl(), "ben@birch.example");
    auto sam = signIn(samDir.path(), server.baseUrl(), "sam@patient.example");
    if (!ben->session()->online() || !sam->session()->online()) {
        std::fprintf(stderr,
                     "bench_e2ee_latency: sign-in failed (run it through tests/support/run-with-keyring.sh): %s %s\n",
                     qPrintable(ben->session()->signInError()), qPrintable(sam->session()->signInError()));
        return 1;
    }
    (void)QTest::qWaitFor([&] { return !conversationOf(*ben, "Sam Lee").isEmpty(); }, WaitMs);
    const QString conversation = conversationOf(*ben, "Sam Lee");
    ben->current()->open(conversation);

    std::optional<StoredMessage> arrived;
    QObject::connect(sam->sync(), &SyncEngine::messageAdded, sam.get(), [&](const StoredMessage &m) {
        if (m.verification == Verification::Verified)
            arrived = m;
    });
    QObject::connect(sam->sync(), &SyncEngine::messageOpened, sam.get(), [&](const StoredMessage &m) {
        if (m.verification == Verification::Verified)
            arrived = m;
    });

    std::vector<double> tripMs, addedUs, plainMs;
    QElapsedTimer clock;
    for (int i = 0; i < Warmup + Messages; ++i) {
        const QString text = QStringLiteral("Message %1: the results came back and everything looks as expected; "
                                            "see you at the follow-up next week.")
                                 .arg(i);
        arrived.reset();
        ben->compose()->setText(text);
        clock.start();
        ben->compose()->send();
        if (!QTest::qWaitFor([&] { return arrived && arrived->message.body == text; }, WaitMs)) {
            std::fprintf(stderr, "bench_e2ee_latency: message %d did not arrive\n", i);
            return 1;
        }
        const double trip = double(clock.nsecsElapsed()) / 1e6;
        const double added = addedMicros(*ben, *sam, *arrived);
        if (i < Warmup || added < 0)
            continue;
        tripMs.push_back(trip);
        addedUs.push_back(added);
        plainMs.push_back(trip - added / 1000.0);
    }

    std::printf("bench_e2ee_latency: %zu messages, Ben's app -> larch-server -> Sam's app on loopback\n",
                tripMs.size());
    std::printf("  send->receive, end-to-end encrypted:      p50 %.2f ms   p99 %.2f ms\n", percentile(tripMs, 0.5),
                percentile(tripMs, 0.99));
    std::printf("  same path without encryption (trip-added): p50 %.2f ms   p99 %.2f ms\n", percentile(plainMs, 0.5),
                percentile(plainMs, 0.99));
    std::printf("  added by encryption (seal+open+at rest):   p50 %.3f ms  p99 %.3f ms   (target <= 1 ms p99)\n",
                percentile(addedUs, 0.5) / 1000.0, percentile(addedUs, 0.99) / 1000.0);
    ben.reset();
    sam.reset();
    server.kill();
    return 0;
}
