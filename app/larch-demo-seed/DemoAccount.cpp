// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "DemoAccount.h"

#include "client/sync/Outbox.h"
#include "client/sync/SyncEngine.h"
#include "models/app/AccountSession.h"
#include "models/app/RoleLookup.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/compose/ComposeVideoProbe.h"
#include "models/conversations/CurrentConversation.h"
#include "models/security/DeviceSecurity.h"
#include "models/security/PendingDeviceModel.h"
#include "models/thread/ThreadModel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QSet>
#include <QTextStream>
#include <QTimer>

using larch::roleNumber;

namespace {
// Generous limits: a slow CI machine still finishes; a stuck step still ends with a sentence.
constexpr int kSignInMs = 60000;
constexpr int kStepMs = 60000;
// Uploading and posting a few small files on loopback; generous for a busy machine.
constexpr int kUploadMs = 90000;

void say(const QString &line) { QTextStream(stdout) << "larch-demo-seed: " << line << Qt::endl; }
} // namespace

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!done()) {
        if (elapsed.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

DemoAccount::DemoAccount(QString key, QString who, QString email, const QString &dataRoot, const QString &serverUrl,
                         QString password)
    : m_key(std::move(key)), m_who(std::move(who)), m_email(std::move(email)), m_password(std::move(password))
{
    const QString dataDir = QDir(dataRoot).filePath(QStringLiteral("app-") + m_key);
    if (!QDir().mkpath(dataDir))
        throw SeedError(QStringLiteral("cannot create the app data folder %1").arg(dataDir).toStdString());
    m_app = std::make_unique<larch::AppController>(dataDir);
    m_app->session()->setServerUrl(serverUrl);
    m_serverUrl = m_app->session()->serverUrl();
}

DemoAccount::~DemoAccount() = default;

QString DemoAccount::deviceState() const { return m_app->security()->property("deviceState").toString(); }

QAbstractItemModel *DemoAccount::model(const char *property) const
{
    return qobject_cast<QAbstractItemModel *>(m_app->property(property).value<QObject *>());
}

QAbstractItemModel *DemoAccount::pendingDevices() const { return m_app->security()->pendingDevices(); }

void DemoAccount::signIn()
{
    // A cached session is resumed; one the server no longer knows ends, and then a fresh sign-in runs.
    bool asked = false;
    const bool ok = waitUntil(
        [&] {
            const QString state = deviceState();
            if (state == QLatin1String("keychainUnavailable"))
                return true;
            if (m_app->session()->signedIn() && m_app->session()->serverUrl() != m_serverUrl)
                return true; // a cached session of another server: said below
            if (m_app->session()->signedIn())
                return state == QLatin1String("active") || state == QLatin1String("pending");
            if (m_app->session()->busy())
                return false;
            if (asked)
                return !m_app->session()->signInError().isEmpty();
            asked = true;
            m_app->session()->signIn(m_email, m_password);
            return false;
        },
        kSignInMs);
    if (m_app->session()->signedIn() && m_app->session()->serverUrl() != m_serverUrl) {
        // Device keys and the cached session belong to the address they were made with.
        throw SeedError(QStringLiteral("the demo data of %1 was made with the server at %2, not %3. Run the demo "
                                       "with that server again, or give %3 a data folder of its own")
                            .arg(m_who, m_app->session()->serverUrl(), m_serverUrl)
                            .toStdString());
    }
    if (deviceState() == QLatin1String("keychainUnavailable") || (asked && !m_app->session()->signedIn()))
        throw SeedError(
            QStringLiteral("%1 could not sign in: %2").arg(m_who, m_app->session()->signInError()).toStdString());
    if (!ok)
        throw SeedError(QStringLiteral("the device of %1 was not registered in time").arg(m_who).toStdString());
}

void DemoAccount::waitUntilActive(int timeoutMs)
{
    if (!waitUntil([&] { return deviceState() == QLatin1String("active"); }, timeoutMs))
        throw SeedError(
            QStringLiteral("the device of %1 is \"%2\", not active").arg(m_who, deviceState()).toStdString());
}

QString DemoAccount::conversationId(const QString &title)
{
    QAbstractItemModel *list = model("conversations");
    QString found;
    waitUntil(
        [&] {
            if (!list || !m_app->sync()->conversationsSynced())
                return false;
            const int idRole = roleNumber(list, "conversationId");
            const int titleRole = roleNumber(list, "title");
            for (int row = 0; row < list->rowCount(); ++row) {
                const QModelIndex index = list->index(row, 0);
                if (title.isEmpty() || index.data(titleRole).toString() == title) {
                    found = index.data(idRole).toString();
                    return true;
                }
            }
            return false;
        },
        kStepMs);
    if (found.isEmpty())
        throw SeedError(QStringLiteral("%1 does not see the expected conversation").arg(m_who).toStdString());
    return found;
}

larch::ApiResult DemoAccount::call(
    const std::function<void(larch::ApiClient *, QObject *, std::function<void(const larch::ApiResult &)>)> &start)
{
    std::optional<larch::ApiResult> result;
    QObject context;
    start(m_app->api(), &context, [&](const larch::ApiResult &r) { result = r; });
    if (!waitUntil([&] { return result.has_value(); }, kStepMs))
        throw SeedError("the server did not answer in time");
    return *result;
}

bool DemoAccount::conversationHasMessages(const QString &conversationId)
{
    const larch::ApiResult result = call([&](larch::ApiClient *api, QObject *context, auto done) {
        api->fetchMessages(conversationId, 0, 1, context, std::move(done));
    });
    if (!result.ok())
        throw SeedError(QStringLiteral("cannot read the conversation: %1").arg(result.error.sentence).toStdString());
    return !result.body.value(QStringLiteral("messages")).toArray().isEmpty();
}

void DemoAccount::openAndLoad(const QString &conversationId)
{
    m_app->current()->open(conversationId);
    larch::ThreadModel *thread = m_app->thread();
    if (!waitUntil([&] { return thread->conversationId() == conversationId && !thread->isLoading(); }, kStepMs))
        throw SeedError(QStringLiteral("%1 could not open the conversation").arg(m_who).toStdString());
}

void DemoAccount::send(const QString &conversationId, const QString &text)
{
    openAndLoad(conversationId);
    larch::ComposeController *compose = m_app->compose();
    compose->setText(text);
    if (!compose->send())
        throw SeedError(QStringLiteral("%1 could not send: %2").arg(m_who, compose->error()).toStdString());

    // Delivered once none of this account's messages in the thread waits in the outbox any more.
    larch::ThreadModel *thread = m_app->thread();
    const int stateRole = roleNumber(thread, "deliveryState");
    const int mineRole = roleNumber(thread, "isMine");
    const int reasonRole = roleNumber(thread, "failureReason");
    QString failure;
    const bool delivered = waitUntil(
        [&] {
            bool waiting = false;
            for (int row = 0; row < thread->rowCount(); ++row) {
                const QModelIndex index = thread->index(row, 0);
                if (!index.data(mineRole).toBool())
                    continue;
                const QString state = index.data(stateRole).toString();
                if (state == QLatin1String("failed")) {
                    failure = index.data(reasonRole).toString();
                    return true;
                }
                waiting = waiting || state == QLatin1String("pending");
            }
            return !waiting;
        },
        kStepMs);
    m_app->current()->close();
    if (!failure.isEmpty())
        throw SeedError(QStringLiteral("the server refused a message from %1: %2").arg(m_who, failure).toStdString());
    if (!delivered)
        throw SeedError(QStringLiteral("a message from %1 was not delivered in time").arg(m_who).toStdString());
}

void DemoAccount::addFilesAndWaitForPreviews(const QString &conversationId, const QList<QUrl> &files)
{
    openAndLoad(conversationId);
    larch::ComposeController *compose = m_app->compose();
    larch::ComposeAttachmentModel *chips = compose->attachments();
    if (chips->add(files) != files.size())
        throw SeedError(
            QStringLiteral("the compose bar of %1 refused a file: %2").arg(m_who, chips->refusal()).toStdString());
    // The previews travel inside the message, so wait for them; a video's length and first frame come later
    // than its chip is sendable, and at most after the probe's own time limit.
    const int kindRole = roleNumber(chips, "kind");
    const int durationRole = roleNumber(chips, "durationMs");
    const int thumbnailRole = roleNumber(chips, "thumbnail");
    const bool previewed = waitUntil(
        [&] {
            if (chips->preparing())
                return false;
            for (int row = 0; row < chips->rowCount(); ++row) {
                const QModelIndex index = chips->index(row, 0);
                if (index.data(kindRole).toString() == QLatin1String("video")
                    && (index.data(durationRole).toLongLong() <= 0 || index.data(thumbnailRole).toString().isEmpty()))
                    return false;
            }
            return true;
        },
        larch::ComposeVideoProbe::TimeoutMs + 2000);
    if (chips->preparing())
        throw SeedError(QStringLiteral("the previews of %1's files were not made in time").arg(m_who).toStdString());
    if (!previewed)
        say(QStringLiteral("this device could not read the video's length or first frame; it goes without them"));
}

void DemoAccount::sendFiles(const QString &conversationId, const QString &caption, const QList<QUrl> &files)
{
    addFilesAndWaitForPreviews(conversationId, files);
    larch::ComposeController *compose = m_app->compose();

    // The outbox announces each file's entry as compose sends it; each ends confirmed (uploaded, sealed, posted).
    larch::Outbox *outbox = m_app->sync()->outbox();
    QSet<QString> waiting;
    QString failure;
    QObject context;
    QObject::connect(outbox, &larch::Outbox::pending, &context, [&](const larch::OutboxEntry &entry) {
        if (entry.conversationId == conversationId && entry.attachment)
            waiting.insert(entry.clientId);
    });
    QObject::connect(outbox, &larch::Outbox::confirmed, &context,
                     [&](const QString &clientId, const larch::StoredMessage &) { waiting.remove(clientId); });
    QObject::connect(outbox, &larch::Outbox::failed, &context, [&](const QString &clientId, const QString &reason) {
        if (waiting.contains(clientId))
            failure = reason;
    });
    QSet<QString> uploaded; // so a timeout can tell a stuck upload from a message the server never confirmed
    QObject::connect(outbox, &larch::Outbox::uploadProgress, &context,
                     [&](const QString &clientId, qint64 done, qint64 total) {
                         if (done == total)
                             uploaded.insert(clientId);
                     });
    compose->setText(caption);
    if (!compose->send())
        throw SeedError(QStringLiteral("%1 could not send the files: %2").arg(m_who, compose->error()).toStdString());
    if (waiting.size() != files.size())
        throw SeedError(QStringLiteral("%1's outbox took %2 of %3 files")
                            .arg(m_who)
                            .arg(waiting.size())
                            .arg(files.size())
                            .toStdString());
    const bool delivered = waitUntil([&] { return waiting.isEmpty() || !failure.isEmpty(); }, kUploadMs);
    m_app->current()->close();
    if (!failure.isEmpty())
        throw SeedError(QStringLiteral("a file from %1 was refused: %2").arg(m_who, failure).toStdString());
    if (!delivered)
        throw SeedError(QStringLiteral("the files from %1 were not sent in time: %2 of %3 uploaded, %4 confirmed by "
                                       "the server")
                            .arg(m_who)
                            .arg(uploaded.size())
                            .arg(files.size())
                            .arg(files.size() - waiting.size())
                            .toStdString());
}

void DemoAccount::readAll(const QString &conversationId)
{
    openAndLoad(conversationId);
    m_app->current()->close();
}

int DemoAccount::approveAllPending()
{
    QAbstractItemModel *pending = pendingDevices();
    if (!pending)
        throw SeedError("the app has no list of devices waiting for approval");
    const int idRole = roleNumber(pending, "deviceId");
    QStringList ids;
    for (int row = 0; row < pending->rowCount(); ++row)
        ids << pending->index(row, 0).data(idRole).toString();
    for (const QString &id : ids)
        m_app->security()->approveDevice(id);
    const bool done =
        waitUntil([&] { return pending->rowCount() == 0 || !m_app->security()->deviceError().isEmpty(); }, kStepMs);
    const QString error = m_app->security()->deviceError();
    if (!error.isEmpty())
        throw SeedError(QStringLiteral("approving a device failed: %1").arg(error).toStdString());
    if (!done)
        throw SeedError("approving a device took too long");
    return int(ids.size());
}
