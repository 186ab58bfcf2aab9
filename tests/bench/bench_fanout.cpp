// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// bench_fanout: event fan-out of the real larch-server to thousands of WebSocket clients. Prints delivered
// events per second and the send→receive latency distribution; stops by itself.
//
// Every client signs in as a staff member; staff see every conversation of the practice, so each message
// reaches every client. Messages are sent at a fixed rate and carry their scheduled send time, so a
// stalled server shows up as latency instead of silently slowing the sender (no coordinated omission).
//
// Messages are end-to-end encrypted envelopes, as the protocol requires. The server checks their shape and
// sizes but never opens or verifies them, so the bench registers devices with random public keys, seals
// nothing, and sends envelopes of random bytes of a realistic size (a 160-byte text: 200 bytes of
// ciphertext, a 64-byte signature). The scheduled send time rides in the first 8 bytes of the nonce.
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int connections = 2000;
    int staff = 10; ///< clinicians besides the admin; connections are spread over all staff
    int patients = 4; ///< conversations messages go to
    double rate = 12; ///< messages per second
    int seconds = 20; ///< sending time
    int serverThreads = 0; ///< 0: the server's default (one per core)
};

/// Random bytes standing in for keys and ciphertext the server never opens.
QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, '\0');
    QRandomGenerator::global()->generate(out.begin(), out.end());
    return out;
}
QString randomBase64(qsizetype n) { return QString::fromLatin1(randomBytes(n).toBase64()); }

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

/// Latency counts in 10 µs buckets up to 10 s (the last bucket holds everything slower).
class Histogram {
public:
    static constexpr std::size_t Buckets = 1'000'000;
    Histogram() : m_counts(Buckets, 0) { }
    void record(std::int64_t ns)
    {
        const auto b = static_cast<std::size_t>(std::clamp<std::int64_t>(ns / 10'000, 0, Buckets - 1));
        ++m_counts[b];
        ++m_total;
        m_max = std::max(m_max, ns);
    }
    void merge(const Histogram &o)
    {
        for (std::size_t i = 0; i < Buckets; ++i)
            m_counts[i] += o.m_counts[i];
        m_total += o.m_total;
        m_max = std::max(m_max, o.m_max);
    }
    double percentileMs(double p) const
    {
        if (m_total == 0)
            return 0;
        const auto target = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(m_total - 1)) + 1;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < Buckets; ++i) {
            seen += m_counts[i];
            if (seen >= target)
                return static_cast<double>(i + 1) * 0.01; // upper edge of the bucket, in ms
        }
        return static_cast<double>(m_max) / 1e6;
    }
    std::uint64_t total() const { return m_total; }
    double maxMs() const { return static_cast<double>(m_max) / 1e6; }

private:
    std::vector<std::uint64_t> m_counts;
    std::uint64_t m_total = 0;
    std::int64_t m_max = 0;
};

/// Blocking HTTP/1.1 client on one keep-alive connection, for setup and sending.
class HttpClient {
public:
    HttpClient(net::io_context &io, const tcp::endpoint &ep) : m_stream(io)
    {
        m_stream.connect(ep);
        m_stream.socket().set_option(tcp::no_delay(true));
    }
    QJsonObject request(http::verb verb, const std::string &target, const QJsonObject &body, const std::string &token,
                        int *status = nullptr)
    {
        http::request<http::string_body> req(verb, target, 11);
        req.set(http::field::host, "127.0.0.1");
        if (!token.empty())
            req.set(http::field::authorization, "Bearer " + token);
        if (verb == http::verb::post) {
            req.set(http::field::content_type, "application/json");
            req.body() = QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
        }
        req.keep_alive(true);
        req.prepare_payload();
        http::write(m_stream, req);
        http::response<http::string_body> res;
        http::read(m_stream, m_buffer, res);
        if (status)
            *status = res.result_int();
        return QJsonDocument::fromJson(QByteArray::fromStdString(res.body())).object();
    }

private:
    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
};

/// Shared counters of the run.
struct Stats {
    std::atomic<int> connected{0};
    std::atomic<int> failed{0};
    std::atomic<std::uint64_t> delivered{0};
    std::atomic<std::int64_t> lastDeliveryNs{0};
};

