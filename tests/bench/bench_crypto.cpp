// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Benchmark: the cost of end-to-end encryption on one thread — sealing and opening a message, and sealing
// a conversation key to many devices (the fan-out a new epoch needs). Prints its figures; not a test.
#include "core/crypto/Crypto.h"
#include "core/crypto/DeviceKeys.h"
#include "core/crypto/KeySealing.h"
#include "core/crypto/MessageEnvelope.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <QList>
#include <sodium.h>
#include <vector>

using namespace larch;
using Clock = std::chrono::steady_clock;

namespace {

double medianOf(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    const size_t n = samples.size();
    return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

double microseconds(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

/// Median and 90th percentile in µs of sealing and opening one message of the given size.
void benchMessage(const char *label, int bytes, int iterations)
{
    const QByteArray key(32, '\x2a');
    const DeviceKeys sender = DeviceKeys::generate();
    const QString conversation = newId();
    const QString text(bytes, QLatin1Char('m'));
    std::vector<double> sealUs, openUs;
    sealUs.reserve(iterations);
    openUs.reserve(iterations);
    int failures = 0;
    for (int i = 0; i < iterations; ++i) {
        const QString clientId = newId();
        const auto t0 = Clock::now();
        const MessageEnvelope e =
            sealMessage(key, conversation, 1, clientId, sender.deviceId, sender.signSecret.bytes(), text);
        const auto t1 = Clock::now();
        const OpenedMessage opened = openMessage(key, conversation, clientId, sender.signPublic, e);
        const auto t2 = Clock::now();
        if (opened.check != MessageCheck::Ok || opened.text.size() != text.size())
            ++failures;
        sealUs.push_back(microseconds(t1 - t0));
        openUs.push_back(microseconds(t2 - t1));
    }
    auto p90 = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() * 9 / 10];
    };
    std::printf("message %-9s sealMessage median %7.1f us (p90 %7.1f)   openMessage median %7.1f us (p90 %7.1f)"
                "   [%d iterations%s]\n",
                label, medianOf(sealUs), p90(sealUs), medianOf(openUs), p90(openUs), iterations,
                failures ? ", FAILURES" : "");
}

/// Milliseconds to seal one 32-byte conversation key to `devices` device public keys, median of rounds.
void benchKeyFanOut(int devices, int rounds)
{
    QList<QByteArray> recipients;
    QList<DeviceKeys> owners;
    for (int i = 0; i < devices; ++i) {
        owners.append(DeviceKeys::generate());
        recipients.append(owners.last().boxPublic);
    }
    const QByteArray conversationKey(32, '\x17');
    std::vector<double> ms;
    QList<QByteArray> grants;
    for (int r = 0; r < rounds; ++r) {
        grants.clear();
        grants.reserve(devices);
        const auto t0 = Clock::now();
        for (const QByteArray &pk : std::as_const(recipients))
            grants.append(sealTo(pk, conversationKey));
        ms.push_back(microseconds(Clock::now() - t0) / 1000.0);
    }
    // Every grant must open for its own device, or the figure would be meaningless.
    int opened = 0;
    for (int i = 0; i < devices; ++i)
        opened += openSealed(owners[i].boxPublic, owners[i].boxSecret.bytes(), grants[i]) == conversationKey;
    std::printf("seal a 32-byte conversation key to %d devices: median %.1f ms, best %.1f ms over %d rounds "
                "(target <= 100 ms; %d/%d grants open)\n",
                devices, medianOf(ms), *std::min_element(ms.begin(), ms.end()), rounds, opened, devices);
}

} // namespace

int main()
{
    if (!initCrypto()) {
        std::fprintf(stderr, "libsodium could not be initialised\n");
        return 1;
    }
    std::printf("bench_crypto: one thread, libsodium %s\n", sodium_version_string());
    benchMessage("200 B", 200, 5000);
    benchMessage("4 KiB", 4096, 5000);
    benchKeyFanOut(1000, 15);
    return 0;
}
