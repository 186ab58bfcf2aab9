// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A two-peer call on loopback (two CallMedia in one process, synthetic cameras whose frames carry their capture
// time): frames per second each way, capture-to-shown latency, CPU of both peers together, answer to first frame,
// and media back after the link is cut for 2 s. Prints figures; asserts nothing.
//   bench_call_media [--size 640x480] [--seconds 20] [--calls 10] [--no-cut]
// The link cut needs a network namespace of its own (root): the program enters one and brings its loopback up and
// down; without root it skips that figure.
#include "CallPairKit.h"

#include <algorithm>
#include <cstdio>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QProcess>
#include <QTest>
#include <sched.h>
#include <sys/resource.h>

using namespace larch;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    return values[size_t(std::min<double>(double(values.size() - 1), p / 100.0 * double(values.size() - 1) + 0.5))];
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QTest::qWait(5); // events handled as they come, without spinning a core
    }
    return true;
}

bool setLoopback(bool up)
{
    return QProcess::execute(QStringLiteral("ip"),
                             {QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"),
                              up ? QStringLiteral("up") : QStringLiteral("down")})
        == 0;
}

// One call: frames each way, latency, CPU over `seconds` once both sides show frames.
void steadyCall(QSize size, int seconds)
{
    testkit::CallPair pair(testkit::loopbackSettings(440, size), testkit::loopbackSettings(660, size));
    if (!pair.start()
        || !waitFor([&] { return pair.caller.stamps.size() > 30 && pair.callee.stamps.size() > 30; }, 20000)) {
        std::printf("%dx%d: the call did not connect\n", size.width(), size.height());
        return;
    }
    const size_t callerFrom = pair.caller.stamps.size(), calleeFrom = pair.callee.stamps.size();
    const size_t latencyFrom = pair.callee.latenciesUs.size(), latencyFrom2 = pair.caller.latenciesUs.size();
    const double cpuFrom = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    waitFor([&] { return wall.elapsed() >= seconds * 1000; }, seconds * 1000 + 1000);
    const double elapsed = double(wall.elapsed()) / 1000.0;
    const double cores = (cpuSeconds() - cpuFrom) / elapsed;
    std::vector<double> latencies;
    for (size_t i = latencyFrom; i < pair.callee.latenciesUs.size(); ++i)
        latencies.push_back(double(pair.callee.latenciesUs[i]) / 1000.0);
    for (size_t i = latencyFrom2; i < pair.caller.latenciesUs.size(); ++i)
        latencies.push_back(double(pair.caller.latenciesUs[i]) / 1000.0);
    // Frames lost on the way: gaps in the stamped frame numbers.
    const auto missing = [](const std::vector<calls::FrameStamp> &stamps, size_t from) {
        return stamps.size() <= from ? 0u
                                     : stamps.back().frame - stamps[from].frame + 1 - quint32(stamps.size() - from);
    };
    std::printf("%dx%d @30 for %.1f s: caller→callee %.1f fps, callee→caller %.1f fps (%u and %u frames skipped)\n",
                size.width(), size.height(), elapsed, double(pair.callee.stamps.size() - calleeFrom) / elapsed,
                double(pair.caller.stamps.size() - callerFrom) / elapsed, missing(pair.callee.stamps, calleeFrom),
                missing(pair.caller.stamps, callerFrom));
    std::printf("  capture to shown: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%zu frames)\n", percentile(latencies, 50),
                percentile(latencies, 95), percentile(latencies, 100), latencies.size());
    std::printf("  CPU of both peers together: %.2f cores\n", cores);
    pair.stop();
}

// `calls` calls one after another: from the callee taking the offer (answering) to the first frame shown on each side.
void answerToFirstFrame(int calls)
{
    std::vector<double> both;
    for (int i = 0; i < calls; ++i) {
        testkit::CallPair pair;
        QElapsedTimer sinceAnswer;
        QObject::connect(pair.caller.media.get(), &calls::CallMedia::localDescription, pair.caller.media.get(),
                         [&](const QString &type, const QString &) {
                             if (type == QLatin1String("offer"))
                                 sinceAnswer.start();
                         });
        if (!pair.start()
            || !waitFor([&] { return !pair.caller.stamps.empty() && !pair.callee.stamps.empty(); }, 20000)) {
            std::printf("answer to first frame: call %d did not connect\n", i + 1);
            return;
        }
        both.push_back(double(sinceAnswer.nsecsElapsed()) / 1e6);
        pair.stop();
    }
    std::printf("answer to first frame on both sides, %d calls: p50 %.0f ms, p95 %.0f ms, max %.0f ms\n", calls,
                percentile(both, 50), percentile(both, 95), percentile(both, 100));
}

// The link cut for 2 s in the middle of a call, `times` times: from the link back to the next new frame on each side.
void linkCut(int times)
{
    testkit::CallPair pair;
    if (!pair.start()
        || !waitFor([&] { return pair.caller.stamps.size() > 30 && pair.callee.stamps.size() > 30; }, 20000)) {
        std::printf("link cut: the call did not connect\n");
        return;
    }
    std::vector<double> back;
    for (int i = 0; i < times; ++i) {
        if (!setLoopback(false)) {
            std::printf("link cut: skipped (cannot take the loopback down)\n");
            return;
        }
        QTest::qWait(2000);
        const size_t callerAt = pair.caller.stamps.size(), calleeAt = pair.callee.stamps.size();
        setLoopback(true);
        QElapsedTimer sinceUp;
        sinceUp.start();
        if (!waitFor(
                [&] { return pair.caller.stamps.size() > callerAt + 1 && pair.callee.stamps.size() > calleeAt + 1; },
                30000)) {
            std::printf("link cut %d: media did not come back within 30 s\n", i + 1);
            return;
        }
        back.push_back(double(sinceUp.nsecsElapsed()) / 1e6);
        QTest::qWait(1000);
    }
    std::printf("media back after a 2 s link cut, %d cuts, same connection: p50 %.0f ms, p95 %.0f ms, max %.0f ms\n",
                times, percentile(back, 50), percentile(back, 95), percentile(back, 100));
    pair.stop();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("size"), QStringLiteral("Video size."), QStringLiteral("WxH"), QStringLiteral("640x480")});
    parser.addOption(
        {QStringLiteral("seconds"), QStringLiteral("Steady call length."), QStringLiteral("s"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("calls"), QStringLiteral("Calls for answer to first frame."), QStringLiteral("n"),
                      QStringLiteral("10")});
    parser.addOption({QStringLiteral("no-cut"), QStringLiteral("Skip the link cut.")});
    parser.process(app);
    const QStringList size = parser.value(QStringLiteral("size")).split(u'x');
    const QSize videoSize(size.value(0).toInt(), size.value(1).toInt());

    // A network namespace of our own, so taking its loopback down cuts only these two peers.
    const bool isolated = !parser.isSet(QStringLiteral("no-cut")) && unshare(CLONE_NEWNET) == 0 && setLoopback(true);
    steadyCall(videoSize.isValid() ? videoSize : QSize(640, 480), parser.value(QStringLiteral("seconds")).toInt());
    answerToFirstFrame(parser.value(QStringLiteral("calls")).toInt());
    if (isolated)
        linkCut(5);
    else
        std::printf("media back after a link cut: skipped (needs root for a network namespace, or --no-cut given)\n");
    return 0;
}