/// One WebSocket client; records the latency of every bench message it receives.
class Client : public std::enable_shared_from_this<Client> {
public:
    Client(net::io_context &io, tcp::endpoint ep, std::string token, Stats &stats, std::vector<Histogram *> &histograms,
           std::mutex &histogramsMutex)
        : m_ws(net::make_strand(io)), m_ep(ep), m_token(std::move(token)), m_stats(stats), m_histograms(histograms),
          m_histogramsMutex(histogramsMutex)
    { }
    void start()
    {
        beast::get_lowest_layer(m_ws).expires_after(std::chrono::seconds(30));
        beast::get_lowest_layer(m_ws).async_connect(m_ep, [self = shared_from_this()](beast::error_code ec) {
            if (ec)
                return self->fail();
            beast::get_lowest_layer(self->m_ws).expires_never();
            beast::get_lowest_layer(self->m_ws).socket().set_option(tcp::no_delay(true));
            self->m_ws.set_option(
                websocket::stream_base::decorator([token = self->m_token](websocket::request_type &r) {
                    r.set(http::field::authorization, "Bearer " + token);
                }));
            self->m_ws.async_handshake("127.0.0.1", "/v1/events?since=1000000000", [self](beast::error_code e) {
                if (e)
                    return self->fail();
                self->read();
            });
        });
    }
    void close()
    {
        net::post(m_ws.get_executor(), [self = shared_from_this()] {
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_ws).socket().close(ignored);
        });
    }

private:
    void fail() { m_stats.failed++; }
    void read()
    {
        m_ws.async_read(m_buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return;
            self->onMessage();
            self->read();
        });
    }
    void onMessage()
    {
        const auto data = m_buffer.cdata();
        const std::string_view text(static_cast<const char *>(data.data()), data.size());
        if (!m_helloSeen && text.find("\"hello\"") != std::string_view::npos) {
            m_helloSeen = true;
            m_stats.connected++;
        }
        constexpr std::string_view marker = "\"ciphertext\":\"";
        const auto at = text.find(marker);
        if (at != std::string_view::npos && text.size() >= at + marker.size() + 12) {
            const std::int64_t now = nowNs();
            // 12 base64 characters are the first 9 bytes of the nonce; the first 8 are the send time.
            const QByteArray head = QByteArray::fromBase64(QByteArray(text.data() + at + marker.size(), 12));
            std::int64_t sent = 0;
            for (int b = 0; b < 8 && b < head.size(); ++b)
                sent = (sent << 8) | static_cast<unsigned char>(head[b]);
            histogram().record(now - sent);
            m_stats.delivered.fetch_add(1, std::memory_order_relaxed);
            m_stats.lastDeliveryNs.store(now, std::memory_order_relaxed);
        }
        m_buffer.consume(m_buffer.size());
    }
    Histogram &histogram()
    {
        // One histogram per client thread, merged at the end.
        thread_local Histogram *h = nullptr;
        if (!h) {
            h = new Histogram();
            std::lock_guard lock(m_histogramsMutex);
            m_histograms.push_back(h);
        }
        return *h;
    }

    websocket::stream<beast::tcp_stream> m_ws;
    tcp::endpoint m_ep;
    std::string m_token;
    Stats &m_stats;
    std::vector<Histogram *> &m_histograms;
    std::mutex &m_histogramsMutex;
    beast::flat_buffer m_buffer;
    bool m_helloSeen = false;
};

void raiseDescriptorLimit()
{
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    std::printf("descriptor limit: %llu\n", static_cast<unsigned long long>(rl.rlim_cur));
}

/// Starts larch-server (inheriting the raised descriptor limit) and reads its port from stdout.
pid_t startServer(const std::string &dataDir, int threads, unsigned short *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<std::string> args{
            LARCH_SERVER_BINARY, "--port", "0", "--data-dir", dataDir, "--log-level", "warn", "--open-registration",
            "--max-connections", "20000"};
        if (threads > 0) {
            args.push_back("--threads");
            args.push_back(std::to_string(threads));
        }
        std::vector<char *> argv;
        for (auto &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
        line += c;
    close(fds[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("larch-server listening on ", 0) != 0 || colon == std::string::npos)
        return -1;
    *port = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
    return pid;
}

bool parse(int argc, char **argv, Options &o)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const double v = std::atof(argv[i + 1]);
        if (k == "--connections")
            o.connections = static_cast<int>(v);
        else if (k == "--staff")
            o.staff = static_cast<int>(v);
        else if (k == "--patients")
            o.patients = static_cast<int>(v);
        else if (k == "--rate")
            o.rate = v;
        else if (k == "--seconds")
            o.seconds = static_cast<int>(v);
        else if (k == "--server-threads")
            o.serverThreads = static_cast<int>(v);
        else
            return false;
    }
    return (argc % 2 == 1) && o.connections > 0 && o.staff >= 0 && o.patients > 0 && o.rate > 0 && o.seconds > 0
        && o.seconds <= 50;
}

} // namespace

