// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/transport/Server.h"

#include "core/crypto/Crypto.h"
#include "server/accounts/AccountService.h"
#include "server/accounts/CodeKey.h"
#include "server/accounts/DemoSeed.h"
#include "server/accounts/PracticeSetup.h"
#include "server/accounts/SignUpService.h"
#include "server/accounts/StaffService.h"
#include "server/api/ApiRouter.h"
#include "server/attachments/AttachmentService.h"
#include "server/attachments/BlobStore.h"
#include "server/audit/AuditRetention.h"
#include "server/conversations/ConversationService.h"
#include "server/conversations/EventHub.h"
#include "server/delivery/CourierFactory.h"
#include "server/e2ee/DeviceService.h"
#include "server/e2ee/KeyService.h"
#include "server/invites/InviteService.h"
#include "server/pages/PageRouter.h"
#include "server/practicelinks/PracticeLinkService.h"
#include "server/standard/StandardService.h"
#include "server/storage/sqlite/SqliteStorage.h"
#include "server/transport/Clock.h"
#include "server/transport/Listener.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <functional>
#include <QDir>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace larch::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

/// Lifts the soft descriptor limit to the hard one so --max-connections can be reached.
void raiseDescriptorLimit()
{
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

std::unique_ptr<net::ssl::context> makeTls(const ServerConfig &config)
{
    if (config.tlsCert.empty() && config.tlsKey.empty())
        return nullptr;
    if (config.tlsCert.empty() || config.tlsKey.empty())
        throw StartupError{"TLS needs both --tls-cert and --tls-key.", 2};
    auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3
                     | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(config.tlsCert, ec);
    if (ec)
        throw StartupError{"Cannot read the TLS certificate chain " + config.tlsCert + ": " + ec.message(), 2};
    ctx->use_private_key_file(config.tlsKey, net::ssl::context::pem, ec);
    if (ec)
        throw StartupError{"Cannot read the TLS private key " + config.tlsKey + ": " + ec.message(), 2};
    return ctx;
}

} // namespace