int main(int argc, char **argv)
{
    Options opt;
    if (!parse(argc, argv, opt)) {
        std::fprintf(stderr,
                     "usage: bench_fanout [--connections 2000] [--staff 10] [--patients 4] [--rate 12] "
                     "[--seconds 20 (max 50)] [--server-threads 0]\n");
        return 2;
    }
    raiseDescriptorLimit();
    const auto dataDir = std::filesystem::temp_directory_path() / ("larch-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dataDir);
    unsigned short port = 0;
    const pid_t server = startServer(dataDir.string(), opt.serverThreads, &port);
    if (server <= 0) {
        std::fprintf(stderr, "bench_fanout: larch-server did not start\n");
        return 1;
    }
    const auto cleanup = [&] {
        kill(server, SIGTERM);
        int status = 0;
        waitpid(server, &status, 0);
        std::filesystem::remove_all(dataDir);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    std::printf("server on port %u; %d connections over %d staff, %d conversations, %.1f msg/s for %d s\n", port,
                opt.connections, opt.staff + 1, opt.patients, opt.rate, opt.seconds);

    // Setup over HTTP.
    net::io_context setupIo;
    HttpClient http(setupIo, ep);
    const QJsonObject practice = http.request(http::verb::post, "/v1/practices",
                                              {{"practiceName", "Bench Practice"},
                                               {"adminName", "Bench Admin"},
                                               {"adminEmail", "admin@bench.example"},
                                               {"adminPassword", "bench password"}},
                                              {});
    const std::string practiceId = practice["practice"].toObject()["id"].toString().toStdString();
    std::vector<std::string> staffTokens{practice["session"].toObject()["token"].toString().toStdString()};
    for (int i = 0; i < opt.staff; ++i) {
        const QString email = QStringLiteral("doc%1@bench.example").arg(i);
        http.request(http::verb::post, "/v1/practices/" + practiceId + "/staff",
                     {{"name", QStringLiteral("Doc %1").arg(i)},
                      {"email", email},
                      {"password", "bench password"},
                      {"role", "clinician"}},
                     staffTokens[0]);
        staffTokens.push_back(http.request(http::verb::post, "/v1/sessions",
                                           {{"email", email}, {"password", "bench password"}}, {})["token"]
                                  .toString()
                                  .toStdString());
    }
    // A device per staff session. All register before the practice key exists, so all are active at once;
    // the practice key is then sealed (here: random grants) to every one of them.
    std::vector<QString> devices;
    QJsonArray practiceGrants;
    for (const auto &token : staffTokens) {
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QJsonObject d = http.request(http::verb::post, "/v1/devices",
                                           {{"deviceId", id},
                                            {"name", "Bench"},
                                            {"boxPublicKey", randomBase64(32)},
                                            {"signPublicKey", randomBase64(32)}},
                                           token);
        devices.push_back(d["id"].toString());
        practiceGrants.append(QJsonObject{{"deviceId", id}, {"sealedKey", randomBase64(80)}});
    }
    int keyStatus = 0;
    http.request(http::verb::post, "/v1/practices/" + practiceId + "/keys",
                 {{"version", 1}, {"publicKey", randomBase64(32)}, {"grants", practiceGrants}}, staffTokens[0],
                 &keyStatus);
    std::vector<std::string> conversations;
    int epochErrors = 0;
    for (int i = 0; i < opt.patients; ++i) {
        const QJsonObject p = http.request(http::verb::post, "/v1/practices/" + practiceId + "/patients",
                                           {{"name", QStringLiteral("Patient %1").arg(i)},
                                            {"email", QStringLiteral("p%1@bench.example").arg(i)},
                                            {"password", "bench password"}},
                                           staffTokens[0]);
        conversations.push_back(p["conversation"].toObject()["id"].toString().toStdString());
        // Patients have no devices here, so epoch 1 is sealed to the practice key alone.
        int status = 0;
        http.request(http::verb::post, "/v1/conversations/" + conversations.back() + "/epochs",
                     {{"epoch", 1},
                      {"practiceKeyVersion", 1},
                      {"practiceGrant", randomBase64(80)},
                      {"deviceGrants", QJsonArray{}}},
                     staffTokens[0], &status);
        epochErrors += status == 201 ? 0 : 1;
    }
    if (practiceId.empty() || conversations.back().empty() || staffTokens.back().empty() || devices.front().isEmpty()
        || keyStatus != 201 || epochErrors > 0) {
        std::fprintf(stderr, "bench_fanout: setup failed\n");
        cleanup();
        return 1;
    }

    // Clients on two threads.
    Stats stats;
    std::vector<Histogram *> histograms;
    std::mutex histogramsMutex;
    net::io_context clientIo;
    auto guard = net::make_work_guard(clientIo);
    std::vector<std::shared_ptr<Client>> clients;
    for (int i = 0; i < opt.connections; ++i) {
        clients.push_back(std::make_shared<Client>(clientIo, ep,
                                                   staffTokens[static_cast<std::size_t>(i) % staffTokens.size()], stats,
                                                   histograms, histogramsMutex));
        clients.back()->start();
    }
    std::vector<std::thread> clientThreads;
    for (int i = 0; i < 2; ++i)
        clientThreads.emplace_back([&] { clientIo.run(); });
    const auto connectStart = Clock::now();
    while (stats.connected + stats.failed < opt.connections && Clock::now() - connectStart < std::chrono::seconds(20))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::printf("connected %d of %d in %.2f s (%d failed)\n", stats.connected.load(), opt.connections,
                std::chrono::duration<double>(Clock::now() - connectStart).count(), stats.failed.load());

    // Fixed-rate sending from two threads, each on its own keep-alive connection.
    const int senders = 2;
    const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / opt.rate * senders));
    const auto total = static_cast<std::int64_t>(opt.rate * opt.seconds);
    std::atomic<std::int64_t> sent{0}, sendErrors{0};
    const auto sendStart = Clock::now() + std::chrono::milliseconds(50);
    std::vector<std::thread> senderThreads;
    for (int s = 0; s < senders; ++s) {
        senderThreads.emplace_back([&, s] {
            net::io_context io;
            HttpClient sender(io, ep);
            for (std::int64_t i = s; i < total; i += senders) {
                const auto scheduled = sendStart + (interval / senders) * i;
                std::this_thread::sleep_until(scheduled);
                const std::int64_t scheduledNs =
                    std::chrono::duration_cast<std::chrono::nanoseconds>(scheduled.time_since_epoch()).count();
                int status = 0;
                QByteArray ciphertext = randomBytes(24 + 16 + 160);
                for (int b = 0; b < 8; ++b)
                    ciphertext[b] = static_cast<char>((scheduledNs >> (8 * (7 - b))) & 0xff);
                const QJsonObject envelope{{"epoch", 1},
                                           {"senderDeviceId", devices.front()},
                                           {"ciphertext", QString::fromLatin1(ciphertext.toBase64())},
                                           {"signature", randomBase64(64)}};
                sender.request(
                    http::verb::post,
                    "/v1/conversations/" + conversations[static_cast<std::size_t>(i) % conversations.size()]
                        + "/messages",
                    {{"clientId", QUuid::createUuid().toString(QUuid::WithoutBraces)}, {"envelope", envelope}},
                    staffTokens[0], &status);
                if (status == 201)
                    sent++;
                else
                    sendErrors++;
            }
        });
    }
    for (auto &t : senderThreads)
        t.join();
    const auto sendEnd = Clock::now();
    const std::uint64_t expected =
        static_cast<std::uint64_t>(sent.load()) * static_cast<std::uint64_t>(stats.connected.load());
    while (stats.delivered < expected && Clock::now() - sendEnd < std::chrono::seconds(5))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));

    for (auto &c : clients)
        c->close();
    guard.reset();
    clientIo.stop();
    for (auto &t : clientThreads)
        t.join();
    Histogram all;
    for (auto *h : histograms)
        all.merge(*h);

    const double window = std::chrono::duration<double>(std::chrono::nanoseconds(stats.lastDeliveryNs.load())
                                                        - sendStart.time_since_epoch())
                              .count();
    std::printf("messages sent: %lld (%lld errors), deliveries: %llu of %llu expected (%llu missing)\n",
                static_cast<long long>(sent.load()), static_cast<long long>(sendErrors.load()),
                static_cast<unsigned long long>(stats.delivered.load()), static_cast<unsigned long long>(expected),
                static_cast<unsigned long long>(expected - std::min<std::uint64_t>(expected, stats.delivered.load())));
    std::printf("delivered: %.0f events/s over %.2f s\n", static_cast<double>(stats.delivered.load()) / window, window);
    std::printf("latency send->receive: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
                all.percentileMs(50), all.percentileMs(90), all.percentileMs(99), all.percentileMs(99.9), all.maxMs());
    const int serverExit = cleanup();
    std::printf("server exit code after SIGTERM: %d\n", serverExit);
    return 0;
}