int Server::run()
{
    log::setLevel(m_config.logLevel);
    if (!initCrypto())
        throw StartupError{"libsodium failed to initialise.", 1};
    raiseDescriptorLimit();

    boost::system::error_code ec;
    const auto address = net::ip::make_address(m_config.listen == "localhost" ? "127.0.0.1" : m_config.listen, ec);
    if (ec)
        throw StartupError{"--listen must be an IP address such as 127.0.0.1 or ::1, not \"" + m_config.listen + "\".",
                           2};
    auto tls = makeTls(m_config);
    if (!tls && !address.is_loopback())
        throw StartupError{"Refusing to serve plain HTTP on " + m_config.listen
                               + ": give --tls-cert and --tls-key, or listen on a loopback address.",
                           2};

    const QString dataDir = QString::fromStdString(m_config.dataDir);
    if (!QDir().mkpath(dataDir))
        throw StartupError{"Cannot create the data directory " + m_config.dataDir + ".", 1};
    // One-time codes are kept as digests keyed with a secret outside the database (docs/invitations.md).
    QByteArray codeKey;
    try {
        codeKey = CodeKey::loadOrCreate(QDir(dataDir).filePath(QStringLiteral("code.key")));
    } catch (const CodeKeyError &e) {
        throw StartupError{e.what(), 1};
    }

    std::unique_ptr<SqliteStorage> storage;
    try {
        storage = std::make_unique<SqliteStorage>(QDir(dataDir).filePath(QStringLiteral("larch.sqlite3")));
    } catch (const std::exception &e) {
        throw StartupError{std::string("Cannot open the database: ") + e.what(), 1};
    }

    EventHub hub;
    ConversationService conversations(*storage, hub);
    // Two-factor sign-in (docs/security.md): TOTP secrets sealed with a key derived from the code key.
    TwoFactorService twoFactor(*storage, codeKey);
    AccountService accounts(*storage, hub, conversations, twoFactor, m_config.sessionLifetimeMs);
    accounts.setOpenRegistration(m_config.openRegistration || m_config.demo);
    PracticeSetup practiceSetup(*storage);
    DeviceService devices(*storage, hub);
    KeyService keys(*storage, hub, conversations, devices);
    // Invitations and codes (docs/invitations.md): texts leave through the courier, whose delivery states come
    // back to the invitations.
    std::unique_ptr<Courier> courier = makeCourier(m_config, *storage);
    InviteSettings inviteSettings;
    inviteSettings.publicUrl = [this] { return QString::fromStdString(m_config.publicUrl); };
    inviteSettings.lifetimeMs = m_config.inviteLifetimeMs;
    inviteSettings.perPracticePerHour = m_config.invitesPerHour;
    inviteSettings.lookupsPerAddressPerHour = m_config.codesPerAddressPerHour * 5;
    InviteService invites(*storage, hub, conversations, *courier, inviteSettings);
    CodeSettings codeSettings;
    codeSettings.codeLifetimeMs = m_config.codeLifetimeMs;
    codeSettings.sessionLifetimeMs = m_config.sessionLifetimeMs;
    codeSettings.perAddressPerHour = m_config.codesPerAddressPerHour;
    codeSettings.codeKey = codeKey;
    codeSettings.publicUrl = inviteSettings.publicUrl;
    SignUpService signUps(*storage, hub, conversations, *courier, codeSettings);
    // Standard (SMS/email) conversations (docs/standard-conversations.md): their messages leave through the courier
    // too, and the delivery states of those come back to the messages.
    StandardSettings standardSettings;
    standardSettings.replyAddress = QString::fromStdString(m_config.emailReplyAddress);
    StandardService standard(*storage, hub, conversations, invites, *courier, standardSettings);
    courier->setUpdateHandler([&invites, &standard](const DeliveryUpdate &update, const OutboxRecord &row) {
        if (!update.invitationId.isEmpty())
            return invites.deliveryChanged(update, row);
        if (!update.messageId.isEmpty())
            return standard.deliveryChanged(update, row);
        return false;
    });
    // The courier's thread calls into invites and standard: it stops before they go away.
    struct CourierStop {
        std::unique_ptr<Courier> &courier;
        ~CourierStop() { courier.reset(); }
    } courierStop{courier};
    // Practice Links (docs/practice-links.md): their look-ups share the limit of invitation look-ups.
    PracticeLinkSettings linkSettings;
    linkSettings.publicUrl = inviteSettings.publicUrl;
    linkSettings.lookupsPerAddressPerHour = inviteSettings.lookupsPerAddressPerHour;
    PracticeLinkService practiceLinks(*storage, hub, linkSettings);
    // Attachments (docs/protocol.md, "Attachments"): encrypted blobs in <data-dir>/blobs/, rows in the database.
    std::unique_ptr<FileBlobStore> blobs;
    try {
        blobs = std::make_unique<FileBlobStore>(QDir(dataDir).filePath(QStringLiteral("blobs")));
    } catch (const BlobStoreError &e) {
        throw StartupError{e.what(), 1};
    }
    AttachmentSettings attachmentSettings;
    attachmentSettings.attachmentMaxBytes = m_config.attachmentMaxBytes;
    attachmentSettings.practiceQuotaBytes = m_config.practiceStorageBytes;
    attachmentSettings.uploadExpiryMs = m_config.uploadExpiryMs;
    attachmentSettings.tokenLifetimeMs = m_config.downloadTokenMs;
    AttachmentService attachments(*storage, *blobs, conversations, attachmentSettings);
    // Uploads abandoned while the server was down go at start, before anyone can resume them.
    attachments.sweep();
    // Audit records past their practice's retention go at start and daily (docs/security.md, "Audit retention").
    AuditRetention retention(*storage, [offset = m_config.retentionClockOffsetMs] { return nowMs() + offset; });
    auto pruneAudit = [&retention] {
        try {
            retention.prune();
        } catch (const std::exception &failure) {
            log::error(std::string("audit retention failed: ") + failure.what());
        }
    };
    pruneAudit();
    // Staff an administrator adds choose their password through an emailed setup link.
    StaffService staff(*storage, *courier, inviteSettings.publicUrl);
    CallSettings callSettings;
    callSettings.ringMs = m_config.callRingMs;
    callSettings.stunUrl = QString::fromStdString(m_config.stunUrl);
    callSettings.turnUrl = QString::fromStdString(m_config.turnUrl);
    callSettings.turnSecret = QByteArray::fromStdString(m_config.turnSecret);
    callSettings.turnCredentialMs = m_config.turnCredentialMs;
    CallService calls(*storage, hub, conversations, callSettings);
    ApiRouter router(accounts, conversations, devices, keys, invites, signUps, practiceLinks, standard, attachments,
                     twoFactor, staff, calls, *storage);
    if (m_config.demo) {
        if (seedDemo(*storage, accounts))
            log::info("demo practice seeded");
        else
            log::info("demo practice already present");
    }

    ServerContext context(*storage, hub, accounts, router, m_config.maxConnections);

    const int threadCount = m_config.threads > 0 ? m_config.threads : std::max(1u, std::thread::hardware_concurrency());
    net::io_context io(threadCount);
    std::shared_ptr<Listener> listener;
    try {
        listener = std::make_shared<Listener>(io, tcp::endpoint(address, m_config.port), context, tls.get());
    } catch (const boost::system::system_error &e) {
        throw StartupError{
            "Cannot listen on " + m_config.listen + ":" + std::to_string(m_config.port) + ": " + e.code().message(), 1};
    }
    listener->start();
    const auto bound = listener->localEndpoint();
    if (m_config.publicUrl.empty()) {
        // Written before any I/O thread runs and before the courier starts: both read it from then on.
        const std::string host =
            bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
        m_config.publicUrl = std::string(tls ? "https" : "http") + "://" + host + ":" + std::to_string(bound.port());
        if (!address.is_loopback())
            log::warn("invitation links use " + m_config.publicUrl + "; set --public-url to the address people reach");
    }
    PageRouter pages(m_config, *storage, *courier, standard, practiceSetup);
    context.pages = &pages;
    if (!address.is_loopback() && (!smsGatewayConfigured(m_config) || !smtpConfigured(m_config)))
        log::warn("a channel uses the development outbox: invitations and codes on that channel reach no one "
                  "(set --sms-url or --smtp-url)");
    courier->start();

    net::steady_timer deadline(io);
    net::steady_timer drained(io);
    // During shutdown, checks every 20 ms whether the last connection has ended.
    std::function<void()> waitForDrain = [&] {
        drained.expires_after(std::chrono::milliseconds(20));
        drained.async_wait([&](const boost::system::error_code &e) {
            if (e)
                return;
            if (context.connections.load() == 0) {
                deadline.cancel();
                io.stop();
                return;
            }
            waitForDrain();
        });
    };
    // The sweep of abandoned uploads: hourly, or once per expiry when that is shorter (tests use seconds).
    net::steady_timer sweepTimer(io);
    const auto sweepEvery =
        std::chrono::milliseconds(std::clamp<std::int64_t>(m_config.uploadExpiryMs, 1000, 3600 * 1000));
    std::function<void()> scheduleSweep = [&] {
        sweepTimer.expires_after(sweepEvery);
        sweepTimer.async_wait([&](const boost::system::error_code &e) {
            if (e || context.stopping)
                return;
            try {
                attachments.sweep();
            } catch (const std::exception &failure) {
                log::error(std::string("attachment sweep failed: ") + failure.what());
            }
            scheduleSweep();
        });
    };
    scheduleSweep();
    net::steady_timer retentionTimer(io);
    std::function<void()> scheduleRetention = [&] {
        retentionTimer.expires_after(std::chrono::hours(24));
        retentionTimer.async_wait([&](const boost::system::error_code &e) {
            if (e || context.stopping)
                return;
            pruneAudit();
            scheduleRetention();
        });
    };
    scheduleRetention();
    // Calls nobody answered become missed calls once they have rung long enough.
    net::steady_timer ringTimer(io);
    std::function<void()> scheduleRingCheck = [&] {
        ringTimer.expires_after(std::chrono::seconds(1));
        ringTimer.async_wait([&](const boost::system::error_code &e) {
            if (e || context.stopping)
                return;
            try {
                calls.endUnanswered();
            } catch (const std::exception &failure) {
                log::error(std::string("ending unanswered calls failed: ") + failure.what());
            }
            scheduleRingCheck();
        });
    };
    scheduleRingCheck();
    net::signal_set signalSet(io, SIGINT, SIGTERM);
    signalSet.async_wait([&](const boost::system::error_code &error, int) {
        if (error)
            return;
        log::info("shutting down");
        context.stopping = true;
        sweepTimer.cancel();
        retentionTimer.cancel();
        ringTimer.cancel();
        listener->stop();
        hub.closeAll(1001);
        context.registry.stopAll();
        // Connections that do not finish in time (a client that never reads) do not hold the exit.
        deadline.expires_after(std::chrono::seconds(10));
        deadline.async_wait([&](const boost::system::error_code &e) {
            if (!e) {
                log::warn("shutdown deadline reached; closing remaining connections");
                io.stop();
            }
        });
        waitForDrain();
    });

    const auto local = listener->localEndpoint();
    const std::string shown =
        local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string();
    std::printf("larch-server listening on %s:%u\n", shown.c_str(), static_cast<unsigned>(local.port()));
    std::fflush(stdout);
    log::info("serving with " + std::to_string(threadCount) + " threads"
              + (tls ? ", TLS on" : ", plain HTTP on loopback"));

    std::vector<std::thread> threads;
    for (int i = 1; i < threadCount; ++i)
        threads.emplace_back([&io] { io.run(); });
    io.run();
    for (auto &t : threads)
        t.join();
    deadline.cancel();
    listener.reset();
    courier.reset(); // stops the sending thread before the storage closes
    storage.reset(); // checkpoints the WAL and closes the file
    log::info("stopped");
    return 0;
}

} // namespace larch::server
